package graph

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/trame-commun/trame/ontology"
)

// Errors a query run stops with; query.go turns them into domain errors
// that name the limit.
var (
	errStepBudget = errors.New("graph: query step budget exhausted")
	errRunClosed  = errors.New("graph: query run closed")
	errReadOnly   = errors.New("graph: queries are read-only")
)

// queryRun is the state shared by every iterator of one query: the steps
// taken against the step budget, the first error, and the closing barrier.
//
// Every access to the memstore made on behalf of the query goes through
// enter/leave. close marks the run closed (later accesses fail at once
// without touching the store) and waits until no access is in flight, so
// the caller may release the graph's read lock even when an engine (Gizmo)
// still has a goroutine unwinding.
type queryRun struct {
	ctx      context.Context
	maxSteps int64
	steps    atomic.Int64
	err      atomic.Pointer[error]
	closed   atomic.Bool
	inflight atomic.Int64
}

func (r *queryRun) enter() bool {
	r.inflight.Add(1)
	if r.closed.Load() {
		r.inflight.Add(-1)
		return false
	}
	return true
}

func (r *queryRun) leave() { r.inflight.Add(-1) }

// close forbids further store accesses and waits for those in flight.
func (r *queryRun) close() {
	r.closed.Store(true)
	for r.inflight.Load() > 0 {
		time.Sleep(50 * time.Microsecond)
	}
}

// fail records err as the run's error unless one is recorded already.
func (r *queryRun) fail(err error) { r.err.CompareAndSwap(nil, &err) }

// failure returns the run's first error, or nil.
func (r *queryRun) failure() error {
	if p := r.err.Load(); p != nil {
		return *p
	}
	return nil
}

// step counts one unit of work and reports whether the run may go on: it
// stops on the step budget, on the run's deadline and after close.
func (r *queryRun) step() bool {
	n := r.steps.Add(1)
	if n > r.maxSteps {
		r.fail(errStepBudget)
		return false
	}
	if n&127 == 1 {
		if err := r.ctx.Err(); err != nil {
			r.fail(err)
			return false
		}
	}
	return r.failure() == nil && !r.closed.Load()
}

// queryStore is the read-only cayley.QuadStore a query runs on: the
// graph's memstore seen through a run, with every quad of a hidden (draft)
// entity filtered out when hidden is not empty. A node is visible when at
// least one visible quad mentions it, so neither a draft's literals nor its
// IRI can be reached from an anonymous query.
type queryStore struct {
	qs     *memstore.QuadStore
	run    *queryRun
	hidden map[any]bool // refs.ToKey of the label nodes of draft entities
}

var _ graph.QuadStore = (*queryStore)(nil)

func (s *queryStore) filtering() bool { return len(s.hidden) > 0 }

// quadVisible reports whether the quad ref belongs to a visible entity.
// The caller is inside enter/leave.
func (s *queryStore) quadVisible(ref graph.Ref) bool {
	lbl, _ := s.qs.QuadDirection(ref, quad.Label)
	return lbl == nil || !s.hidden[refs.ToKey(lbl)]
}

// nodeVisible reports whether a visible quad mentions the node ref. The
// caller is inside enter/leave.
func (s *queryStore) nodeVisible(ref graph.Ref) bool {
	for _, d := range []quad.Direction{quad.Subject, quad.Object, quad.Predicate, quad.Label} {
		it := s.qs.QuadIterator(d, ref).Iterate()
		for it.Next(s.run.ctx) {
			if s.quadVisible(it.Result()) {
				it.Close()
				return true
			}
		}
		it.Close()
	}
	return false
}

// ValueOf implements refs.Namer; a node hidden from the run is unknown.
func (s *queryStore) ValueOf(v quad.Value) (graph.Ref, error) {
	if !s.run.enter() {
		return nil, errRunClosed
	}
	defer s.run.leave()
	ref, err := s.qs.ValueOf(storedForm(v))
	if ref == nil || err != nil || !s.filtering() || s.nodeVisible(ref) {
		return ref, err
	}
	return nil, nil
}

// NameOf implements refs.Namer.
func (s *queryStore) NameOf(ref graph.Ref) (quad.Value, error) {
	if !s.run.enter() {
		return nil, errRunClosed
	}
	defer s.run.leave()
	v, err := s.qs.NameOf(ref)
	return nativeForm(v), err
}

