package catalog

import (
	"context"

	"github.com/trame-commun/trame/internal/domain"
)

// syncPage is how many changes a view catch-up reads at a time.
const syncPage = 1000

// Sync brings every view up to the store's last sequence.
func (c *Catalog) Sync(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.syncLocked(ctx)
}

// Rebuild drops every view and rebuilds it from the store (trame reindex).
func (c *Catalog) Rebuild(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range c.views {
		if err := v.Reset(ctx); err != nil {
			return err
		}
	}
	return c.syncLocked(ctx)
}

func (c *Catalog) syncLocked(ctx context.Context) error {
	defer func() { c.fresh = nil }()
	for _, v := range c.views {
		if err := c.catchUp(ctx, v); err != nil {
			return domain.Wrap("catalog.Sync", domain.KindInternal, err)
		}
	}
	return nil
}

// decode returns the entity of rec, from the just-written cache when it
// holds that very version.
func (c *Catalog) decode(rec domain.Record) (*domain.Entity, error) {
	if f, ok := c.fresh[rec.IRI]; ok && f.version == rec.Version {
		return f.entity, nil
	}
	return c.codec.DecodeStored(rec.IRI, rec.Doc)
}

// catchUp applies to v every change after its LastSeq, a page at a time.
// Within a page only the last change of each IRI matters: the entity is put
// with its current record, or deleted.
func (c *Catalog) catchUp(ctx context.Context, v domain.View) error {
	for {
		changes, err := c.store.Changes(ctx, v.LastSeq(), syncPage)
		if err != nil || len(changes) == 0 {
			return err
		}
		last := map[string]domain.Change{}
		var order []string
		for _, ch := range changes {
			if _, seen := last[ch.IRI]; !seen {
				order = append(order, ch.IRI)
			}
			last[ch.IRI] = ch
		}
		var puts []domain.ViewEntity
		var deletes []string
		for _, iri := range order {
			rec, err := c.store.Get(ctx, iri)
			if domain.IsKind(err, domain.KindNotFound) {
				deletes = append(deletes, iri)
				continue
			}
			if err != nil {
				return err
			}
			e, err := c.decode(rec)
			if err != nil {
				return err
			}
			puts = append(puts, domain.ViewEntity{Entity: e, Record: rec})
		}
		if err := v.Apply(ctx, changes[len(changes)-1].Seq, puts, deletes); err != nil {
			return err
		}
	}
}
