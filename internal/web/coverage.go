package web

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Coverager is the coverage service GET /coverage uses
// (internal/competency's View).
type Coverager interface {
	Coverage(ctx context.Context, req competency.CoverageRequest) (*competency.Coverage, error)
}

// Parameters of the coverage page (and of its CSV download).
const (
	paramFramework   = "referentiel"
	paramPublisher   = "editeur"
	paramDepartement = "departement"
	paramCloseMatch  = "rapprochements"
)

// coverageView is the coverage page: the form, the grid as a heat map with
// numbers, and the uncovered cells.
type coverageView struct {
	Available  bool
	Frameworks []option
	Publishers []option
	Places     []option
	CloseMatch bool
	Ignored    []ignoredParam
	Grid       *coverageGrid
	CSV        string
}

type coverageGrid struct {
	Title     string
	Scope     string
	Resources int
	Levels    []int
	Rows      []coverageRow
	Uncovered int
	Cells     int
	Max       int
}

type coverageRow struct {
	Link  Link
	Cells []coverageCell
}

type coverageCell struct {
	Count int
	Heat  int
	Gap   bool
	Label string
	Href  string
}

// coverageQuery is a parsed coverage request with what was dropped.
type coverageQuery struct {
	req     competency.CoverageRequest
	ignored []ignoredParam
	values  url.Values // the accepted parameters, for links
}

// parseCoverage reads the page's parameters: framework IRI (default: the
// first framework with levels), publisher IRI, département code or IRI, and
// rapprochements=1 to count closeMatch crosswalks. Unknown values are
// dropped and reported, never fatal.
func (s *Site) parseCoverage(lang string, values url.Values) coverageQuery {
	ix := s.cfg.Directory.Index()
	q := coverageQuery{values: url.Values{}}
	q.req.Lang = lang
	fw := strings.TrimSpace(values.Get(paramFramework))
	if fw != "" {
		if it := ix.Get(fw); it == nil || !it.HasType(ontology.CompetencyFramework) {
			q.ignored = append(q.ignored, ignoredParam{Param: s.msgs.T(lang, "coverage.framework"), Value: fw, Reason: s.msgs.T(lang, "coverage.unknown.framework")})
			fw = ""
		}
	}
	if fw == "" {
		fw = defaultFramework(ix)
	}
	q.req.Framework = fw
	q.values.Set(paramFramework, fw)
	if p := strings.TrimSpace(values.Get(paramPublisher)); p != "" {
		if it := ix.Get(p); it == nil || !it.HasType(ontology.Organization) {
			q.ignored = append(q.ignored, ignoredParam{Param: s.msgs.T(lang, "coverage.publisher"), Value: p, Reason: s.msgs.T(lang, "coverage.unknown.publisher")})
		} else {
			q.req.Scope.Publisher = p
			q.values.Set(paramPublisher, p)
		}
	}
	if d := strings.TrimSpace(values.Get(paramDepartement)); d != "" {
		if iri := departementIRI(ix, d); iri == "" {
			q.ignored = append(q.ignored, ignoredParam{Param: s.msgs.T(lang, "coverage.departement"), Value: d, Reason: s.msgs.T(lang, "coverage.unknown.departement")})
		} else {
			q.req.Scope.Departement = iri
			q.values.Set(paramDepartement, ix.Get(iri).Notation)
		}
	}
	switch v := values.Get(paramCloseMatch); v {
	case "", "0", "false":
	case "1", "true", "on":
		q.req.CloseMatch = true
		q.values.Set(paramCloseMatch, "1")
	default:
		q.ignored = append(q.ignored, ignoredParam{Param: s.msgs.T(lang, "coverage.closematch"), Value: v, Reason: s.msgs.T(lang, "coverage.bad.bool")})
	}
	return q
}

// defaultFramework is the first framework with a level scale (CRCN in the
// bundled data), else the first framework.
func defaultFramework(ix *Index) string {
	first := ""
	for _, f := range ix.Collection(domain.Frameworks) {
		if !f.HasType(ontology.CompetencyFramework) {
			continue
		}
		if f.Link(ontology.LevelScale) != "" && strings.HasSuffix(f.IRI, "/crcn") {
			return f.IRI
		}
		if first == "" {
			first = f.IRI
		}
	}
	return first
}

// departementIRI resolves a département code ("59", "2A") or IRI.
func departementIRI(ix *Index, d string) string {
	if it := ix.Get(d); it != nil && it.HasType(ontology.IndexTerm) {
		return d
	}
	for _, it := range ix.Collection(domain.Vocabulary) {
		if it.Notation == d && strings.Contains(it.Link(ontology.InScheme), "departements") {
			return it.IRI
		}
	}
	return ""
}

// coverage answers /couverture.
func (s *Site) coverage(w http.ResponseWriter, r *http.Request, lang string) error {
	pg := s.newPage(lang, "coverage", s.msgs.T(lang, "coverage.title"), pagePath(otherLang(lang), "coverage")+queryPart(r.URL.RawQuery))
	pg.Printable = true
	v := coverageView{Available: s.cfg.Coverage != nil}
	if len(r.URL.RawQuery) > MaxQueryBytes {
		return domain.Errorf("web.coverage", domain.KindInvalid, "%s", s.msgs.T(lang, "search.toolong", MaxQueryBytes))
	}
	q := s.parseCoverage(lang, r.URL.Query())
	v.Ignored, v.CloseMatch = q.ignored, q.req.CloseMatch
	s.coverageOptions(&v, lang, q)
	status := http.StatusOK
	if !v.Available {
		status = http.StatusServiceUnavailable
	} else if q.req.Framework != "" {
		cov, err := s.cfg.Coverage.Coverage(r.Context(), q.req)
		var de *domain.Error
		if errors.As(err, &de) && de.Kind == domain.KindInvalid {
			for _, f := range de.Fields {
				v.Ignored = append(v.Ignored, ignoredParam{Param: f.Path, Reason: f.Message})
			}
			err, cov = nil, nil
		}
		if err != nil {
			return err
		}
		if cov != nil {
			v.Grid = s.coverageGrid(lang, cov, q)
			v.CSV = pagePath(lang, "coverageCSV") + encode(q.values)
		}
	}
	pg.Main = v
	return s.render(w, r, status, "coverage", pg)
}

