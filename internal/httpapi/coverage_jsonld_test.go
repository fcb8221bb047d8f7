package httpapi_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/ontology"
)

// newCompetencyStack is newStack with the competency view wired in and the
// bundled sample catalogue loaded after the reference data, so that coverage
// has resources, crosswalked alignments and gaps to report.
func newCompetencyStack(t *testing.T) (*stack, string) {
	t.Helper()
	srv, base := testServer()
	cv := competency.New(competency.Config{BaseIRI: base, ProfileFramework: base + "frameworks/crcn"})
	c := catalogtest.New(t, catalogtest.Options{Base: base, Sets: []bundled.Set{bundled.Reference, bundled.Sample}, Views: []domain.View{cv}})
	serve(t, srv, httpapi.Config{Catalog: c.Catalog, AdminToken: adminToken, MaxBody: 64 << 10, Competency: cv})
	return &stack{srv: srv, cat: c.Catalog, graph: c.Graph, st: c.Store}, base
}

// rdfCell is a cell of the JSON-LD coverage read back from its triples.
type rdfCell struct {
	types, competency, level, count []domain.Term
	coveredBy, viaExact, viaClose   []string
}

// readCoverageJSONLD parses a JSON-LD coverage with the codec (offline; the
// context is inline) and returns the report's triples by predicate and its
// cells by blank node, failing on any triple about something else.
func readCoverageJSONLD(t *testing.T, base, body string) (string, map[string][]domain.Term, map[string]*rdfCell) {
	t.Helper()
	ents, err := jsonld.New(base).Decode([]byte(body), nil)
	if err != nil || len(ents) != 1 {
		t.Fatalf("the JSON-LD does not decode to one report: %v (%d entities)\n%.400s", err, len(ents), body)
	}
	report, top, cells := ents[0].IRI, map[string][]domain.Term{}, map[string]*rdfCell{}
	iris := func(ts []string, o domain.Term) []string {
		if !o.IsIRI() {
			t.Errorf("a resource of a cell is not an IRI: %v", o)
		}
		return append(ts, o.Value)
	}
	for _, tr := range ents[0].Triples {
		if tr.S.IsIRI() && tr.S.Value == report {
			top[tr.P.Value] = append(top[tr.P.Value], tr.O)
			continue
		}
		if !tr.S.IsBlank() {
			t.Errorf("the answer states something about %s: only the report and its cells are its subjects", tr.S.Value)
			continue
		}
		c := cells[tr.S.Value]
		if c == nil {
			c = &rdfCell{}
			cells[tr.S.Value] = c
		}
		switch tr.P.Value {
		case ontology.Type:
			c.types = append(c.types, tr.O)
		case ontology.TargetURL:
			c.competency = append(c.competency, tr.O)
		case ontology.EducationalLevel:
			c.level = append(c.level, tr.O)
		case ontology.CoverageCount:
			c.count = append(c.count, tr.O)
		case ontology.CoveredBy:
			c.coveredBy = iris(c.coveredBy, tr.O)
		case ontology.CoveredViaExactMatch:
			c.viaExact = iris(c.viaExact, tr.O)
		case ontology.CoveredViaCloseMatch:
			c.viaClose = iris(c.viaClose, tr.O)
		default:
			t.Errorf("a cell has an unexpected property %s", tr.P.Value)
		}
	}
	return report, top, cells
}

