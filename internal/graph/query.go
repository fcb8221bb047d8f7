package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/cayley/query/graphql"
	"github.com/cayleygraph/cayley/query/linkedql"
	_ "github.com/cayleygraph/cayley/query/linkedql/steps" // registers the LinkedQL steps
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/voc"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Query languages accepted by Querier.Query.
const (
	LinkedQL = "linkedql" // JSON-LD steps (cayley's LinkedQL)
	GraphQL  = "graphql"  // cayley's GraphQL dialect
	Gizmo    = "gizmo"    // JavaScript: authenticated callers only
)

// Limits of graph queries. Each is documented in docs/opendata.md.
const (
	// MaxQueryResults is the result cap: a query with more results fails
	// with a message naming the cap (GraphQL counts every object and value
	// of its answer tree).
	MaxQueryResults = 1000
	// QueryTimeout is the time limit of one query.
	QueryTimeout = 5 * time.Second
	// MaxConcurrentQueries is how many queries run at once; more wait up to
	// QueryQueueWait, then fail with 503.
	MaxConcurrentQueries = 4
	// QueryQueueWait is how long a query waits for a free slot.
	QueryQueueWait = 2 * time.Second
	// MaxQuerySteps is the work limit of one query: how many quads or nodes
	// it may visit. It bounds the memory an engine can build up, GraphQL's
	// nested lists included.
	MaxQuerySteps = 2_000_000
	// MaxQueryBytes is the size limit of a query text.
	MaxQueryBytes = 64 << 10
	// MaxConcurrentGizmo is how many Gizmo queries run at once.
	MaxConcurrentGizmo = 1
	// GizmoHeapBudget is how much the process heap may grow while a Gizmo
	// query runs before the query is interrupted (Gizmo's JavaScript has no
	// memory limit of its own).
	GizmoHeapBudget = 256 << 20
)

// Limits are the limits a Querier enforces; DefaultLimits gives the
// documented constants (tests lower them).
type Limits struct {
	Results    int
	Timeout    time.Duration
	Concurrent int
	QueueWait  time.Duration
	Steps      int64
	QueryBytes int
	Gizmo      int
	GizmoHeap  uint64
}

// DefaultLimits returns the documented limits.
func DefaultLimits() Limits {
	return Limits{Results: MaxQueryResults, Timeout: QueryTimeout, Concurrent: MaxConcurrentQueries,
		QueueWait: QueryQueueWait, Steps: MaxQuerySteps, QueryBytes: MaxQueryBytes,
		Gizmo: MaxConcurrentGizmo, GizmoHeap: GizmoHeapBudget}
}

// QueryRequest is one read-only graph query.
type QueryRequest struct {
	Language string
	Query    string
	// Published restricts the query to published entities (anonymous
	// callers); drafts are then invisible, quads and nodes alike.
	Published bool
	// Authenticated allows Gizmo.
	Authenticated bool
	// JSONLD asks for values as JSON-LD value objects ({"@id"},
	// {"@value", "@language"|"@type"}); otherwise IRIs are strings and
	// literals their plain JSON value.
	JSONLD bool
}

// QueryAnswer is the result of a query.
type QueryAnswer struct {
	Language string
	Results  []any
	Steps    int64         // quads and nodes visited
	Elapsed  time.Duration // time spent running the query
}

// Querier runs read-only queries on a Graph within Limits. It is safe for
// concurrent use.
type Querier struct {
	g     *Graph
	lim   Limits
	slots chan struct{}
	gizmo chan struct{}
}

// NewQuerier returns a querier over g.
func NewQuerier(g *Graph, lim Limits) *Querier {
	return &Querier{g: g, lim: lim, slots: make(chan struct{}, max(lim.Concurrent, 1)), gizmo: make(chan struct{}, max(lim.Gizmo, 1))}
}

// Limits returns the limits the querier enforces.
func (q *Querier) Limits() Limits { return q.lim }

const opQuery = "graph.Query"

var (
	errResultCap  = errors.New("graph: result cap reached")
	errGizmoHeap  = errors.New("graph: gizmo heap budget exhausted")
	errQueryPanic = errors.New("graph: the query engine failed on this query")
)

