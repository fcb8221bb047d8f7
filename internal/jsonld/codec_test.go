package jsonld_test

import (
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/ontology"
)

const base = "http://localhost:8080/"

func mintIn(coll string) func([]string) string {
	return func([]string) string { return base + coll + "/minted" }
}

func TestDocumentsThatExpandToTheSameIRIsDecodeTheSame(t *testing.T) {
	c := jsonld.New(base)
	docs := map[string]string{
		"our context":        `{"@context": "https://w3id.org/trame/context.jsonld", "id": "http://x.org/r", "type": "LearningResource", "name": "Atelier", "license": "https://creativecommons.org/licenses/by-sa/4.0/"}`,
		"our served context": `{"@context": "` + base + `ns/context.jsonld", "id": "http://x.org/r", "type": "LearningResource", "name": "Atelier", "license": "https://creativecommons.org/licenses/by-sa/4.0/"}`,
		"schema.org context": `{"@context": "https://schema.org/", "@id": "http://x.org/r", "@type": "LearningResource", "name": "Atelier", "license": "https://creativecommons.org/licenses/by-sa/4.0/"}`,
		"http schema.org":    `{"@context": {"@vocab": "http://schema.org/"}, "@id": "http://x.org/r", "@type": "LearningResource", "name": "Atelier", "license": {"@id": "https://creativecommons.org/licenses/by-sa/4.0/"}}`,
		"inline prefixes":    `{"@context": {"s": "https://schema.org/"}, "@id": "http://x.org/r", "@type": "s:LearningResource", "s:name": "Atelier", "s:license": {"@id": "https://creativecommons.org/licenses/by-sa/4.0/"}}`,
		"expanded form":      `[{"@id": "http://x.org/r", "@type": ["https://schema.org/LearningResource"], "https://schema.org/name": [{"@value": "Atelier"}], "https://schema.org/license": [{"@id": "https://creativecommons.org/licenses/by-sa/4.0/"}]}]`,
	}
	for name, doc := range docs {
		ents, err := c.Decode([]byte(doc), nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		e := ents[0]
		if e.IRI != "http://x.org/r" || len(e.Types) != 1 || e.Types[0] != ontology.LearningResource ||
			e.First(ontology.Name) != "Atelier" || e.First(ontology.LicenseProp) != "https://creativecommons.org/licenses/by-sa/4.0/" {
			t.Errorf("%s decoded to %+v", name, e)
		}
	}
}

func TestANodeWithoutIDIsMinted(t *testing.T) {
	c := jsonld.New(base)
	ents, err := c.Decode([]byte(`{"@context": {"@vocab": "https://schema.org/"}, "@type": "LearningResource", "name": "x"}`), mintIn("resources"))
	if err != nil || ents[0].IRI != base+"resources/minted" {
		t.Fatalf("%v %v", ents, err)
	}
	if _, err := c.Decode([]byte(`{"@context": {"@vocab": "https://schema.org/"}, "@type": "LearningResource", "name": "x"}`), nil); !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("no mint and no @id: %v", err)
	}
}

