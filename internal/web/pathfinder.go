package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// PathFinder is the recommendation service POST /recommendations uses
// (internal/competency's View).
type PathFinder interface {
	Recommend(ctx context.Context, req competency.RecommendRequest) (*competency.Recommendation, error)
}

// Parameters of the path finder form (GET, so a path is a link and prints).
const (
	pfFramework   = "referentiel"
	pfCurrent     = "actuel." // actuel.<competency IRI>=level
	pfTarget      = "cible."  // cible.<competency IRI>=level
	pfTargetAll   = "cible"   // every competency of the framework at this level
	pfMaxHours    = "heures"  // budget in hours
	pfKinds       = "nature"  // Grain, LearningPath, Training, Tool
	pfFree        = "gratuit" // 1: free resources only
	pfDepartement = "departement"
	pfRemote      = "distance" // 1: resources usable anywhere
	pfCloseMatch  = "rapprochements"
	maxHours      = 24 * 365
)

// pathKinds are the kinds a path may be restricted to, with their message
// keys.
var pathKinds = []struct{ name, key string }{{"Grain", "kind.grain"}, {"LearningPath", "kind.path"},
	{"Training", "kind.training"}, {"Tool", "kind.tool"}}

// pathfinderView is the path finder page: the form and, once submitted,
// the path with each step explained, and the cells it cannot close.
type pathfinderView struct {
	Available  bool
	Frameworks []option
	Framework  string
	Rows       []pfRow
	TargetAll  []option
	Hours      string
	Kinds      []facetValueView
	Free       bool
	Remote     bool
	CloseMatch bool
	Places     []option
	Ignored    []ignoredParam
	Problems   []domain.FieldError
	Result     *pathResult
	Submitted  bool
	SaveAction string // where the save form posts: this page with its query
}

type pfRow struct {
	Link    Link
	ID      string
	Current []option
	Target  []option
	NameCur string
	NameTgt string
}

type pathResult struct {
	Summary     string
	Total       string
	Steps       []pathStep
	Uncovered   []uncoveredView
	Nothing     bool
	Optimal     bool
	Obligations []string
	Conflicts   []string
	Compatible  []Link
	Estimated   bool
}

type pathStep struct {
	Link     Link
	Kind     string
	Duration string
	Closes   []string
	Requires []string
	Why      string
}

type uncoveredView struct {
	Cell    string
	Reason  string
	Message string
}

// pathfinder answers /parcours/trouver.
func (s *Site) pathfinder(w http.ResponseWriter, r *http.Request, lang string) error {
	if len(r.URL.RawQuery) > MaxQueryBytes {
		return domain.Errorf("web.pathfinder", domain.KindInvalid, "%s", s.msgs.T(lang, "search.toolong", MaxQueryBytes))
	}
	pg := s.newPage(lang, "pathfinder", s.msgs.T(lang, "pathfinder.title"), pagePath(otherLang(lang), "pathfinder")+queryPart(r.URL.RawQuery))
	pg.Printable = true
	v := pathfinderView{Available: s.cfg.Paths != nil}
	q := r.URL.Query()
	req, submitted := s.parsePath(lang, q, &v)
	v.Submitted = submitted
	status := http.StatusOK
	if !v.Available {
		status = http.StatusServiceUnavailable
	} else if submitted {
		rec, err := s.cfg.Paths.Recommend(r.Context(), req)
		var de *domain.Error
		switch {
		case errors.As(err, &de) && de.Kind == domain.KindInvalid:
			v.Problems = de.Fields
			if len(v.Problems) == 0 {
				v.Problems = []domain.FieldError{{Message: de.Message}}
			}
		case err != nil:
			return err
		default:
			v.Result = s.pathResult(lang, rec)
			v.SaveAction = pagePath(lang, "pathfinder") + queryPart(r.URL.RawQuery)
		}
	}
	pg.Main = v
	return s.render(w, r, status, "pathfinder", pg)
}

