package frameworks_test

import (
	"os"
	"testing"

	"github.com/trame-commun/trame/importers/sink/sinktest"
	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
)

// The tests import through the real stack (badger in a temporary
// directory, the cayley graph view, the catalog); withReference loads the
// bundled reference data first (the CRCN, DigComp, the levels).

const base = catalogtest.Base

type stack = sinktest.Stack

func newStack(t testing.TB, withReference bool) *stack {
	t.Helper()
	opts := catalogtest.Options{}
	if withReference {
		opts.Sets = []bundled.Set{bundled.Reference}
	}
	return sinktest.New(t, opts)
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
