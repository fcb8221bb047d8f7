package httpapi

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// CompetencyService is what the HTTP layer needs for coverage and
// recommendations (/coverage, /recommendations); internal/competency's View
// implements it.
type CompetencyService interface {
	Coverage(ctx context.Context, req competency.CoverageRequest) (*competency.Coverage, error)
	CoverageDiff(ctx context.Context, req competency.DiffRequest) (*competency.Diff, error)
	Recommend(ctx context.Context, req competency.RecommendRequest) (*competency.Recommendation, error)
}

// coverageFormats are the representations of a coverage; JSON is the
// default.
var coverageFormats = []Format{
	{"json", "application/json"},
	{"jsonld", "application/ld+json"},
	{"csv", "text/csv"},
}

// diffFormats are the representations of a coverage diff.
var diffFormats = []Format{{"json", "application/json"}, {"csv", "text/csv"}}

// competencyRoutes registers the routes of coverage and recommendations.
func (s *Server) competencyRoutes(r *mux.Router) {
	r.HandleFunc("/coverage", s.coverage).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/coverage/diff", s.coverageDiff).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/recommendations", s.recommend).Methods(http.MethodPost)
	r.HandleFunc("/recommendations/parcours", s.saveParcours).Methods(http.MethodPost)
}

func (s *Server) competencyService() (CompetencyService, error) {
	if s.cfg.Competency == nil {
		return nil, domain.Errorf("http", domain.KindUnavailable, "coverage and recommendations are not available on this server")
	}
	return s.cfg.Competency, nil
}

// coverage answers GET /coverage?referentiel=&editeur=&departement=&resources=&closeMatch=
// in JSON, JSON-LD or CSV.
func (s *Server) coverage(w http.ResponseWriter, r *http.Request) {
	svc, p, f, err := s.coverageRequest(r, coverageFormats)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	req, err := competency.ParseCoverageQuery(r.URL.Query(), s.cat.BaseIRI())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	req.WithDrafts, req.Lang = !p.IsAnonymous(), language(r)
	cov, err := svc.Coverage(r.Context(), req)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	switch f.Name {
	case "csv":
		writeCSV(w, coverageCSV(cov))
	case "jsonld":
		writeJSONLD(w, s.coverageJSONLD(r, cov))
	default:
		writeJSON(w, http.StatusOK, cov)
	}
}

// coverageDiff answers GET /coverage/diff?referentiel=&a.…=&b.…= .
func (s *Server) coverageDiff(w http.ResponseWriter, r *http.Request) {
	svc, p, f, err := s.coverageRequest(r, diffFormats)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	req, err := competency.ParseDiffQuery(r.URL.Query(), s.cat.BaseIRI())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	req.WithDrafts, req.Lang = !p.IsAnonymous(), language(r)
	d, err := svc.CoverageDiff(r.Context(), req)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	switch f.Name {
	case "csv":
		writeCSV(w, diffCSV(d))
	default:
		writeJSON(w, http.StatusOK, d)
	}
}

func (s *Server) coverageRequest(r *http.Request, formats []Format) (CompetencyService, domain.Principal, Format, error) {
	svc, err := s.competencyService()
	if err != nil {
		return nil, domain.Anonymous, Format{}, err
	}
	p, err := s.principal(r)
	if err != nil {
		return nil, p, Format{}, err
	}
	f, err := negotiateFrom(r, formats)
	return svc, p, f, err
}

// coverageJSONLD renders a coverage as a trame:CoverageReport whose @id is
// the request, with an inline context whose keys are those of the JSON form
// and whose terms are declared in ontology/trame.ttl. It carries what the
// JSON carries: the framework (schema:educationalFramework), the number of
// resources in scope (trame:resourceCount), of levels (trame:levelCount),
// whether closeMatch counts (trame:countsCloseMatch), and the grid as
// schema:hasPart, each cell a schema:AlignmentObject (competency →
// schema:targetUrl, level → schema:educationalLevel) with its count
// (trame:coverageCount, 0 for an uncovered cell), the resources that cover
// it (trame:coveredBy) and, among them, those counted through a crosswalk
// (trame:coveredViaExactMatch, trame:coveredViaCloseMatch, sub-properties of
// trame:coveredBy). Labels and notations are the competencies' own, at their
// IRIs.
func (s *Server) coverageJSONLD(r *http.Request, c *competency.Coverage) map[string]any {
	cells := make([]map[string]any, len(c.Cells))
	for i, cell := range c.Cells {
		m := map[string]any{"@type": curie(ontology.AlignmentObject), "competency": cell.Competency, "level": cell.Level,
			"count": cell.Count, "resources": cell.Resources}
		if len(cell.ViaExactMatch) > 0 {
			m["viaExactMatch"] = cell.ViaExactMatch
		}
		if len(cell.ViaCloseMatch) > 0 {
			m["viaCloseMatch"] = cell.ViaCloseMatch
		}
		cells[i] = m
	}
	return map[string]any{
		"@context":      coverageContext,
		"@id":           s.cat.BaseIRI() + strings.TrimPrefix(r.URL.Path, "/") + "?" + withoutFormat(r),
		"@type":         curie(ontology.CoverageReport),
		"framework":     c.Framework,
		"closeMatch":    c.CloseMatch,
		"levels":        c.Levels,
		"resourceCount": c.ResourceCount,
		"cells":         cells,
	}
}

