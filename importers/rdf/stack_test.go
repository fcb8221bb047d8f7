package rdf_test

import (
	"testing"

	"github.com/trame-commun/trame/importers/sink/sinktest"
	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
)

// The tests import through the real stack: badger in a temporary
// directory, the cayley graph view, the catalog, the bundled reference data.

type stack = sinktest.Stack

func newStack(t testing.TB) *stack { return newStackOf(t, false) }

// newLeanStack wires no graph view: validation reads the store, as
// `trame import` on a data directory does.
func newLeanStack(t testing.TB) *stack { return newStackOf(t, true) }

func newStackOf(t testing.TB, lean bool) *stack {
	t.Helper()
	return sinktest.New(t, catalogtest.Options{Lean: lean, Sets: []bundled.Set{bundled.Reference}})
}
