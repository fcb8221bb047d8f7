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

// coverageJSONLD renders a coverage as JSON-LD with an inline context
// mapping to schema.org: the grid is schema:hasPart of the answer (whose
// @id is the request), each cell a schema:AlignmentObject (competency →
// schema:targetUrl, level → schema:educationalLevel) that the covering
// resources point to with schema:educationalAlignment. Counts and crosswalk
// marks, which no standard term carries, are in the JSON and CSV forms.
func (s *Server) coverageJSONLD(r *http.Request, c *competency.Coverage) map[string]any {
	cells := make([]map[string]any, len(c.Cells))
	for i, cell := range c.Cells {
		cells[i] = map[string]any{"@type": "schema:AlignmentObject", "competency": cell.Competency, "level": cell.Level,
			"resources": cell.Resources}
	}
	return map[string]any{
		"@context": map[string]any{
			"schema":     ontology.Schema,
			"framework":  map[string]string{"@id": "schema:educationalFramework", "@type": "@id"},
			"cells":      map[string]string{"@id": "schema:hasPart"},
			"competency": map[string]string{"@id": "schema:targetUrl", "@type": "@id"},
			"level":      map[string]string{"@id": "schema:educationalLevel"},
			"resources":  map[string]string{"@reverse": "schema:educationalAlignment", "@type": "@id"},
		},
		"@id":       s.cat.BaseIRI() + strings.TrimPrefix(r.URL.Path, "/") + "?" + withoutFormat(r),
		"framework": c.Framework,
		"cells":     cells,
	}
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
