package rdf_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

func importFile(t *testing.T, s *stack, path string, opts rdf.Options) (*rdf.Report, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	opts.Sink, opts.Codec = s.Sink, s.Codec
	return rdf.Import(context.Background(), f, opts)
}

func errorAt(rep *rdf.Report, line int, contains string) bool {
	for _, e := range rep.Errors {
		if e.Line == line && strings.Contains(e.Message, contains) {
			return true
		}
	}
	return false
}

func TestNQuadsImportWritesValidEntitiesAndReportsTheRestWithLines(t *testing.T) {
	// The default sort budget holds this file in memory; a budget of 256
	// bytes spills the sorted files in runs of a few statements.
	for _, c := range []struct {
		budget int
		lean   bool
	}{{0, false}, {256, false}, {256, true}} {
		budget, s := c.budget, newStackOf(t, c.lean)
		rep, err := importFile(t, s, "testdata/mixed.nq", rdf.Options{Format: rdf.NQuads, SortBudget: budget})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Written != 3 || rep.Rejected != 2 || rep.Statements != 16 {
			t.Errorf("budget %d: %+v", budget, rep)
		}
		for _, want := range []struct {
			line int
			text string
		}{{7, "prefLabel"}, {9, "not an entity Trame stores"}, {10, "N-Quads syntax"}, {17, "no entity refers to"}} {
			if !errorAt(rep, want.line, want.text) {
				t.Errorf("no error at line %d mentioning %q: %+v", want.line, want.text, rep.Errors)
			}
		}
		c1 := s.Get(t, "http://example.org/ref/demo/c1")
		if c1 == nil || c1.First(ontology.InDataset) != "http://example.org/graphs/demo" || c1.First(ontology.Schema+"additionalType") != "http://example.org/vocab#Skill" {
			t.Errorf("c1 lost its source or its foreign type: %+v", c1)
		}
		if s.Get(t, "http://example.org/graphs/demo") == nil {
			t.Error("the named graph's dataset entity was not created")
		}
		res := s.Get(t, "http://example.org/res/1")
		if res == nil || len(res.Alignments(nil)) != 1 || res.Alignments(nil)[0].Level != 3 {
			t.Errorf("the resource lost its blank alignment node: %+v", res)
		}
	}
}

func TestStrictImportRefusesTheWholeFileAtTheFirstError(t *testing.T) {
	s := newStack(t)
	before := s.Seq(t)
	_, err := importFile(t, s, "testdata/mixed.nq", rdf.Options{Format: rdf.NQuads, Strict: true})
	var de *domain.Error
	if !domain.IsKind(err, domain.KindInvalid) || !asError(err, &de) || len(de.Fields) == 0 || de.Fields[0].Path != "line 10" {
		t.Fatalf("want a refusal naming line 10, got %v", err)
	}
	if s.Seq(t) != before {
		t.Error("a refused strict import wrote something")
	}
	// a file whose only problem is an invalid entity is refused too
	_, err = importFile(t, s, "testdata/invalid-entity.ttl", rdf.Options{Format: rdf.Turtle, Strict: true})
	if err == nil || !strings.Contains(err.Error(), "line 12") {
		t.Fatalf("want a refusal naming line 12, got %v", err)
	}
	if s.Seq(t) != before {
		t.Error("a refused strict import wrote something")
	}
}

func TestImportingTheSameFileTwiceChangesNothing(t *testing.T) {
	s := newStack(t)
	if _, err := importFile(t, s, "testdata/mixed.nq", rdf.Options{Format: rdf.NQuads}); err != nil {
		t.Fatal(err)
	}
	before := s.Seq(t)
	rep, err := importFile(t, s, "testdata/mixed.nq", rdf.Options{Format: rdf.NQuads})
	if err != nil || rep.Written != 0 || rep.Unchanged != 3 || s.Seq(t) != before {
		t.Fatalf("second import: %v %+v (%d changes)", err, rep, s.Seq(t)-before)
	}
}

func TestGraphOptionNamesTheSourceOfEveryEntity(t *testing.T) {
	s := newStack(t)
	g := "http://example.org/sources/partenaire"
	if _, err := importFile(t, s, "testdata/mixed.nq", rdf.Options{Format: rdf.NQuads, Graph: g}); err != nil {
		t.Fatal(err)
	}
	for _, iri := range []string{"http://example.org/ref/demo/c1", "http://example.org/res/1", "http://example.org/ref/demo"} {
		if e := s.Get(t, iri); e == nil || e.First(ontology.InDataset) != g {
			t.Errorf("%s is not in %s", iri, g)
		}
	}
	if s.Get(t, g) == nil || s.Get(t, "http://example.org/graphs/demo") != nil {
		t.Error("--graph must replace the file's graph labels")
	}
}

func asError(err error, target **domain.Error) bool {
	de, ok := err.(*domain.Error)
	if ok {
		*target = de
	}
	return ok
}

// A cancelled import stops with the context's error and writes nothing.
func TestACancelledImportWritesNothing(t *testing.T) {
	s := newStack(t)
	before := s.Seq(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f, err := os.Open("testdata/mixed.nq")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, err = rdf.Import(ctx, f, rdf.Options{Format: rdf.NQuads, Sink: s.Sink, Codec: s.Codec})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if s.Seq(t) != before {
		t.Error("a cancelled import wrote something")
	}
}
