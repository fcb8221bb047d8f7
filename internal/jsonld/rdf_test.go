package jsonld

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"

	"github.com/trame-commun/trame/internal/domain"
)

// canonical renders triples as sorted N-Triples with every blank node
// written "_:x": equal outputs mean equal graphs up to blank node labels
// (for the tree-shaped blank nodes of entities).
func canonical(ts []domain.Triple) string {
	lines := make([]string, 0, len(ts))
	for _, t := range ts {
		for _, term := range []*domain.Term{&t.S, &t.O} {
			if term.IsBlank() {
				term.Value = "x"
			}
		}
		lines = append(lines, t.S.String()+" "+t.P.String()+" "+t.O.String())
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestToTriplesAgreesWithJSONGold checks the fast converter against
// json-gold's ToRDF on every bundled document.
func TestToTriplesAgreesWithJSONGold(t *testing.T) {
	files, _ := filepath.Glob("../bundled/data/*/*.jsonld")
	if len(files) < 10 {
		t.Fatalf("only %d bundled files found", len(files))
	}
	c := New("http://localhost:8080/")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parseJSON(raw)
		if err != nil {
			t.Fatal(err)
		}
		expanded, err := c.expand(doc)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := toTriples(expanded)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ds, err := c.proc.ToRDF(expanded, c.options())
		if err != nil {
			t.Fatal(err)
		}
		var theirs []domain.Triple
		for _, q := range ds.(*ld.RDFDataset).Graphs["@default"] {
			theirs = append(theirs, domain.Triple{S: fromNode(q.Subject), P: fromNode(q.Predicate), O: fromNode(q.Object)})
		}
		if a, b := canonical(ours), canonical(theirs); a != b {
			t.Errorf("%s: %d triples here, %d from json-gold; first difference near:\n%s", f, len(ours), len(theirs), firstDiff(a, b))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return "ours:   " + al[i] + "\ntheirs: " + bl[i]
		}
	}
	return "(one is a prefix of the other)"
}

func TestInvalidIRIsAreRefusedNotDropped(t *testing.T) {
	c := New("http://localhost:8080/")
	_, err := c.Decode([]byte(`{"@context": {"@vocab": "https://schema.org/"}, "@id": "http://x.org/a", "@type": "LearningResource", "name": "x", "url": {"@id": "http://x.org/a b"}}`), nil)
	if !domain.IsKind(err, domain.KindInvalid) || !strings.Contains(err.Error(), "not a valid IRI") {
		t.Fatalf("an IRI with a space: %v", err)
	}
}
