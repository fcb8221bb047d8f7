package jsonld

import (
	"crypto/sha256"
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
	opts := c.options()
	opts.UseNativeTypes = true // 3 and true, not "3"^^xsd:integer, in stored and served documents
	return ld.NewJsonLdApi().FromRDF(ds, opts)
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
	key := cacheKey{doc: sha256.Sum256(doc), ctx: contextURL}
	if out, ok := c.cache.get(key); ok {
		return out, nil
	}
	out, err := c.compact(doc, contextURL)
	if err == nil {
		c.cache.put(key, out)
	}
	return out, err
}

func (c *Codec) compact(doc []byte, contextURL string) ([]byte, error) {
	var v []any
	if err := json.Unmarshal(doc, &v); err != nil {
		return nil, domain.Wrap("jsonld.Compact", domain.KindInternal, err)
	}
	active, err := c.activeContext(contextURL)
	if err != nil {
		return nil, domain.Wrap("jsonld.Compact", domain.KindInternal, err)
	}
	// Stored documents are already in expanded form: compact them directly
	// with the parsed context instead of expanding them again.
	compacted, err := ld.NewJsonLdApi().Compact(active, "", v, true)
	if err != nil {
		return nil, domain.Wrap("jsonld.Compact", domain.KindInternal, err)
	}
	out, ok := compacted.(map[string]any)
	if !ok {
		graph, _ := active.CompactIri("@graph", nil, false, false)
		out = map[string]any{graph: compacted}
	}
	out["@context"] = contextURL
	return json.MarshalIndent(out, "", "  ")
}

// activeContext returns the parsed context named by url, with its inverse
// built once: json-gold otherwise rebuilds both on every compaction. The
// parsed context is only read afterwards, so it is shared by goroutines.
func (c *Codec) activeContext(url string) (*ld.Context, error) {
	if v, ok := c.contexts.Load(url); ok {
		return v.(*ld.Context), nil
	}
	opts := c.options()
	opts.Base = "" // keep IRIs absolute in output
	active, err := ld.NewContext(nil, opts).Parse(url)
	if err != nil {
		return nil, err
	}
	active.GetInverse()
	v, _ := c.contexts.LoadOrStore(url, active)
	return v.(*ld.Context), nil
}
