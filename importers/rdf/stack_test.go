package rdf_test

import (
	"context"
	"testing"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/domain"
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

func newStack(t testing.TB) *stack { return newStackOf(t, false) }

// newLeanStack wires no graph view: validation reads the store, as
// `trame import` on a data directory does.
func newLeanStack(t testing.TB) *stack { return newStackOf(t, true) }

func newStackOf(t testing.TB, lean bool) *stack {
	t.Helper()
	c := catalogtest.New(t, catalogtest.Options{Lean: lean, Sets: []bundled.Set{bundled.Reference}})
	l, err := sink.NewLocal(c.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	return &stack{store: c.Store, cat: c.Catalog, sink: l, codec: c.Codec}
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
