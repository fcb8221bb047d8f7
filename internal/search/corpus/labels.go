package corpus

import (
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// MapLabels answers the search index's label questions (it satisfies
// search.Labels) from entities held in memory. It is not safe for
// concurrent writes; reads are safe once filled.
type MapLabels struct {
	byIRI  map[string]*domain.Entity
	drafts map[string]bool
}

// NewMapLabels returns labels over ents.
func NewMapLabels(ents ...*domain.Entity) *MapLabels {
	m := &MapLabels{byIRI: map[string]*domain.Entity{}, drafts: map[string]bool{}}
	m.Put(ents...)
	return m
}

// Put adds or replaces entities.
func (m *MapLabels) Put(ents ...*domain.Entity) {
	for _, e := range ents {
		m.byIRI[e.IRI] = e
	}
}

// Delete removes an entity.
func (m *MapLabels) Delete(iri string) { delete(m.byIRI, iri) }

// SetDraft marks an entity as a draft or not.
func (m *MapLabels) SetDraft(iri string, draft bool) { m.drafts[iri] = draft }

// Label returns the entity's label in lang, or "".
func (m *MapLabels) Label(iri, lang string) string {
	e, ok := m.byIRI[iri]
	if !ok {
		return ""
	}
	if l := e.Label(lang); l != iri {
		return l
	}
	return ""
}

// Values returns the objects of (iri, predicate).
func (m *MapLabels) Values(iri, predicate string) []string {
	e, ok := m.byIRI[iri]
	if !ok {
		return nil
	}
	var out []string
	for _, t := range e.Values(predicate) {
		if !t.IsBlank() {
			out = append(out, t.Value)
		}
	}
	return out
}

// Referrers returns the entities having (predicate, object), drafts left
// out when published is set.
func (m *MapLabels) Referrers(predicate, object string, published bool) []string {
	var out []string
	for iri, e := range m.byIRI {
		if published && m.drafts[iri] {
			continue
		}
		for _, t := range e.Values(predicate) {
			if t.Value == object && !t.IsBlank() {
				out = append(out, iri)
				break
			}
		}
	}
	return out
}

// IsDraft reports whether iri was marked as a draft.
func (m *MapLabels) IsDraft(iri string) bool { return m.drafts[iri] }

// Reference returns the entities the generated resources point to: the Les
// Bases vocabularies (with their categories), the licences, the CRCN
// competencies and the generated publishers.
func (g *Generator) Reference() []*domain.Entity {
	var out []*domain.Entity
	concept := func(iri, scheme, notation, label string, types ...string) *domain.Entity {
		e := newEntity(iri, types...)
		e.add(ontology.InScheme, domain.NewIRI(scheme))
		e.add(ontology.Notation, domain.NewString(notation))
		e.add(ontology.PrefLabel, domain.NewLangString(label, "fr"))
		out = append(out, e.Entity)
		return e.Entity
	}
	them := g.base + "vocab/thematiques"
	cats := map[string]string{}
	for _, c := range g.enums.Categories {
		slug := strings.TrimPrefix(c.Href, "/")
		cats[c.Label] = g.base + "vocab/categories/" + slug
		concept(cats[c.Label], them, slug, c.Label, ontology.Concept, ontology.IndexTerm)
	}
	for _, v := range g.enums.Themes.Values {
		e := concept(them+"/"+v.Key, them, v.Key, v.Label, ontology.Concept, ontology.IndexTerm)
		if c := cats[v.Category]; c != "" {
			e.Triples = append(e.Triples, domain.Triple{S: domain.NewIRI(e.IRI), P: domain.NewIRI(ontology.Broader), O: domain.NewIRI(c)})
		}
	}
	for scheme, list := range map[string]enumList{"types": g.enums.Types, "beneficiaires": g.enums.Beneficiaries, "secteurs": g.enums.Sectors} {
		for _, v := range list.Values {
			concept(g.base+"vocab/"+scheme+"/"+v.Key, g.base+"vocab/"+scheme, v.Key, v.Label, ontology.Concept, ontology.IndexTerm)
		}
	}
	for _, d := range g.enums.Departments.Values {
		concept(g.base+"vocab/departements/"+d.Code, g.base+"vocab/departements", d.Code, d.Label, ontology.Concept, ontology.IndexTerm)
	}
	for _, v := range g.enums.Licences.Values {
		if iri := licenceIRIs[v.Key]; iri != "" {
			e := newEntity(iri, ontology.License)
			e.add(ontology.Name, domain.NewLangString(v.Label, "fr"))
			e.add(ontology.Identifier, domain.NewString(v.Key))
			out = append(out, e.Entity)
		}
	}
	crcn := g.base + "frameworks/crcn"
	fw := newEntity(crcn, ontology.ConceptScheme, ontology.CompetencyFramework)
	fw.add(ontology.PrefLabel, domain.NewLangString("Cadre de référence des compétences numériques (CRCN)", "fr"))
	out = append(out, fw.Entity)
	for _, c := range CRCN {
		concept(g.base+"competencies/crcn-"+c.Notation, crcn, c.Notation, c.Label, ontology.Concept, ontology.Competency)
	}
	for i := range g.publishers {
		iri, name := g.PublisherIRI(i)
		e := newEntity(iri, ontology.Organization)
		e.add(ontology.Name, domain.NewString(name))
		out = append(out, e.Entity)
	}
	return out
}

type builder struct{ *domain.Entity }

func newEntity(iri string, types ...string) builder {
	b := builder{&domain.Entity{IRI: iri, Types: types}}
	for _, t := range types {
		b.add(ontology.Type, domain.NewIRI(t))
	}
	return b
}

func (b builder) add(p string, o domain.Term) {
	b.Triples = append(b.Triples, domain.Triple{S: domain.NewIRI(b.IRI), P: domain.NewIRI(p), O: o})
}