func TestRelativeIRIsResolveAgainstTheBase(t *testing.T) {
	c := jsonld.New(base)
	ents, err := c.Decode([]byte(`{"@context": "https://w3id.org/trame/context.jsonld", "id": "competencies/x", "type": "Concept", "inScheme": "frameworks/y", "prefLabel": {"fr": "X"}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ents[0].IRI != base+"competencies/x" || ents[0].First(ontology.InScheme) != base+"frameworks/y" {
		t.Fatalf("%+v", ents[0])
	}
}

func TestAGraphDecodesToOneEntityPerTopNode(t *testing.T) {
	c := jsonld.New(base)
	ents, err := c.Decode([]byte(`{"@context": {"@vocab": "https://schema.org/"}, "@graph": [
		{"@id": "http://x.org/a", "@type": "LearningResource", "name": "A",
		 "educationalAlignment": {"@type": "AlignmentObject", "alignmentType": "teaches", "targetUrl": {"@id": "http://x.org/c"}, "educationalLevel": 3}},
		{"@id": "http://x.org/b", "@type": "LearningResource", "name": "B"},
		{"@id": "http://x.org/only-a-reference"}]}`), nil)
	if err != nil || len(ents) != 2 {
		t.Fatalf("%d entities, %v", len(ents), err)
	}
	al := ents[0].Alignments(nil)
	if len(al) != 1 || al[0].Type != domain.Teaches || al[0].Competency != "http://x.org/c" || al[0].Level != 3 {
		t.Fatalf("alignments %+v", al)
	}
}

func TestEncodeAndDecodeStoredRoundTrip(t *testing.T) {
	c := jsonld.New(base)
	ents, err := c.Decode([]byte(`{"@context": "https://w3id.org/trame/context.jsonld", "id": "http://x.org/p", "type": ["LearningResource", "LearningPath"], "name": "Parcours",
		"hasPart": ["http://x.org/s1", "http://x.org/s2", "http://x.org/s3"],
		"educationalAlignment": [{"type": "AlignmentObject", "alignmentType": "teaches", "targetUrl": "http://x.org/c", "educationalLevel": 2}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := c.Encode(ents[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(doc), `"@id":"_:`) {
		t.Errorf("blank nodes used once should be embedded: %s", doc)
	}
	back, err := c.DecodeStored("http://x.org/p", doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Triples) != len(ents[0].Triples) {
		t.Fatalf("%d triples after the round trip, %d before", len(back.Triples), len(ents[0].Triples))
	}
	var steps []string
	for _, s := range back.ListValues(ontology.HasPart) {
		steps = append(steps, s.Value)
	}
	if strings.Join(steps, " ") != "http://x.org/s1 http://x.org/s2 http://x.org/s3" {
		t.Fatalf("step order lost: %v", steps)
	}
	out, err := c.Compact(doc, "")
	if err != nil || !strings.Contains(string(out), `"@context": "`+base+`ns/context.jsonld"`) || !strings.Contains(string(out), `"http://x.org/s1"`) {
		t.Fatalf("compacted: %s %v", out, err)
	}
}

func TestContextsAreNeverFetched(t *testing.T) {
	c := jsonld.New(base)
	for _, ctx := range []string{`"http://127.0.0.1:1/ctx"`, `"/etc/passwd"`, `"file:///etc/passwd"`, `["https://schema.org/", "https://evil.example/c"]`, `{"@import": "https://evil.example/c"}`} {
		_, err := c.Decode([]byte(`{"@context": `+ctx+`, "@id": "http://x.org/a", "name": "x"}`), nil)
		if !domain.IsKind(err, domain.KindInvalid) || !strings.Contains(err.Error(), "never fetched") {
			t.Errorf("context %s: %v", ctx, err)
		}
	}
}

func TestCompactionIsSafeForConcurrentUse(t *testing.T) {
	c := jsonld.New(base)
	ents, err := c.Decode([]byte(`{"@context": "https://w3id.org/trame/context.jsonld", "id": "http://x.org/r", "type": "LearningResource", "name": "Atelier",
		"educationalAlignment": [{"type": "AlignmentObject", "alignmentType": "teaches", "targetUrl": "http://x.org/c", "educationalLevel": 2}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := c.Encode(ents[0])
	want, err := c.Compact(doc, "")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func(i int) {
			d := []byte(strings.Replace(string(doc), "Atelier", "Atelier "+strings.Repeat("x", i), 1))
			out, err := c.Compact(d, "https://schema.org/")
			if err != nil {
				done <- err.Error()
				return
			}
			out2, _ := c.Compact(d, "")
			done <- string(out) + string(out2)
		}(i)
	}
	for i := 0; i < 8; i++ {
		if got := <-done; !strings.Contains(got, `"@context": "https://schema.org/"`) {
			t.Errorf("concurrent compaction: %.200s", got)
		}
	}
	if !strings.Contains(string(want), `"educationalAlignment"`) || !strings.Contains(string(want), `"alignmentType": "teaches"`) {
		t.Fatalf("compacted: %s", want)
	}
}
