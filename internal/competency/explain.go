package competency

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/recommend"
)

// explain turns the optimiser's result into the answer: steps with the
// cells they close, what they need and who provides it, and why they come
// where they do; the cells left open with their reasons; the bound; the
// licence report.
func (ix *index) explain(g *gap, meta *instanceMeta, res recommend.Result, lang string) *Recommendation {
	rec := &Recommendation{Steps: []Step{}, Uncovered: []UncoveredCell{}, Gap: []CellRef{}, AlreadyReached: []CellRef{},
		Optimal: res.Optimal, Method: string(res.Method), Candidates: res.Candidates,
		current: g.current, target: g.targetShown, method: string(res.Method)}
	if g.reached != nil {
		rec.AlreadyReached = g.reached
	}
	classes := g.gapClasses()
	for _, k := range classes {
		for l := g.start[k] + 1; l <= g.target[k]; l++ {
			rec.Gap = append(rec.Gap, CellRef{Competency: g.shown[int32(k)], Level: l})
		}
	}
	rec.NothingToDo = len(rec.Gap) == 0
	x := append([]int(nil), g.start...)
	reachedAt := map[int]*[MaxLevel + 1]int{} // class → level → step (0: the start)
	at := func(k int) *[MaxLevel + 1]int {
		if reachedAt[k] == nil {
			a := &[MaxLevel + 1]int{}
			for l := range a {
				a[l] = -1
				if l <= g.start[k] {
					a[l] = 0
				}
			}
			reachedAt[k] = a
		}
		return reachedAt[k]
	}
	var total time.Duration
	var path []*resource
	for pos, i := range res.Steps {
		r := meta.items[i]
		path = append(path, r)
		st := ix.step(g, r, pos+1, x, at, lang)
		total += durationOf(r)
		if st.DurationEstimated {
			rec.EstimatedDurations = append(rec.EstimatedDurations, r.iri)
		}
		rec.Steps = append(rec.Steps, st)
	}
	ix.fillPrepares(rec.Steps, g)
	for p := range rec.Steps {
		rec.Steps[p].Why = ix.why(&rec.Steps[p], lang)
	}
	rec.TotalDuration = domain.FormatISODuration(total)
	rec.Uncovered = ix.uncovered(g, meta, res, lang)
	rec.Bound = Bound{LowerBound: domain.FormatISODuration(time.Duration(res.LowerBound) * time.Second), Ratio: ratio(res.Ratio()),
		Budgeted: res.Budgeted, Closed: res.Closed, GoalCells: res.GoalCells, ClosedBound: res.ClosedBound}
	rec.Licence = ix.licenceReport(path, lang)
	rec.Summary = summary(rec, lang)
	return rec
}

