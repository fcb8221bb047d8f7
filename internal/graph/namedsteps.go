package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/trame-commun/trame/ontology"
)

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
