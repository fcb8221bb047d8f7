package jsonld_test

import (
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/jsonld"
)

// FuzzDecode feeds arbitrary bytes to the JSON-LD decoder: it must never
// panic, and every failure must be a KindInvalid domain error.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		`{"@context": {"@vocab": "https://schema.org/"}, "@type": "LearningResource", "name": "x"}`,
		`{"@context": "https://w3id.org/trame/context.jsonld", "id": "a", "type": "Concept", "prefLabel": {"fr": "é"}}`,
		`{"@context": "/etc/passwd", "name": "x"}`,
		`{"@context": {"@vocab": "https://schema.org/"}, "name": 1e400, "x": [1, true, null, {"@value": 3}]}`,
		`{"@context": {"a": {"@id": "http://x/", "@context": "http://evil"}}, "a": 1}`,
		`[{"@id": "_:b", "@type": ["http://x/T"], "http://x/p": [{"@list": [1, 2]}]}]`,
		`{"@graph": [{"@id": "http://x/a", "http://x/p": {"@id": "http://x/b"}}]}`,
		`{"@context": {"@vocab": "https://schema.org/"}, "name": {"@value": "x", "@language": 3}}`,
		`{"@context": {"@version": 1.1, "n": {"@id": "https://schema.org/name", "@container": "@language"}}, "@id": "http://x/a", "n": {"fr": "a", "en": ["b"]}}`,
		`{"@type": {"@id": "x"}}`, `null`, `[]`, `"x"`, `{`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	c := jsonld.New("http://localhost:8080/")
	mint := func([]string) string { return "http://localhost:8080/resources/fuzz" }
	f.Fuzz(func(t *testing.T, body []byte) {
		ents, err := c.Decode(body, mint)
		if err != nil {
			if !domain.IsKind(err, domain.KindInvalid) {
				t.Fatalf("error of kind %s: %v", domain.KindOf(err), err)
			}
			return
		}
		for _, e := range ents {
			if e.IRI == "" {
				t.Fatal("an entity without IRI")
			}
			if _, err := c.Encode(e); err != nil {
				t.Fatalf("encode: %v", err)
			}
		}
	})
}
