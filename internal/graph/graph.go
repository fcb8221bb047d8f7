// Package graph is the owner of cayley: the graph view of the canonical
// store, held in cayley's in-memory quad store (memstore) and rebuilt from
// the store at boot.
//
// Each entity's triples are stored as quads whose label is the entity's IRI,
// so one entity's statements never collide with another's and a delete
// removes exactly what the entity brought (the duplicate-insert leak of
// cayley's kv backends cannot happen: a quad is never added twice). Blank
// nodes are renamed per entity so two entities' _:b0 stay distinct.
package graph

import (
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Graph is the cayley view. It implements domain.View and domain.Lookup and
// is safe for concurrent use: writers take an exclusive lock, so a reader
// sees an entity before or after an Apply, never half of it.
type Graph struct {
	mu       sync.RWMutex
	qs       *memstore.QuadStore
	byEntity map[string][]quad.Quad
	drafts   map[string]bool
	last     uint64
}

var (
	_ domain.View   = (*Graph)(nil)
	_ domain.Lookup = (*Graph)(nil)
)

// New returns an empty graph view.
func New() *Graph {
	return &Graph{qs: memstore.New(), byEntity: map[string][]quad.Quad{}, drafts: map[string]bool{}}
}

// Name implements domain.View.
func (g *Graph) Name() string { return "graph" }

// LastSeq implements domain.View.
func (g *Graph) LastSeq() uint64 {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.last
}

// Reset implements domain.View.
func (g *Graph) Reset(ctx context.Context) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.qs = memstore.New()
	g.byEntity = map[string][]quad.Quad{}
	g.drafts = map[string]bool{}
	g.last = 0
	return nil
}

// Apply implements domain.View. Each put replaces the entity's quads by the
// difference (quads it no longer has are removed, new ones added).
func (g *Graph) Apply(ctx context.Context, seq uint64, puts []domain.ViewEntity, deletes []string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	var deltas []graph.Delta
	for _, iri := range deletes {
		for _, q := range g.byEntity[iri] {
			deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Delete})
		}
		delete(g.byEntity, iri)
		delete(g.drafts, iri)
	}
	for _, p := range puts {
		iri := p.Entity.IRI
		next := Quads(p.Entity)
		old := map[quad.Quad]bool{}
		for _, q := range g.byEntity[iri] {
			old[q] = true
		}
		keep := map[quad.Quad]bool{}
		for _, q := range next {
			if old[q] {
				keep[q] = true
				continue
			}
			if keep[q] {
				continue // the same triple twice in one entity
			}
			keep[q] = true
			deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Add})
		}
		for q := range old {
			if !keep[q] {
				deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Delete})
			}
		}
		uniq := make([]quad.Quad, 0, len(keep))
		for _, q := range next {
			if keep[q] {
				uniq = append(uniq, q)
				delete(keep, q)
			}
		}
		g.byEntity[iri] = uniq
		if p.Record.Draft {
			g.drafts[iri] = true
		} else {
			delete(g.drafts, iri)
		}
	}
	if err := g.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
		return domain.Wrap("graph.Apply", domain.KindInternal, err)
	}
	g.last = seq
	return nil
}

// Quads converts an entity's triples to quads labelled with its IRI, with
// blank nodes renamed to be unique to the entity.
func Quads(e *domain.Entity) []quad.Quad {
	h := fnv.New64a()
	h.Write([]byte(e.IRI))
	prefix := strconv.FormatUint(h.Sum64(), 36) + "_"
	label := quad.IRI(e.IRI)
	out := make([]quad.Quad, 0, len(e.Triples))
	for _, t := range e.Triples {
		out = append(out, quad.Quad{Subject: Value(t.S, prefix), Predicate: Value(t.P, prefix), Object: Value(t.O, prefix), Label: label})
	}
	return out
}

// Value converts a domain term to a cayley value; blank node labels get
// prefix.
func Value(t domain.Term, prefix string) quad.Value {
	switch t.Kind {
	case domain.IRI:
		return quad.IRI(t.Value)
	case domain.Blank:
		return quad.BNode(prefix + t.Value)
	}
	switch {
	case t.Lang != "":
		return quad.LangString{Value: quad.String(t.Value), Lang: t.Lang}
	case t.Datatype == "" || t.Datatype == ontology.XSDString:
		return quad.String(t.Value)
	}
	return quad.TypedString{Value: quad.String(t.Value), Type: quad.IRI(t.Datatype)}
}

// Size returns the number of quads and of entities in the view.
func (g *Graph) Size() (quads, entities int) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	for _, qs := range g.byEntity {
		quads += len(qs)
	}
	return quads, len(g.byEntity)
}

// IsDraft reports whether iri is an entity held as a draft.
func (g *Graph) IsDraft(iri string) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.drafts[iri]
}

// objects returns the values of (subject, predicate) under the read lock.
func (g *Graph) objects(subject, predicate string) []quad.Value {
	g.mu.RLock()
	defer g.mu.RUnlock()
	p := path.StartPath(g.qs, quad.IRI(subject)).Out(quad.IRI(predicate))
	var out []quad.Value
	_ = p.Iterate(context.Background()).EachValue(g.qs, func(v quad.Value) error {
		out = append(out, v)
		return nil
	})
	return out
}

// TypesOf implements domain.Lookup.
func (g *Graph) TypesOf(iri string) []string {
	var out []string
	for _, v := range g.objects(iri, ontology.Type) {
		if i, ok := v.(quad.IRI); ok {
			out = append(out, string(i))
		}
	}
	return out
}

// LevelNumber implements domain.Lookup.
func (g *Graph) LevelNumber(iri string) int {
	for _, v := range g.objects(iri, ontology.LevelNumber) {
		if n, err := strconv.Atoi(literal(v)); err == nil {
			return n
		}
	}
	return 0
}

// Prerequisites implements domain.Lookup.
func (g *Graph) Prerequisites(iri string) []string {
	var out []string
	for _, v := range g.objects(iri, ontology.Prerequisite) {
		if i, ok := v.(quad.IRI); ok {
			out = append(out, string(i))
		}
	}
	return out
}

func literal(v quad.Value) string {
	switch x := v.(type) {
	case quad.String:
		return string(x)
	case quad.TypedString:
		return string(x.Value)
	case quad.LangString:
		return string(x.Value)
	case quad.Int:
		return strconv.FormatInt(int64(x), 10)
	}
	return fmt.Sprint(v)
}
