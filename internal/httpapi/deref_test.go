package httpapi_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/graph"
)

// TestEveryKindOfEntityIsDereferenceableWithContentNegotiation follows the
// Cool URIs conventions: one IRI per thing, the representation chosen by
// Accept (or ?format=), Vary: Accept, Content-Location naming the
// representation served and Link headers to the others.
func TestEveryKindOfEntityIsDereferenceableWithContentNegotiation(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	paths := map[string]string{
		"resource":   "/resources/premiers-pas-moteur-de-recherche",
		"parcours":   "/paths/de-la-recherche-au-tableur",
		"framework":  "/frameworks/crcn",
		"competency": "/competencies/crcn-4.2",
		"level":      "/levels/3",
		"licence":    "/resource?uri=" + url.QueryEscape("https://creativecommons.org/licenses/by-sa/4.0/"),
		"esco skill": "/resource?uri=" + url.QueryEscape("http://data.europa.eu/esco/skill/e439742d-558d-4f52-885e-afdc740b48cf"),
	}
	accepts := []struct{ accept, ct, format string }{
		{"application/ld+json", "application/ld+json", "jsonld"},
		{"text/turtle", "text/turtle; charset=utf-8", "ttl"},
		{"application/n-triples", "application/n-triples", "nt"},
		{"text/html", "text/html; charset=utf-8", "html"},
		{"application/ld+json;q=0, */*", "text/turtle; charset=utf-8", "ttl"},
	}
	for kind, path := range paths {
		for _, a := range accepts {
			resp, b := s.send(t, "GET", path, "", map[string]string{"Accept": a.accept})
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != a.ct || len(b) == 0 {
				t.Fatalf("%s with Accept %s: %d %s", kind, a.accept, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if loc := resp.Header.Get("Content-Location"); !strings.HasSuffix(loc, "format="+a.format) {
				t.Errorf("%s with Accept %s: Content-Location %q", kind, a.accept, loc)
			}
			if link := resp.Header.Get("Link"); !strings.Contains(link, `rel="alternate"; type="text/turtle"`) || !strings.Contains(link, "format=nq") {
				t.Errorf("%s: Link %q", kind, link)
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept") {
				t.Errorf("%s: Vary %q", kind, resp.Header.Get("Vary"))
			}
		}
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		resp, _ := s.send(t, "GET", path+sep+"format=nt", "", map[string]string{"Accept": "text/turtle"})
		if resp.Header.Get("Content-Type") != "application/n-triples" {
			t.Errorf("%s: ?format=nt must override Accept, got %s", kind, resp.Header.Get("Content-Type"))
		}
		resp, b := s.send(t, "GET", path, "", map[string]string{"Accept": "application/rdf+xml"})
		problemOf(t, resp, b, 406, "ttl (text/turtle)")
		resp, b = s.send(t, "GET", path+sep+"format=rdfxml", "", nil)
		problemOf(t, resp, b, 406, "nq (application/n-quads)")
		resp, b = s.send(t, "HEAD", path, "", map[string]string{"Accept": "text/turtle"})
		if resp.StatusCode != 200 || len(b) != 0 {
			t.Errorf("%s: HEAD gave %d with %d bytes", kind, resp.StatusCode, len(b))
		}
		etag := resp.Header.Get("ETag")
		resp, _ = s.send(t, "GET", path, "", map[string]string{"Accept": "text/turtle", "If-None-Match": `"other", ` + etag})
		if resp.StatusCode != 304 {
			t.Errorf("%s: If-None-Match with its ETag in a list gave %d", kind, resp.StatusCode)
		}
		// Each representation has its own strong tag: the Turtle tag does
		// not validate the JSON-LD body.
		resp, _ = s.send(t, "GET", path, "", map[string]string{"If-None-Match": etag})
		if resp.StatusCode != 200 || resp.Header.Get("ETag") == etag {
			t.Errorf("%s: JSON-LD revalidated with the Turtle tag %s: %d, tag %s", kind, etag, resp.StatusCode, resp.Header.Get("ETag"))
		}
	}
}

func TestADraftIsNotFoundForAnonymousCallers(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	doc := `{"@context": {"@vocab": "https://schema.org/"}, "@id": "` + s.base + `resources/brouillon",
	  "@type": ["LearningResource", "https://w3id.org/trame/ns#Grain"], "name": {"@value": "Brouillon", "@language": "fr"}}`
	if resp, b := s.send(t, "POST", "/resources?draft=true", doc, map[string]string{"Authorization": "Bearer " + adminToken, "Content-Type": "application/ld+json"}); resp.StatusCode != 201 {
		t.Fatalf("writing the draft: %d %s", resp.StatusCode, b)
	}
	for _, accept := range []string{"application/ld+json", "text/turtle", "text/html"} {
		resp, b := s.send(t, "GET", "/resources/brouillon", "", map[string]string{"Accept": accept})
		problemOf(t, resp, b, 404, "no entity")
	}
	resp, b := s.send(t, "GET", "/export/schema-org?resource=resources/brouillon", "", nil)
	problemOf(t, resp, b, 404, "no entity")
	resp, _ = s.send(t, "GET", "/resources/brouillon", "", map[string]string{"Authorization": "Bearer " + adminToken})
	if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("with a token the draft is served privately: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
}