// Query runs req. Errors are *domain.Error: KindInvalid for a malformed
// query or a limit hit (the message names the limit), KindUnauthorized for
// Gizmo without a token, KindTooLarge for an oversized query,
// KindUnavailable when every slot stays busy.
func (q *Querier) Query(ctx context.Context, req QueryRequest) (QueryAnswer, error) {
	if err := q.check(req); err != nil {
		return QueryAnswer{}, err
	}
	release, err := q.acquire(ctx, q.slots)
	if err != nil {
		return QueryAnswer{}, err
	}
	defer release()
	if req.Language == Gizmo {
		rel, err := q.acquire(ctx, q.gizmo)
		if err != nil {
			return QueryAnswer{}, err
		}
		defer rel()
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, q.lim.Timeout)
	defer cancel()
	var results []any
	steps, err := q.g.read(ctx, req.Published, q.lim.Steps, func(s *queryStore) (err error) {
		defer func() {
			if v := recover(); v != nil {
				err = fmt.Errorf("%w: %v", errQueryPanic, v)
			}
		}()
		switch req.Language {
		case LinkedQL:
			results, err = q.linkedQL(ctx, s, req)
		case GraphQL:
			results, err = q.graphQL(ctx, s, req)
		default:
			results, err = q.runGizmo(ctx, s, req)
		}
		return err
	})
	if err != nil {
		return QueryAnswer{}, q.describe(req.Language, err)
	}
	if results == nil {
		results = []any{}
	}
	return QueryAnswer{Language: req.Language, Results: results, Steps: steps, Elapsed: time.Since(start)}, nil
}

func (q *Querier) check(req QueryRequest) error {
	switch req.Language {
	case LinkedQL, GraphQL:
	case Gizmo:
		if !req.Authenticated {
			return domain.Errorf(opQuery, domain.KindUnauthorized, "Gizmo queries need a token (Authorization: Bearer <token>); anonymous callers can use linkedql or graphql")
		}
	default:
		return domain.Errorf(opQuery, domain.KindInvalid, "unsupported query language %q: use %q or %q (%q with a token)", req.Language, LinkedQL, GraphQL, Gizmo)
	}
	if strings.TrimSpace(req.Query) == "" {
		return domain.Errorf(opQuery, domain.KindInvalid, "the query is empty")
	}
	if len(req.Query) > q.lim.QueryBytes {
		return domain.Errorf(opQuery, domain.KindTooLarge, "the query is %d bytes, over the limit of %d bytes", len(req.Query), q.lim.QueryBytes)
	}
	return nil
}

// acquire takes a slot of sem, waiting up to QueueWait.
func (q *Querier) acquire(ctx context.Context, sem chan struct{}) (func(), error) {
	t := time.NewTimer(q.lim.QueueWait)
	defer t.Stop()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-t.C:
		return nil, domain.Errorf(opQuery, domain.KindUnavailable, "%d graph queries are already running (the concurrency limit): retry in a moment", cap(sem))
	case <-ctx.Done():
		return nil, domain.Wrap(opQuery, domain.KindUnavailable, ctx.Err())
	}
}

// describe turns an engine or limit error into a domain error naming the
// limit that was hit.
func (q *Querier) describe(lang string, err error) error {
	var de *domain.Error
	switch {
	case errors.As(err, &de):
		return err
	case errors.Is(err, errResultCap):
		return domain.Errorf(opQuery, domain.KindInvalid, "the query has more than %d results (the result cap): narrow it, or page with a Limit/Skip step (LinkedQL) or first:/offset: (GraphQL)", q.lim.Results)
	case errors.Is(err, errStepBudget):
		return domain.Errorf(opQuery, domain.KindInvalid, "the query visited more than %d quads and nodes (the work limit of one query): start from specific IRIs and follow fewer links", q.lim.Steps)
	case errors.Is(err, context.DeadlineExceeded):
		return domain.Errorf(opQuery, domain.KindInvalid, "the query ran longer than the time limit of %s: start from specific IRIs and follow fewer links", q.lim.Timeout)
	case errors.Is(err, errGizmoHeap):
		return domain.Errorf(opQuery, domain.KindInvalid, "the Gizmo query used more than %d MiB of memory (the limit) and was stopped", q.lim.GizmoHeap>>20)
	case errors.Is(err, context.Canceled):
		return domain.Wrap(opQuery, domain.KindUnavailable, err)
	}
	return &domain.Error{Op: opQuery, Kind: domain.KindInvalid, Message: "the " + lang + " query is malformed or cannot run: " + err.Error(),
		Fields: []domain.FieldError{{Path: "query", Message: err.Error()}}}
}

// collect drains it into at most Results values.
func (q *Querier) collect(ctx context.Context, it query.Iterator, conv func(any) any) ([]any, error) {
	defer it.Close()
	var out []any
	for it.Next(ctx) {
		if len(out) == q.lim.Results {
			return nil, errResultCap
		}
		if r := it.Result(); r != nil {
			out = append(out, conv(r))
		}
	}
	return out, it.Err()
}

