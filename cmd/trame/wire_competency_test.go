package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/httpapi"
)

// The competency surface end to end: badger on disk, every view, the
// catalog with the bundled reference data and sample catalogue, and the HTTP
// API, as `trame serve` wires them.

const e2eToken = "e2e-admin-token"

type e2e struct {
	t   *testing.T
	a   *app
	srv *httptest.Server
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	a, err := openApp(&config{Data: t.TempDir(), BaseIRI: benchBase}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.close() })
	if err := a.boot(context.Background(), true, quiet); err != nil {
		t.Fatal(err)
	}
	a.api.AdminToken, a.api.Logger = e2eToken, quiet
	srv := httptest.NewServer(httpapi.New(a.api))
	t.Cleanup(srv.Close)
	return &e2e{t: t, a: a, srv: srv}
}

// do sends a request; token adds the admin bearer token.
func (e *e2e) do(method, path, body, accept string, token bool) (int, http.Header, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if token {
		req.Header.Set("Authorization", "Bearer "+e2eToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (e *e2e) json(method, path, body string, token bool, want int, v any) {
	e.t.Helper()
	code, _, out := e.do(method, path, body, "", token)
	if code != want {
		e.t.Fatalf("%s %s: %d, want %d: %s", method, path, code, want, out)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(out), v); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, out)
		}
	}
}

// problem checks an RFC 9457 answer with a status and field errors.
func (e *e2e) problem(method, path, body string, want int) httpapi.Problem {
	e.t.Helper()
	code, h, out := e.do(method, path, body, "", false)
	var p httpapi.Problem
	if code != want || h.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(out), &p) != nil {
		e.t.Fatalf("%s %s: %d %s, want a %d problem: %s", method, path, code, h.Get("Content-Type"), want, out)
	}
	return p
}

func TestCoverageOfTheBundledFrameworksThroughTheAPI(t *testing.T) {
	e := newE2E(t)
	var cov competency.Coverage
	e.json("GET", "/coverage?referentiel=frameworks/crcn", "", false, 200, &cov)
	if len(cov.Competencies) != 16 || len(cov.Cells) != 16*8 || cov.ResourceCount < 200 {
		t.Fatalf("CRCN grid: %d competencies, %d cells, %d resources", len(cov.Competencies), len(cov.Cells), cov.ResourceCount)
	}
	covered := 0
	for _, c := range cov.Cells {
		if c.Count > 0 {
			covered++
		}
		if c.Count != len(c.Resources) {
			t.Fatalf("count %d of %d resources", c.Count, len(c.Resources))
		}
	}
	if covered == 0 || covered+len(cov.Uncovered) != len(cov.Cells) {
		t.Fatalf("%d covered, %d uncovered of %d", covered, len(cov.Uncovered), len(cov.Cells))
	}
	// An organisation's offer is a subset of the Commun's.
	var org competency.Coverage
	e.json("GET", "/coverage?referentiel=frameworks/crcn&editeur=partners/la-mednum", "", false, 200, &org)
	if org.ResourceCount == 0 || org.ResourceCount >= cov.ResourceCount {
		t.Fatalf("la-mednum has %d of %d resources", org.ResourceCount, cov.ResourceCount)
	}
	// DigComp is covered by CRCN-aligned resources through the exactMatch crosswalk.
	var dc competency.Coverage
	e.json("GET", "/coverage?referentiel="+url.QueryEscape("http://data.europa.eu/esco/concept-scheme/digcomp"), "", false, 200, &dc)
	via := 0
	for _, c := range dc.Cells {
		via += len(c.ViaExactMatch) + len(c.ViaCloseMatch)
	}
	if len(dc.Competencies) != 21 || via == 0 {
		t.Fatalf("DigComp: %d competencies, %d crosswalked counts", len(dc.Competencies), via)
	}
	var dcClose competency.Coverage
	e.json("GET", "/coverage?closeMatch=true&referentiel="+url.QueryEscape("http://data.europa.eu/esco/concept-scheme/digcomp"), "", false, 200, &dcClose)
	closeN := 0
	for _, c := range dcClose.Cells {
		closeN += len(c.ViaCloseMatch)
	}
	if closeN == 0 || !dcClose.CloseMatch {
		t.Fatal("closeMatch=true counts (and marks) closeMatch alignments")
	}
	// A territory against the national offer.
	var d competency.Diff
	e.json("GET", "/coverage/diff?referentiel=frameworks/crcn&a.departement=59", "", false, 200, &d)
	if len(d.OnlyB) == 0 || len(d.OnlyA) != 0 || len(d.Cells) != 128 {
		t.Fatalf("diff 59 / Commun: onlyA %d onlyB %d cells %d", len(d.OnlyA), len(d.OnlyB), len(d.Cells))
	}
}

