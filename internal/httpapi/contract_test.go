package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The public write contract of DESIGN.md, verbatim: each document is
// accepted by a POST to its collection.
const (
	demoScheme = `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"},
 "@id": "https://example.org/ref/demo", "@type": "skos:ConceptScheme",
 "skos:prefLabel": {"@value": "Référentiel de démonstration", "@language": "fr"}}`
	demoConcept = `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"},
 "@id": "https://example.org/ref/demo/c1", "@type": "skos:Concept",
 "skos:inScheme": {"@id": "https://example.org/ref/demo"}, "skos:notation": "1",
 "skos:prefLabel": {"@value": "Rechercher de l'information", "@language": "fr"}}`
	demoResource = `{"@context": {"@vocab": "https://schema.org/"},
 "@type": "LearningResource", "name": "Atelier recherche en ligne",
 "description": "Deux heures pour apprendre à formuler une requête.",
 "license": {"@id": "https://creativecommons.org/licenses/by-sa/4.0/"},
 "timeRequired": "PT2H", "inLanguage": "fr",
 "educationalAlignment": [
   {"@type": "AlignmentObject", "alignmentType": "teaches",
    "targetUrl": {"@id": "https://example.org/ref/demo/c1"}, "educationalLevel": 3},
   {"@type": "AlignmentObject", "alignmentType": "requires",
    "targetUrl": {"@id": "https://example.org/ref/demo/c1"}, "educationalLevel": 1}]}`
)

func TestThePublicWriteContractIsAcceptedAsWritten(t *testing.T) {
	s := newStack(t)
	for _, c := range []struct{ path, body string }{
		{"/frameworks", demoScheme}, {"/competencies", demoConcept}, {"/resources", demoResource},
	} {
		resp, body := s.do(t, "POST", c.path, c.body, auth())
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", c.path, resp.StatusCode, body)
		}
	}
	// External IRIs are kept and readable through /resource?uri=.
	resp, body := s.do(t, "GET", "/resource?uri=https://example.org/ref/demo/c1", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Rechercher de l'information") {
		t.Fatalf("external IRI: %d %s", resp.StatusCode, body)
	}
	// The resource got an IRI minted under the base, in /resources.
	resp, body = s.do(t, "GET", "/resources", "", nil)
	var page struct {
		Items []struct{ ID, Name string }
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Items) != 1 {
		t.Fatalf("list: %s", body)
	}
	if !strings.HasPrefix(page.Items[0].ID, s.srv.URL+"/resources/") || page.Items[0].Name != "Atelier recherche en ligne" {
		t.Fatalf("minted item %+v", page.Items[0])
	}
	// The graph knows the alignment.
	if types := s.graph.TypesOf(page.Items[0].ID); len(types) != 1 {
		t.Fatalf("graph types of the resource: %v", types)
	}
}

func TestADraftIsInvisibleToAnonymousReaders(t *testing.T) {
	s := newStack(t)
	doc := strings.Replace(demoScheme, "ref/demo", "ref/draft", 1)
	resp, body := s.do(t, "POST", "/frameworks?draft=true", doc, auth())
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	uri := "/resource?uri=https://example.org/ref/draft"
	if resp, _ := s.do(t, "GET", uri, "", nil); resp.StatusCode != 404 {
		t.Fatalf("anonymous read of a draft: %d", resp.StatusCode)
	}
	if resp, _ := s.do(t, "GET", uri, "", auth()); resp.StatusCode != 200 {
		t.Fatalf("authenticated read of a draft: %d", resp.StatusCode)
	}
	_, list := s.do(t, "GET", "/frameworks?limit=500", "", nil)
	if strings.Contains(list, "ref/draft") {
		t.Fatal("a draft is listed to anonymous readers")
	}
}