// linkedQL runs a LinkedQL query: one JSON-LD step. Its @context may only
// be inline (LinkedQL's own JSON-LD processing would otherwise fetch it).
func (q *Querier) linkedQL(ctx context.Context, s *queryStore, req QueryRequest) ([]any, error) {
	var doc any
	if err := json.Unmarshal([]byte(req.Query), &doc); err != nil {
		return nil, fmt.Errorf("the query is not JSON: %v", err)
	}
	if err := inlineContextsOnly(doc); err != nil {
		return nil, err
	}
	item, err := linkedql.Unmarshal([]byte(req.Query))
	if err != nil {
		return nil, err
	}
	ns := &voc.Namespaces{}
	switch st := item.(type) {
	case linkedql.PathStep:
		p, err := st.BuildPath(s, ns)
		if err != nil {
			return nil, err
		}
		return q.collectPath(ctx, s, p, req.JSONLD)
	case linkedql.IteratorStep:
		it, err := st.BuildIterator(s, ns)
		if err != nil {
			return nil, err
		}
		return q.collect(ctx, it, func(v any) any { return plainJSON(v, req.JSONLD) })
	}
	return nil, fmt.Errorf("the top-level @type must be a LinkedQL step such as Vertex, Select or Documents")
}

// collectPath iterates a path's values.
func (q *Querier) collectPath(ctx context.Context, s *queryStore, p *path.Path, ld bool) ([]any, error) {
	it := p.BuildIterator(ctx).Iterate()
	defer it.Close()
	var out []any
	for it.Next(ctx) {
		if len(out) == q.lim.Results {
			return nil, errResultCap
		}
		v, err := s.NameOf(it.Result())
		if err != nil {
			return nil, err
		}
		out = append(out, ValueJSON(v, ld))
	}
	return out, it.Err()
}

// inlineContextsOnly refuses any @context (or @import) that names a
// document: they would be fetched by the engine's JSON-LD processor.
func inlineContextsOnly(v any) error {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if k == "@context" || k == "@import" {
				if err := noReferences(val); err != nil {
					return err
				}
			}
			if err := inlineContextsOnly(val); err != nil {
				return err
			}
		}
	case []any:
		for _, val := range x {
			if err := inlineContextsOnly(val); err != nil {
				return err
			}
		}
	}
	return nil
}

func noReferences(v any) error {
	switch x := v.(type) {
	case string:
		return fmt.Errorf("the context %q is a reference: only inline @context objects are accepted (no document is ever fetched)", x)
	case []any:
		for _, c := range x {
			if err := noReferences(c); err != nil {
				return err
			}
		}
	case map[string]any:
		return inlineContextsOnly(x)
	}
	return nil
}

// graphQL runs a GraphQL query. Its answer is one object tree; every object
// and value in it counts against the result cap.
func (q *Querier) graphQL(ctx context.Context, s *queryStore, req QueryRequest) ([]any, error) {
	it, err := graphql.NewSession(s).Execute(ctx, req.Query, query.Options{Collation: query.JSON})
	if err != nil {
		return nil, err
	}
	res, err := q.collect(ctx, it, func(v any) any { return treeJSON(v, req.JSONLD) })
	if err != nil {
		return nil, err
	}
	if n := countTree(res); n > q.lim.Results {
		return nil, errResultCap
	}
	return res, nil
}

// runGizmo runs a Gizmo (JavaScript) query with a heap watchdog: when the
// process heap grows by more than GizmoHeap the VM is interrupted.
func (q *Querier) runGizmo(ctx context.Context, s *queryStore, req QueryRequest) ([]any, error) {
	col := query.JSON
	if req.JSONLD {
		col = query.JSONLD
	}
	gctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var overBudget atomic.Bool
	done := make(chan struct{})
	defer close(done)
	go watchHeap(done, q.lim.GizmoHeap, func() { overBudget.Store(true); cancel() })
	it, err := gizmo.NewSession(s).Execute(gctx, req.Query, query.Options{Collation: col, Limit: q.lim.Results + 1})
	if err != nil {
		return nil, err
	}
	out, err := q.collect(gctx, it, func(v any) any { return treeJSON(v, req.JSONLD) })
	if overBudget.Load() {
		return nil, errGizmoHeap
	}
	if err != nil && gctx.Err() != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return out, err
}

// watchHeap calls over once the heap grows past budget, until done closes.
func watchHeap(done <-chan struct{}, budget uint64, over func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	base := read()
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-done:
			return
		case <-t.C:
			if read() > base+budget {
				over()
				return
			}
		}
	}
}

