// Package sinktest gives the importers' tests the sink they write to in
// production: a sink.Local over the real test core (catalogtest: badger in
// a temporary directory, the graph view or, with Options.Lean, the store
// lookup, the catalog, the bundled sets asked for).
package sinktest

import (
	"context"
	"testing"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/domain"
)

// Stack is the test core with the local sink over its catalog.
type Stack struct {
	*catalogtest.Stack
	Sink *sink.Local
}

// New wires a stack for t; any failure ends the test.
func New(t testing.TB, opts catalogtest.Options) *Stack {
	t.Helper()
	c := catalogtest.New(t, opts)
	l, err := sink.NewLocal(c.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	return &Stack{Stack: c, Sink: l}
}

// Get returns the stored entity iri, or nil when it is not stored.
func (s *Stack) Get(t testing.TB, iri string) *domain.Entity {
	t.Helper()
	got, err := s.Sink.Get(context.Background(), []string{iri})
	if err != nil {
		t.Fatal(err)
	}
	return got[iri]
}

// Seq is the store's last change sequence: equal before and after an
// operation when it wrote nothing.
func (s *Stack) Seq(t testing.TB) uint64 {
	t.Helper()
	n, err := s.Store.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
