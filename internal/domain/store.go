package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
)

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
//     not part of the change log. SwapMeta is a compare-and-swap: of any
//     number of concurrent swaps from the same old value, exactly one
//     succeeds.
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
	// SwapMeta sets key to new only if its current value is old, in one
	// atomic step: a nil old means the key must be absent, a nil new
	// deletes it (a non-nil empty slice is an empty value, which is
	// present). When the current value is not old it changes nothing and
	// returns a KindPrecondition error.
	SwapMeta(ctx context.Context, key string, old, new []byte) error
	Close() error
}

// MetaETag is the strong entity tag of a meta value (quoted, as in an HTTP
// ETag header): the import endpoints send it with a value and accept it in
// If-Match, so a client can swap a value it read (Store.SwapMeta) without
// sending the old value back.
func MetaETag(value []byte) string {
	h := sha256.Sum256(value)
	return `"` + hex.EncodeToString(h[:16]) + `"`
}
