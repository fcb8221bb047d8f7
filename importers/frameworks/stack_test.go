package frameworks_test

import (
	"context"
	"os"
	"testing"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/store"
)

// The tests import through the real stack (badger in a temporary
// directory, the cayley graph view, the catalog); withReference loads the
// bundled reference data first (the CRCN, DigComp, the levels).

const base = "http://localhost:8080/"

type stack struct {
	store *store.Badger
	cat   *catalog.Catalog
	sink  *sink.Local
	codec *jsonld.Codec
}

func newStack(t testing.TB, withReference bool) *stack {
	t.Helper()
	opts := catalogtest.Options{}
	if withReference {
		opts.Sets = []bundled.Set{bundled.Reference}
	}
	c := catalogtest.New(t, opts)
	l, err := sink.NewLocal(c.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	return &stack{store: c.Store, cat: c.Catalog, sink: l, codec: c.Codec}
}

func (s *stack) get(t testing.TB, iri string) *domain.Entity {
	t.Helper()
	got, err := s.sink.Get(context.Background(), []string{iri})
	if err != nil {
		t.Fatal(err)
	}
	return got[iri]
}

func (s *stack) seq(t testing.TB) uint64 {
	n, _ := s.store.LastSeq(context.Background())
	return n
}

// reference returns a file of ../shared/reference, skipping when it is
// absent outside CI.
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

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
