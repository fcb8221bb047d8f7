package jsonld

import (
	"encoding/json"
	"sort"

	"github.com/piprate/json-gold/ld"

	"github.com/trame-commun/trame/internal/domain"
)

// Encode renders an entity as the document the store keeps: expanded
// JSON-LD (context-free), with each blank node used once embedded where it
// is used, so an alignment reads inside its resource.
func (c *Codec) Encode(e *domain.Entity) ([]byte, error) {
	nodes, err := c.fromTriples(e.Triples)
	if err != nil {
		return nil, domain.Wrap("jsonld.Encode", domain.KindInternal, err)
	}
	return json.Marshal(embedBlankNodes(nodes, e.IRI))
}

func (c *Codec) fromTriples(triples []domain.Triple) ([]any, error) {
	ds := ld.NewRDFDataset()
	quads := make([]*ld.Quad, 0, len(triples))
	for _, t := range triples {
		quads = append(quads, ld.NewQuad(toNode(t.S), toNode(t.P), toNode(t.O), "@default"))
	}
	ds.Graphs["@default"] = quads
	return ld.NewJsonLdApi().FromRDF(ds, c.options())
}

func toNode(t domain.Term) ld.Node {
	switch t.Kind {
	case domain.IRI:
		return ld.NewIRI(t.Value)
	case domain.Blank:
		return ld.NewBlankNode("_:" + t.Value)
	}
	return ld.NewLiteral(t.Value, t.Datatype, t.Lang)
}

// embedBlankNodes replaces each reference to a blank node used exactly once
// with the node itself, and puts the entity's own node first.
func embedBlankNodes(nodes []any, root string) []any {
	byID := map[string]map[string]any{}
	uses := map[string]int{}
	var count func(v any)
	count = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["@id"].(string); ok && len(x) == 1 {
				uses[id]++
			}
			for k, val := range x {
				if k != "@id" {
					count(val)
				}
			}
		case []any:
			for _, val := range x {
				count(val)
			}
		}
	}
	for _, n := range nodes {
		m := n.(map[string]any)
		byID[m["@id"].(string)] = m
		count(m)
	}
	embedded := map[string]bool{}
	var embed func(v any) any
	embed = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			if id, ok := x["@id"].(string); ok && len(x) == 1 && isBlank(id) && uses[id] == 1 && byID[id] != nil && !embedded[id] {
				embedded[id] = true
				n := byID[id]
				delete(n, "@id")
				return embed(n)
			}
			for k, val := range x {
				x[k] = embed(val)
			}
		case []any:
			for i, val := range x {
				x[i] = embed(val)
			}
		}
		return v
	}
	var out []any
	if r := byID[root]; r != nil {
		out = append(out, embed(r))
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if id == root || embedded[id] {
			continue
		}
		out = append(out, embed(byID[id]))
	}
	return out
}

func isBlank(id string) bool { return len(id) > 2 && id[:2] == "_:" }

// DecodeStored turns a document written by Encode back into the entity iri.
func (c *Codec) DecodeStored(iri string, doc []byte) (*domain.Entity, error) {
	var v []any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, domain.Wrap("jsonld.DecodeStored", domain.KindInternal, err)
	}
	triples, err := toTriples(v)
	if err != nil {
		return nil, domain.Wrap("jsonld.DecodeStored", domain.KindInternal, err)
	}
	return newEntity(iri, triples), nil
}

// Compact compacts a stored document with Trame's context (contextURL
// empty) or with the embedded context named by contextURL (for example
// "https://schema.org/"), and returns the JSON.
func (c *Codec) Compact(doc []byte, contextURL string) ([]byte, error) {
	if contextURL == "" {
		contextURL = c.ContextURL()
	}
	var v []any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, domain.Wrap("jsonld.Compact", domain.KindInternal, err)
	}
	opts := c.options()
	opts.Base = "" // keep IRIs absolute in output
	out, err := c.proc.Compact(v, contextURL, opts)
	if err != nil {
		return nil, domain.Wrap("jsonld.Compact", domain.KindInternal, err)
	}
	return json.MarshalIndent(out, "", "  ")
}