func TestPutReplacesWithETagsAndDeleteRemovesEverything(t *testing.T) {
	s := newStack(t)
	iri := s.srv.URL + "/frameworks/essai"
	doc := `{"@context": "` + s.srv.URL + `/ns/context.jsonld", "type": ["ConceptScheme", "CompetencyFramework"], "prefLabel": {"fr": "Essai"}}`
	quadsBefore, _ := s.graph.Size()
	resp, body := s.do(t, "PUT", iri, doc, auth())
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("PUT create: %d %s", resp.StatusCode, body)
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := s.do(t, "GET", iri, "", map[string]string{"If-None-Match": etag}); resp.StatusCode != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", resp.StatusCode)
	}
	doc2 := strings.Replace(doc, "Essai", "Essai 2", 1)
	if resp, _ := s.do(t, "PUT", iri, doc2, map[string]string{"Authorization": "Bearer " + adminToken, "If-Match": `"1-stale"`}); resp.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %d", resp.StatusCode)
	}
	// The tag of any representation of the current version will do: an
	// editor who read the Turtle may write back.
	resp, _ = s.do(t, "GET", iri+"?format=ttl", "", nil)
	ttlTag := resp.Header.Get("ETag")
	if ttlTag == etag || !strings.HasSuffix(ttlTag, `-ttl"`) {
		t.Fatalf("the Turtle representation shares the JSON-LD tag: %s, %s", ttlTag, etag)
	}
	resp, _ = s.do(t, "PUT", iri, doc2, map[string]string{"Authorization": "Bearer " + adminToken, "If-Match": ttlTag})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == etag {
		t.Fatalf("PUT replace: %d", resp.StatusCode)
	}
	if resp, _ := s.do(t, "PUT", iri, doc, map[string]string{"Authorization": "Bearer " + adminToken, "If-Match": ttlTag}); resp.StatusCode != http.StatusPreconditionFailed {
		t.Fatalf("If-Match with the Turtle tag of the previous version: %d", resp.StatusCode)
	}
	if resp, _ := s.do(t, "DELETE", iri, "", auth()); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DELETE: %d", resp.StatusCode)
	}
	quadsAfter, _ := s.graph.Size()
	if quadsBefore != quadsAfter || len(s.graph.TypesOf(iri)) != 0 {
		t.Fatalf("delete left quads behind: %d → %d, types %v", quadsBefore, quadsAfter, s.graph.TypesOf(iri))
	}
	if resp, _ := s.do(t, "GET", iri, "", nil); resp.StatusCode != 404 {
		t.Fatalf("GET after delete: %d", resp.StatusCode)
	}
}

func TestContentNegotiation(t *testing.T) {
	s := newStack(t)
	iri := s.srv.URL + "/competencies/crcn-4.2"
	cases := []struct{ accept, query, wantType, wantBody string }{
		{"", "", "application/ld+json", `"@context"`},
		{"text/turtle", "", "text/turtle", "skos:prefLabel"},
		{"application/n-triples", "", "application/n-triples", "<" + iri + ">"},
		{"application/n-quads", "", "application/n-quads", "<" + iri + "> .\n"},
		{"text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "", "text/html", "<h1>Protéger les données personnelles"},
		{"text/html", "?format=ttl", "text/turtle", "@prefix"},
		{"application/ld+json;q=0.5, text/turtle", "", "text/turtle", "@prefix"},
	}
	for _, c := range cases {
		resp, body := s.do(t, "GET", iri+c.query, "", map[string]string{"Accept": c.accept})
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), c.wantType) || !strings.Contains(body, c.wantBody) {
			t.Errorf("Accept %q%s: %d %s\n%.300s", c.accept, c.query, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if !strings.Contains(resp.Header.Get("Link"), `rel="alternate"`) {
			t.Errorf("Accept %q: no Link alternates", c.accept)
		}
	}
	resp, body := s.do(t, "GET", iri, "", map[string]string{"Accept": "image/png"})
	if resp.StatusCode != http.StatusNotAcceptable || !strings.Contains(body, "text/turtle") {
		t.Fatalf("unsupported Accept: %d %s", resp.StatusCode, body)
	}
}