// nativeForm presents integer and boolean literals as quad.Int and
// quad.Bool, so that comparison steps (GreaterThanEquals…) and GraphQL
// arguments compare them as numbers. storedForm is its inverse.
func nativeForm(v quad.Value) quad.Value {
	ts, ok := v.(quad.TypedString)
	if !ok {
		return v
	}
	lex := string(ts.Value)
	switch ts.Type {
	case quad.IRI(ontology.XSDInteger):
		if n, err := strconv.ParseInt(lex, 10, 64); err == nil && strconv.FormatInt(n, 10) == lex {
			return quad.Int(n)
		}
	case quad.IRI(ontology.XSDBoolean):
		if lex == "true" || lex == "false" {
			return quad.Bool(lex == "true")
		}
	}
	return v
}

func storedForm(v quad.Value) quad.Value {
	switch x := v.(type) {
	case quad.Int:
		return quad.TypedString{Value: quad.String(strconv.FormatInt(int64(x), 10)), Type: quad.IRI(ontology.XSDInteger)}
	case quad.Bool:
		return quad.TypedString{Value: quad.String(strconv.FormatBool(bool(x))), Type: quad.IRI(ontology.XSDBoolean)}
	}
	return v
}

// Quad implements graph.QuadIndexer.
func (s *queryStore) Quad(ref graph.Ref) (quad.Quad, error) {
	if !s.run.enter() {
		return quad.Quad{}, errRunClosed
	}
	defer s.run.leave()
	return s.qs.Quad(ref)
}

// QuadDirection implements graph.QuadIndexer.
func (s *queryStore) QuadDirection(ref graph.Ref, d quad.Direction) (graph.Ref, error) {
	if !s.run.enter() {
		return nil, errRunClosed
	}
	defer s.run.leave()
	return s.qs.QuadDirection(ref, d)
}

// QuadIteratorSize implements graph.QuadIndexer (an estimate when
// filtering: hidden quads are counted).
func (s *queryStore) QuadIteratorSize(ctx context.Context, d quad.Direction, ref graph.Ref) (refs.Size, error) {
	if !s.run.enter() {
		return refs.Size{}, errRunClosed
	}
	defer s.run.leave()
	size, err := s.qs.QuadIteratorSize(ctx, d, ref)
	if s.filtering() {
		size.Exact = false
	}
	return size, err
}

// Stats implements graph.QuadIndexer.
func (s *queryStore) Stats(ctx context.Context, exact bool) (graph.Stats, error) {
	if !s.run.enter() {
		return graph.Stats{}, errRunClosed
	}
	defer s.run.leave()
	st, err := s.qs.Stats(ctx, exact)
	if s.filtering() {
		st.Nodes.Exact, st.Quads.Exact = false, false
	}
	return st, err
}

// QuadIterator implements graph.QuadIndexer.
func (s *queryStore) QuadIterator(d quad.Direction, ref graph.Ref) iterator.Shape {
	if !s.run.enter() {
		return iterator.NewError(errRunClosed)
	}
	defer s.run.leave()
	return s.guard(s.qs.QuadIterator(d, ref), s.quadVisible)
}

// allIterators serialises the creation of memstore's all-iterators: it
// sets a flag on the store, a write that concurrent readers holding the
// graph's read lock would otherwise race on.
var allIterators sync.Mutex

// QuadsAllIterator implements graph.QuadStore.
func (s *queryStore) QuadsAllIterator() iterator.Shape {
	if !s.run.enter() {
		return iterator.NewError(errRunClosed)
	}
	defer s.run.leave()
	allIterators.Lock()
	defer allIterators.Unlock()
	return s.guard(s.qs.QuadsAllIterator(), s.quadVisible)
}

// NodesAllIterator implements graph.QuadStore.
func (s *queryStore) NodesAllIterator() iterator.Shape {
	if !s.run.enter() {
		return iterator.NewError(errRunClosed)
	}
	defer s.run.leave()
	allIterators.Lock()
	defer allIterators.Unlock()
	return s.guard(s.qs.NodesAllIterator(), s.nodeVisible)
}

// ApplyDeltas implements graph.QuadStore: queries never write.
func (s *queryStore) ApplyDeltas([]graph.Delta, graph.IgnoreOpts) error { return errReadOnly }

// NewQuadWriter implements graph.QuadStore: queries never write.
func (s *queryStore) NewQuadWriter() (quad.WriteCloser, error) { return nil, errReadOnly }

// Close implements graph.QuadStore; the run, not the query, owns the store.
func (s *queryStore) Close() error { return nil }

func (s *queryStore) guard(sub iterator.Shape, keep func(graph.Ref) bool) iterator.Shape {
	if !s.filtering() {
		keep = nil
	}
	return &guardShape{sub: sub, s: s, keep: keep}
}

// guardShape wraps a leaf iterator of the memstore: each Next or Contains
// is one step of the run, and results failing keep are skipped.
type guardShape struct {
	sub  iterator.Shape
	s    *queryStore
	keep func(graph.Ref) bool
}

