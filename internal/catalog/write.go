package catalog

import (
	"context"
	"fmt"

	"github.com/trame-commun/trame/internal/domain"
)

// WriteRequest is one client write of a JSON-LD document.
type WriteRequest struct {
	Body []byte
	// Collection is set for a POST to a collection: every entity of the
	// document must belong to it; entities without @id get an IRI in it.
	Collection domain.Collection
	// IRI is set for a PUT: the document must describe exactly this entity
	// (with this @id, or none); IRI must live under the base.
	IRI         string
	Draft       bool
	IfMatch     string
	IfNoneMatch string
	Lang        string // language of error messages
}

// Write validates the document of req and stores its entities as one
// atomic batch. POST semantics (Collection set): each entity must not exist
// yet (KindConflict). PUT semantics (IRI set): create or replace, subject to
// If-Match / If-None-Match.
func (c *Catalog) Write(ctx context.Context, p domain.Principal, req WriteRequest) ([]domain.Record, error) {
	const op = "catalog.Write"
	if err := authorize(op, p, domain.RoleEditor); err != nil {
		return nil, err
	}
	if req.IRI != "" && !c.IsLocal(req.IRI) {
		return nil, domain.Errorf(op, domain.KindInvalid, "%s is outside this server's base IRI %s: PUT writes only IRIs under the base (POST keeps external IRIs)", req.IRI, c.base)
	}
	mint := func(types []string) string {
		if req.IRI != "" {
			return req.IRI
		}
		coll := req.Collection
		if cc, ok := domain.CollectionOf(types); ok {
			coll = cc
		}
		return c.Mint(coll)
	}
	ents, err := c.codec.Decode(req.Body, mint)
	if err != nil {
		return nil, err
	}
	if err := c.checkTarget(op, req, ents); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	muts, err := c.prepare(ents, req.Draft, req.Lang)
	if err != nil {
		return nil, err
	}
	for i := range muts {
		muts[i].IfMatch, muts[i].IfNoneMatch = req.IfMatch, req.IfNoneMatch
		if req.Collection != "" {
			muts[i].IfNoneMatch = "*"
		}
	}
	recs, err := c.store.Apply(ctx, muts)
	if err != nil {
		return nil, err
	}
	c.remember(ents, recs)
	return recs, c.syncLocked(ctx)
}

// checkTarget enforces what the URL says about the document.
func (c *Catalog) checkTarget(op string, req WriteRequest, ents []*domain.Entity) error {
	var fields []domain.FieldError
	for _, e := range ents {
		coll, ok := domain.CollectionOf(e.Types)
		switch {
		case req.IRI != "" && (len(ents) != 1 || e.IRI != req.IRI):
			fields = append(fields, domain.FieldError{Path: "@id", Message: fmt.Sprintf("a PUT on %s must describe that one entity, not %s", req.IRI, e.IRI)})
		case req.Collection != "" && ok && coll != req.Collection:
			fields = append(fields, domain.FieldError{Path: "@type", Message: fmt.Sprintf("%s belongs to /%s, not /%s", e.IRI, coll, req.Collection)})
		}
	}
	if len(fields) > 0 {
		return &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "the document does not match the URL it was sent to", Fields: fields}
	}
	return nil
}

// prepare validates a batch against the graph overlaid with the batch
// itself and encodes it into store mutations.
func (c *Catalog) prepare(ents []*domain.Entity, draft bool, lang string) ([]domain.Mutation, error) {
	return c.prepareWith(ents, nil, draft, lang)
}

