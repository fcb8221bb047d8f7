package synth

import (
	"strconv"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// builder writes an entity's triples.
type builder struct {
	e *domain.Entity
	n int
}

func newEnt(iri string, types ...string) *builder {
	b := &builder{e: &domain.Entity{IRI: iri, Types: types}}
	for _, t := range types {
		b.add(domain.NewIRI(iri), ontology.Type, domain.NewIRI(t))
	}
	return b
}

func (b *builder) add(s domain.Term, p string, o domain.Term) *builder {
	b.e.Triples = append(b.e.Triples, domain.Triple{S: s, P: domain.NewIRI(p), O: o})
	return b
}

func (b *builder) ref(p string, objs ...string) *builder {
	for _, o := range objs {
		b.add(domain.NewIRI(b.e.IRI), p, domain.NewIRI(o))
	}
	return b
}

func (b *builder) str(p, v string) *builder {
	return b.add(domain.NewIRI(b.e.IRI), p, domain.NewString(v))
}

func (b *builder) lang(p, v string) *builder {
	return b.add(domain.NewIRI(b.e.IRI), p, domain.NewLangString(v, "fr"))
}

func (b *builder) typed(p, v, dt string) *builder {
	return b.add(domain.NewIRI(b.e.IRI), p, domain.NewTyped(v, dt))
}

func (b *builder) align(kind, competency string, level int) *builder {
	b.n++
	node := domain.NewBlank("a" + strconv.Itoa(b.n))
	b.add(domain.NewIRI(b.e.IRI), ontology.EducationalAlignment, node)
	b.add(node, ontology.AlignmentType, domain.NewString(kind))
	b.add(node, ontology.TargetURL, domain.NewIRI(competency))
	return b.add(node, ontology.EducationalLevel, domain.NewTyped(strconv.Itoa(level), ontology.XSDInteger))
}

func minutesDur(m int) time.Duration { return time.Duration(m) * time.Minute }
