package lesbases_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/store"
)

// The tests run the harvester against the real stack: a badger store in a
// temporary directory, the cayley graph view and the catalog, loaded with
// the bundled reference data (the facet vocabularies).

const base = "http://localhost:8080/"

type stack struct {
	dir   string
	store *store.Badger
	cat   *catalog.Catalog
	sink  *sink.Local
}

func openStack(t testing.TB, dir string) *stack {
	t.Helper()
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	g := graph.New()
	cat, err := catalog.New(catalog.Config{Store: st, Codec: jsonld.New(base), Lookup: g, Views: []domain.View{g}, BaseIRI: base})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := cat.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := bundled.Load(ctx, cat, bundled.Reference); err != nil {
		t.Fatal(err)
	}
	l, err := sink.NewLocal(cat)
	if err != nil {
		t.Fatal(err)
	}
	return &stack{dir: dir, store: st, cat: cat, sink: l}
}

func newStack(t testing.TB) *stack {
	s := openStack(t, t.TempDir())
	t.Cleanup(func() { s.store.Close() })
	return s
}

// fixedNow is the harvest clock of the tests, so that two runs' provenance
// compare equal.
func fixedNow() time.Time { return time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC) }

// fastClient is a client without politeness delays and with short backoff.
func fastClient() *lesbases.Client {
	return lesbases.NewClient(lesbases.ClientOptions{Rate: lesbases.Rate{N: 1000, Per: time.Millisecond},
		Backoff: 5 * time.Millisecond, MaxRetries: 2})
}

func harvest(t testing.TB, ctx context.Context, s *stack, site string, mod func(*lesbases.Options)) (*lesbases.Summary, error) {
	t.Helper()
	opts := lesbases.Options{Site: site, Client: fastClient(), Sink: s.sink, Now: fixedNow}
	if mod != nil {
		mod(&opts)
	}
	return lesbases.Harvest(ctx, opts)
}

// snapshot is the whole observable state: every record's canonical
// description and the harvest state document.
func snapshot(t testing.TB, s *stack, site string) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	err := s.store.Scan(ctx, func(r domain.Record) error {
		e, err := s.cat.Entity(r)
		if err != nil {
			return err
		}
		out[r.IRI] = sink.Canonical(e, nil)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.sink.GetMeta(ctx, lesbases.StateKey(site))
	if err == nil {
		var v any
		_ = json.Unmarshal(b, &v)
		nb, _ := json.Marshal(v)
		out["meta:state"] = string(nb)
	}
	return out
}

func canonical(e *domain.Entity) string { return sink.Canonical(e, nil) }