// ValueJSON renders a graph value: as a JSON-LD value object when ld is
// set, else as plain JSON (IRIs as strings, numbers and booleans native).
func ValueJSON(v quad.Value, ld bool) any {
	switch x := v.(type) {
	case nil:
		return nil
	case quad.IRI:
		if ld {
			return map[string]any{"@id": string(x)}
		}
		return string(x)
	case quad.BNode:
		if ld {
			return map[string]any{"@id": x.String()}
		}
		return x.String()
	case quad.String:
		return string(x)
	case quad.LangString:
		if ld {
			return map[string]any{"@value": string(x.Value), "@language": x.Lang}
		}
		return string(x.Value)
	case quad.TypedString:
		if ld {
			return map[string]any{"@value": string(x.Value), "@type": string(x.Type)}
		}
		return nativeLiteral(string(x.Value), string(x.Type))
	case quad.Int:
		return int64(x)
	case quad.Float:
		return float64(x)
	case quad.Bool:
		return bool(x)
	}
	return quad.StringOf(v)
}

// nativeLiteral returns numbers and booleans as JSON numbers and booleans.
func nativeLiteral(lex, dt string) any {
	switch dt {
	case ontology.XSDInteger, ontology.XSD + "int", ontology.XSD + "long", ontology.XSD + "nonNegativeInteger", ontology.XSD + "positiveInteger":
		if n, err := strconv.ParseInt(lex, 10, 64); err == nil {
			return n
		}
	case ontology.XSDDecimal, ontology.XSDDouble, ontology.XSD + "float":
		if f, err := strconv.ParseFloat(lex, 64); err == nil {
			return f
		}
	case ontology.XSDBoolean:
		if b, err := strconv.ParseBool(lex); err == nil {
			return b
		}
	}
	return lex
}

// treeJSON converts the quad values inside an engine's answer tree.
func treeJSON(v any, ld bool) any {
	switch x := v.(type) {
	case quad.Value:
		return ValueJSON(x, ld)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if k == graphql.ValueKey && ld {
				k = "@id"
				if iri, ok := val.(quad.IRI); ok {
					out[k] = string(iri)
					continue
				}
			}
			out[k] = treeJSON(val, ld)
		}
		return out
	case []map[string]any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = treeJSON(val, ld)
		}
		return out
	case []quad.Value:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = ValueJSON(val, ld)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = treeJSON(val, ld)
		}
		return out
	}
	return v
}

// plainJSON turns LinkedQL's JSON-LD answers into plain JSON unless ld:
// {"@id": x} becomes x and {"@value": v, ...} becomes v.
func plainJSON(v any, ld bool) any {
	if ld {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		if id, ok := x["@id"].(string); ok && len(x) == 1 {
			return id
		}
		if val, ok := x["@value"]; ok {
			if s, ok := val.(string); ok {
				if dt, ok := x["@type"].(string); ok {
					return nativeLiteral(s, dt)
				}
			}
			return val
		}
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = plainJSON(val, ld)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = plainJSON(val, ld)
		}
		return out
	}
	return v
}

// countTree counts the objects and values of an answer tree.
func countTree(v any) int {
	switch x := v.(type) {
	case map[string]any:
		n := 1
		for _, val := range x {
			n += countTree(val)
		}
		return n
	case []any:
		n := 0
		for _, val := range x {
			n += countTree(val)
		}
		return n
	case nil:
		return 0
	}
	return 1
}

// Ask runs a query for principal p: anonymous callers query the published
// graph only, and only authenticated callers may use Gizmo. It answers the
// results in JSON (or as JSON-LD values when jsonld is set). It is the
// signature the HTTP layer's OpenDataService asks for.
func (q *Querier) Ask(ctx context.Context, language, query string, p domain.Principal, jsonld bool) ([]any, error) {
	a, err := q.Query(ctx, QueryRequest{Language: language, Query: query, Published: p.IsAnonymous(),
		Authenticated: !p.IsAnonymous(), JSONLD: jsonld})
	return a.Results, err
}

// QueryLimits describes the limits in force, for answers and documentation.
func (q *Querier) QueryLimits() map[string]any {
	return map[string]any{
		"results": q.lim.Results, "timeout": q.lim.Timeout.String(), "concurrent": q.lim.Concurrent,
		"steps": q.lim.Steps, "queryBytes": q.lim.QueryBytes,
		"languages": []string{LinkedQL, GraphQL, Gizmo + " (authenticated)"},
	}
}
