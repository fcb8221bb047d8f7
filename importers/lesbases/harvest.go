// Package lesbases harvests Les Bases (lesbases.anct.gouv.fr), where the
// Commun's resources are published, into Trame: bases become publisher
// organisations and public, published resources become learning resources,
// with their facets mapped to the bundled vocabularies and their contents
// kept as markdown and as structured blocks.
//
// A run is incremental, polite and safe: it takes the site's lease so
// that no other harvest of the site runs at the same time, reads both
// lists, refuses to remove more than a share of the known items (the
// mass-delete guard), fetches the markdown only of items whose "updated"
// changed (staging each document so that a killed run does not fetch it
// again), skips content whose digest did not change, and commits every put
// and delete of the run in one batch before it records its state. A refused or failed run writes
// nothing; a run killed at any point ends, on the next run, in the state an
// uninterrupted run gives. See docs/importers.md.
package lesbases

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
)

// Defaults of a harvest.
const (
	DefaultSite           = "https://lesbases.anct.gouv.fr"
	DefaultMaxDeleteShare = 0.2 // of the known items of each kind, per run
	// Workers is how many markdown documents are fetched at once; the rate
	// limit, not this, bounds the request rate.
	Workers = 5
)

// Progress receives the progress of the fetch phase. Calls are serialised.
type Progress interface {
	Begin(total int)
	Step(kind Kind, id string, err error)
	End()
}

// Options configure a harvest.
type Options struct {
	Site            string // Les Bases address, e.g. DefaultSite
	Client          *Client
	Sink            sink.Sink
	Vocab           *Vocab  // nil means DefaultVocab
	MaxDeleteShare  float64 // 0 means DefaultMaxDeleteShare
	AllowMassDelete bool
	Now             func() time.Time // nil means time.Now (the harvest clock of provenance; leases use the wall clock)
	Progress        Progress         // may be nil
	// Holder says what runs the harvest in its lease, for the message of a
	// run it refuses ("" means the program's name).
	Holder string
	// LeaseTTL is how long the run's lease lasts without renewal; 0 means
	// DefaultLeaseTTL. It is renewed every third of it.
	LeaseTTL time.Duration
}

// planned is one visible item the run must read.
type planned struct {
	kind  Kind
	item  Item
	iri   string
	prev  *itemState
	md    string // the markdown, once fetched or restored from staging
	ok    bool
	stage bool // restored from staging: no request made
}

// run is the working state of one harvest.
type run struct {
	opts    Options
	keys    keys
	mapper  Mapper
	started time.Time
	sum     *Summary
	state   *harvestState
	lease   *held
	mu      sync.Mutex
}

