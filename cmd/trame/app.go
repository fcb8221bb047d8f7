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
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/store"
)

// app is the wired service: the store, the views and the catalog over them.
type app struct {
	store   *store.Badger
	graph   *graph.Graph
	catalog *catalog.Catalog
}

// openApp opens the store in cfg.Data and wires the views and the catalog.
// It does not catch the views up: call boot.
func openApp(cfg *config, log *slog.Logger) (*app, error) {
	st, err := store.Open(store.Options{Dir: cfg.Data, SyncWrites: cfg.SyncWrites})
	if err != nil {
		return nil, err
	}
	g := graph.New()
	cat, err := catalog.New(catalog.Config{
		Store: st, Codec: jsonld.New(cfg.BaseIRI), Lookup: g,
		Views: []domain.View{g}, BaseIRI: cfg.BaseIRI,
	})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &app{store: st, graph: g, catalog: cat}, nil
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
	quads, ents := a.graph.Size()
	log.Info("views ready", "entities", ents, "quads", quads, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (a *app) close() error { return a.store.Close() }

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
