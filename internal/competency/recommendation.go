package competency

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/recommend"
)

// Recommendation is the answer of POST /recommendations: an ordered path
// that closes the gap between current and target levels, each step with
// the cells it closes and why it comes at its place, the cells no resource
// can close, and the licence obligations of the whole path.
type Recommendation struct {
	Steps              []Step          `json:"steps"`
	Uncovered          []UncoveredCell `json:"uncovered"`
	TotalDuration      string          `json:"totalDuration"`
	Optimal            bool            `json:"optimal"`
	Method             string          `json:"method"` // trivial, exact or greedy
	Bound              Bound           `json:"bound"`
	Gap                []CellRef       `json:"gap"`            // every cell between current and target
	AlreadyReached     []CellRef       `json:"alreadyReached"` // targets at or below the current level
	NothingToDo        bool            `json:"nothingToDo"`
	Candidates         int             `json:"candidates"` // resources that can help, after pruning
	EstimatedDurations []string        `json:"estimatedDurations,omitempty"`
	Licence            LicenceReport   `json:"licence"`
	Summary            string          `json:"summary"`

	current, target map[string]int // per displayed competency, for saving
	method          string
}

// Step is one resource of the path.
type Step struct {
	Position          int            `json:"position"`
	Resource          string         `json:"resource"`
	Name              string         `json:"name"`
	Kind              string         `json:"kind,omitempty"`
	Duration          string         `json:"duration"`
	DurationEstimated bool           `json:"durationEstimated,omitempty"`
	Licence           string         `json:"licence,omitempty"`
	Closes            []StepCell     `json:"closes"`
	Prepares          []CellRef      `json:"prepares,omitempty"`
	Requires          []Prerequisite `json:"requires,omitempty"`
	NeededBy          []int          `json:"neededBy,omitempty"` // later steps that need what this one provides
	Why               string         `json:"why"`
}

// StepCell is a gap cell a step closes; Via says when it counts through a
// crosswalk ("exactMatch" or "closeMatch").
type StepCell struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
	Via        string `json:"via,omitempty"`
}

// Prerequisite is a level a step needs and what provides it: the start
// (MetByStep 0) or an earlier step. Source says whether the resource states
// it (schema:competencyRequired / alignment "requires") or the framework
// does (trame:prerequisite between competencies: level n of a competency
// needs level n−1 of its prerequisites).
type Prerequisite struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
	MetByStep  int    `json:"metByStep"`
	Source     string `json:"source"` // resource or framework
}

// UncoveredCell is a gap cell the path leaves open, with the reason.
type UncoveredCell struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
	Reason     string `json:"reason"` // no-resource, constraints, prerequisites, budget
	Message    string `json:"message"`
}

// Bound reports how far the path may be from the optimum: the cost of any
// path closing every reachable cell is at least LowerBound, so the path is
// within Ratio of the optimum. Under a budget, ClosedBound bounds the cells
// any path within the budget closes.
type Bound struct {
	LowerBound  string  `json:"lowerBound"`
	Ratio       float64 `json:"ratio"`
	Budgeted    bool    `json:"budgeted"`
	Closed      int     `json:"closed"`
	GoalCells   int     `json:"goalCells"`
	ClosedBound int     `json:"closedBound,omitempty"`
}

// Uncovered reasons.
const (
	ReasonNoResource    = "no-resource"
	ReasonConstraints   = "constraints"
	ReasonPrerequisites = "prerequisites"
	ReasonBudget        = "budget"
)

const opRecommend = "competency.Recommend"

// Recommend computes the path for req. Unknown competencies, frameworks,
// levels, départements or licences are KindInvalid errors listing every
// problem; a target at or below the current level is an answer with
// nothing to do; constraints that leave cells open are answered with the
// cells closed and those left, each with its reason.
func (v *View) Recommend(ctx context.Context, req RecommendRequest) (*Recommendation, error) {
	ix := v.snapshot(req.WithDrafts)
	g, err := ix.resolveGap(req, v.cfg.ProfileFramework)
	if err != nil {
		return nil, err
	}
	inst, meta := ix.instance(g, req)
	res, err := recommend.Solve(ctx, inst, recommend.Options{})
	if err != nil {
		return nil, domain.Wrap(opRecommend, domain.KindInternal, err)
	}
	return ix.explain(g, meta, res, req.Lang), nil
}

// gap is a resolved request: levels per class, the competency shown for
// each class, the constraints resolved.
type gap struct {
	start, target []int
	shown         map[int32]string // class → competency IRI as the request named it
	reached       []CellRef
	current       map[string]int
	targetShown   map[string]int
	cons          resolvedConstraints
	closeMatch    bool
}

type resolvedConstraints struct {
	budget    time.Duration
	kinds     map[string]bool
	families  map[string]bool
	reusable  string
	languages []string
	places    map[string]bool
	remote    bool
	free      bool
}

