package catalog

import (
	"context"
	"strconv"
	"sync"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// StoreLookupCache bounds the entities whose facts a StoreLookup keeps.
const StoreLookupCache = 50000

// StoreLookup answers validation's questions (domain.Lookup) from the
// canonical store, for a process that opens no graph view: `trame import`
// on a data directory, whose views catch up when the service next starts.
// It reads an entity's own document: its types, level number and
// prerequisites (the graph view also sees what other entities state about
// it, which Trame's entities do not do).
//
// It is also a domain.View, so the catalog keeps it current: a write
// replaces the cached facts of the entities written. It holds at most
// StoreLookupCache entries (cleared when full) and is safe for concurrent
// use. A store error makes an entity unknown, which validation reports.
type StoreLookup struct {
	store domain.Store
	codec domain.Codec

	mu    sync.Mutex
	seq   uint64
	cache map[string]*facts // nil: known not to exist
}

// facts is what a StoreLookup knows of an entity.
type facts struct {
	types   []string
	level   int
	prereqs []string
}

// NewStoreLookup returns a lookup over store, current with its last
// sequence (its cache starts empty, so it needs no catching up).
func NewStoreLookup(ctx context.Context, store domain.Store, codec domain.Codec) (*StoreLookup, error) {
	seq, err := store.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	return &StoreLookup{store: store, codec: codec, seq: seq, cache: map[string]*facts{}}, nil
}

func factsOf(e *domain.Entity) *facts {
	f := &facts{types: e.Types}
	f.level, _ = strconv.Atoi(e.First(ontology.LevelNumber))
	for _, p := range e.Values(ontology.Prerequisite) {
		if p.IsIRI() {
			f.prereqs = append(f.prereqs, p.Value)
		}
	}
	return f
}

// get returns the facts of iri, reading the store on a cache miss.
func (l *StoreLookup) get(iri string) *facts {
	l.mu.Lock()
	f, ok := l.cache[iri]
	seq := l.seq
	l.mu.Unlock()
	if ok {
		return f
	}
	rec, err := l.store.Get(context.Background(), iri)
	if err == nil {
		if e, derr := l.codec.DecodeStored(iri, rec.Doc); derr == nil {
			f = factsOf(e)
		}
	}
	if err == nil || domain.IsKind(err, domain.KindNotFound) {
		l.remember(iri, f, seq)
	}
	return f
}

// remember caches what was read at sequence seq, unless a write applied
// since may have changed it.
func (l *StoreLookup) remember(iri string, f *facts, seq uint64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seq != seq {
		return
	}
	if len(l.cache) >= StoreLookupCache {
		clear(l.cache)
	}
	l.cache[iri] = f
}

// TypesOf implements domain.Lookup.
func (l *StoreLookup) TypesOf(iri string) []string {
	if f := l.get(iri); f != nil {
		return f.types
	}
	return nil
}

// LevelNumber implements domain.Lookup.
func (l *StoreLookup) LevelNumber(iri string) int {
	if f := l.get(iri); f != nil {
		return f.level
	}
	return 0
}

// Prerequisites implements domain.Lookup.
func (l *StoreLookup) Prerequisites(iri string) []string {
	if f := l.get(iri); f != nil {
		return f.prereqs
	}
	return nil
}

// Name implements domain.View.
func (l *StoreLookup) Name() string { return "store-lookup" }

// LastSeq implements domain.View.
func (l *StoreLookup) LastSeq() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// Apply implements domain.View: the written entities' facts replace the
// cached ones, the deleted entities become unknown.
func (l *StoreLookup) Apply(_ context.Context, seq uint64, puts []domain.ViewEntity, deletes []string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.cache)+len(puts)+len(deletes) >= StoreLookupCache {
		clear(l.cache)
	}
	for _, p := range puts {
		l.cache[p.Entity.IRI] = factsOf(p.Entity)
	}
	for _, iri := range deletes {
		l.cache[iri] = nil
	}
	l.seq = seq
	return nil
}

// Reset implements domain.View.
func (l *StoreLookup) Reset(context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.cache)
	l.seq = 0
	return nil
}
