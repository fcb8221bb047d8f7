package domain

import "time"

// Record is an entity as the canonical store keeps it: its JSON-LD document
// (expanded form, context-free) with the metadata of its current version.
type Record struct {
	IRI        string     // the entity's IRI, the record's key
	Collection Collection // where the entity is listed
	Doc        []byte     // expanded JSON-LD of the entity's description
	Draft      bool       // drafts are invisible to anonymous readers
	Version    uint64     // 1 for a new entity, +1 on each replacement
	ETag       string     // strong validator of (Doc, Draft); opaque
	Updated    time.Time  // when this version was written (UTC)
	Seq        uint64     // the change-log sequence that wrote this version
}

// Op is what a change did to an entity.
type Op uint8

// Change operations.
const (
	OpPut    Op = 1 // the entity was created or replaced
	OpDelete Op = 2 // the entity was deleted
)

func (o Op) String() string {
	if o == OpDelete {
		return "delete"
	}
	return "put"
}

// Change is one entry of the append-only change log. Sequences start at 1,
// grow by one per change, and are never reused.
type Change struct {
	Seq     uint64
	Op      Op
	IRI     string
	Version uint64 // the version written (put) or removed (delete)
	At      time.Time
}

// Mutation is one write of a batch: a put of Record (its Version, ETag, Seq
// and Updated are assigned by the store) or, when Delete is set, the delete of
// Record.IRI. IfMatch, when not empty, must equal the stored ETag ("*" means
// "must exist"), or the whole batch fails with KindPrecondition. IfNoneMatch
// "*" makes a put fail with KindConflict when the entity exists.
type Mutation struct {
	Record      Record
	Delete      bool
	IfMatch     string
	IfNoneMatch string
}