func (c *Catalog) prepareWith(ents []*domain.Entity, deleted []string, draft bool, lang string) ([]domain.Mutation, error) {
	look := domain.Overlay(c.lookup, ents, deleted)
	var fields []domain.FieldError
	muts := make([]domain.Mutation, 0, len(ents))
	for _, e := range ents {
		for _, f := range c.validator.Validate(e, look, lang) {
			if len(ents) > 1 {
				f.Path = e.IRI + " " + f.Path
			}
			fields = append(fields, f)
		}
		coll, _ := domain.CollectionOf(e.Types)
		doc, err := c.codec.Encode(e)
		if err != nil {
			return nil, err
		}
		muts = append(muts, domain.Mutation{Record: domain.Record{IRI: e.IRI, Collection: coll, Doc: doc, Draft: draft}})
	}
	if len(fields) > 0 {
		return nil, &domain.Error{Op: "catalog.Write", Kind: domain.KindInvalid, Message: "the entity does not satisfy Trame's shapes", Fields: fields}
	}
	return muts, nil
}

// Delete removes iri. ifMatch, when set, must equal the current ETag.
func (c *Catalog) Delete(ctx context.Context, p domain.Principal, iri, ifMatch string) error {
	const op = "catalog.Delete"
	if err := authorize(op, p, domain.RoleEditor); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.store.Apply(ctx, []domain.Mutation{{Record: domain.Record{IRI: iri}, Delete: true, IfMatch: ifMatch}}); err != nil {
		return err
	}
	return c.syncLocked(ctx)
}

// Import validates and writes trusted entities (bundled data, importers) in
// batches of at most batchSize, each atomic. Validation sees the whole set,
// so references inside it need no order. It needs no principal: callers are
// the process itself.
func (c *Catalog) Import(ctx context.Context, ents []*domain.Entity, draft bool, batchSize int) error {
	return c.ImportBatch(ctx, ImportRequest{Puts: ents, Draft: draft, BatchSize: batchSize})
}

// ImportRequest is a trusted batch of puts and deletes.
type ImportRequest struct {
	Puts    []*domain.Entity
	Deletes []string // IRIs to delete; missing ones are ignored
	Draft   bool
	// BatchSize bounds one store transaction; 0 writes everything in one
	// atomic transaction (which fails with KindTooLarge past the store's
	// limit, about 9 MB of documents).
	BatchSize int
}

// ImportBatch validates every put against the graph as it will be after
// the whole request, then writes puts and deletes. With BatchSize 0 the
// request is atomic: readers see all of it or none of it.
func (c *Catalog) ImportBatch(ctx context.Context, req ImportRequest) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	muts, err := c.prepareWith(req.Puts, req.Deletes, req.Draft, "en")
	if err != nil {
		return err
	}
	for _, iri := range req.Deletes {
		if _, err := c.store.Get(ctx, iri); err == nil {
			muts = append(muts, domain.Mutation{Record: domain.Record{IRI: iri}, Delete: true})
		}
	}
	size := req.BatchSize
	if size <= 0 {
		size = len(muts)
	}
	for len(muts) > 0 {
		n := min(size, len(muts))
		recs, err := c.store.Apply(ctx, muts[:n])
		if err != nil {
			return err
		}
		c.remember(req.Puts, recs)
		muts = muts[n:]
	}
	return c.syncLocked(ctx)
}

func authorize(op string, p domain.Principal, want domain.Role) error {
	if p.IsAnonymous() {
		return &domain.Error{Op: op, Kind: domain.KindUnauthorized, Message: "writes need a token: Authorization: Bearer <token>"}
	}
	if !p.Role.Can(want) {
		return &domain.Error{Op: op, Kind: domain.KindForbidden, Message: fmt.Sprintf("this token's role %q cannot do this (needs %q)", p.Role, want)}
	}
	return nil
}

// remember keeps the entities just written so views can take them without
// decoding their documents again.
func (c *Catalog) remember(ents []*domain.Entity, recs []domain.Record) {
	if c.fresh == nil {
		c.fresh = map[string]freshEntity{}
	}
	byIRI := make(map[string]*domain.Entity, len(ents))
	for _, e := range ents {
		byIRI[e.IRI] = e
	}
	for _, r := range recs {
		if e, ok := byIRI[r.IRI]; ok {
			c.fresh[r.IRI] = freshEntity{version: r.Version, entity: e}
		}
	}
}