// nonNegative checks that ts is one xsd:nonNegativeInteger literal of value
// want.
func nonNegative(t *testing.T, what string, ts []domain.Term, want int) {
	t.Helper()
	if len(ts) != 1 || !ts[0].IsLiteral() || ts[0].Datatype != ontology.XSDNonNegativeInteger || ts[0].Value != strconv.Itoa(want) {
		t.Errorf("%s: %v, want one %d^^xsd:nonNegativeInteger", what, ts, want)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// The JSON-LD coverage carries what the JSON carries for the same request:
// read back as triples, the report has the framework, the resources in
// scope, the number of levels and whether closeMatch counts; every cell of
// the JSON is a schema:AlignmentObject with the same count (0, and no
// resource, for an uncovered one), the same covering resources and the same
// exactMatch and closeMatch marks. The answer says nothing about the
// resources themselves.
func TestCoverageJSONLDCarriesTheCountsAndMarksOfTheJSON(t *testing.T) {
	s, base := newCompetencyStack(t)
	digcomp := url.QueryEscape("http://data.europa.eu/esco/concept-scheme/digcomp")
	var exact, close, uncovered int
	for _, q := range []string{
		"referentiel=frameworks/crcn",
		"referentiel=frameworks/crcn&editeur=partners/la-mednum",
		"referentiel=" + digcomp,
		"referentiel=" + digcomp + "&closeMatch=true",
	} {
		resp, body := s.do(t, "GET", "/coverage?"+q, "", nil)
		var cov competency.Coverage
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &cov) != nil {
			t.Fatalf("%s: JSON %d %.300s", q, resp.StatusCode, body)
		}
		resp, body = s.do(t, "GET", "/coverage?"+q+"&format=jsonld", "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/ld+json" {
			t.Fatalf("%s: JSON-LD %d %s", q, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		report, top, cells := readCoverageJSONLD(t, base, body)

		if !strings.HasPrefix(report, base+"coverage?") || strings.Contains(report, "format=") {
			t.Errorf("%s: the report is %s, want the request without its format", q, report)
		}
		if len(top[ontology.Type]) != 1 || top[ontology.Type][0].Value != ontology.CoverageReport {
			t.Errorf("%s: report types %v", q, top[ontology.Type])
		}
		if fw := top[ontology.EducationalFramework]; len(fw) != 1 || fw[0].Value != cov.Framework || !fw[0].IsIRI() {
			t.Errorf("%s: framework %v, want %s", q, fw, cov.Framework)
		}
		nonNegative(t, q+": resourceCount", top[ontology.ResourceCount], cov.ResourceCount)
		nonNegative(t, q+": levelCount", top[ontology.LevelCount], cov.Levels)
		if cm := top[ontology.CountsCloseMatch]; len(cm) != 1 || cm[0].Datatype != ontology.XSDBoolean || cm[0].Value != strconv.FormatBool(cov.CloseMatch) {
			t.Errorf("%s: countsCloseMatch %v, want %v", q, cm, cov.CloseMatch)
		}

		// Every cell of the JSON is a part of the report, and nothing else is.
		byKey := map[string]*rdfCell{}
		for _, part := range top[ontology.HasPart] {
			c := cells[part.Value]
			if c == nil || len(c.competency) != 1 || len(c.level) != 1 {
				t.Fatalf("%s: part %v is not a cell with one competency and one level", q, part)
			}
			if len(c.types) != 1 || c.types[0].Value != ontology.AlignmentObject {
				t.Errorf("%s: cell types %v", q, c.types)
			}
			byKey[c.competency[0].Value+" "+c.level[0].Value] = c
		}
		if len(top[ontology.HasPart]) != len(cov.Cells) || len(cells) != len(cov.Cells) || len(byKey) != len(cov.Cells) {
			t.Fatalf("%s: %d parts, %d cells read, %d distinct, want %d cells", q, len(top[ontology.HasPart]), len(cells), len(byKey), len(cov.Cells))
		}
		gaps := map[string]bool{}
		for _, u := range cov.Uncovered {
			gaps[u.Competency+" "+strconv.Itoa(u.Level)] = true
		}
		for _, want := range cov.Cells {
			key := want.Competency + " " + strconv.Itoa(want.Level)
			got := byKey[key]
			if got == nil {
				t.Errorf("%s: cell %s is missing from the JSON-LD", q, key)
				continue
			}
			nonNegative(t, q+": count of "+key, got.count, want.Count)
			if gaps[key] != (want.Count == 0) || (want.Count == 0 && len(got.coveredBy) != 0) {
				t.Errorf("%s: cell %s: uncovered %v, count %d, %d resources", q, key, gaps[key], want.Count, len(got.coveredBy))
			}
			if !sameSet(got.coveredBy, want.Resources) || !sameSet(got.viaExact, want.ViaExactMatch) || !sameSet(got.viaClose, want.ViaCloseMatch) {
				t.Errorf("%s: cell %s: the JSON-LD lists %d resources (%d via exactMatch, %d via closeMatch), the JSON %d (%d, %d), or others",
					q, key, len(got.coveredBy), len(got.viaExact), len(got.viaClose), len(want.Resources), len(want.ViaExactMatch), len(want.ViaCloseMatch))
			}
			for _, r := range append(slices.Clone(got.viaExact), got.viaClose...) {
				if !slices.Contains(got.coveredBy, r) {
					t.Errorf("%s: cell %s marks %s without listing it with trame:coveredBy", q, key, r)
				}
			}
			exact, close = exact+len(got.viaExact), close+len(got.viaClose)
		}
		uncovered += len(cov.Uncovered)
	}
	t.Logf("marks: %d exact, %d close, %d uncovered", exact, close, uncovered)
	// The requests must exercise every kind of mark, or the test proves little.
	if exact == 0 || close == 0 || uncovered == 0 {
		t.Fatalf("the requests gave %d exactMatch marks, %d closeMatch marks, %d uncovered cells: each should be > 0", exact, close, uncovered)
	}
}
