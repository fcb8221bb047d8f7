package rdf_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

func importString(t *testing.T, s *stack, format rdf.Format, text string, opts rdf.Options) (*rdf.Report, error) {
	t.Helper()
	opts.Format, opts.Sink, opts.Codec = format, s.Sink, s.Codec
	return rdf.Import(context.Background(), strings.NewReader(text), opts)
}

func TestEntitiesMayReferToEntitiesLaterInTheFile(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 60; i++ { // concepts first, broader chains, the scheme last
		fmt.Fprintf(&b, "<http://example.org/c%d> <%s> <%s> .\n", i, ontology.Type, ontology.Concept)
		fmt.Fprintf(&b, "<http://example.org/c%d> <%s> <http://example.org/s> .\n", i, ontology.InScheme)
		fmt.Fprintf(&b, "<http://example.org/c%d> <%s> \"c%d\"@fr .\n", i, ontology.PrefLabel, i)
		if i > 0 {
			fmt.Fprintf(&b, "<http://example.org/c%d> <%s> <http://example.org/c%d> .\n", i, ontology.Broader, i+1)
		}
	}
	fmt.Fprintf(&b, "<http://example.org/c60> <%s> <%s> .\n<http://example.org/c60> <%s> <http://example.org/s> .\n<http://example.org/c60> <%s> \"fin\"@fr .\n",
		ontology.Type, ontology.Concept, ontology.InScheme, ontology.PrefLabel)
	fmt.Fprintf(&b, "<http://example.org/s> <%s> <%s> .\n<http://example.org/s> <%s> \"S\"@fr .\n", ontology.Type, ontology.ConceptScheme, ontology.PrefLabel)
	s := newStack(t)
	rep, err := importString(t, s, rdf.NQuads, b.String(), rdf.Options{SortBudget: 1 << 10})
	if err != nil || rep.Written != 62 || rep.Rejected != 0 {
		t.Fatalf("%v %+v", err, rep)
	}
}

