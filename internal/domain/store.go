package domain

import "context"

// Store is the canonical store: the only state that must survive a crash.
// It keeps one Record per IRI and an append-only log of changes.
//
// Contract (checked by the conformance suite in internal/store/storetest,
// run against every implementation):
//   - Apply writes a batch atomically: either every mutation and its change
//     entry is durable when it returns nil, or nothing changed. Changes of one
//     batch get consecutive sequence numbers in batch order.
//   - Versions start at 1 and grow by one on each put of the same IRI; a
//     deleted IRI put again starts a new history at the version after the
//     deleted one, so an ETag is never reused.
//   - Get of a missing IRI returns a KindNotFound error.
//   - Changes returns entries with Seq > since in increasing order, at most
//     limit of them.
//   - Meta values are small opaque bytes under caller-chosen keys; they are
//     not part of the change log.
//   - All methods are safe for concurrent use; Close releases the store and
//     makes every later call fail.
type Store interface {
	Get(ctx context.Context, iri string) (Record, error)
	Apply(ctx context.Context, batch []Mutation) ([]Record, error)
	// List returns up to limit records of collection c (all collections when
	// c is ""), in IRI order, starting after the IRI after; drafts only when
	// withDrafts.
	List(ctx context.Context, c Collection, after string, limit int, withDrafts bool) ([]Record, error)
	// Scan calls fn for every record, in IRI order, until fn returns an error.
	Scan(ctx context.Context, fn func(Record) error) error
	Changes(ctx context.Context, since uint64, limit int) ([]Change, error)
	LastSeq(ctx context.Context) (uint64, error)
	GetMeta(ctx context.Context, key string) ([]byte, error) // KindNotFound when absent
	PutMeta(ctx context.Context, key string, value []byte) error
	Close() error
}