// parsePath reads the form into a request and fills the form's view; the
// values it cannot read are dropped and listed. It reports whether a target
// was given (the form was submitted).
func (s *Site) parsePath(lang string, q url.Values, v *pathfinderView) (competency.RecommendRequest, bool) {
	ix := s.cfg.Directory.Index()
	req := competency.RecommendRequest{Current: map[string]competency.Level{}, Target: map[string]competency.Level{}, Lang: lang}
	ignore := func(param, value, key string) {
		v.Ignored = append(v.Ignored, ignoredParam{Param: param, Value: value, Reason: s.msgs.T(lang, key)})
	}
	fw := q.Get(pfFramework)
	if it := ix.Get(fw); fw != "" && (it == nil || !it.HasType(ontology.CompetencyFramework)) {
		ignore(s.msgs.T(lang, "coverage.framework"), fw, "coverage.unknown.framework")
		fw = ""
	}
	if fw == "" {
		fw = defaultFramework(ix)
	}
	v.Framework = fw
	for _, f := range ix.Collection(domain.Frameworks) {
		if f.HasType(ontology.CompetencyFramework) {
			v.Frameworks = append(v.Frameworks, option{Value: f.IRI, Label: f.Label(lang), Selected: f.IRI == fw})
		}
	}
	level := func(param, raw string) (int, bool) {
		if raw == "" {
			return 0, false
		}
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > 8 {
			ignore(param, raw, "pathfinder.bad.level")
			return 0, false
		}
		return n, true
	}
	all, hasAll := level(s.msgs.T(lang, "pathfinder.targetall"), q.Get(pfTargetAll))
	if hasAll && all > 0 {
		req.TargetFramework = &competency.FrameworkTarget{Framework: fw, Level: competency.Level{N: all}}
	}
	for i, c := range frameworkCompetencies(ix, fw) {
		label := c.Label(lang)
		if c.Notation != "" {
			label = c.Notation + " " + label
		}
		row := pfRow{Link: Link{Href: s.href(lang, c.IRI), Text: label}, ID: "c" + strconv.Itoa(i),
			NameCur: pfCurrent + c.IRI, NameTgt: pfTarget + c.IRI}
		cur, hasCur := level(s.msgs.T(lang, "pathfinder.current")+" — "+label, q.Get(row.NameCur))
		tgt, hasTgt := level(s.msgs.T(lang, "pathfinder.target")+" — "+label, q.Get(row.NameTgt))
		if hasCur && cur > 0 {
			req.Current[c.IRI] = competency.Level{N: cur}
		}
		if hasTgt && tgt > 0 {
			req.Target[c.IRI] = competency.Level{N: tgt}
		}
		row.Current, row.Target = levelOptions(lang, s, cur), levelOptions(lang, s, tgt)
		v.Rows = append(v.Rows, row)
	}
	v.TargetAll = levelOptions(lang, s, all)
	s.parseConstraints(lang, q, &req, v, ignore)
	return req, len(req.Target) > 0 || req.TargetFramework != nil
}

func (s *Site) parseConstraints(lang string, q url.Values, req *competency.RecommendRequest, v *pathfinderView, ignore func(string, string, string)) {
	ix := s.cfg.Directory.Index()
	if h := strings.TrimSpace(q.Get(pfMaxHours)); h != "" {
		n, err := strconv.Atoi(h)
		if err != nil || n <= 0 || n > maxHours {
			ignore(s.msgs.T(lang, "pathfinder.hours"), h, "pathfinder.bad.hours")
		} else {
			req.Constraints.MaxDuration = "PT" + strconv.Itoa(n) + "H"
			v.Hours = h
		}
	}
	for i, k := range pathKinds {
		checked := contains(q[pfKinds], k.name)
		if checked {
			req.Constraints.Kinds = append(req.Constraints.Kinds, k.name)
		}
		v.Kinds = append(v.Kinds, facetValueView{ID: "k" + strconv.Itoa(i), Name: pfKinds, Value: k.name, Label: s.msgs.T(lang, k.key), Checked: checked})
	}
	for _, k := range q[pfKinds] {
		known := false
		for _, pk := range pathKinds {
			known = known || pk.name == k
		}
		if !known {
			ignore(s.msgs.T(lang, "pathfinder.kinds"), k, "search.ignored.value")
		}
	}
	v.Free, req.Constraints.FreeOnly = q.Get(pfFree) == "1", q.Get(pfFree) == "1"
	v.Remote, req.Constraints.Remote = q.Get(pfRemote) == "1", q.Get(pfRemote) == "1"
	v.CloseMatch, req.CloseMatch = q.Get(pfCloseMatch) == "1", q.Get(pfCloseMatch) == "1"
	dep := strings.TrimSpace(q.Get(pfDepartement))
	if dep != "" {
		if iri := departementIRI(ix, dep); iri == "" {
			ignore(s.msgs.T(lang, "coverage.departement"), dep, "coverage.unknown.departement")
			dep = ""
		} else {
			req.Constraints.Departements = []string{iri}
		}
	}
	v.Places = []option{{Value: "", Label: s.msgs.T(lang, "coverage.all.places"), Selected: dep == ""}}
	for _, d := range ix.Concepts(departementScheme(ix)) {
		v.Places = append(v.Places, option{Value: d.Notation, Label: d.Notation + " — " + d.Label(lang), Selected: d.Notation == dep})
	}
}

