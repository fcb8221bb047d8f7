// Package sink is where importers write: the catalog of a data directory
// that no server holds (Local), or a running Trame server through its
// authenticated import endpoints (Remote). Both validate every entity
// against Trame's shapes and apply a batch of puts and deletes atomically,
// so an importer behaves the same whichever way it runs. The package also
// compares entities by content (Canonical, Same) so importers write only
// what changed.
package sink

import (
	"context"

	"github.com/trame-commun/trame/internal/domain"
)

// MetaPrefix is prepended to every meta key an importer reads or writes, on
// both sinks: importers can never reach other meta keys (API tokens).
const MetaPrefix = "import/"

// Sink is where an importer writes.
//
// Contract: Get returns the stored entities among iris (drafts included;
// missing IRIs are absent from the map). Apply validates every put against
// the graph as it will be after the batch and writes puts and deletes; when
// the batch fits one store transaction it is atomic (readers see all of it
// or none of it), otherwise it is written in chunks that are each atomic.
// Without Partial an invalid entity fails the whole batch with a
// KindInvalid error and nothing is written; with Partial the valid
// entities are written and the others returned in Result.Rejected. Deletes
// of missing IRIs are ignored. Meta keys are namespaced under MetaPrefix;
// GetMeta answers KindNotFound for a missing key. SwapMeta is the store's
// compare-and-swap (domain.Store.SwapMeta): it sets key to new only if its
// value is old (nil old: absent; nil new: delete), atomically, and fails
// with KindPrecondition otherwise; importers build locks on it.
type Sink interface {
	BaseIRI() string
	Get(ctx context.Context, iris []string) (map[string]*domain.Entity, error)
	// List returns up to limit stored entities of collection c (drafts
	// included) in IRI order after the IRI after: exports read through it.
	List(ctx context.Context, c domain.Collection, after string, limit int) ([]*domain.Entity, error)
	Lookup() domain.Lookup
	Apply(ctx context.Context, b Batch) (Result, error)
	GetMeta(ctx context.Context, key string) ([]byte, error)
	PutMeta(ctx context.Context, key string, value []byte) error
	SwapMeta(ctx context.Context, key string, old, new []byte) error
}

// Batch is one write: entities to create or replace and IRIs to delete.
type Batch struct {
	Puts    []*domain.Entity
	Deletes []string
	// Partial writes the valid puts and reports the invalid ones instead of
	// refusing the whole batch.
	Partial bool
}

// Result says what Apply wrote.
type Result struct {
	Written  int         `json:"written"`
	Deleted  int         `json:"deleted"`
	Rejected []Rejection `json:"rejected,omitempty"`
}

// Rejection is an entity Apply refused, with every reason.
type Rejection struct {
	IRI    string              `json:"iri"`
	Errors []domain.FieldError `json:"errors"`
}

// Each calls fn for every stored entity of collection c, a page at a time.
func Each(ctx context.Context, s Sink, c domain.Collection, fn func(*domain.Entity) error) error {
	after := ""
	for {
		page, err := s.List(ctx, c, after, ListPage)
		if err != nil {
			return err
		}
		for _, e := range page {
			if err := fn(e); err != nil {
				return err
			}
		}
		if len(page) < ListPage {
			return nil
		}
		after = page[len(page)-1].IRI
	}
}

// ListPage is how many entities Each reads at a time.
const ListPage = 500

// GetMany calls s.Get in pages of at most page IRIs, to bound the size of
// one request to a remote sink.
func GetMany(ctx context.Context, s Sink, iris []string, page int) (map[string]*domain.Entity, error) {
	out := map[string]*domain.Entity{}
	for len(iris) > 0 {
		n := min(page, len(iris))
		got, err := s.Get(ctx, iris[:n])
		if err != nil {
			return nil, err
		}
		for k, v := range got {
			out[k] = v
		}
		iris = iris[n:]
	}
	return out, nil
}
