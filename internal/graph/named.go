package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/queries"
)

// Limits of named queries.
const (
	// MaxNamedRows bounds the rows a named query returns.
	MaxNamedRows = 10_000
	// NamedQueryTimeout bounds the time a named query runs.
	NamedQueryTimeout = 5 * time.Second
	// namedMaxDepth bounds followRecursive when a query gives no maxDepth.
	namedMaxDepth = 50
)

// NamedQuery is one query file of queries/: a path of steps over the graph
// (see queries/README.md) and the tags it returns.
type NamedQuery struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Parameters  []QueryParam      `json:"parameters"`
	Path        []json.RawMessage `json:"path"`
	Select      []string          `json:"select"`
	Compute     []Computed        `json:"compute,omitempty"`
}

// QueryParam declares a parameter: its type (iri, integer or string),
// whether it is required, and its default.
type QueryParam struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Required    bool   `json:"required,omitempty"`
	Default     string `json:"default,omitempty"`
	Description string `json:"description"`
}

// Computed adds a column: As = parameter − tag (an integer), rows where it
// falls below Min are dropped.
type Computed struct {
	As       string    `json:"as"`
	Subtract [2]string `json:"subtract"`
	Min      *int      `json:"min,omitempty"`
}

// Row is one answer: selected tag → value (IRI, or lexical form).
type Row map[string]string

var (
	namedOnce sync.Once
	named     map[string]*NamedQuery
	namedErr  error
)

// NamedQueries returns the named queries by name. An error means a file of
// queries/ is broken, which the tests rule out.
func NamedQueries() (map[string]*NamedQuery, error) {
	namedOnce.Do(func() { named, namedErr = loadNamed(queries.FS) })
	return named, namedErr
}

func loadNamed(fsys fs.FS) (map[string]*NamedQuery, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	out := map[string]*NamedQuery{}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		var q NamedQuery
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&q); err != nil {
			return nil, fmt.Errorf("queries/%s: %w", n, err)
		}
		if q.Name+".json" != n || len(q.Path) == 0 || len(q.Select) == 0 {
			return nil, fmt.Errorf("queries/%s: a query needs a name matching its file, a path and a select", n)
		}
		out[q.Name] = &q
	}
	return out, nil
}

const opNamed = "graph.RunNamed"

// RunNamed runs the named query with params (strings, converted by the
// declared types). Without withDrafts, draft entities are invisible: no
// traversal passes through one, and no row names one (or one of its blank
// nodes). Rows are deduplicated and sorted; at most MaxNamedRows.
func (g *Graph) RunNamed(ctx context.Context, name string, params map[string]string, withDrafts bool) ([]Row, error) {
	qs, err := NamedQueries()
	if err != nil {
		return nil, domain.Wrap(opNamed, domain.KindInternal, err)
	}
	q := qs[name]
	if q == nil {
		return nil, domain.Errorf(opNamed, domain.KindNotFound, "no named query %q", name)
	}
	vals, err := q.bind(params)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, NamedQueryTimeout)
	defer cancel()
	g.mu.RLock()
	defer g.mu.RUnlock()
	b := &namedBuilder{g: g, vals: vals}
	if !withDrafts {
		b.hidden = g.namedDraftSet()
	}
	p, err := b.path(q.Path, true)
	if err != nil {
		return nil, domain.Wrap(opNamed, domain.KindInternal, fmt.Errorf("query %s: %w", name, err))
	}
	return b.rows(ctx, q, p)
}

// bind checks and converts parameters.
func (q *NamedQuery) bind(params map[string]string) (map[string]quad.Value, error) {
	var fields []domain.FieldError
	out := map[string]quad.Value{}
	for k := range params {
		if !q.hasParam(k) {
			fields = append(fields, domain.FieldError{Path: k, Message: "unknown parameter of query " + q.Name})
		}
	}
	for _, p := range q.Parameters {
		v, ok := params[p.Name]
		if !ok || v == "" {
			if p.Required {
				fields = append(fields, domain.FieldError{Path: p.Name, Message: "required"})
				continue
			}
			v = p.Default
		}
		switch p.Type {
		case "iri":
			if v != "" && !strings.Contains(v, ":") {
				fields = append(fields, domain.FieldError{Path: p.Name, Message: fmt.Sprintf("%q is not an absolute IRI", v)})
			}
			out[p.Name] = quad.IRI(v)
		case "integer":
			n, err := strconv.Atoi(v)
			if err != nil {
				fields = append(fields, domain.FieldError{Path: p.Name, Message: fmt.Sprintf("%q is not an integer", v)})
			}
			out[p.Name] = quad.Int(n)
		default:
			out[p.Name] = quad.String(v)
		}
	}
	if len(fields) > 0 {
		sort.Slice(fields, func(i, j int) bool { return fields[i].Path < fields[j].Path })
		return nil, &domain.Error{Op: opNamed, Kind: domain.KindInvalid, Message: "invalid parameters for query " + q.Name, Fields: fields}
	}
	return out, nil
}