// resolveGap checks the request against the graph.
func (ix *index) resolveGap(req RecommendRequest, defaultProfile string) (*gap, error) {
	g := &gap{start: make([]int, len(ix.classes)), target: make([]int, len(ix.classes)), shown: map[int32]string{},
		current: map[string]int{}, targetShown: map[string]int{}, closeMatch: req.CloseMatch}
	var fields []domain.FieldError
	bad := func(path, format string, args ...any) {
		fields = append(fields, domain.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	setStart := func(c *concept, lv int) {
		g.start[c.class] = max(g.start[c.class], lv)
		g.current[c.iri] = lv
	}
	if p := req.Profile; p != nil {
		fwIRI := p.Framework
		if fwIRI == "" {
			fwIRI = defaultProfile
		}
		if fw := ix.frameworks[fwIRI]; fw == nil {
			bad("/profile/framework", "%q is not a competency framework", fwIRI)
		} else {
			for _, key := range sortedKeys(p.Levels) {
				c := ix.memberOf(fw, key)
				lv, ok := ix.level(p.Levels[key], 0)
				switch {
				case c == nil:
					bad("/profile/levels/"+key, "%q is neither a notation nor a competency of %s", truncate(key, 60), fw.iri)
				case !ok:
					bad("/profile/levels/"+key, "unknown level %s: use an integer 0–%d or a level IRI", levelText(p.Levels[key]), MaxLevel)
				default:
					setStart(c, lv)
				}
			}
		}
	}
	fromCurrent := map[int32]bool{}
	for _, key := range sortedKeys(req.Current) {
		c, lv, ok := ix.entry(req.Current[key], key, 0)
		switch {
		case c == nil:
			bad("/current/"+key, "unknown competency %q", truncate(key, 200))
		case !ok:
			bad("/current/"+key, "unknown level %s: use an integer 0–%d or a level IRI", levelText(req.Current[key]), MaxLevel)
		default:
			if !fromCurrent[c.class] { // current wins over the profile for its class
				fromCurrent[c.class], g.start[c.class] = true, 0
			}
			setStart(c, lv)
		}
	}
	ix.resolveTargets(req, g, bad)
	g.cons = ix.resolveConstraints(req.Constraints, bad)
	if len(fields) > 0 {
		sortFields(fields)
		return nil, invalid(opRecommend, "the request names unknown competencies, levels or constraint values", fields...)
	}
	return g, nil
}

func (ix *index) resolveTargets(req RecommendRequest, g *gap, bad func(string, string, ...any)) {
	setTarget := func(c *concept, lv int) {
		if lv <= g.start[c.class] {
			g.reached = append(g.reached, CellRef{Competency: c.iri, Level: lv})
			return
		}
		if lv > g.target[c.class] {
			g.target[c.class] = lv
		}
		if _, ok := g.shown[c.class]; !ok {
			g.shown[c.class] = c.iri
		}
		g.targetShown[g.shown[c.class]] = g.target[c.class]
	}
	if tf := req.TargetFramework; tf != nil {
		fw := ix.frameworks[tf.Framework]
		lv, ok := ix.level(tf.Level, 1)
		switch {
		case fw == nil:
			bad("/targetFramework/framework", "%q is not a competency framework", tf.Framework)
		case !ok:
			bad("/targetFramework/level", "unknown level %s: use an integer 1–%d or a level IRI", levelText(tf.Level), MaxLevel)
		case len(tf.Competencies) == 0:
			for _, c := range fw.cells {
				setTarget(c, lv)
			}
		default:
			for i, key := range tf.Competencies {
				if c := ix.memberOf(fw, key); c != nil {
					setTarget(c, lv)
				} else {
					bad(fmt.Sprintf("/targetFramework/competencies/%d", i), "%q is neither a notation nor a competency of %s", truncate(key, 60), fw.iri)
				}
			}
		}
	}
	for _, key := range sortedKeys(req.Target) {
		c, lv, ok := ix.entry(req.Target[key], key, 1)
		switch {
		case c == nil:
			bad("/target/"+key, "unknown competency %q", truncate(key, 200))
		case !ok:
			bad("/target/"+key, "unknown level %s: use an integer 1–%d or a level IRI", levelText(req.Target[key]), MaxLevel)
		default:
			setTarget(c, lv)
		}
	}
}

func (ix *index) entry(l Level, key string, minLevel int) (*concept, int, bool) {
	c := ix.concepts[key]
	lv, ok := ix.level(l, minLevel)
	return c, lv, ok
}

// level resolves a request level: an integer minLevel..MaxLevel, or a
// level IRI.
func (ix *index) level(l Level, minLevel int) (int, bool) {
	if l.IRI != "" {
		n, ok := ix.levels[l.IRI]
		return n, ok
	}
	return l.N, l.N >= minLevel && l.N <= MaxLevel
}

func levelText(l Level) string {
	if l.IRI != "" {
		return fmt.Sprintf("%q", truncate(l.IRI, 200))
	}
	return fmt.Sprint(l.N)
}

// memberOf finds a competency of fw by notation or IRI.
func (ix *index) memberOf(fw *framework, key string) *concept {
	if c := ix.concepts[key]; c != nil && contains(c.schemes, fw.iri) {
		return c
	}
	for _, c := range fw.cells {
		if c.notation == key {
			return c
		}
	}
	for _, c := range ix.concepts {
		if c.notation == key && contains(c.schemes, fw.iri) {
			return c
		}
	}
	return nil
}

func (ix *index) resolveConstraints(c Constraints, bad func(string, string, ...any)) resolvedConstraints {
	rc := resolvedConstraints{languages: c.Languages, remote: c.Remote, free: c.FreeOnly, reusable: c.ReusableUnder}
	if c.MaxDuration != "" {
		rc.budget, _ = domain.ParseISODuration(c.MaxDuration)
	}
	if len(c.Kinds) > 0 {
		rc.kinds = map[string]bool{}
		for _, k := range c.Kinds {
			rc.kinds[kindName(k)] = true
		}
	}
	if len(c.LicenceFamilies) > 0 {
		rc.families = map[string]bool{}
		for _, f := range c.LicenceFamilies {
			rc.families[f] = true
		}
	}
	if rc.reusable != "" && ix.licences[rc.reusable] == nil {
		bad("/constraints/reusableUnder", "%q is not a licence described in the graph", truncate(rc.reusable, 200))
	}
	if len(c.Departements) > 0 {
		rc.places = map[string]bool{}
		for i, d := range c.Departements {
			iri := ix.placeIRI(d)
			if iri == "" {
				bad(fmt.Sprintf("/constraints/departements/%d", i), "unknown département %q", truncate(d, 100))
			}
			rc.places[iri] = true
		}
	}
	return rc
}

// placeIRI resolves a département code or IRI ("" when unknown).
func (ix *index) placeIRI(d string) string {
	if ix.placeIRIs[d] {
		return d
	}
	return ix.places[strings.ToUpper(strings.TrimSpace(d))]
}

// allowed reports whether r passes the constraints (the budget aside).
func (ix *index) allowed(r *resource, rc *resolvedConstraints) bool {
	f := r.facts
	if rc.kinds != nil && !rc.kinds[f.kind] {
		return false
	}
	if rc.families != nil && !rc.families[ix.resourceFamily(r)] {
		return false
	}
	if rc.reusable != "" && !reusableUnder(ix.licences[f.licence], ix.licences[rc.reusable], f.licence, rc.reusable) {
		return false
	}
	if rc.free && f.free != 1 {
		return false
	}
	if len(rc.languages) > 0 && !langMatch(f.languages, rc.languages) {
		return false
	}
	if rc.places != nil || rc.remote {
		if len(f.places) == 0 {
			return rc.remote
		}
		for _, p := range f.places {
			if rc.places[p] {
				return true
			}
		}
		return false
	}
	return true
}

// langMatch compares primary language subtags; a resource that states no
// language passes.
func langMatch(have, want []string) bool {
	if len(have) == 0 {
		return true
	}
	for _, h := range have {
		hp, _, _ := strings.Cut(h, "-")
		for _, w := range want {
			if wp, _, _ := strings.Cut(w, "-"); wp == hp {
				return true
			}
		}
	}
	return false
}

// instanceMeta maps the optimiser's items back to resources.
type instanceMeta struct {
	items      []*resource
	anyTop     []int // per class: highest level any visible resource teaches
	allowedTop []int // per class: highest level an allowed resource teaches
}

// instance builds the optimiser's problem: one class per competency class,
// one item per allowed resource that teaches something.
func (ix *index) instance(g *gap, req RecommendRequest) (recommend.Instance, *instanceMeta) {
	n := len(ix.classes)
	in := recommend.Instance{Classes: n, Start: g.start, Target: g.target}
	if g.cons.budget > 0 {
		in.Budget = int64(g.cons.budget / time.Second)
	}
	meta := &instanceMeta{anyTop: make([]int, n), allowedTop: make([]int, n), items: make([]*resource, 0, len(ix.resources))}
	in.Items = make([]recommend.Item, 0, len(ix.resources))
	for _, r := range ix.resources {
		if len(r.teach) == 0 {
			continue
		}
		ok := ix.allowed(r, &g.cons)
		it := recommend.Item{Gains: r.gains, Needs: r.reqNeeds} // shared, read-only
		if g.closeMatch {
			it.Gains = ix.closeGains(r)
		}
		for _, gn := range it.Gains {
			meta.anyTop[gn.Class] = max(meta.anyTop[gn.Class], gn.Level)
			if ok {
				meta.allowedTop[gn.Class] = max(meta.allowedTop[gn.Class], gn.Level)
			}
		}
		if !ok {
			continue
		}
		switch {
		case g.closeMatch:
			it.Needs = toNeeds(ix.needs(r, g, it.Gains))
		case r.hasPrereq:
			it.Needs = ix.prereqNeeds(r, g)
		}
		it.Cost = int64(durationOf(r) / time.Second)
		in.Items = append(in.Items, it)
		meta.items = append(meta.items, r)
	}
	return in, meta
}

// prereqNeeds is needs without closeMatch, lean: r's own needs plus, for
// each competency it teaches beyond the start up to level n ≥ 2, level n−1
// of the competency's prerequisites it does not teach itself.
func (ix *index) prereqNeeds(r *resource, g *gap) []recommend.Need {
	out, cloned := r.reqNeeds, false
	for _, a := range r.teach {
		lv := int(a.level) - 1
		if int(a.level) <= g.start[a.class] || lv < 1 {
			continue
		}
		for _, p := range ix.classes[a.class].prereqs {
			if gainOf(r.gains, int(p)) >= lv {
				continue
			}
			if !cloned {
				out, cloned = slices.Clone(out), true
			}
			out = mergeNeed(out, recommend.Need{Classes: ix.single[p], Level: lv})
		}
	}
	return out
}

// closeGains are r's gains with those of the closeMatch neighbours of what
// it teaches.
func (ix *index) closeGains(r *resource) []recommend.Gain {
	var gs []recommend.Gain
	for _, a := range r.teach {
		gs = addGain(gs, int(a.class), int(a.level))
		for _, k := range ix.classes[a.class].close {
			gs = addGain(gs, int(k), int(a.level))
		}
	}
	return gs
}

func addGain(gs []recommend.Gain, class, level int) []recommend.Gain {
	for i := range gs {
		if gs[i].Class == class {
			gs[i].Level = max(gs[i].Level, level)
			return gs
		}
	}
	return append(gs, recommend.Gain{Class: class, Level: level})
}

// needInfo is one thing a resource needs first, with where it comes from.
type needInfo struct {
	classes    []int
	level      int
	competency string // the competency the resource or the framework names
	source     string // "resource" or "framework"
}

// needs lists what r needs first: its own requires alignments (met through
// closeMatch classes too when asked), and for each competency it teaches
// beyond the start up to level n, level n−1 of that competency's
// trame:prerequisite competencies, unless r teaches those itself.
func (ix *index) needs(r *resource, g *gap, gains []recommend.Gain) []needInfo {
	var out []needInfo
	add := func(n needInfo) {
		if n.level < 1 {
			return
		}
		for i := range out {
			if out[i].classes[0] == n.classes[0] && len(out[i].classes) == len(n.classes) {
				if n.level > out[i].level {
					out[i] = n
				}
				return
			}
		}
		out = append(out, n)
	}
	for _, a := range r.require {
		cs := []int{int(a.class)}
		if g.closeMatch {
			for _, k := range ix.classes[a.class].close {
				cs = append(cs, int(k))
			}
		}
		add(needInfo{classes: cs, level: int(a.level), competency: a.competency, source: "resource"})
	}
	for _, a := range r.teach {
		if int(a.level) <= g.start[a.class] || a.level < 2 {
			continue
		}
		for _, p := range ix.classes[a.class].prereqs {
			if gainOf(gains, int(p)) < int(a.level)-1 {
				add(needInfo{classes: []int{int(p)}, level: int(a.level) - 1, competency: ix.prereqName(a.competency, p), source: "framework"})
			}
		}
	}
	return out
}

// prereqName returns the prerequisite of competency c that lies in class
// p (the class's first member when c names none there).
func (ix *index) prereqName(c string, p int32) string {
	if cc := ix.concepts[c]; cc != nil {
		for _, pr := range cc.prerequisites {
			if pc := ix.concepts[pr]; pc != nil && pc.class == p {
				return pr
			}
		}
	}
	return ix.classes[p].members[0]
}

func toNeeds(ns []needInfo) []recommend.Need {
	out := make([]recommend.Need, len(ns))
	for i, n := range ns {
		out[i] = recommend.Need{Classes: n.classes, Level: n.level}
	}
	return out
}

func gainOf(gs []recommend.Gain, class int) int {
	for _, g := range gs {
		if g.Class == class {
			return g.Level
		}
	}
	return 0
}

func durationOf(r *resource) time.Duration {
	if r.facts.hasDuration {
		return max(r.facts.duration, time.Second)
	}
	return DefaultDuration
}

// ratio rounds a bound ratio for display.
func ratio(x float64) float64 { return math.Round(x*1000) / 1000 }
