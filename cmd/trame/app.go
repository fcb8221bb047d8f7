package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/store"
)

// app is the wired service: the store, the views and the catalog over them.
// Each surface adds its views, HTTP services and closers in its own wire
// function (wire_*.go), called in order by openApp.
type app struct {
	store   *store.Badger
	graph   *graph.Graph
	catalog *catalog.Catalog
	views   []domain.View  // the graph first; every view the catalog keeps current
	api     httpapi.Config // services for the HTTP layer, filled by the wire functions
	closers []func() error // run in reverse order by close
}

// wirings add the surfaces to the app, in order; each may read what the
// previous ones set.
var wirings = []func(a *app, cfg *config, log *slog.Logger) error{
	wireSearch,
	wireCompetency,
	wireOpenData,
	wireImport,
	wireWeb,
}

// openApp opens the store in cfg.Data and wires the views and the catalog.
// It does not catch the views up: call boot.
func openApp(cfg *config, log *slog.Logger) (*app, error) {
	st, err := store.Open(store.Options{Dir: cfg.Data, SyncWrites: cfg.SyncWrites})
	if err != nil {
		return nil, err
	}
	g := graph.New()
	a := &app{store: st, graph: g, views: []domain.View{g}}
	a.closers = append(a.closers, st.Close)
	for _, wire := range wirings {
		if err := wire(a, cfg, log); err != nil {
			a.close()
			return nil, err
		}
	}
	a.catalog, err = catalog.New(catalog.Config{
		Store: st, Codec: jsonld.New(cfg.BaseIRI), Lookup: g,
		Views: a.views, BaseIRI: cfg.BaseIRI,
	})
	if err != nil {
		a.close()
		return nil, err
	}
	a.api.Catalog = a.catalog
	return a, nil
}

// openLean opens the store in cfg.Data with the catalog alone, for
// `trame import` on a data directory: no view is opened, validation reads
// the store (catalog.StoreLookup), and the views catch up from the change
// log when the service next starts. An import's memory is then the
// importer's and badger's, not the in-memory graph view's.
func openLean(ctx context.Context, cfg *config) (*app, error) {
	st, err := store.Open(store.Options{Dir: cfg.Data, SyncWrites: cfg.SyncWrites})
	if err != nil {
		return nil, err
	}
	a := &app{store: st, closers: []func() error{st.Close}}
	codec := jsonld.New(cfg.BaseIRI)
	look, err := catalog.NewStoreLookup(ctx, st, codec)
	if err == nil {
		a.catalog, err = catalog.New(catalog.Config{Store: st, Codec: codec, Lookup: look,
			Views: []domain.View{look}, BaseIRI: cfg.BaseIRI})
	}
	if err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// boot catches the views up with the store and, on first start, loads the
// bundled reference data (and the sample catalogue when sample is set).
func (a *app) boot(ctx context.Context, sample bool, log *slog.Logger) error {
	start := time.Now()
	if err := a.catalog.Sync(ctx); err != nil {
		return err
	}
	sets := []bundled.Set{bundled.Reference}
	if sample {
		sets = append(sets, bundled.Sample)
	}
	for _, set := range sets {
		rep, err := bundled.Load(ctx, a.catalog, set)
		if err != nil {
			return err
		}
		if !rep.Skipped {
			log.Info("loaded bundled data", "set", set, "files", rep.Files, "entities", rep.Entities)
		}
	}
	if a.graph != nil {
		quads, ents := a.graph.Size()
		log.Info("views ready", "entities", ents, "quads", quads, "took", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// close runs the closers in reverse order and returns the first error.
func (a *app) close() error {
	var first error
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](); err != nil && first == nil {
			first = err
		}
	}
	a.closers = nil
	return first
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := flagSet("reindex", &cfg, stderr, "data", "base-iri")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	log := newLogger("text", stderr)
	a, err := openApp(&cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	start := time.Now()
	if err := a.catalog.Rebuild(ctx); err != nil {
		return err
	}
	quads, ents := a.graph.Size()
	fmt.Fprintf(stdout, "reindexed %d entities (%d quads) in %s\n", ents, quads, time.Since(start).Round(time.Millisecond))
	return nil
}