func (q *NamedQuery) hasParam(name string) bool {
	for _, p := range q.Parameters {
		if p.Name == name {
			return true
		}
	}
	return false
}

// draftSet returns the draft entities' IRIs and the prefixes of their blank
// nodes. The caller holds the read lock.
func (g *Graph) namedDraftSet() *namedHidden {
	h := &namedHidden{iris: map[string]bool{}}
	for iri := range g.drafts {
		h.iris[iri] = true
		h.values = append(h.values, quad.IRI(iri))
		if qs := g.byEntity[iri]; len(qs) > 0 {
			h.blanks = append(h.blanks, namedBlankPrefix(iri))
		}
	}
	sort.Slice(h.values, func(i, j int) bool { return h.values[i].String() < h.values[j].String() })
	return h
}

type namedHidden struct {
	iris   map[string]bool
	values []quad.Value
	blanks []string
}

func (h *namedHidden) hides(v quad.Value) bool {
	switch x := v.(type) {
	case quad.IRI:
		return h.iris[string(x)]
	case quad.BNode:
		for _, p := range h.blanks {
			if strings.HasPrefix(string(x), p) {
				return true
			}
		}
	}
	return false
}

// rows iterates p and returns the selected tags of each result.
func (b *namedBuilder) rows(ctx context.Context, q *NamedQuery, p *path.Path) ([]Row, error) {
	seen := map[string]bool{}
	var out []Row
	err := p.Iterate(ctx).TagValues(b.g.qs, func(m map[string]quad.Value) error {
		if len(out) >= MaxNamedRows {
			return nil
		}
		row := Row{}
		for _, t := range q.Select {
			v, ok := m[t]
			if !ok {
				continue
			}
			if b.hidden != nil && b.hidden.hides(v) {
				return nil
			}
			row[t] = namedLexical(v)
		}
		for _, v := range m {
			if b.hidden != nil && b.hidden.hides(v) {
				return nil
			}
		}
		if !b.compute(q, row, m) {
			return nil
		}
		key := namedRowKey(q.Select, row)
		if !seen[key] {
			seen[key] = true
			out = append(out, row)
		}
		return nil
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, domain.Errorf(opNamed, domain.KindUnavailable, "the query %s ran over %s", q.Name, NamedQueryTimeout)
		}
		return nil, domain.Wrap(opNamed, domain.KindInternal, err)
	}
	sort.Slice(out, func(i, j int) bool { return namedRowKey(q.Select, out[i]) < namedRowKey(q.Select, out[j]) })
	return out, nil
}

// compute adds the computed columns; false drops the row.
func (b *namedBuilder) compute(q *NamedQuery, row Row, m map[string]quad.Value) bool {
	for _, c := range q.Compute {
		a, ok1 := namedInt(b.vals[strings.TrimPrefix(c.Subtract[0], "$")])
		d, ok2 := namedInt(m[c.Subtract[1]])
		if !ok1 || !ok2 {
			return false
		}
		if c.Min != nil && a-d < *c.Min {
			return false
		}
		row[c.As] = strconv.Itoa(a - d)
	}
	return true
}

func namedRowKey(cols []string, r Row) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(r[c])
		b.WriteByte(0)
	}
	for _, k := range namedSortedKeys(r) {
		if !namedContains(cols, k) {
			b.WriteString(k + "=" + r[k])
			b.WriteByte(0)
		}
	}
	return b.String()
}

func namedSortedKeys(r Row) []string {
	out := make([]string, 0, len(r))
	for k := range r {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func namedContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// namedLexical renders a value: an IRI as itself, a literal by its lexical form,
// a blank node as _:label.
func namedLexical(v quad.Value) string {
	switch x := v.(type) {
	case quad.IRI:
		return string(x)
	case quad.BNode:
		return "_:" + string(x)
	}
	return literal(v)
}

// namedBlankPrefix is the prefix Quads gives an entity's blank nodes.
func namedBlankPrefix(iri string) string {
	q := Quads(&domain.Entity{IRI: iri, Triples: []domain.Triple{{S: domain.NewBlank("x"), P: domain.NewIRI("p"), O: domain.NewBlank("x")}}})
	return strings.TrimSuffix(string(q[0].Subject.(quad.BNode)), "x")
}