func (s *Site) coverageOptions(v *coverageView, lang string, q coverageQuery) {
	ix := s.cfg.Directory.Index()
	for _, f := range ix.Collection(domain.Frameworks) {
		if f.HasType(ontology.CompetencyFramework) {
			v.Frameworks = append(v.Frameworks, option{Value: f.IRI, Label: f.Label(lang), Selected: f.IRI == q.req.Framework})
		}
	}
	v.Publishers = []option{{Value: "", Label: s.msgs.T(lang, "coverage.all.publishers"), Selected: q.req.Scope.Publisher == ""}}
	for _, p := range ix.Collection(domain.Partners) {
		if p.HasType(ontology.Organization) && len(ix.ByPublisher(p.IRI)) > 0 {
			v.Publishers = append(v.Publishers, option{Value: p.IRI, Label: p.Label(lang), Selected: p.IRI == q.req.Scope.Publisher})
		}
	}
	v.Places = []option{{Value: "", Label: s.msgs.T(lang, "coverage.all.places"), Selected: q.req.Scope.Departement == ""}}
	for _, d := range ix.Concepts(departementScheme(ix)) {
		v.Places = append(v.Places, option{Value: d.Notation, Label: d.Notation + " — " + d.Label(lang), Selected: d.IRI == q.req.Scope.Departement})
	}
}

func departementScheme(ix *Index) string {
	for _, it := range ix.Collection(domain.Vocabulary) {
		if it.HasType(ontology.IndexVocabulary) && strings.HasSuffix(it.IRI, "/departements") {
			return it.IRI
		}
	}
	return ""
}

func (s *Site) coverageGrid(lang string, cov *competency.Coverage, q coverageQuery) *coverageGrid {
	ix := s.cfg.Directory.Index()
	g := &coverageGrid{Title: cov.FrameworkLabel, Resources: cov.ResourceCount, Uncovered: len(cov.Uncovered), Cells: len(cov.Cells)}
	if it := ix.Get(cov.Framework); it != nil {
		g.Title = it.Label(lang)
	}
	g.Scope = s.scopeText(lang, q.req.Scope)
	for l := 1; l <= cov.Levels; l++ {
		g.Levels = append(g.Levels, l)
	}
	byComp := map[string][]competency.Cell{}
	for _, c := range cov.Cells {
		byComp[c.Competency] = append(byComp[c.Competency], c)
		g.Max = max(g.Max, c.Count)
	}
	for _, c := range cov.Competencies {
		label := c.Label
		if c.Notation != "" {
			label = c.Notation + " " + label
		}
		row := coverageRow{Link: Link{Href: s.href(lang, c.IRI), Text: label}}
		for _, cell := range byComp[c.IRI] {
			row.Cells = append(row.Cells, coverageCell{Count: cell.Count, Heat: heat(cell.Count, g.Max), Gap: cell.Count == 0,
				Href:  s.href(lang, c.IRI) + "#niveau-" + strconv.Itoa(cell.Level),
				Label: s.msgs.N(lang, "grid.cell", cell.Count, label, cell.Level)})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

func (s *Site) scopeText(lang string, sc competency.Scope) string {
	ix := s.cfg.Directory.Index()
	var parts []string
	if it := ix.Get(sc.Publisher); it != nil {
		parts = append(parts, it.Label(lang))
	}
	if it := ix.Get(sc.Departement); it != nil {
		parts = append(parts, s.msgs.T(lang, "coverage.in", it.Label(lang)))
	}
	if len(parts) == 0 {
		return s.msgs.T(lang, "coverage.whole")
	}
	return strings.Join(parts, " — ")
}

// coverageCSV answers /couverture.csv: the grid as CSV, one row per
// competency, one column per level, for spreadsheets.
func (s *Site) coverageCSV(w http.ResponseWriter, r *http.Request, lang string) error {
	if s.cfg.Coverage == nil {
		return domain.Errorf("web.coverage", domain.KindUnavailable, "%s", s.msgs.T(lang, "coverage.unavailable"))
	}
	q := s.parseCoverage(lang, r.URL.Query())
	if len(q.ignored) > 0 {
		var fields []domain.FieldError
		for _, ig := range q.ignored {
			fields = append(fields, domain.FieldError{Path: ig.Param, Message: ig.Value + " : " + ig.Reason})
		}
		return &domain.Error{Op: "web.coverage", Kind: domain.KindInvalid, Message: s.msgs.T(lang, "coverage.csv.invalid"), Fields: fields}
	}
	cov, err := s.cfg.Coverage.Coverage(r.Context(), q.req)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="couverture.csv"`)
	cw := csv.NewWriter(w)
	head := []string{"competence", "notation", "libelle"}
	for l := 1; l <= cov.Levels; l++ {
		head = append(head, "niveau_"+strconv.Itoa(l))
	}
	_ = cw.Write(head)
	counts := map[string][]string{}
	for _, c := range cov.Cells {
		counts[c.Competency] = append(counts[c.Competency], strconv.Itoa(c.Count))
	}
	for _, c := range cov.Competencies {
		_ = cw.Write(append([]string{c.IRI, c.Notation, c.Label}, counts[c.IRI]...))
	}
	cw.Flush()
	return cw.Error()
}
