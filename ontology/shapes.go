package ontology

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// NodeKind is the SHACL node kind a property value must have.
type NodeKind string

// The SHACL node kinds the shapes use.
const (
	KindAny            NodeKind = ""
	KindIRI            NodeKind = SH + "IRI"
	KindLiteral        NodeKind = SH + "Literal"
	KindBlankNodeOrIRI NodeKind = SH + "BlankNodeOrIRI"
	KindIRIOrLiteral   NodeKind = SH + "IRIOrLiteral"
	KindBlankNode      NodeKind = SH + "BlankNode"
	KindBlankOrLiteral NodeKind = SH + "BlankNodeOrLiteral"
)

// InValue is one member of an sh:in list: a literal lexical form, or an IRI.
type InValue struct {
	Value string
	IsIRI bool
}

// PropertyShape constrains the values of one property (SHACL core subset:
// minCount, maxCount, nodeKind, class, datatype, node, in, minInclusive,
// maxInclusive, pattern). Class is checked on IRI values only and the
// numeric range on literal values only, so one shape can accept "an integer
// 1–8 or the IRI of a level".
type PropertyShape struct {
	Path         string
	MinCount     int
	MaxCount     int // 0: unbounded
	NodeKind     NodeKind
	Class        string
	Datatype     string
	Node         string // IRI of a NodeShape that nested values must satisfy
	In           []InValue
	MinInclusive *int
	MaxInclusive *int
	Pattern      string
	Message      map[string]string // language → message
}

// NodeShape is a SHACL node shape: the properties a focus node must satisfy.
// TargetClass is empty for shapes reached only through sh:node.
type NodeShape struct {
	ID          string
	TargetClass string
	Properties  []PropertyShape
}

// ShapeSet is the parsed content of shapes.jsonld.
type ShapeSet struct {
	ByID    map[string]*NodeShape
	ByClass map[string]*NodeShape
	Ordered []*NodeShape
}

var (
	shapesOnce sync.Once
	shapesSet  *ShapeSet
	shapesErr  error
)

// LoadShapes parses the embedded shapes once and returns them. The result is
// shared and must not be modified. An error means the embedded file is
// broken, which tests rule out.
func LoadShapes() (*ShapeSet, error) {
	shapesOnce.Do(func() { shapesSet, shapesErr = ParseShapes(Shapes) })
	return shapesSet, shapesErr
}

// ParseShapes reads shapes written in the compact JSON-LD form of
// shapes.jsonld (its own @context prefixes, fixed keys).
func ParseShapes(data []byte) (*ShapeSet, error) {
	var doc struct {
		Context map[string]json.RawMessage `json:"@context"`
		Graph   []struct {
			ID          string `json:"@id"`
			TargetClass string `json:"targetClass"`
			Property    []struct {
				Path         string            `json:"path"`
				MinCount     int               `json:"minCount"`
				MaxCount     int               `json:"maxCount"`
				NodeKind     string            `json:"nodeKind"`
				Class        string            `json:"class"`
				Datatype     string            `json:"datatype"`
				Node         string            `json:"node"`
				In           []json.RawMessage `json:"in"`
				MinInclusive *int              `json:"minInclusive"`
				MaxInclusive *int              `json:"maxInclusive"`
				Pattern      string            `json:"pattern"`
				Message      map[string]string `json:"message"`
			} `json:"property"`
		} `json:"@graph"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("ontology: shapes: %w", err)
	}
	prefixes := map[string]string{}
	for k, v := range doc.Context {
		var s string
		if json.Unmarshal(v, &s) == nil && (strings.HasSuffix(s, "#") || strings.HasSuffix(s, "/")) {
			prefixes[k] = s
		}
	}
	expand := func(c string) string {
		if c == "" {
			return ""
		}
		if p, local, ok := strings.Cut(c, ":"); ok {
			if ns, ok := prefixes[p]; ok {
				return ns + local
			}
		}
		return c
	}
	set := &ShapeSet{ByID: map[string]*NodeShape{}, ByClass: map[string]*NodeShape{}}
	for _, g := range doc.Graph {
		ns := &NodeShape{ID: expand(g.ID), TargetClass: expand(g.TargetClass)}
		for _, p := range g.Property {
			ps := PropertyShape{
				Path: expand(p.Path), MinCount: p.MinCount, MaxCount: p.MaxCount,
				NodeKind: NodeKind(expand(p.NodeKind)), Class: expand(p.Class),
				Datatype: expand(p.Datatype), Node: expand(p.Node),
				MinInclusive: p.MinInclusive, MaxInclusive: p.MaxInclusive,
				Pattern: p.Pattern, Message: p.Message,
			}
			for _, raw := range p.In {
				var lit string
				if json.Unmarshal(raw, &lit) == nil {
					ps.In = append(ps.In, InValue{Value: lit})
					continue
				}
				var ref struct {
					ID string `json:"@id"`
				}
				if err := json.Unmarshal(raw, &ref); err != nil || ref.ID == "" {
					return nil, fmt.Errorf("ontology: shapes: %s: bad sh:in member %s", ns.ID, raw)
				}
				ps.In = append(ps.In, InValue{Value: expand(ref.ID), IsIRI: true})
			}
			ns.Properties = append(ns.Properties, ps)
		}
		set.ByID[ns.ID] = ns
		if ns.TargetClass != "" {
			set.ByClass[ns.TargetClass] = ns
		}
		set.Ordered = append(set.Ordered, ns)
	}
	for _, ns := range set.Ordered {
		for _, p := range ns.Properties {
			if p.Node != "" && set.ByID[p.Node] == nil {
				return nil, fmt.Errorf("ontology: shapes: %s refers to unknown shape %s", ns.ID, p.Node)
			}
		}
	}
	return set, nil
}
