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

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
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

// namedPrefixes are the prefixes the steps of query files may use.
var namedPrefixes = map[string]string{"schema": ontology.Schema, "skos": ontology.SKOS, "trame": ontology.NS, "owl": ontology.OWL,
	"rdf": ontology.RDF, "rdfs": ontology.RDFS, "prov": ontology.PROV, "cc": ontology.CC, "dcterms": ontology.DCTerms,
	"xsd": ontology.XSD, "void": ontology.VoID}

type namedBuilder struct {
	g      *Graph
	vals   map[string]quad.Value
	hidden *namedHidden
}

// namedStep is one element of a query path; exactly one operator is set.
type namedStep struct {
	Start           []json.RawMessage   `json:"start"`
	Out             json.RawMessage     `json:"out"`
	In              json.RawMessage     `json:"in"`
	Both            json.RawMessage     `json:"both"`
	Tags            []string            `json:"tags"`
	Has             string              `json:"has"`
	HasReverse      string              `json:"hasReverse"`
	Values          []json.RawMessage   `json:"values"`
	HasFilter       string              `json:"hasFilter"`
	Filter          bool                `json:"filter"`
	Between         []json.RawMessage   `json:"between"`
	Tag             json.RawMessage     `json:"tag"`
	Save            string              `json:"save"`
	SaveReverse     string              `json:"saveReverse"`
	SaveOptional    string              `json:"saveOptional"`
	As              string              `json:"as"`
	FollowRecursive string              `json:"followRecursive"`
	MaxDepth        int                 `json:"maxDepth"`
	DepthTags       []string            `json:"depthTags"`
	Follow          []json.RawMessage   `json:"follow"`
	HasPath         []json.RawMessage   `json:"hasPath"`
	And             [][]json.RawMessage `json:"and"`
	Or              [][]json.RawMessage `json:"or"`
	Except          [][]json.RawMessage `json:"except"`
	Unique          bool                `json:"unique"`
	Back            string              `json:"back"`
}

// path builds the steps into a path: a full path when it begins with
// start, a morphism (applied to the current nodes) otherwise.
func (b *namedBuilder) path(raw []json.RawMessage, top bool) (*path.Path, error) {
	var p *path.Path
	for i, r := range raw {
		var s namedStep
		dec := json.NewDecoder(strings.NewReader(string(r)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&s); err != nil {
			return nil, fmt.Errorf("step %d: %w", i, err)
		}
		if i == 0 {
			if s.Start != nil {
				nodes, err := b.values(s.Start)
				if err != nil {
					return nil, err
				}
				p = b.visible(path.StartPath(b.g.qs, nodes...))
				continue
			}
			if top {
				return nil, fmt.Errorf("a query path must begin with start")
			}
			p = path.StartMorphism()
		}
		var err error
		if p, err = b.apply(p, &s); err != nil {
			return nil, fmt.Errorf("step %d: %w", i, err)
		}
	}
	return p, nil
}

func (b *namedBuilder) apply(p *path.Path, s *namedStep) (*path.Path, error) {
	switch {
	case s.Out != nil:
		return b.visible(p.OutWithTags(s.Tags, b.preds(s.Out)...)), nil
	case s.In != nil:
		return b.visible(p.InWithTags(s.Tags, b.preds(s.In)...)), nil
	case s.Both != nil:
		return b.visible(p.BothWithTags(s.Tags, b.preds(s.Both)...)), nil
	case s.Has != "" || s.HasReverse != "":
		vals, err := b.values(s.Values)
		if err != nil {
			return nil, err
		}
		if s.Has != "" {
			return p.Has(b.iri(s.Has), vals...), nil
		}
		return p.HasReverse(b.iri(s.HasReverse), vals...), nil
	case s.HasFilter != "" || s.Filter:
		f, err := b.between(s.Between)
		if err != nil {
			return nil, err
		}
		if s.Filter {
			return p.Filters(f), nil
		}
		return p.HasFilter(b.iri(s.HasFilter), false, f), nil
	case s.Tag != nil:
		var tags []string
		if json.Unmarshal(s.Tag, &tags) != nil {
			var one string
			if err := json.Unmarshal(s.Tag, &one); err != nil {
				return nil, fmt.Errorf("tag: a name or a list of names")
			}
			tags = []string{one}
		}
		return p.Tag(tags...), nil
	case s.Save != "":
		return p.Save(b.iri(s.Save), s.As), nil
	case s.SaveReverse != "":
		return p.SaveReverse(b.iri(s.SaveReverse), s.As), nil
	case s.SaveOptional != "":
		return p.SaveOptional(b.iri(s.SaveOptional), s.As), nil
	case s.FollowRecursive != "":
		depth := s.MaxDepth
		if depth <= 0 {
			depth = namedMaxDepth
		}
		return p.FollowRecursive(b.visible(path.StartMorphism().Out(b.iri(s.FollowRecursive))), depth, s.DepthTags), nil
	case s.Follow != nil || s.HasPath != nil:
		sub, err := b.path(append(s.Follow, s.HasPath...), false)
		if err != nil {
			return nil, err
		}
		if s.Follow != nil {
			return p.Follow(sub), nil
		}
		return p.HasPath(sub), nil
	case s.And != nil || s.Or != nil || s.Except != nil:
		return b.combine(p, s)
	case s.Unique:
		return p.Unique(), nil
	case s.Back != "":
		return p.Back(s.Back), nil
	}
	return nil, fmt.Errorf("unknown or empty step")
}

func (b *namedBuilder) combine(p *path.Path, s *namedStep) (*path.Path, error) {
	for _, group := range []struct {
		subs [][]json.RawMessage
		op   func(*path.Path, *path.Path) *path.Path
	}{{s.And, (*path.Path).And}, {s.Or, (*path.Path).Or}, {s.Except, (*path.Path).Except}} {
		for _, raw := range group.subs {
			sub, err := b.path(raw, false)
			if err != nil {
				return nil, err
			}
			p = group.op(p, sub)
		}
	}
	return p, nil
}

// visible removes draft entities from the nodes a traversal reaches.
func (b *namedBuilder) visible(p *path.Path) *path.Path {
	if b.hidden == nil || len(b.hidden.values) == 0 {
		return p
	}
	return p.Except(path.StartPath(b.g.qs, b.hidden.values...))
}

func (b *namedBuilder) iri(s string) quad.IRI {
	if pfx, local, ok := strings.Cut(s, ":"); ok {
		if ns, ok := namedPrefixes[pfx]; ok {
			return quad.IRI(ns + local)
		}
	}
	return quad.IRI(s)
}

func (b *namedBuilder) preds(raw json.RawMessage) []interface{} {
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		var one string
		_ = json.Unmarshal(raw, &one)
		list = []string{one}
	}
	out := make([]interface{}, len(list))
	for i, s := range list {
		out[i] = b.iri(s)
	}
	return out
}

