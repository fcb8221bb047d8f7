package bundled_test

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

const base = "http://localhost:8080/"

func newCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g := graph.New()
	cat, err := catalog.New(catalog.Config{Store: st, Codec: jsonld.New(base), Lookup: g, Views: []domain.View{g}, BaseIRI: base})
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestReferenceAndSampleDataLoadAndValidate(t *testing.T) {
	ctx := context.Background()
	cat := newCatalog(t)
	for _, set := range []bundled.Set{bundled.Reference, bundled.Sample} {
		rep, err := bundled.Load(ctx, cat, set)
		if err != nil {
			t.Fatalf("%s: %v", set, err)
		}
		t.Logf("%s: %d files, %d entities", set, rep.Files, rep.Entities)
		again, err := bundled.Load(ctx, cat, set)
		if err != nil || !again.Skipped {
			t.Fatalf("second load of %s must be skipped: %+v %v", set, again, err)
		}
	}
}
