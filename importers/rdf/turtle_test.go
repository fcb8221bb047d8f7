package rdf_test

import (
	"os"
	"sort"
	"strings"
	"testing"

	knakk "github.com/knakk/rdf"

	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/internal/domain"
)

// reference returns a file of ../shared/reference (the shared folder every
// developer and the CI have), skipping when it is absent outside CI.
func reference(t *testing.T, name string) string {
	t.Helper()
	p := "../../../shared/reference/" + name
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: the CI must provide ../shared", p)
		}
		t.Skipf("%s is missing (../shared not present)", p)
	}
	return p
}

// TestTurtleParserAgreesWithKnakkOnValidTurtle parses the DigComp SKOS
// file with our parser and with github.com/knakk/rdf and compares the
// triples (knakk is fine on valid input; it panics on some invalid input).
func TestTurtleParserAgreesWithKnakkOnValidTurtle(t *testing.T) {
	path := reference(t, "frameworks/digcomp-2.2-esco.ttl")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ours []string
	err = rdf.ReadTurtle(strings.NewReader(string(src)), "", false, func(st rdf.Statement) error {
		ours = append(ours, st.S.String()+" "+st.P.String()+" "+st.O.String())
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := knakk.NewTripleDecoder(strings.NewReader(string(src)), knakk.Turtle).DecodeAll()
	if err != nil {
		t.Fatal(err)
	}
	var theirs []string
	for _, tr := range ts {
		theirs = append(theirs, conv(tr.Subj)+" "+conv(tr.Pred)+" "+conv(tr.Obj))
	}
	sort.Strings(ours)
	sort.Strings(theirs)
	if len(ours) != 288 || strings.Join(ours, "\n") != strings.Join(theirs, "\n") {
		t.Errorf("%d triples, knakk %d; first difference:\n%s", len(ours), len(theirs), firstDiff(ours, theirs))
	}
}

func conv(term knakk.Term) string {
	switch x := term.(type) {
	case knakk.IRI:
		return domain.NewIRI(x.String()).String()
	case knakk.Literal:
		if x.Lang() != "" {
			return domain.NewLangString(x.String(), x.Lang()).String()
		}
		return domain.NewTyped(x.String(), x.DataType.String()).String()
	}
	return "_:" + term.String()
}

func firstDiff(a, b []string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] + "\n" + b[i]
		}
	}
	return ""
}

func TestTurtleSyntaxCases(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		triples   int
		err       string
	}{
		{"numbers", "@prefix e: <http://e/> . e:a e:p 1, -2.5, .5, 1e3, +7 .", 5, ""},
		{"integer then final dot", "@prefix e: <http://e/> . e:a e:p 12.", 1, ""},
		{"local name with dots", "@prefix e: <http://e/> . e:a.b e:p e:c.d .", 1, ""},
		{"collection", "@prefix e: <http://e/> . e:a e:p (1 2) .", 5, ""},
		{"empty collection", "@prefix e: <http://e/> . e:a e:p () .", 1, ""},
		{"booleans and a", "@prefix e: <http://e/> . e:a a e:C ; e:p true, false .", 3, ""},
		{"relative IRIs", "@base <http://b/x/> . <y> <p> <../z> .", 1, ""},
		{"escapes", `<http://a> <http://p> "tab\tquote\" é\u00e9" .`, 1, ""},
		{"long single quotes", "<http://a> <http://p> '''un\n'deux'\n''' .", 1, ""},
		{"sparql prefix", "PREFIX e: <http://e/>\nBASE <http://b/>\ne:a e:p <x> .", 1, ""},
		{"prefix named base", "@prefix base: <http://e/> . base:a base:p base:c .", 1, ""},
		{"undeclared prefix", "e:a e:p e:c .", 0, "undeclared prefix"},
		{"lone dot number", "<http://a> <http://p> . .", 0, "number"},
		{"knakk crash input", ".5 ] .x", 0, "expected"},
		{"unclosed IRI", "<http://a <http://p> <http://o> .", 0, "not allowed"},
		{"bad language", `<http://a> <http://p> "x"@- .`, 0, "language"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			err := rdf.ReadTurtle(strings.NewReader(tc.doc), "", false, func(rdf.Statement) error { n++; return nil }, nil)
			if tc.err == "" && (err != nil || n != tc.triples) {
				t.Fatalf("%d triples, err %v", n, err)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("want an error mentioning %q, got %v", tc.err, err)
			}
		})
	}
}
