package rdf_test

import (
	"context"
	"testing"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/store"
)

// The tests import through the real stack: badger in a temporary
// directory, the cayley graph view, the catalog, the bundled reference data.

const base = "http://localhost:8080/"

type stack struct {
	store *store.Badger
	cat   *catalog.Catalog
	sink  *sink.Local
	codec *jsonld.Codec
}

func newStack(t testing.TB) *stack {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g := graph.New()
	codec := jsonld.New(base)
	cat, err := catalog.New(catalog.Config{Store: st, Codec: codec, Lookup: g, Views: []domain.View{g}, BaseIRI: base})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bundled.Load(context.Background(), cat, bundled.Reference); err != nil {
		t.Fatal(err)
	}
	l, err := sink.NewLocal(cat)
	if err != nil {
		t.Fatal(err)
	}
	return &stack{store: st, cat: cat, sink: l, codec: codec}
}

func (s *stack) seq(t testing.TB) uint64 {
	n, err := s.store.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (s *stack) has(t testing.TB, iri string) *domain.Entity {
	t.Helper()
	got, err := s.sink.Get(context.Background(), []string{iri})
	if err != nil {
		t.Fatal(err)
	}
	return got[iri]
}