func (g *guardShape) String() string { return "Guard(" + g.sub.String() + ")" }

func (g *guardShape) Iterate() iterator.Scanner {
	if !g.s.run.enter() {
		return iterator.NewError(errRunClosed)
	}
	defer g.s.run.leave()
	return &guardScanner{sub: g.sub.Iterate(), g: g}
}

func (g *guardShape) Lookup() iterator.Index {
	if !g.s.run.enter() {
		return iterator.NewError(errRunClosed)
	}
	defer g.s.run.leave()
	return &guardIndex{sub: g.sub.Lookup(), g: g}
}

func (g *guardShape) Stats(ctx context.Context) (iterator.Costs, error) {
	if !g.s.run.enter() {
		return iterator.Costs{}, errRunClosed
	}
	defer g.s.run.leave()
	c, err := g.sub.Stats(ctx)
	if g.keep != nil {
		c.Size.Exact = false
	}
	return c, err
}

// Optimize keeps the guard in place: optimising the memstore leaf away
// would bypass the filter and the budget.
func (g *guardShape) Optimize(ctx context.Context) (iterator.Shape, bool) { return g, false }

// SubIterators hides the wrapped leaf from generic optimisers.
func (g *guardShape) SubIterators() []iterator.Shape { return nil }

type guardScanner struct {
	sub iterator.Scanner
	g   *guardShape
}

func (it *guardScanner) String() string { return it.g.String() }

// next advances the wrapped scanner once and reports (advanced, keep).
func (it *guardScanner) next(ctx context.Context) (bool, bool) {
	run := it.g.s.run
	if !run.step() || !run.enter() {
		return false, false
	}
	defer run.leave()
	if !it.sub.Next(ctx) {
		return false, false
	}
	return true, it.g.keep == nil || it.g.keep(it.sub.Result())
}

func (it *guardScanner) Next(ctx context.Context) bool {
	for {
		ok, keep := it.next(ctx)
		if !ok {
			return false
		}
		if keep {
			return true
		}
	}
}

func (it *guardScanner) NextPath(ctx context.Context) bool {
	run := it.g.s.run
	if !run.step() || !run.enter() {
		return false
	}
	defer run.leave()
	return it.sub.NextPath(ctx)
}

func (it *guardScanner) Result() graph.Ref                   { return it.sub.Result() }
func (it *guardScanner) TagResults(dst map[string]graph.Ref) { it.sub.TagResults(dst) }
func (it *guardScanner) Close() error                        { return it.sub.Close() }

func (it *guardScanner) Err() error {
	if err := it.g.s.run.failure(); err != nil {
		return err
	}
	return it.sub.Err()
}

type guardIndex struct {
	sub iterator.Index
	g   *guardShape
}

func (it *guardIndex) String() string { return it.g.String() }

func (it *guardIndex) Contains(ctx context.Context, v graph.Ref) bool {
	run := it.g.s.run
	if !run.step() || !run.enter() {
		return false
	}
	defer run.leave()
	if it.g.keep != nil && !it.g.keep(v) {
		return false
	}
	return it.sub.Contains(ctx, v)
}

func (it *guardIndex) NextPath(ctx context.Context) bool {
	run := it.g.s.run
	if !run.step() || !run.enter() {
		return false
	}
	defer run.leave()
	return it.sub.NextPath(ctx)
}

func (it *guardIndex) Result() graph.Ref                   { return it.sub.Result() }
func (it *guardIndex) TagResults(dst map[string]graph.Ref) { it.sub.TagResults(dst) }
func (it *guardIndex) Close() error                        { return it.sub.Close() }

func (it *guardIndex) Err() error {
	if err := it.g.s.run.failure(); err != nil {
		return err
	}
	return it.sub.Err()
}

// read runs fn on a query store over the graph under the read lock: only
// published quads when published is set. The run ends (and the lock is
// released) only once no store access is in flight.
func (g *Graph) read(ctx context.Context, published bool, maxSteps int64, fn func(*queryStore) error) (steps int64, err error) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	run := &queryRun{ctx: ctx, maxSteps: maxSteps}
	defer run.close()
	s := &queryStore{qs: g.qs, run: run}
	if published && len(g.drafts) > 0 {
		s.hidden = make(map[any]bool, len(g.drafts))
		for iri := range g.drafts {
			if ref, _ := g.qs.ValueOf(quad.IRI(iri)); ref != nil {
				s.hidden[refs.ToKey(ref)] = true
			}
		}
	}
	err = fn(s)
	if ferr := run.failure(); ferr != nil {
		err = ferr
	}
	return run.steps.Load(), err
}
