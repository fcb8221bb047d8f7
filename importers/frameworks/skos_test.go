package frameworks_test

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/trame-commun/trame/importers/frameworks"
	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

var day1 = func() time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC) }

func importTTL(t *testing.T, s *stack, path, version string) *frameworks.Report {
	t.Helper()
	fw, err := frameworks.ReadSKOSTurtle(open(t, path), base, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := frameworks.Import(context.Background(), fw, frameworks.Options{Sink: s.Sink, Version: version, Now: day1})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestEachImportIsANewVersionAndTheOldOneStays(t *testing.T) {
	s := newStack(t, false)
	const w = "http://example.org/ref/demo"
	v1 := importTTL(t, s, "testdata/demo-v1.ttl", "")
	if v1.Version != "1.0" || v1.VersionIRI != base+"frameworks/demo/1.0" || v1.Concepts != 5 {
		t.Fatalf("v1: %+v", v1)
	}
	again := importTTL(t, s, "testdata/demo-v1.ttl", "")
	if !again.Unchanged || again.Written != 0 {
		t.Errorf("importing the same content again must change nothing: %+v", again)
	}
	v2 := importTTL(t, s, "testdata/demo-v2.ttl", "")
	if v2.VersionIRI != base+"frameworks/demo/2.0" {
		t.Fatalf("v2: %+v", v2)
	}
	for _, v := range []string{v1.VersionIRI, v2.VersionIRI} {
		e := s.Get(t, v)
		if e == nil || e.First(ontology.IsVersionOf) != w || !e.HasType(ontology.CompetencyFramework) {
			t.Errorf("version %s: %+v", v, e)
		}
	}
	fwk := s.Get(t, w)
	if fwk.First(ontology.Version) != "2.0" || len(fwk.Values(ontology.DCTerms+"hasVersion")) != 2 {
		t.Errorf("the framework does not point at both versions with the latest as its version: %+v", fwk.Triples)
	}
	// c21 left in v2: it stays in v1; c22 is only in v2; c12 is in both.
	schemes := func(iri string) string {
		var out []string
		for _, v := range s.Get(t, iri).Values(ontology.InScheme) {
			out = append(out, v.Value)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	if got := schemes("http://example.org/ref/demo/c21"); got != w+" "+v1.VersionIRI {
		t.Errorf("c21 in %s", got)
	}
	if got := schemes("http://example.org/ref/demo/c22"); got != w+" "+v2.VersionIRI {
		t.Errorf("c22 in %s", got)
	}
	if got := schemes("http://example.org/ref/demo/c12"); got != w+" "+v1.VersionIRI+" "+v2.VersionIRI {
		t.Errorf("c12 in %s", got)
	}
	if a := s.Get(t, "http://example.org/ref/demo/a1"); !a.HasType(ontology.CompetencyArea) {
		t.Errorf("a top concept with children must be an area: %v", a.Types)
	}
}

func TestAGivenVersionLabelIsNeverReusedForOtherContent(t *testing.T) {
	s := newStack(t, false)
	importTTL(t, s, "testdata/demo-v1.ttl", "2026")
	before := s.Seq(t)
	fw, _ := frameworks.ReadSKOSTurtle(open(t, "testdata/demo-v2.ttl"), base, "")
	_, err := frameworks.Import(context.Background(), fw, frameworks.Options{Sink: s.Sink, Version: "2026", Now: day1})
	if !domain.IsKind(err, domain.KindConflict) || s.Seq(t) != before {
		t.Fatalf("want a conflict and nothing written, got %v", err)
	}
}

// parseTurtle returns the triples of a Turtle text, blank nodes renamed by
// content, as sorted lines.
func parseTurtle(t *testing.T, text string) []string {
	t.Helper()
	e := &domain.Entity{}
	err := rdf.ReadTurtle(strings.NewReader(text), base, false, func(st rdf.Statement) error {
		e.Triples = append(e.Triples, domain.Triple{S: st.S, P: st.P, O: st.O})
		return nil
	}, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return canonicalLines(e)
}

func TestSKOSExportRoundTrips(t *testing.T) {
	for _, tc := range []struct{ name, path string }{
		{"demo", "testdata/demo-v1.ttl"},
		{"DigComp 2.2 (ESCO)", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path
			if path == "" {
				path = reference(t, "frameworks/digcomp-2.2-esco.ttl")
			}
			out, scheme, version := skosRoundTrip(t, path)
			src, _ := readAll(path)
			want := parseTurtle(t, src)
			got := parseTurtle(t, out.String())
			extra := map[string]bool{"<" + scheme + "> <http://www.w3.org/2002/07/owl#versionInfo> \"" + version + "\" .": true}
			if d := diff(want, got, extra); d != "" {
				t.Errorf("the export does not give the source back:\n%s", d)
			}
		})
	}
}

func TestSKOSInJSONLD(t *testing.T) {
	doc := `{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"},
 "@graph": [
  {"@id": "http://example.org/ref/j", "@type": "skos:ConceptScheme", "skos:prefLabel": {"@value": "J", "@language": "fr"}},
  {"@id": "http://example.org/ref/j/1", "@type": "skos:Concept", "skos:inScheme": {"@id": "http://example.org/ref/j"},
   "skos:topConceptOf": {"@id": "http://example.org/ref/j"}, "skos:prefLabel": "Un"},
  {"@id": "http://example.org/ref/j/1.1", "@type": "skos:Concept", "skos:inScheme": {"@id": "http://example.org/ref/j"},
   "skos:broader": {"@id": "http://example.org/ref/j/1"}, "skos:prefLabel": "Un point un"}]}`
	s := newStack(t, false)
	fw, err := frameworks.ReadSKOSJSONLD(strings.NewReader(doc), s.Codec, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(fw.Concepts) != 2 || len(fw.Tops) != 1 || !fw.Areas["http://example.org/ref/j/1"] {
		t.Fatalf("%d concepts, tops %v, areas %v", len(fw.Concepts), fw.Tops, fw.Areas)
	}
	if _, err := frameworks.Import(context.Background(), fw, frameworks.Options{Sink: s.Sink, Now: day1}); err != nil {
		t.Fatal(err)
	}
}

func TestSKOSFilesThatAreNotAFrameworkAreRefusedClearly(t *testing.T) {
	for name, ttl := range map[string]string{
		"no scheme":    `<http://e/c> a <http://www.w3.org/2004/02/skos/core#Concept> .`,
		"two schemes":  `<http://e/a> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> . <http://e/b> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> .`,
		"empty scheme": `<http://e/a> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> .`,
		"not turtle":   `{"@context": {}}`,
	} {
		if _, err := frameworks.ReadSKOSTurtle(strings.NewReader(ttl), base, ""); !domain.IsKind(err, domain.KindInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// skosRoundTrip imports the SKOS Turtle file at path into a new stack and
// exports the framework it made back to SKOS Turtle; it also returns the
// concept scheme read and the version the import gave it.
func skosRoundTrip(t *testing.T, path string) (out *bytes.Buffer, scheme, version string) {
	t.Helper()
	s := newStack(t, false)
	fw, err := frameworks.ReadSKOSTurtle(open(t, path), base, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := frameworks.Import(context.Background(), fw, frameworks.Options{Sink: s.Sink, Now: day1})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := frameworks.Load(context.Background(), s.Sink, rep.Framework)
	if err != nil {
		t.Fatal(err)
	}
	out = &bytes.Buffer{}
	if err := frameworks.ExportSKOS(snap, out); err != nil {
		t.Fatal(err)
	}
	return out, fw.IRI, rep.Version
}