// Harvest runs one harvest and returns its summary. The error is non-nil
// when the run was refused (KindConflict) because another harvest of the
// site holds the lease or by the mass-delete guard, could not read the
// lists, lost its lease, or could not commit; in each of those cases
// nothing was written. The lease is taken before the first request and
// released when the run ends, however it ends.
func Harvest(ctx context.Context, opts Options) (*Summary, error) {
	if opts.Site == "" {
		opts.Site = DefaultSite
	}
	if opts.Vocab == nil {
		opts.Vocab = DefaultVocab
	}
	if opts.MaxDeleteShare == 0 {
		opts.MaxDeleteShare = DefaultMaxDeleteShare
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Client == nil {
		opts.Client = NewClient(ClientOptions{})
	}
	if opts.LeaseTTL == 0 {
		opts.LeaseTTL = DefaultLeaseTTL
	}
	r := &run{opts: opts, keys: keysFor(opts.Site), mapper: Mapper{BaseIRI: opts.Sink.BaseIRI(), Vocab: opts.Vocab},
		started: opts.Now().UTC().Truncate(time.Second)}
	r.sum = &Summary{Site: opts.Site, Started: r.started, Failed: []Failure{}, Listed: map[Kind]int{}, Visible: map[Kind]int{}}
	err := r.leased(ctx)
	r.sum.Requests, r.sum.Retries = opts.Client.Requests(), opts.Client.Retries()
	r.sum.Seconds = opts.Now().Sub(r.started).Seconds()
	r.sum.sortLists()
	if err != nil && r.sum.Refused == "" {
		r.sum.Error = err.Error()
	}
	return r.sum, err
}

// leased runs the harvest under the site's lease: it refuses to start
// while another run holds it, renews it in the background, and releases it
// at the end. A run that loses its lease is cancelled and reports why.
func (r *run) leased(ctx context.Context) error {
	if r.opts.LeaseTTL < 0 {
		return domain.Errorf("lesbases", domain.KindInvalid, "the lease time to live must be positive, not %s", r.opts.LeaseTTL)
	}
	mine, err := newLease(r.opts.Holder, r.opts.LeaseTTL)
	if err != nil {
		return err
	}
	h, other, err := takeLease(ctx, r.opts.Sink, r.keys.lease(), mine, r.opts.LeaseTTL)
	if err != nil {
		return err
	}
	if other != nil {
		r.sum.Refused, r.sum.Lease = refusal(r.opts.Site, other), other
		return domain.Errorf("lesbases", domain.KindConflict, "%s", r.sum.Refused)
	}
	r.lease = h
	runCtx, lost := context.WithCancelCause(ctx)
	stop := h.keep(runCtx, lost)
	err = r.harvest(runCtx)
	stop()
	if cause := context.Cause(runCtx); err != nil && cause != nil && ctx.Err() == nil {
		err = cause // the lease was lost: say so rather than "context canceled"
	}
	lost(nil)
	_ = h.release(ctx) // a lease not released expires by itself
	return err
}

func (r *run) harvest(ctx context.Context) error {
	lists := map[Kind][]Item{}
	for _, k := range []Kind{BaseKind, ResourceKind} {
		items, err := r.fetchList(ctx, k)
		if err != nil {
			return err
		}
		lists[k] = items
		r.sum.Listed[k] = len(items)
	}
	st, err := loadState(ctx, r.opts.Sink, r.keys, r.opts.Site)
	if err != nil {
		return err
	}
	r.state = st
	todo, removals, err := r.plan(lists)
	if err != nil {
		return err
	}
	r.fetchAll(ctx, todo)
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.commit(ctx, todo, removals)
}

// fetchList reads one list endpoint.
func (r *run) fetchList(ctx context.Context, k Kind) ([]Item, error) {
	path := "/api/v1/resources"
	if k == BaseKind {
		path = "/api/v1/bases"
	}
	u := trimSlash(r.opts.Site) + path
	resp, err := r.opts.Client.Get(ctx, u, "application/json", MaxList)
	if err != nil {
		return nil, domain.Wrap("lesbases", domain.KindUnavailable, fmt.Errorf("reading the list of %ss: %w", k, err))
	}
	items, err := parseList(u, resp)
	if err != nil {
		return nil, domain.Wrap("lesbases", domain.KindUnavailable, err)
	}
	return items, nil
}

// plan decides which items to read and which stored items to remove, and
// applies the mass-delete guard before anything is written.
func (r *run) plan(lists map[Kind][]Item) ([]*planned, []*itemState, error) {
	visible := map[string]bool{}
	var todo []*planned
	for _, k := range []Kind{BaseKind, ResourceKind} {
		for _, it := range lists[k] {
			if !it.Visible(k) {
				continue
			}
			r.sum.Visible[k]++
			key := itemKey(k, it.ID)
			visible[key] = true
			iri := pageURL(r.opts.Site, k, it)
			prev := r.state.Items[key]
			if prev != nil && prev.Updated == it.Updated && prev.IRI == iri {
				r.sum.Unchanged++
				continue
			}
			todo = append(todo, &planned{kind: k, item: it, iri: iri, prev: prev})
		}
	}
	var removals []*itemState
	known, removed := map[Kind]int{}, map[Kind]int{}
	for _, key := range slices.Sorted(maps.Keys(r.state.Items)) {
		s := r.state.Items[key]
		known[s.Kind]++
		if !visible[key] {
			removals = append(removals, s)
			removed[s.Kind]++
		}
	}
	for _, k := range []Kind{BaseKind, ResourceKind} {
		if known[k] == 0 || removed[k] == 0 || r.opts.AllowMassDelete {
			continue
		}
		if share := float64(removed[k]) / float64(known[k]); share > r.opts.MaxDeleteShare {
			r.sum.Refused = fmt.Sprintf("this run would remove %d of the %d known %ss (%.0f%%, over the limit of %.0f%%): "+
				"Les Bases may be answering a partial list. Check it, then run again with --allow-mass-delete (or raise --max-delete-share) if the removals are real",
				removed[k], known[k], k, 100*share, 100*r.opts.MaxDeleteShare)
			return nil, nil, domain.Errorf("lesbases", domain.KindConflict, "%s", r.sum.Refused)
		}
	}
	return todo, removals, nil
}

// fetchAll reads the markdown of every planned item, Workers at a time,
// restoring documents staged by an earlier, interrupted run. It stops
// early when ctx ends.
func (r *run) fetchAll(ctx context.Context, todo []*planned) {
	if p := r.opts.Progress; p != nil {
		p.Begin(len(todo))
		defer p.End()
	}
	jobs := make(chan *planned)
	var wg sync.WaitGroup
	for w := 0; w < Workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				err := r.fetchOne(ctx, p)
				if ctx.Err() != nil {
					continue
				}
				r.mu.Lock()
				if err != nil {
					r.sum.Failed = append(r.sum.Failed, Failure{Kind: p.kind, ID: p.item.ID, URL: p.iri, Reason: err.Error()})
				}
				if pr := r.opts.Progress; pr != nil {
					pr.Step(p.kind, p.item.ID, err)
				}
				r.mu.Unlock()
			}
		}()
	}
	for _, p := range todo {
		if ctx.Err() != nil {
			break
		}
		jobs <- p
	}
	close(jobs)
	wg.Wait()
}

func (r *run) fetchOne(ctx context.Context, p *planned) error {
	s := r.opts.Sink
	if st, err := loadStaged(ctx, s, r.keys, p.kind, p.item.ID); err != nil {
		return err
	} else if st != nil && st.Updated == p.item.Updated {
		p.md, p.ok, p.stage = st.Markdown, true, true
		return nil
	}
	get := r.opts.Client.Get
	if r.state.Failed[itemKey(p.kind, p.item.ID)] == p.item.Updated {
		get = r.opts.Client.GetOnce // failed last time at this version: one attempt
	}
	resp, err := get(ctx, markdownURL(r.opts.Site, p.kind, p.item), "text/markdown, text/plain;q=0.5", MaxMarkdown)
	if err != nil {
		return err
	}
	if err := checkMarkdownType(resp.ContentType); err != nil {
		return err
	}
	p.md, p.ok = string(resp.Body), true
	return putStaged(ctx, s, r.keys, p.kind, p.item.ID, staged{Updated: p.item.Updated, Markdown: p.md})
}

// checkMarkdownType refuses an answer that is obviously not markdown (an
// HTML error page or an image served with 200).
func checkMarkdownType(ct string) error {
	if ct == "" {
		return nil
	}
	for _, ok := range []string{"text/markdown", "text/plain", "text/x-markdown"} {
		if len(ct) >= len(ok) && ct[:len(ok)] == ok {
			return nil
		}
	}
	return fmt.Errorf("the markdown was answered as %q, not text/markdown", ct)
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
