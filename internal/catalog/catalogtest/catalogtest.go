// Package catalogtest wires the real core of Trame for tests of the packages
// built on it: badger on a temporary directory, the cayley graph view, the
// JSON-LD codec and the catalog, with the bundled data sets asked for. Tests
// never mock the store or the graph (DESIGN.md: real parts where users would
// have them).
package catalogtest

import (
	"context"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/store"
)

// Base is the base IRI of test stacks unless Options.Base says otherwise.
const Base = "http://localhost:8080/"

// Options shape a test stack. The zero value is a stack on a new temporary
// directory under Base with no bundled data.
type Options struct {
	Base  string        // base IRI; Base when empty
	Dir   string        // data directory; t.TempDir() when empty
	Sets  []bundled.Set // bundled data loaded before the test
	Views []domain.View // views kept after the graph, in order
	// Lean wires no graph view: the catalog answers validation from the
	// store (catalog.StoreLookup), as `trame import` on a data directory
	// does. Views are ignored and Stack.Graph is nil.
	Lean bool
}

// Stack is a wired core. Its store is closed when the test ends.
type Stack struct {
	Dir     string
	Store   *store.Badger
	Graph   *graph.Graph
	Codec   *jsonld.Codec
	Catalog *catalog.Catalog
}

// New wires a stack for t and loads the bundled sets of opts; any failure
// ends the test.
func New(t testing.TB, opts Options) *Stack {
	t.Helper()
	if opts.Base == "" {
		opts.Base = Base
	}
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	st, err := store.Open(store.Options{Dir: opts.Dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	codec := jsonld.New(opts.Base)
	cfg := catalog.Config{Store: st, Codec: codec, BaseIRI: opts.Base}
	var g *graph.Graph
	if opts.Lean {
		look, err := catalog.NewStoreLookup(context.Background(), st, codec)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Lookup, cfg.Views = look, []domain.View{look}
	} else {
		g = graph.New()
		cfg.Lookup, cfg.Views = g, append([]domain.View{g}, opts.Views...)
	}
	cat, err := catalog.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range opts.Sets {
		if _, err := bundled.Load(context.Background(), cat, set); err != nil {
			t.Fatal(err)
		}
	}
	return &Stack{Dir: opts.Dir, Store: st, Graph: g, Codec: codec, Catalog: cat}
}