// coverageContext is the inline context of the JSON-LD coverage: the keys
// of the JSON form mapped to declared terms. Counts are
// xsd:nonNegativeInteger, as trame.ttl declares their range.
var coverageContext = map[string]any{
	"schema":        ontology.Schema,
	"trame":         ontology.NS,
	"xsd":           ontology.XSD,
	"framework":     term(ontology.EducationalFramework, "@id"),
	"closeMatch":    term(ontology.CountsCloseMatch, ""),
	"levels":        term(ontology.LevelCount, ontology.XSDNonNegativeInteger),
	"resourceCount": term(ontology.ResourceCount, ontology.XSDNonNegativeInteger),
	"cells":         term(ontology.HasPart, ""),
	"competency":    term(ontology.TargetURL, "@id"),
	"level":         term(ontology.EducationalLevel, ""),
	"count":         term(ontology.CoverageCount, ontology.XSDNonNegativeInteger),
	"resources":     term(ontology.CoveredBy, "@id"),
	"viaExactMatch": term(ontology.CoveredViaExactMatch, "@id"),
	"viaCloseMatch": term(ontology.CoveredViaCloseMatch, "@id"),
}

// term is a context term definition for iri, coerced to typ unless empty.
func term(iri, typ string) map[string]string {
	t := map[string]string{"@id": curie(iri)}
	if typ != "" {
		t["@type"] = curie(typ)
	}
	return t
}

// curie shortens iri with the prefixes of coverageContext.
func curie(iri string) string {
	for prefix, ns := range map[string]string{"schema": ontology.Schema, "trame": ontology.NS, "xsd": ontology.XSD} {
		if local, ok := strings.CutPrefix(iri, ns); ok {
			return prefix + ":" + local
		}
	}
	return iri
}

func withoutFormat(r *http.Request) string {
	q := r.URL.Query()
	q.Del("format")
	return q.Encode()
}

func coverageCSV(c *competency.Coverage) [][]string {
	labels := labelsOf(c.Competencies)
	rows := [][]string{{"competency", "notation", "label", "level", "count", "resources", "viaExactMatch", "viaCloseMatch"}}
	for _, cell := range c.Cells {
		l := labels[cell.Competency]
		rows = append(rows, []string{cell.Competency, l.Notation, l.Label, strconv.Itoa(cell.Level), strconv.Itoa(cell.Count),
			strings.Join(cell.Resources, " "), strings.Join(cell.ViaExactMatch, " "), strings.Join(cell.ViaCloseMatch, " ")})
	}
	return rows
}

func diffCSV(d *competency.Diff) [][]string {
	labels := labelsOf(d.Competencies)
	rows := [][]string{{"competency", "notation", "label", "level", "a", "b", "status", "fill"}}
	for _, cell := range d.Cells {
		l := labels[cell.Competency]
		rows = append(rows, []string{cell.Competency, l.Notation, l.Label, strconv.Itoa(cell.Level), strconv.Itoa(cell.A),
			strconv.Itoa(cell.B), cell.Status, strings.Join(cell.Fill, " ")})
	}
	return rows
}

func labelsOf(cs []competency.CompetencyRef) map[string]competency.CompetencyRef {
	out := make(map[string]competency.CompetencyRef, len(cs))
	for _, c := range cs {
		out[c.IRI] = c
	}
	return out
}

func writeCSV(w http.ResponseWriter, rows [][]string) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.WriteAll(rows)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

func writeJSONLD(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/ld+json")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // IRIs keep their & (the report's @id is a query)
	_ = enc.Encode(v)
}

// recommend answers POST /recommendations: anyone may compute a path;
// drafts are used only for callers with a token.
func (s *Server) recommend(w http.ResponseWriter, r *http.Request) {
	svc, err := s.competencyService()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p, err := s.principal(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	body, err := s.readBody(r, "a JSON recommendation request")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	req, err := competency.DecodeRecommendRequest(body, s.cat.BaseIRI())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	req.WithDrafts, req.Lang = !p.IsAnonymous(), language(r)
	rec, err := svc.Recommend(r.Context(), req)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

// saveParcours answers POST /recommendations/parcours (editor token): it
// computes the recommendation of the request in the body and writes it as
// a parcours through the catalog, validated and stored like any entity
// (?draft=true writes a draft).
func (s *Server) saveParcours(w http.ResponseWriter, r *http.Request) {
	svc, err := s.competencyService()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p, draft, body, err := s.writeInput(r, "a JSON recommendation request")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	save, err := competency.DecodeSaveRequest(body, s.cat.BaseIRI())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	save.Request.WithDrafts, save.Request.Lang = true, language(r)
	rec, err := svc.Recommend(r.Context(), save.Request)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	doc, err := rec.ParcoursDocument(save.Name, save.Description, time.Now(), s.cat.BaseIRI())
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	recs, err := s.cat.Write(r.Context(), p, catalog.WriteRequest{Body: doc, Collection: domain.Paths, Draft: draft, Lang: language(r)})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("ETag", recs[0].ETag)
	w.Header().Set("Location", locationOf(s, recs[0].IRI))
	writeJSON(w, http.StatusCreated, map[string]any{"id": recs[0].IRI, "version": recs[0].Version, "etag": recs[0].ETag,
		"draft": recs[0].Draft, "recommendation": rec})
}
