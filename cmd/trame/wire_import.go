package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/httpapi"
)

// wireImport adds imports through the server: the /admin/import endpoints
// over the importers' catalog sink. The catalog does not exist yet when
// the wire functions run, so the service reaches it through the app.
func wireImport(a *app, cfg *config, log *slog.Logger) error {
	a.api.Importer = &importService{a: a}
	return nil
}

// importService implements httpapi.ImportService over a sink.Local.
type importService struct {
	a    *app
	once sync.Once
	l    *sink.Local
	err  error
}

var _ httpapi.ImportService = (*importService)(nil)

func (s *importService) local() (*sink.Local, error) {
	s.once.Do(func() { s.l, s.err = sink.NewLocal(s.a.catalog) })
	return s.l, s.err
}

// Import decodes the batch's entities and applies it.
func (s *importService) Import(ctx context.Context, b httpapi.ImportBatch) (httpapi.ImportResult, error) {
	const op = "import"
	l, err := s.local()
	if err != nil {
		return httpapi.ImportResult{}, err
	}
	codec := s.a.catalog.Codec()
	var puts []*domain.Entity
	var fields []domain.FieldError
	for i, se := range b.Entities {
		if !strings.Contains(se.IRI, "://") {
			fields = append(fields, domain.FieldError{Path: fmt.Sprintf("/entities/%d/iri", i), Message: fmt.Sprintf("%q is not an absolute IRI", se.IRI)})
			continue
		}
		e, err := codec.DecodeStored(se.IRI, se.Doc)
		if err != nil || len(e.Triples) == 0 {
			fields = append(fields, domain.FieldError{Path: fmt.Sprintf("/entities/%d/doc", i), Message: "not the expanded JSON-LD of " + se.IRI})
			continue
		}
		puts = append(puts, e)
	}
	if len(b.Document) > 0 {
		ents, err := codec.Decode(b.Document, nil)
		if err != nil {
			return httpapi.ImportResult{}, err
		}
		puts = append(puts, ents...)
	}
	if len(fields) > 0 {
		return httpapi.ImportResult{}, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "the batch has unreadable entities; nothing was written", Fields: fields}
	}
	res, err := l.Apply(ctx, sink.Batch{Puts: puts, Deletes: b.Deletes, Partial: b.Partial})
	if err != nil {
		return httpapi.ImportResult{}, err
	}
	out := httpapi.ImportResult{Written: res.Written, Deleted: res.Deleted}
	for _, r := range res.Rejected {
		out.Rejected = append(out.Rejected, httpapi.ImportRejection{IRI: r.IRI, Errors: r.Errors})
	}
	return out, nil
}

// Lookup returns the stored documents of the IRIs that exist.
func (s *importService) Lookup(ctx context.Context, iris []string) ([]httpapi.ImportEntity, error) {
	out := []httpapi.ImportEntity{}
	for _, iri := range iris {
		rec, err := s.a.catalog.Store().Get(ctx, iri)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, httpapi.ImportEntity{IRI: rec.IRI, Doc: json.RawMessage(rec.Doc)})
	}
	return out, nil
}

// List returns a page of stored documents of a collection.
func (s *importService) List(ctx context.Context, c domain.Collection, after string, limit int) ([]httpapi.ImportEntity, error) {
	recs, err := s.a.catalog.Store().List(ctx, c, after, limit, true)
	if err != nil {
		return nil, err
	}
	out := make([]httpapi.ImportEntity, 0, len(recs))
	for _, rec := range recs {
		out = append(out, httpapi.ImportEntity{IRI: rec.IRI, Doc: json.RawMessage(rec.Doc)})
	}
	return out, nil
}

// GetMeta reads an importer meta key.
func (s *importService) GetMeta(ctx context.Context, key string) ([]byte, error) {
	l, err := s.local()
	if err != nil {
		return nil, err
	}
	return l.GetMeta(ctx, key)
}

// PutMeta writes an importer meta key.
func (s *importService) PutMeta(ctx context.Context, key string, value []byte) error {
	l, err := s.local()
	if err != nil {
		return err
	}
	return l.PutMeta(ctx, key, value)
}

// SwapMeta sets an importer meta key to new if its value is old.
func (s *importService) SwapMeta(ctx context.Context, key string, old, new []byte) error {
	l, err := s.local()
	if err != nil {
		return err
	}
	return l.SwapMeta(ctx, key, old, new)
}

// harvestList is the repeatable --harvest flag: source=URL.
type harvestList []string

func (h *harvestList) String() string { return strings.Join(*h, ",") }

func (h *harvestList) Set(v string) error {
	src, u, ok := strings.Cut(v, "=")
	if !ok || src != "lesbases" || !strings.HasPrefix(u, "http") {
		return fmt.Errorf("--harvest takes lesbases=URL (the only scheduled source), not %q", v)
	}
	*h = append(*h, v)
	return nil
}

// firstHarvestDelay is how long after start the first scheduled harvest
// begins (a variable so tests can shorten it).
var firstHarvestDelay = time.Minute

// MinHarvestEvery is the shortest interval of scheduled harvests: a full
// harvest of Les Bases at the polite rate takes minutes.
const MinHarvestEvery = 10 * time.Minute

// startHarvests runs the scheduled harvests of cfg.Harvest every
// cfg.HarvestEvery, the first one a minute after start, one at a time,
// until ctx ends. The returned function stops them (an interrupted harvest
// resumes on the next run) and waits until they have stopped.
func startHarvests(ctx context.Context, a *app, cfg *config, log *slog.Logger) func() {
	if len(cfg.Harvest) == 0 {
		return func() {}
	}
	l, err := sink.NewLocal(a.catalog)
	if err != nil {
		log.Error("harvests disabled", "err", err)
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wait := firstHarvestDelay
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = cfg.HarvestEvery
			for _, h := range cfg.Harvest {
				_, site, _ := strings.Cut(h, "=")
				harvestOnce(ctx, l, site, log)
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}

// scheduledHolder names the scheduled harvest in its lease, so that a
// manual harvest it refuses says who runs.
const scheduledHolder = "trame serve (scheduled harvest)"

func harvestOnce(ctx context.Context, l *sink.Local, site string, log *slog.Logger) {
	log.Info("harvest started", "source", "lesbases", "site", site)
	sum, err := lesbases.Harvest(ctx, lesbases.Options{Site: site, Sink: l, Holder: scheduledHolder,
		Client: lesbases.NewClient(lesbases.ClientOptions{Version: version})})
	attrs := []any{"site", site, "new", sum.New, "updated", sum.Updated, "unchanged", sum.Unchanged,
		"removed", sum.Removed, "failed", len(sum.Failed), "requests", sum.Requests, "seconds", int(sum.Seconds)}
	if sum.Refused != "" {
		log.Warn("harvest refused, nothing changed", "site", site, "reason", sum.Refused)
		return
	}
	if err != nil {
		log.Error("harvest failed, nothing changed", append(attrs, "err", err)...)
		return
	}
	log.Info("harvest done", attrs...)
}