// frameworkCompetencies returns the competencies (not areas) of a framework,
// in notation order, areas first then their members.
func frameworkCompetencies(ix *Index, fw string) []*Item {
	var out []*Item
	for _, c := range ix.Concepts(fw) {
		if c.HasType(ontology.Competency) || (!c.HasType(ontology.CompetencyArea) && len(ix.Narrower(c.IRI)) == 0) {
			out = append(out, c)
		}
	}
	return out
}

func levelOptions(lang string, s *Site, selected int) []option {
	out := []option{{Value: "", Label: s.msgs.T(lang, "pathfinder.level.none"), Selected: selected == 0}}
	for n := 1; n <= 8; n++ {
		out = append(out, option{Value: strconv.Itoa(n), Label: s.msgs.T(lang, "level.n", n), Selected: n == selected})
	}
	return out
}

func (s *Site) pathResult(lang string, rec *competency.Recommendation) *pathResult {
	ix := s.cfg.Directory.Index()
	res := &pathResult{Summary: rec.Summary, Nothing: rec.NothingToDo, Optimal: rec.Optimal,
		Estimated: len(rec.EstimatedDurations) > 0}
	if rec.TotalDuration != "" {
		res.Total = s.duration(lang, rec.TotalDuration)
	}
	cell := func(comp string, level int) string {
		name := comp
		if it := ix.Get(comp); it != nil {
			name = it.Label(lang)
			if it.Notation != "" {
				name = it.Notation + " " + name
			}
		}
		return s.msgs.T(lang, "pathfinder.cell", name, level)
	}
	for _, st := range rec.Steps {
		ps := pathStep{Link: Link{Href: s.href(lang, st.Resource), Text: st.Name}, Why: st.Why}
		if it := ix.Get(st.Resource); it != nil {
			ps.Link.Text = it.Label(lang)
			ps.Kind = strings.Join(s.kinds(lang, it), ", ")
		}
		if st.Duration != "" {
			ps.Duration = s.duration(lang, st.Duration)
		}
		for _, c := range st.Closes {
			ps.Closes = append(ps.Closes, cell(c.Competency, c.Level))
		}
		for _, p := range st.Requires {
			ps.Requires = append(ps.Requires, cell(p.Competency, p.Level))
		}
		res.Steps = append(res.Steps, ps)
	}
	for _, u := range rec.Uncovered {
		res.Uncovered = append(res.Uncovered, uncoveredView{Cell: cell(u.Competency, u.Level),
			Reason: s.msgs.T(lang, "pathfinder.reason."+u.Reason), Message: u.Message})
	}
	for _, o := range rec.Licence.Obligations {
		res.Obligations = append(res.Obligations, o.Message)
	}
	for _, c := range rec.Licence.Conflicts {
		res.Conflicts = append(res.Conflicts, c.Message)
	}
	for _, l := range rec.Licence.CompatibleLicences {
		if it := ix.Get(l); it != nil {
			res.Compatible = append(res.Compatible, Link{Href: s.href(lang, l), Text: it.Label(lang)})
		}
	}
	return res
}
