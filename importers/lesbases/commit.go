package lesbases

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// candidate is a planned item whose markdown was read and parsed.
type candidate struct {
	p      *planned
	hash   string
	entity *domain.Entity // nil when the digest says nothing changed
	next   *itemState     // the state to record once committed
}

// commit builds the entities of the read items, writes every change of the
// run in one batch, then records the new state and drops the staged
// documents.
func (r *run) commit(ctx context.Context, todo []*planned, removals []*itemState) error {
	removed := map[string]bool{}
	for _, s := range removals {
		removed[s.IRI] = true
	}
	cands := r.build(todo, removed)
	puts, deletes, err := r.diff(ctx, cands, removals)
	if err != nil {
		return err
	}
	if err := r.confirmLease(ctx); err != nil {
		return err
	}
	res, err := r.opts.Sink.Apply(ctx, sink.Batch{Puts: puts, Deletes: deletes, Partial: true})
	if err != nil {
		return err
	}
	rejected := map[string]bool{}
	for _, rej := range res.Rejected {
		rejected[rej.IRI] = true
	}
	next := map[string]*itemState{}
	for k, v := range r.state.Items {
		next[k] = v
	}
	for _, s := range removals {
		delete(next, itemKey(s.Kind, s.ID))
	}
	for _, c := range cands {
		if c.next == nil {
			continue
		}
		if rejected[c.p.iri] {
			r.fail(c.p, "the entity does not satisfy Trame's shapes: "+reasons(res.Rejected, c.p.iri))
			continue
		}
		next[itemKey(c.p.kind, c.p.item.ID)] = c.next
	}
	r.sum.Removed = len(removals)
	r.state.Items = next
	r.state.Failed = map[string]string{}
	updated := map[string]string{}
	for _, p := range todo {
		updated[itemKey(p.kind, p.item.ID)] = p.item.Updated
	}
	for _, f := range r.sum.Failed {
		key := itemKey(f.Kind, f.ID)
		r.state.Failed[key] = updated[key]
	}
	if err := saveState(ctx, r.opts.Sink, r.keys, r.state); err != nil {
		return err
	}
	for _, p := range todo {
		if p.ok {
			if err := r.opts.Sink.PutMeta(ctx, r.keys.staged(p.kind, p.item.ID), nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// confirmLease renews the lease right before the batch is written, so that
// a run whose lease was taken over while it was paused (longer than the
// lease's time to live) never writes over the run that took it.
func (r *run) confirmLease(ctx context.Context) error {
	err := r.lease.renew(ctx)
	if domain.IsKind(err, domain.KindPrecondition) {
		return r.lease.lostError("another run took it over", err)
	}
	if err != nil {
		return domain.Wrap("lesbases", domain.KindUnavailable, fmt.Errorf("confirming the lease before writing: %w", err))
	}
	return nil
}

// build parses the read items (bases first, so resources can name their
// publisher) and maps those whose content digest changed.
func (r *run) build(todo []*planned, removed map[string]bool) []*candidate {
	baseIRI := map[string]string{} // id → IRI, for bases stored after this run
	for _, s := range r.state.Items {
		if s.Kind == BaseKind && !removed[s.IRI] {
			baseIRI[s.ID] = s.IRI
		}
	}
	var out []*candidate
	for _, p := range todo {
		if !p.ok {
			continue
		}
		var c *candidate
		if p.kind == BaseKind {
			c = r.buildBase(p)
			if c != nil {
				baseIRI[p.item.ID] = p.iri
			}
		} else {
			c = r.buildResource(p, baseIRI[p.item.BaseID])
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

func (r *run) buildBase(p *planned) *candidate {
	title, desc, err := ParseBase(p.md)
	if err != nil {
		r.fail(p, err.Error())
		return nil
	}
	c := &candidate{p: p, hash: contentHash(string(p.kind), p.iri, p.md, p.item.Created, deref(p.item.Title))}
	if !r.sameDigest(c) {
		c.entity = r.mapper.Base(p.item, p.iri, title, desc, r.started)
	}
	return c
}

func (r *run) buildResource(p *planned, publisher string) *candidate {
	doc, err := ParseResource(p.md, r.opts.Vocab)
	if err != nil {
		r.fail(p, err.Error())
		return nil
	}
	for _, n := range doc.Notes {
		r.sum.Notes = append(r.sum.Notes, Note{Kind: p.kind, ID: p.item.ID, Note: n})
	}
	c := &candidate{p: p, hash: contentHash(string(p.kind), p.iri, p.md, p.item.Created, deref(p.item.Published), deref(p.item.Title), publisher)}
	if !r.sameDigest(c) {
		c.entity = r.mapper.Resource(p.item, p.iri, doc, r.started, publisher)
	}
	return c
}

// sameDigest reports (and records) an item whose content digest is the one
// already committed: nothing to write.
func (r *run) sameDigest(c *candidate) bool {
	prev := c.p.prev
	if prev == nil || prev.Hash != c.hash || prev.IRI != c.p.iri {
		return false
	}
	next := *prev
	next.Updated = c.p.item.Updated
	c.next = &next
	r.sum.Unchanged++
	return true
}

// diff compares the built entities with the stored ones and returns what
// to write: changed entities, removed and renamed IRIs, and the dataset
// entity when it is missing.
func (r *run) diff(ctx context.Context, cands []*candidate, removals []*itemState) ([]*domain.Entity, []string, error) {
	iris := []string{r.mapper.Dataset()}
	for _, c := range cands {
		if c.entity != nil {
			iris = append(iris, c.p.iri)
		}
	}
	stored, err := sink.GetMany(ctx, r.opts.Sink, iris, sink.RemotePageIRIs)
	if err != nil {
		return nil, nil, err
	}
	var puts []*domain.Entity
	var deletes []string
	for _, s := range removals {
		deletes = append(deletes, s.IRI)
	}
	if stored[r.mapper.Dataset()] == nil { // created on the first run, never overwritten
		puts = append(puts, r.mapper.DatasetEntity(r.opts.Site))
	}
	for _, c := range cands {
		if c.entity == nil {
			continue
		}
		p := c.p
		if p.prev != nil && p.prev.IRI != p.iri {
			deletes = append(deletes, p.prev.IRI) // renamed: the old page URL goes
		}
		generated := r.started.Format(time.RFC3339)
		old := stored[p.iri]
		skip := sink.SkipRootPredicates(p.iri, ontology.GeneratedAtTime)
		switch {
		case old != nil && sink.Same(old, c.entity, skip):
			r.sum.Unchanged++
			if g := old.First(ontology.GeneratedAtTime); g != "" {
				generated = g
			}
		case p.prev != nil || old != nil:
			r.sum.Updated++
			puts = append(puts, c.entity)
		default:
			r.sum.New++
			puts = append(puts, c.entity)
		}
		c.next = &itemState{Kind: p.kind, ID: p.item.ID, IRI: p.iri, Updated: p.item.Updated, Hash: c.hash, GeneratedAt: generated}
	}
	return puts, deletes, nil
}

func (r *run) fail(p *planned, reason string) {
	r.sum.Failed = append(r.sum.Failed, Failure{Kind: p.kind, ID: p.item.ID, URL: p.iri, Reason: reason})
}

func reasons(rs []sink.Rejection, iri string) string {
	var parts []string
	for _, r := range rs {
		if r.IRI == iri {
			for _, f := range r.Errors {
				parts = append(parts, f.Path+": "+f.Message)
			}
		}
	}
	return strings.Join(parts, "; ")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
