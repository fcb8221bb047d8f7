package bundled_test

import (
	"context"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
)

func newCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	return catalogtest.New(t, catalogtest.Options{}).Catalog
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