func TestCoverageFormats(t *testing.T) {
	e := newE2E(t)
	code, h, body := e.do("GET", "/coverage?referentiel=frameworks/crcn&format=csv", "", "", false)
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || err != nil || len(rows) != 1+128 || rows[0][0] != "competency" {
		t.Fatalf("CSV: %d %s %v %d rows", code, h.Get("Content-Type"), err, len(rows))
	}
	code, h, body = e.do("GET", "/coverage?referentiel=frameworks/crcn&editeur=partners/pix", "", "application/ld+json", false)
	if code != 200 || h.Get("Content-Type") != "application/ld+json" {
		t.Fatalf("JSON-LD: %d %s", code, h.Get("Content-Type"))
	}
	// The JSON-LD maps its keys to declared terms: cells are alignment
	// objects (competency, level) the covering resources point to.
	var doc struct {
		Context map[string]any `json:"@context"`
		ID      string         `json:"@id"`
		Cells   []struct {
			Type       string `json:"@type"`
			Competency string
			Level      int
			Resources  []string
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || len(doc.Cells) != 128 || doc.Cells[0].Type != "schema:AlignmentObject" ||
		!strings.Contains(doc.ID, "coverage?") {
		t.Fatalf("JSON-LD: %v %s", err, body[:min(len(body), 400)])
	}
	for _, term := range []string{"framework", "cells", "competency", "level", "resources"} {
		if doc.Context[term] == nil {
			t.Errorf("the context does not map %q", term)
		}
	}
	e.problem("GET", "/coverage?referentiel=frameworks/crcn&format=xml", "", 406)
	e.problem("GET", "/coverage/diff?referentiel=frameworks/crcn&format=jsonld", "", 406)
	code, _, _ = e.do("GET", "/coverage?referentiel=frameworks/crcn", "", "text/csv", false)
	if code != 200 {
		t.Fatalf("Accept: text/csv: %d", code)
	}
}

func TestCoverageBadInputGetsClearErrors(t *testing.T) {
	e := newE2E(t)
	for _, path := range []string{
		"/coverage", "/coverage?referentiel=frameworks/nope", "/coverage?referentiel=competencies/crcn-1.1",
		"/coverage?referentiel=frameworks/crcn&editeur=partners/nobody", "/coverage?referentiel=frameworks/crcn&departement=999",
		"/coverage?referentiel=frameworks/crcn&resources=resources/nope", "/coverage?referentiel=frameworks/crcn&closeMatch=perhaps",
		"/coverage?referentiel=frameworks/crcn&editor=partners/pix", "/coverage/diff?referentiel=frameworks/crcn&c.editeur=partners/pix",
	} {
		if p := e.problem("GET", path, "", 400); len(p.Errors) == 0 || p.Detail == "" {
			t.Errorf("%s: a 400 must say what is wrong: %+v", path, p)
		}
	}
}

// recommendation is the JSON answer, as a client reads it.
type recommendation struct {
	Steps []struct {
		Resource string
		Closes   []struct {
			Competency string
			Level      int
		}
		Requires []struct {
			Competency string
			Level      int
			MetByStep  int
		}
		Why string
	}
	Uncovered     []struct{ Competency, Reason string }
	TotalDuration string
	Optimal       bool
	Method        string
	Gap           []struct{ Competency string }
	NothingToDo   bool
	Licence       struct {
		Obligations []struct{ Kind string }
		Conflicts   []struct{ Kind string }
	}
}

func TestRecommendationFromAPixProfileToACRCNLevel(t *testing.T) {
	e := newE2E(t)
	body := `{"profile": {"levels": {"1.1": 2, "1.2": 1, "2.1": 3, "3.1": 1, "4.1": 2}},
	          "targetFramework": {"framework": "frameworks/crcn", "level": 3}}`
	var rec recommendation
	e.json("POST", "/recommendations", body, false, 200, &rec)
	if len(rec.Steps) == 0 || len(rec.Gap) == 0 || rec.TotalDuration == "" || rec.Method == "" {
		t.Fatalf("%+v", rec)
	}
	closed := map[string]int{}
	for i, s := range rec.Steps {
		if s.Why == "" {
			t.Fatalf("step %d is not explained", i+1)
		}
		for _, r := range s.Requires {
			if r.MetByStep < 0 || r.MetByStep > i {
				t.Fatalf("step %d requires %s/%d met by step %d", i+1, r.Competency, r.Level, r.MetByStep)
			}
		}
		for _, c := range s.Closes {
			closed[fmt.Sprintf("%s/%d", c.Competency, c.Level)]++
		}
	}
	if len(closed)+len(rec.Uncovered) != len(rec.Gap) {
		t.Fatalf("every gap cell is closed once or listed: %d closed + %d uncovered ≠ %d", len(closed), len(rec.Uncovered), len(rec.Gap))
	}
	var again recommendation
	e.json("POST", "/recommendations", body, false, 200, &again)
	if !reflect.DeepEqual(rec, again) {
		t.Fatal("the same request gave two paths")
	}
	// Only resources reusable under CC BY-SA: no BY-NC-SA step.
	var sa recommendation
	e.json("POST", "/recommendations", strings.Replace(body, `"targetFramework"`,
		`"constraints": {"reusableUnder": "https://creativecommons.org/licenses/by-sa/4.0/"}, "targetFramework"`, 1), false, 200, &sa)
	for _, c := range sa.Licence.Conflicts {
		t.Fatalf("a BY-SA-compatible path has a licence conflict: %s", c.Kind)
	}
	// A target below the current levels: nothing to do, not an error.
	var none recommendation
	e.json("POST", "/recommendations", `{"current": {"competencies/crcn-1.1": 5}, "target": {"competencies/crcn-1.1": 2}}`, false, 200, &none)
	if !none.NothingToDo || len(none.Steps) != 0 {
		t.Fatalf("%+v", none)
	}
	// Impossible constraints: answered with what can and cannot be closed.
	var tight recommendation
	e.json("POST", "/recommendations", `{"target": {"competencies/crcn-1.1": 6, "competencies/crcn-4.1": 6}, "constraints": {"maxDuration": "PT1H", "kinds": ["Grain"]}}`, false, 200, &tight)
	if len(tight.Uncovered) == 0 {
		t.Fatalf("%+v", tight)
	}
}

func TestRecommendationBadInputGetsClearErrors(t *testing.T) {
	e := newE2E(t)
	for name, body := range map[string]string{
		"unknown competency": `{"target": {"competencies/crcn-9.9": 3}}`,
		"unknown framework":  `{"targetFramework": {"framework": "frameworks/nope", "level": 3}}`,
		"unknown level":      `{"target": {"competencies/crcn-1.1": 12}}`,
		"unknown level IRI":  `{"target": {"competencies/crcn-1.1": "levels/12"}}`,
		"malformed profile":  `{"profile": {"levels": {"1.1": "trois"}}, "target": {"competencies/crcn-1.1": 3}}`,
		"profile notation":   `{"profile": {"levels": {"7.7": 3}}, "target": {"competencies/crcn-1.1": 3}}`,
		"not JSON":           `{"target":`,
		"501 entries":        tooMany(501),
	} {
		if p := e.problem("POST", "/recommendations", body, 400); len(p.Errors) == 0 {
			t.Errorf("%s: a 400 must list the errors: %+v", name, p)
		}
	}
	// An absurd profile is refused with the limit named.
	if p := e.problem("POST", "/recommendations", tooMany(100_000), 400); len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "at most 500") {
		t.Errorf("the size limit must be named: %+v", p)
	}
}

func tooMany(n int) string {
	var b strings.Builder
	b.WriteString(`{"target": {"competencies/crcn-1.1": 3}, "profile": {"levels": {`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":1`, i)
	}
	b.WriteString("}}}")
	return b.String()
}

// The public write contract of DESIGN.md: a framework posted as plain SKOS
// works for coverage and recommendations like the bundled ones.
func TestAFrameworkPostedThroughTheWriteContract(t *testing.T) {
	e := newE2E(t)
	docs := []struct{ path, body string }{
		{"/frameworks", `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"},
 "@id": "https://example.org/ref/demo", "@type": "skos:ConceptScheme",
 "skos:prefLabel": {"@value": "Référentiel de démonstration", "@language": "fr"}}`},
		{"/competencies", `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"},
 "@id": "https://example.org/ref/demo/c1", "@type": "skos:Concept",
 "skos:inScheme": {"@id": "https://example.org/ref/demo"}, "skos:notation": "1",
 "skos:prefLabel": {"@value": "Rechercher de l'information", "@language": "fr"}}`},
		{"/competencies", `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#", "trame": "https://w3id.org/trame/ns#"},
 "@id": "https://example.org/ref/demo/c2", "@type": "skos:Concept",
 "skos:inScheme": {"@id": "https://example.org/ref/demo"}, "skos:notation": "2",
 "trame:prerequisite": {"@id": "https://example.org/ref/demo/c1"},
 "skos:prefLabel": {"@value": "Évaluer l'information", "@language": "fr"}}`},
		{"/resources", `{"@context": {"@vocab": "https://schema.org/"},
 "@type": "LearningResource", "name": "Atelier recherche en ligne",
 "description": "Deux heures pour apprendre à formuler une requête.",
 "license": {"@id": "https://creativecommons.org/licenses/by-sa/4.0/"},
 "timeRequired": "PT2H", "inLanguage": "fr",
 "educationalAlignment": [
   {"@type": "AlignmentObject", "alignmentType": "teaches",
    "targetUrl": {"@id": "https://example.org/ref/demo/c1"}, "educationalLevel": 3},
   {"@type": "AlignmentObject", "alignmentType": "requires",
    "targetUrl": {"@id": "https://example.org/ref/demo/c1"}, "educationalLevel": 1}]}`},
		{"/resources", `{"@context": {"@vocab": "https://schema.org/"},
 "@type": "LearningResource", "name": "Évaluer une source",
 "timeRequired": "PT90M",
 "educationalAlignment": [{"@type": "AlignmentObject", "alignmentType": "teaches",
    "targetUrl": {"@id": "https://example.org/ref/demo/c2"}, "educationalLevel": 4}]}`},
	}
	for _, d := range docs {
		e.json("POST", d.path, d.body, true, 201, nil)
	}
	var cov competency.Coverage
	e.json("GET", "/coverage?referentiel="+url.QueryEscape("https://example.org/ref/demo"), "", false, 200, &cov)
	if len(cov.Cells) != 16 || cov.Cells[2].Count != 1 || cov.Cells[3].Count != 0 {
		t.Fatalf("demo grid: %+v", cov.Cells[:4])
	}
	var rec recommendation
	e.json("POST", "/recommendations", `{"current": {"https://example.org/ref/demo/c1": 1}, "target": {"https://example.org/ref/demo/c2": 4}}`, false, 200, &rec)
	if len(rec.Steps) != 2 || !rec.Optimal || rec.TotalDuration != "PT3H30M" {
		t.Fatalf("c2 level 4 needs c1 level 3 first (trame:prerequisite): %+v", rec)
	}
	if r := rec.Steps[1].Requires; len(r) != 1 || r[0].MetByStep != 1 || r[0].Level != 3 {
		t.Fatalf("%+v", rec.Steps[1])
	}
	// Prerequisite cycles are refused at write time.
	code, _, body := e.do("PUT", "/competencies/demo-cycle-a", `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#", "trame": "https://w3id.org/trame/ns#"},
 "@type": "skos:Concept", "skos:inScheme": {"@id": "https://example.org/ref/demo"},
 "skos:prefLabel": {"@value": "A", "@language": "fr"}, "trame:prerequisite": {"@id": "https://example.org/ref/demo/c2"}}`, "", true)
	if code != 201 {
		t.Fatalf("%d %s", code, body)
	}
	e.json("POST", "/competencies", `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#", "trame": "https://w3id.org/trame/ns#"},
 "@id": "https://example.org/ref/demo/c3", "@type": "skos:Concept", "skos:inScheme": {"@id": "https://example.org/ref/demo"},
 "skos:prefLabel": {"@value": "C", "@language": "fr"}, "trame:prerequisite": {"@id": "`+benchBase+`competencies/demo-cycle-a"}}`, true, 201, nil)
	code, _, body = e.do("PUT", "/competencies/demo-cycle-a", `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#", "trame": "https://w3id.org/trame/ns#"},
 "@type": "skos:Concept", "skos:inScheme": {"@id": "https://example.org/ref/demo"},
 "skos:prefLabel": {"@value": "A", "@language": "fr"}, "trame:prerequisite": {"@id": "https://example.org/ref/demo/c3"}}`, "", true)
	if code != 400 || !strings.Contains(body, "cycle") {
		t.Fatalf("a prerequisite cycle must be refused: %d %s", code, body)
	}
}

func TestSaveARecommendationAsAParcours(t *testing.T) {
	e := newE2E(t)
	save := `{"name": "Mon parcours recherche", "request": {"current": {"competencies/crcn-1.1": 1}, "target": {"competencies/crcn-1.1": 4}}}`
	e.problem("POST", "/recommendations/parcours", save, 401)
	code, h, body := e.do("POST", "/recommendations/parcours?draft=true", save, "", true)
	if code != 201 || h.Get("Location") == "" {
		t.Fatalf("%d %s", code, body)
	}
	var out struct {
		ID             string
		Draft          bool
		Recommendation recommendation
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || !out.Draft || len(out.Recommendation.Steps) == 0 {
		t.Fatalf("%v %s", err, body)
	}
	path := strings.TrimPrefix(out.ID, benchBase)
	if code, _, _ := e.do("GET", "/"+path, "", "", false); code != 404 {
		t.Fatalf("a draft parcours is invisible to anonymous readers: %d", code)
	}
	code, _, doc := e.do("GET", "/"+path+"?format=jsonld", "", "", true)
	if code != 200 {
		t.Fatalf("%d %s", code, doc)
	}
	for _, want := range []string{"hasPart", "generatedAtTime", "wasAttributedTo", "Parcours calculé par Trame", out.Recommendation.Steps[0].Resource} {
		if !strings.Contains(doc, want) {
			t.Errorf("the saved parcours lacks %q:\n%s", want, doc)
		}
	}
	e.problem("POST", "/recommendations/parcours", `{"request": {"target": {"competencies/crcn-1.1": 2}}}`, 401)
	code, _, body = e.do("POST", "/recommendations/parcours", `{"name": "", "request": {"target": {"competencies/crcn-1.1": 2}}}`, "", true)
	if code != 400 {
		t.Fatalf("a parcours needs a name: %d %s", code, body)
	}
}

func TestDraftsNeverCountForAnonymousCallers(t *testing.T) {
	e := newE2E(t)
	e.json("POST", "/resources?draft=true", `{"@context": {"@vocab": "https://schema.org/"},
 "@type": "LearningResource", "name": "Brouillon expert", "timeRequired": "PT1H",
 "educationalAlignment": [{"@type": "AlignmentObject", "alignmentType": "teaches",
   "targetUrl": {"@id": "`+benchBase+`competencies/crcn-5.1"}, "educationalLevel": 8}]}`, true, 201, nil)
	level8 := func(token bool) int {
		code, _, body := e.do("GET", "/coverage?referentiel=frameworks/crcn", "", "", token)
		var cov competency.Coverage
		if code != 200 || json.Unmarshal([]byte(body), &cov) != nil {
			t.Fatalf("%d %s", code, body)
		}
		for _, c := range cov.Cells {
			if c.Competency == benchBase+"competencies/crcn-5.1" && c.Level == 8 {
				return c.Count
			}
		}
		return -1
	}
	anon, editor := level8(false), level8(true)
	if editor != anon+1 {
		t.Fatalf("the draft counts for editors only: anonymous %d, editor %d", anon, editor)
	}
}
