// Package catalog is Trame's application service: it validates and writes
// entities to the canonical store, keeps the derived views (graph, search)
// caught up with the change log, and enforces who may see and write what.
// It depends only on the domain's interfaces; cmd/trame wires the engines.
package catalog

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"sync"

	"github.com/trame-commun/trame/internal/domain"
)

// Catalog is the service. Writes are serialised: validate, commit to the
// store, then bring every view up to date before the write returns, so a
// client reads its own writes on every surface.
type Catalog struct {
	store     domain.Store
	codec     domain.Codec
	lookup    domain.Lookup
	views     []domain.View
	validator *domain.Validator
	base      string

	mu sync.Mutex // serialises writes and view synchronisation
	// fresh holds the entities of the writes not yet applied to every view,
	// by IRI, so catching up does not decode again what was just encoded.
	// Guarded by mu; emptied after each sync.
	fresh map[string]freshEntity
}

// freshEntity is a just-written entity and the version it was written as.
type freshEntity struct {
	version uint64
	entity  *domain.Entity
}

// Config gathers what a Catalog needs.
type Config struct {
	Store  domain.Store
	Codec  domain.Codec
	Lookup domain.Lookup // usually the graph view
	Views  []domain.View // every derived view, the graph first
	// BaseIRI is where minted IRIs live; it ends with "/".
	BaseIRI string
}

// New returns a catalog. Call Sync before serving to catch the views up.
func New(cfg Config) (*Catalog, error) {
	v, err := domain.NewValidator()
	if err != nil {
		return nil, err
	}
	base := cfg.BaseIRI
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return &Catalog{store: cfg.Store, codec: cfg.Codec, lookup: cfg.Lookup, views: cfg.Views, validator: v, base: base}, nil
}

// BaseIRI returns the base under which IRIs are minted.
func (c *Catalog) BaseIRI() string { return c.base }

// Store returns the canonical store, for maintenance commands.
func (c *Catalog) Store() domain.Store { return c.store }

// Codec returns the JSON-LD codec.
func (c *Catalog) Codec() domain.Codec { return c.codec }

// Lookup returns the graph lookup the validator uses.
func (c *Catalog) Lookup() domain.Lookup { return c.lookup }

// IsLocal reports whether iri lives under the base IRI.
func (c *Catalog) IsLocal(iri string) bool { return strings.HasPrefix(iri, c.base) }

// Mint returns a new IRI in collection coll: base/coll/<random id>.
func (c *Catalog) Mint(coll domain.Collection) string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return c.base + string(coll) + "/" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// Get returns the record of iri as p may see it: drafts answer KindNotFound
// to anonymous callers, exactly like a missing entity.
func (c *Catalog) Get(ctx context.Context, p domain.Principal, iri string) (domain.Record, error) {
	rec, err := c.store.Get(ctx, iri)
	if err != nil {
		return rec, err
	}
	if rec.Draft && p.IsAnonymous() {
		return domain.Record{}, &domain.Error{Op: "catalog.Get", Kind: domain.KindNotFound, Message: "no entity " + iri}
	}
	return rec, nil
}

// Entity returns the decoded entity of a record.
func (c *Catalog) Entity(rec domain.Record) (*domain.Entity, error) {
	return c.codec.DecodeStored(rec.IRI, rec.Doc)
}

// List returns a page of coll as p may see it, after the IRI after.
func (c *Catalog) List(ctx context.Context, p domain.Principal, coll domain.Collection, after string, limit int) ([]domain.Record, error) {
	return c.store.List(ctx, coll, after, limit, !p.IsAnonymous())
}
