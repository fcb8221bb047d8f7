package sink

import (
	"context"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
)

// ChunkSize is how many entities one store transaction holds when a batch
// is too large to be written atomically (the store refuses transactions
// over about 9 MB).
const ChunkSize = 100

// Local writes to a catalog in this process: a data directory no server
// holds, or the server's own catalog (the scheduled harvest and the import
// endpoints).
type Local struct {
	cat       *catalog.Catalog
	validator *domain.Validator
}

var _ Sink = (*Local)(nil)

// NewLocal returns a sink over cat.
func NewLocal(cat *catalog.Catalog) (*Local, error) {
	v, err := domain.NewValidator()
	if err != nil {
		return nil, err
	}
	return &Local{cat: cat, validator: v}, nil
}

// BaseIRI returns the catalog's base IRI.
func (l *Local) BaseIRI() string { return l.cat.BaseIRI() }

// Lookup returns the catalog's graph lookup.
func (l *Local) Lookup() domain.Lookup { return l.cat.Lookup() }

// Get returns the stored entities among iris.
func (l *Local) Get(ctx context.Context, iris []string) (map[string]*domain.Entity, error) {
	out := make(map[string]*domain.Entity, len(iris))
	for _, iri := range iris {
		rec, err := l.cat.Store().Get(ctx, iri)
		if domain.IsKind(err, domain.KindNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		e, err := l.cat.Entity(rec)
		if err != nil {
			return nil, err
		}
		out[iri] = e
	}
	return out, nil
}

// List returns a page of stored entities of collection c.
func (l *Local) List(ctx context.Context, c domain.Collection, after string, limit int) ([]*domain.Entity, error) {
	recs, err := l.cat.Store().List(ctx, c, after, limit, true)
	if err != nil {
		return nil, err
	}
	out := make([]*domain.Entity, 0, len(recs))
	for _, rec := range recs {
		e, err := l.cat.Entity(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Apply validates and writes b (see Sink).
func (l *Local) Apply(ctx context.Context, b Batch) (Result, error) {
	var res Result
	puts := b.Puts
	if b.Partial {
		puts, res.Rejected = l.sift(puts, b.Deletes)
	}
	for _, iri := range b.Deletes {
		if _, err := l.cat.Store().Get(ctx, iri); err == nil {
			res.Deleted++
		}
	}
	if len(puts) == 0 && res.Deleted == 0 {
		return res, nil
	}
	req := catalog.ImportRequest{Puts: puts, Deletes: b.Deletes}
	err := l.cat.ImportBatch(ctx, req)
	if domain.IsKind(err, domain.KindTooLarge) {
		req.BatchSize = ChunkSize
		err = l.cat.ImportBatch(ctx, req)
	}
	if err != nil {
		return Result{}, err
	}
	res.Written = len(puts)
	return res, nil
}

// sift splits puts into those that validate against the graph overlaid with
// the valid ones, and rejections. Removing an invalid entity may invalidate
// another that referred to it, so it repeats until nothing changes.
func (l *Local) sift(puts []*domain.Entity, deletes []string) ([]*domain.Entity, []Rejection) {
	return Sift(l.validator, l.cat.Lookup(), puts, deletes)
}

// Sift splits puts into the entities that satisfy the shapes against base
// overlaid with the accepted ones, and the rejected ones with their
// reasons. It repeats until no further entity is rejected.
func Sift(v *domain.Validator, base domain.Lookup, puts []*domain.Entity, deletes []string) ([]*domain.Entity, []Rejection) {
	var rejected []Rejection
	for {
		look := domain.Overlay(base, puts, deletes)
		kept := puts[:0:0]
		for _, e := range puts {
			if errs := v.Validate(e, look, "en"); len(errs) > 0 {
				rejected = append(rejected, Rejection{IRI: e.IRI, Errors: errs})
				continue
			}
			kept = append(kept, e)
		}
		if len(kept) == len(puts) {
			return kept, rejected
		}
		puts = kept
	}
}

// GetMeta reads an importer meta key.
func (l *Local) GetMeta(ctx context.Context, key string) ([]byte, error) {
	return l.cat.Store().GetMeta(ctx, MetaPrefix+key)
}

// PutMeta writes an importer meta key.
func (l *Local) PutMeta(ctx context.Context, key string, value []byte) error {
	return l.cat.Store().PutMeta(ctx, MetaPrefix+key, value)
}

// SwapMeta sets an importer meta key to new if its value is old (see Sink).
func (l *Local) SwapMeta(ctx context.Context, key string, old, new []byte) error {
	return l.cat.Store().SwapMeta(ctx, MetaPrefix+key, old, new)
}