// values converts step values: "$param", {"@id": "prefix:local"} for an
// IRI, a JSON string for a plain literal, a JSON integer for an integer.
func (b *namedBuilder) values(raw []json.RawMessage) ([]quad.Value, error) {
	var out []quad.Value
	for _, r := range raw {
		var s string
		if json.Unmarshal(r, &s) == nil {
			if name, ok := strings.CutPrefix(s, "$"); ok {
				v, ok := b.vals[name]
				if !ok {
					return nil, fmt.Errorf("unknown parameter $%s", name)
				}
				out = append(out, v)
				continue
			}
			out = append(out, quad.String(s))
			continue
		}
		var ref struct {
			ID string `json:"@id"`
		}
		if json.Unmarshal(r, &ref) == nil && ref.ID != "" {
			out = append(out, b.iri(ref.ID))
			continue
		}
		var n int
		if err := json.Unmarshal(r, &n); err != nil {
			return nil, fmt.Errorf("bad value %s", r)
		}
		out = append(out, quad.Int(n))
	}
	return out, nil
}

// between builds the inclusive integer range filter. A value passes when
// it is an integer literal in range, or an IRI whose trame:levelNumber is
// (so "level 3" may be written 3 or as the IRI of the level concept).
func (b *namedBuilder) between(raw []json.RawMessage) (shape.ValueFilter, error) {
	vals, err := b.values(raw)
	if err != nil || len(vals) != 2 {
		return nil, fmt.Errorf("between needs [min, max]")
	}
	lo, ok1 := namedInt(vals[0])
	hi, ok2 := namedInt(vals[1])
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("between needs integers")
	}
	return levelRangeFilter{g: b.g, lo: lo, hi: hi}, nil
}

type levelRangeFilter struct {
	g      *Graph
	lo, hi int
}

// BuildIterator implements shape.ValueFilter. The graph's read lock is
// held by RunNamed.
func (f levelRangeFilter) BuildIterator(qs graph.QuadStore, it iterator.Shape) iterator.Shape {
	return iterator.NewValueFilter(qs, it, func(v quad.Value) (bool, error) {
		n, ok := namedInt(v)
		if !ok {
			if i, isIRI := v.(quad.IRI); isIRI {
				n, ok = f.levelOf(string(i))
			}
		}
		return ok && n >= f.lo && n <= f.hi, nil
	})
}

func (f levelRangeFilter) levelOf(iri string) (int, bool) {
	p := path.StartPath(f.g.qs, quad.IRI(iri)).Out(quad.IRI(ontology.LevelNumber))
	v, err := p.Iterate(context.Background()).FirstValue(f.g.qs)
	if err != nil || v == nil {
		return 0, false
	}
	return namedInt(v)
}

func namedInt(v quad.Value) (int, bool) {
	switch x := v.(type) {
	case quad.Int:
		return int(x), true
	case quad.TypedString:
		n, err := strconv.Atoi(string(x.Value))
		return n, err == nil
	case quad.String:
		n, err := strconv.Atoi(string(x))
		return n, err == nil
	}
	return 0, false
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