func TestTurtleReportsLinesOfStatementsAndKeepsBlankNodes(t *testing.T) {
	ttl := `@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
PREFIX ex: <http://example.org/>

ex:s a skos:ConceptScheme ; skos:prefLabel "S"@fr .
ex:c a skos:Concept ; skos:inScheme ex:s ; skos:prefLabel """Un libellé
sur deux lignes . avec un point"""@fr .

# an alignment as an anonymous node, and one with an explicit label used
# in a later statement
ex:r a schema:LearningResource ; schema:name "R" ;
    schema:educationalAlignment [ schema:alignmentType "teaches" ; schema:targetUrl ex:c ] ,
        _:al .
_:al schema:alignmentType "assesses" ; schema:targetUrl ex:c .

ex:bad a schema:LearningResource .
ex:broken schema:name "missing the dot"
ex:after a schema:LearningResource ; schema:name "After" .
`
	s := newStack(t)
	rep, err := importString(t, s, rdf.Turtle, ttl, rdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !errorAt(rep, 16, "name") {
		t.Errorf("the resource without a name (line 16) is not reported: %+v", rep.Errors)
	}
	if !errorAt(rep, 18, "statement starting on line 17") {
		t.Errorf("the statement without its final dot (line 17, seen on 18) is not reported: %+v", rep.Errors)
	}
	if s.Get(t, "http://example.org/broken") != nil {
		t.Error("a statement that did not parse was half imported")
	}
	r := s.Get(t, "http://example.org/r")
	if r == nil || len(r.Alignments(nil)) != 2 {
		t.Fatalf("the resource lost an alignment: %+v", r)
	}
	c := s.Get(t, "http://example.org/c")
	if c == nil || !strings.Contains(c.First(ontology.PrefLabel), "point") {
		t.Errorf("the long string was cut: %+v", c)
	}
}

func TestJSONLDIsStreamedNodeByNodeWithLines(t *testing.T) {
	doc := `{
  "@context": {"@vocab": "https://schema.org/", "skos": "http://www.w3.org/2004/02/skos/core#"},
  "@graph": [
    {"@id": "http://example.org/s", "@type": "skos:ConceptScheme",
     "skos:prefLabel": {"@value": "S", "@language": "fr"}},
    {"@id": "http://example.org/r", "@type": "LearningResource", "name": "R",
     "educationalAlignment": {"@type": "AlignmentObject", "alignmentType": "teaches",
       "targetUrl": {"@id": "http://example.org/c"}, "educationalLevel": 2}},
    {"@type": "LearningResource", "name": "sans identifiant"},
    {"@id": "http://example.org/c", "@type": "skos:Concept",
     "skos:inScheme": {"@id": "http://example.org/s"}, "skos:prefLabel": "C"}
  ]
}`
	s := newStack(t)
	rep, err := importString(t, s, rdf.JSONLD, doc, rdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Written != 3 || !errorAt(rep, 9, "@id") {
		t.Errorf("%+v", rep)
	}
	if r := s.Get(t, "http://example.org/r"); r == nil || len(r.Alignments(nil)) != 1 {
		t.Errorf("alignment lost: %+v", r)
	}
	_, err = importString(t, s, rdf.JSONLD, `{"@context": "https://example.org/remote.jsonld", "@graph": [{"@id": "http://example.org/x"}]}`, rdf.Options{Strict: true})
	if !domain.IsKind(err, domain.KindInvalid) {
		t.Errorf("a remote context must be refused: %v", err)
	}
}

func FuzzReadTurtle(f *testing.F) {
	f.Add("@prefix ex: <http://e/> .\nex:a ex:b \"c\" ; ex:d [ ex:e 1.5 ] .\n")
	f.Add("PREFIX ex: <http://e/>\nex:a ex:b '''x\n.''' .")
	f.Add("_:x <http://e/p> _:y . _:y <http://e/p> \"\" .")
	f.Add("<a> <b> \"unterminated")
	f.Fuzz(func(t *testing.T, doc string) {
		_ = rdf.ReadTurtle(strings.NewReader(doc), "http://base/", true, func(st rdf.Statement) error {
			if st.Line < 1 || !st.P.IsIRI() {
				t.Fatalf("bad statement %+v", st)
			}
			return nil
		}, func(int, error) {})
	})
}

func FuzzReadNQuads(f *testing.F) {
	f.Add("<http://a> <http://b> \"c\"@fr <http://g> .\n_:x <http://b> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n")
	f.Add("<a> <b> <c> <d> <e> .")
	f.Add("\"lit\" <b> <c> .")
	f.Fuzz(func(t *testing.T, doc string) {
		_ = rdf.ReadNQuads(strings.NewReader(doc), true, func(st rdf.Statement) error {
			if st.S.IsLiteral() || !st.P.IsIRI() || st.Line < 1 {
				t.Fatalf("bad statement %+v", st)
			}
			return nil
		}, func(int, error) {})
	})
}

func FuzzReadJSONLD(f *testing.F) {
	f.Add(`{"@context": {"@vocab": "https://schema.org/"}, "@graph": [{"@id": "http://e/a", "name": "x"}]}`)
	f.Add(`[{"@id": "http://e/a", "https://schema.org/name": "x"}]`)
	f.Add(`{"@id": "http://e/a", "@graph": []}`)
	f.Add(`{"@context": "/etc/passwd", "@id": "http://e/a"}`)
	s := newStack(f)
	f.Fuzz(func(t *testing.T, doc string) {
		_ = rdf.ReadJSONLD(strings.NewReader(doc), s.Codec, true, func(st rdf.Statement) error {
			if st.S.IsLiteral() || st.Line < 1 {
				t.Fatalf("bad statement %+v", st)
			}
			return nil
		}, func(int, error) {})
	})
}
