package graph

import (
	"context"

	"github.com/cayleygraph/cayley/query/path"
	"github.com/cayleygraph/quad"

	"github.com/trame-commun/trame/ontology"
)

// Label returns the display label of iri in lang: its schema:name, else its
// skos:prefLabel, in lang, else French, else untagged, else any language;
// "" when the graph holds no such label.
func (g *Graph) Label(iri, lang string) string {
	for _, p := range []string{ontology.Name, ontology.PrefLabel} {
		best, rank := "", 4
		for _, v := range g.objects(iri, p) {
			r, s := 3, ""
			switch x := v.(type) {
			case quad.LangString:
				s = string(x.Value)
				switch x.Lang {
				case lang:
					r = 0
				case "fr":
					r = 1
				}
			case quad.String:
				s, r = string(x), 2
			case quad.TypedString:
				s, r = string(x.Value), 2
			default:
				continue
			}
			if r < rank && s != "" {
				best, rank = s, r
			}
		}
		if best != "" {
			return best
		}
	}
	return ""
}

// Values returns the objects of (iri, predicate): IRIs as themselves,
// literals as their lexical forms; blank nodes are left out.
func (g *Graph) Values(iri, predicate string) []string {
	var out []string
	for _, v := range g.objects(iri, predicate) {
		switch x := v.(type) {
		case quad.IRI:
			out = append(out, string(x))
		case quad.BNode:
		default:
			out = append(out, literal(x))
		}
	}
	return out
}

// Referrers returns the subjects of the triples (?, predicate, object) whose
// object is the IRI object, in no particular order; when published is set,
// subjects that are drafts are left out.
func (g *Graph) Referrers(predicate, object string, published bool) []string {
	g.mu.RLock()
	defer g.mu.RUnlock()
	p := path.StartPath(g.qs, quad.IRI(object)).In(quad.IRI(predicate))
	var out []string
	_ = p.Iterate(context.Background()).EachValue(g.qs, func(v quad.Value) error {
		if iri, ok := v.(quad.IRI); ok && !(published && g.drafts[string(iri)]) {
			out = append(out, string(iri))
		}
		return nil
	})
	return out
}