// gapClasses lists the classes with a gap, in the order of their shown
// competency.
func (g *gap) gapClasses() []int {
	var out []int
	for k := range g.target {
		if g.target[k] > g.start[k] {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(a, b int) bool { return g.shown[int32(out[a])] < g.shown[int32(out[b])] })
	return out
}

// step replays resource r at position pos from state x (updated).
func (ix *index) step(g *gap, r *resource, pos int, x []int, at func(int) *[MaxLevel + 1]int, lang string) Step {
	st := Step{Position: pos, Resource: r.iri, Name: r.facts.label, Kind: r.facts.kind, Licence: r.facts.licence,
		Duration: domain.FormatISODuration(durationOf(r)), DurationEstimated: !r.facts.hasDuration, Closes: []StepCell{}}
	gains := slices.Clone(r.gains)
	if g.closeMatch {
		gains = ix.closeGains(r)
	}
	for _, n := range ix.needs(r, g, gains) {
		met := -1
		for _, k := range n.classes {
			if s := at(k)[n.level]; s >= 0 && (met < 0 || s < met) {
				met = s
			}
		}
		st.Requires = append(st.Requires, Prerequisite{Competency: n.competency, Level: n.level, MetByStep: met, Source: n.source})
	}
	sort.Slice(gains, func(a, b int) bool { return gains[a].Class < gains[b].Class })
	for _, gn := range gains {
		k := gn.Class
		if g.target[k] > g.start[k] {
			for l := max(x[k], g.start[k]) + 1; l <= min(gn.Level, g.target[k]); l++ {
				st.Closes = append(st.Closes, StepCell{Competency: g.shown[int32(k)], Level: l, Via: ix.via(r, k, l, g)})
			}
		}
		lv := at(k)
		for l := x[k] + 1; l <= gn.Level; l++ {
			lv[l] = pos
		}
		x[k] = max(x[k], gn.Level)
	}
	return st
}

// via says how r reaches level l of class k, as shown: "" when it names
// the shown competency, exactMatch through another member of the class,
// closeMatch through a neighbour class.
func (ix *index) via(r *resource, k, l int, g *gap) string {
	best := "closeMatch"
	for _, a := range r.teach {
		if int(a.class) != k || int(a.level) < l {
			continue
		}
		if a.competency == g.shown[int32(k)] {
			return ""
		}
		best = "exactMatch"
	}
	return best
}

// fillPrepares records, on each step, the levels it provides that later
// steps need outside the gap.
func (ix *index) fillPrepares(steps []Step, g *gap) {
	for _, s := range steps {
		for _, p := range s.Requires {
			if p.MetByStep <= 0 {
				continue
			}
			prov := &steps[p.MetByStep-1]
			ref := CellRef{Competency: p.Competency, Level: p.Level}
			dup := false
			for _, c := range prov.Prepares {
				dup = dup || c == ref
			}
			if !dup && !closesFor(prov, p) {
				prov.Prepares = append(prov.Prepares, ref)
			}
			if !containsInt(prov.NeededBy, s.Position) {
				prov.NeededBy = append(prov.NeededBy, s.Position)
			}
		}
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func closesFor(s *Step, p Prerequisite) bool {
	for _, c := range s.Closes {
		if c.Competency == p.Competency && c.Level >= p.Level {
			return true
		}
	}
	return false
}

// why writes the sentence that explains a step.
func (ix *index) why(s *Step, lang string) string {
	var b strings.Builder
	if len(s.Closes) > 0 {
		b.WriteString(pick(lang, "Ferme ", "Closes "))
		b.WriteString(ix.cellsText(s.Closes, lang))
	} else {
		b.WriteString(pick(lang, "Ne ferme aucune cellule de l'écart", "Closes no gap cell"))
	}
	if len(s.Prepares) > 0 {
		var parts []string
		for _, p := range s.Prepares {
			parts = append(parts, fmt.Sprintf(pick(lang, "%s au niveau %d", "%s at level %d"), ix.name(p.Competency, lang), p.Level))
		}
		b.WriteString(pick(lang, " ; apporte ", "; provides "))
		b.WriteString(strings.Join(parts, ", "))
		b.WriteString(pick(lang, ", prérequis d'une étape suivante", ", a prerequisite of a later step"))
	}
	b.WriteString(". ")
	if len(s.Requires) == 0 && len(s.NeededBy) > 0 {
		b.WriteString(fmt.Sprintf(pick(lang, "Sans prérequis ; elle vient avant l'étape %s, qui en a besoin.", "No prerequisite; it comes before step %s, which needs it."), joinInts(s.NeededBy, lang)))
		return b.String()
	}
	if len(s.Requires) == 0 {
		b.WriteString(pick(lang, "Sans prérequis : elle vient à ce rang parce qu'elle travaille le niveau le plus bas encore ouvert.",
			"No prerequisite: it comes at this place because it works on the lowest level still open."))
		return b.String()
	}
	var parts []string
	for _, p := range s.Requires {
		where := pick(lang, "acquis au départ", "held at the start")
		if p.MetByStep > 0 {
			where = fmt.Sprintf(pick(lang, "apporté par l'étape %d", "provided by step %d"), p.MetByStep)
		}
		src := ""
		if p.Source == "framework" {
			src = pick(lang, " (prérequis du référentiel)", " (framework prerequisite)")
		}
		parts = append(parts, fmt.Sprintf(pick(lang, "%s niveau %d%s, %s", "%s level %d%s, %s"), ix.name(p.Competency, lang), p.Level, src, where))
	}
	b.WriteString(pick(lang, "Elle vient à ce rang parce que ses prérequis sont remplis : ", "It comes at this place because its prerequisites are met: "))
	b.WriteString(strings.Join(parts, " ; "))
	b.WriteString(".")
	return b.String()
}

func joinInts(ns []int, lang string) string {
	var parts []string
	for _, n := range ns {
		parts = append(parts, fmt.Sprint(n))
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + pick(lang, " et ", " and ") + parts[len(parts)-1]
}

// cellsText renders cells grouped by competency: "1.1 Mener une recherche
// niveaux 2–4".
func (ix *index) cellsText(cells []StepCell, lang string) string {
	var parts []string
	for i := 0; i < len(cells); {
		j := i
		for j+1 < len(cells) && cells[j+1].Competency == cells[i].Competency {
			j++
		}
		lv := fmt.Sprintf(pick(lang, "niveau %d", "level %d"), cells[i].Level)
		if j > i {
			lv = fmt.Sprintf(pick(lang, "niveaux %d–%d", "levels %d–%d"), cells[i].Level, cells[j].Level)
		}
		via := ""
		if cells[i].Via != "" {
			via = fmt.Sprintf(pick(lang, " (via %s)", " (through %s)"), cells[i].Via)
		}
		parts = append(parts, ix.name(cells[i].Competency, lang)+" "+lv+via)
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// name renders a competency as "notation label".
func (ix *index) name(iri, lang string) string {
	c := ix.concepts[iri]
	if c == nil {
		return iri
	}
	if c.notation != "" {
		return c.notation + " « " + c.label(lang) + " »"
	}
	return "« " + c.label(lang) + " »"
}

// uncovered lists the gap cells the path leaves open, with their reasons.
func (ix *index) uncovered(g *gap, meta *instanceMeta, res recommend.Result, lang string) []UncoveredCell {
	out := []UncoveredCell{}
	for _, k := range g.gapClasses() {
		for l := max(res.Final[k], g.start[k]) + 1; l <= g.target[k]; l++ {
			reason := ReasonPrerequisites
			switch {
			case l <= res.Goal[k]:
				reason = ReasonBudget
			case meta.anyTop[k] < l:
				reason = ReasonNoResource
			case meta.allowedTop[k] < l:
				reason = ReasonConstraints
			}
			c := g.shown[int32(k)]
			out = append(out, UncoveredCell{Competency: c, Level: l, Reason: reason,
				Message: fmt.Sprintf(reasonText(reason, lang), ix.name(c, lang), l)})
		}
	}
	return out
}

func reasonText(reason, lang string) string {
	fr := map[string]string{
		ReasonNoResource:    "aucune ressource visible n'enseigne %s jusqu'au niveau %d",
		ReasonConstraints:   "des ressources enseignent %s au niveau %d, mais les contraintes les excluent toutes",
		ReasonPrerequisites: "les ressources qui enseignent %s au niveau %d ont des prérequis qu'aucun parcours possible ne remplit",
		ReasonBudget:        "%s niveau %d est atteignable, mais pas dans la durée maximale demandée",
	}
	en := map[string]string{
		ReasonNoResource:    "no visible resource teaches %s up to level %d",
		ReasonConstraints:   "resources teach %s at level %d, but the constraints exclude them all",
		ReasonPrerequisites: "the resources teaching %s at level %d have prerequisites no possible path meets",
		ReasonBudget:        "%s level %d can be reached, but not within the maximum duration asked",
	}
	if lang == "en" {
		return en[reason]
	}
	return fr[reason]
}

func summary(rec *Recommendation, lang string) string {
	if rec.NothingToDo {
		return pick(lang, "Rien à faire : chaque niveau visé est déjà atteint.", "Nothing to do: every target level is already reached.")
	}
	closed := len(rec.Gap) - len(rec.Uncovered)
	s := fmt.Sprintf(pick(lang, "%d étape(s), %s ; %d cellule(s) de l'écart fermée(s) sur %d.", "%d step(s), %s; %d of %d gap cell(s) closed."),
		len(rec.Steps), readableDuration(rec.TotalDuration), closed, len(rec.Gap))
	switch {
	case rec.Optimal:
		s += pick(lang, " Parcours optimal (recherche exacte).", " Optimal path (exact search).")
	case !rec.Bound.Budgeted && rec.Bound.Ratio > 0:
		s += fmt.Sprintf(pick(lang, " Parcours glouton : au plus %.3g fois la durée optimale.", " Greedy path: at most %.3g times the optimal duration."), rec.Bound.Ratio)
	}
	if len(rec.Licence.Conflicts) > 0 {
		s += pick(lang, " Attention : conflit de licences (voir licence.conflicts).", " Warning: licence conflict (see licence.conflicts).")
	}
	return s
}

// readableDuration writes an ISO 8601 duration for people: "5 h 20 min".
func readableDuration(iso string) string {
	d, err := domain.ParseISODuration(iso)
	if err != nil {
		return iso
	}
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h > 0 && m > 0:
		return fmt.Sprintf("%d h %02d min", h, m)
	case h > 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d min", m)
}
