package competency

import (
	"context"
	"strconv"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// The fixture is a small graph written the way the public write contract
// allows: a framework posted as a plain skos:ConceptScheme with plain
// skos:Concept members (no Trame types), a second framework crosswalked to
// it, the level scale, licences, two publishers, two départements and a
// handful of resources.
const (
	base  = "https://example.org/"
	demo  = base + "ref/demo"
	c1    = demo + "/c1" // Rechercher
	c2    = demo + "/c2" // Ranger
	c3    = demo + "/c3" // Traiter (prerequisite: c2)
	c4    = demo + "/c4" // Publier
	other = base + "ref/other"
	o1    = other + "/o1" // exactMatch c1 (stated on the concept)
	o2    = other + "/o2" // closeMatch c4 (stated in a crosswalk)
	bySA  = "https://creativecommons.org/licenses/by-sa/4.0/"
	byL   = "https://creativecommons.org/licenses/by/4.0/"
	ncSA  = "https://creativecommons.org/licenses/by-nc-sa/4.0/"
	none  = base + "licences/aucune"
	pubA  = base + "partners/a"
	pubB  = base + "partners/b"
	dep59 = base + "vocab/departements/59"
	dep13 = base + "vocab/departements/13"
)

type eb struct {
	e *domain.Entity
	n int
}

func ent(iri string, types ...string) *eb {
	b := &eb{e: &domain.Entity{IRI: iri, Types: types}}
	for _, t := range types {
		b.add(domain.NewIRI(iri), ontology.Type, domain.NewIRI(t))
	}
	return b
}

func (b *eb) add(s domain.Term, p string, o domain.Term) *eb {
	b.e.Triples = append(b.e.Triples, domain.Triple{S: s, P: domain.NewIRI(p), O: o})
	return b
}

func (b *eb) ref(p string, objs ...string) *eb {
	for _, o := range objs {
		b.add(domain.NewIRI(b.e.IRI), p, domain.NewIRI(o))
	}
	return b
}

func (b *eb) str(p, v string) *eb { return b.add(domain.NewIRI(b.e.IRI), p, domain.NewString(v)) }

func (b *eb) fr(p, v string) *eb {
	return b.add(domain.NewIRI(b.e.IRI), p, domain.NewLangString(v, "fr"))
}

func (b *eb) typed(p, v, dt string) *eb {
	return b.add(domain.NewIRI(b.e.IRI), p, domain.NewTyped(v, dt))
}

// align adds a schema:educationalAlignment node; level 0 states none, a
// negative level names the level concept IRI.
func (b *eb) align(kind, competency string, level int) *eb {
	b.n++
	node := domain.NewBlank("a" + strconv.Itoa(b.n))
	b.add(domain.NewIRI(b.e.IRI), ontology.EducationalAlignment, node)
	b.add(node, ontology.AlignmentType, domain.NewString(kind))
	b.add(node, ontology.TargetURL, domain.NewIRI(competency))
	switch {
	case level > 0:
		b.add(node, ontology.EducationalLevel, domain.NewTyped(strconv.Itoa(level), ontology.XSDInteger))
	case level < 0:
		b.add(node, ontology.EducationalLevel, domain.NewIRI(levelIRI(-level)))
	}
	return b
}

func (b *eb) mapping(src, rel, tgt string) *eb {
	b.n++
	node := domain.NewBlank("m" + strconv.Itoa(b.n))
	b.add(domain.NewIRI(b.e.IRI), ontology.MappingProp, node)
	b.add(node, ontology.AnnotatedSource, domain.NewIRI(src))
	b.add(node, ontology.AnnotatedProp, domain.NewIRI(rel))
	b.add(node, ontology.AnnotatedTarget, domain.NewIRI(tgt))
	return b
}

func levelIRI(n int) string { return base + "levels/" + strconv.Itoa(n) }

// res describes a resource: kind, duration, licence, then the caller
// adds alignments and facts.
func res(slug, kind, duration, licence string) *eb {
	b := ent(base+"resources/"+slug, ontology.LearningResource, kind).fr(ontology.Name, "Ressource "+slug)
	if duration != "" {
		b.typed(ontology.TimeRequired, duration, ontology.Duration)
	}
	if licence != "" {
		b.ref(ontology.LicenseProp, licence)
	}
	return b
}

func r(slug string) string { return base + "resources/" + slug }

func fixture() []*eb {
	out := []*eb{
		ent(demo, ontology.ConceptScheme).fr(ontology.PrefLabel, "Référentiel de démonstration"),
		ent(c1, ontology.Concept).ref(ontology.InScheme, demo).str(ontology.Notation, "1").fr(ontology.PrefLabel, "Rechercher de l'information"),
		ent(c2, ontology.Concept).ref(ontology.InScheme, demo).str(ontology.Notation, "2").fr(ontology.PrefLabel, "Ranger"),
		ent(c3, ontology.Concept).ref(ontology.InScheme, demo).str(ontology.Notation, "3").fr(ontology.PrefLabel, "Traiter").ref(ontology.Prerequisite, c2),
		ent(c4, ontology.Concept).ref(ontology.InScheme, demo).str(ontology.Notation, "10").fr(ontology.PrefLabel, "Publier"),
		ent(other, ontology.ConceptScheme, ontology.CompetencyFramework).fr(ontology.PrefLabel, "Autre référentiel"),
		ent(o1, ontology.Concept, ontology.Competency).ref(ontology.InScheme, other).str(ontology.Notation, "A").fr(ontology.PrefLabel, "Chercher").ref(ontology.ExactMatch, c1),
		ent(o2, ontology.Concept, ontology.Competency).ref(ontology.InScheme, other).str(ontology.Notation, "B").fr(ontology.PrefLabel, "Diffuser"),
		ent(base+"crosswalks/x", ontology.Crosswalk).mapping(o2, ontology.CloseMatch, c4),
		ent(base+"frameworks/niveaux", ontology.ConceptScheme).fr(ontology.PrefLabel, "Niveaux"),
		licence(bySA, []string{ontology.CCNotice, ontology.CCAttribution, ontology.CCShareAlike}, nil),
		licence(byL, []string{ontology.CCNotice, ontology.CCAttribution}, nil),
		licence(ncSA, []string{ontology.CCNotice, ontology.CCAttribution, ontology.CCShareAlike}, []string{ontology.CCCommercialUse}),
		ent(none, ontology.License).fr(ontology.Name, "Aucune licence"),
		ent(pubA, ontology.Organization).fr(ontology.Name, "Éditeur A"),
		ent(pubB, ontology.Organization).fr(ontology.Name, "Éditeur B"),
		ent(base+"vocab/departements", ontology.ConceptScheme, ontology.IndexVocabulary).fr(ontology.PrefLabel, "Départements"),
		ent(dep59, ontology.Concept, ontology.IndexTerm).ref(ontology.InScheme, base+"vocab/departements").str(ontology.Notation, "59").fr(ontology.PrefLabel, "Nord"),
		ent(dep13, ontology.Concept, ontology.IndexTerm).ref(ontology.InScheme, base+"vocab/departements").str(ontology.Notation, "13").fr(ontology.PrefLabel, "Bouches-du-Rhône"),
		// resources
		res("recherche", ontology.Grain, "PT1H", bySA).align("teaches", c1, 2).ref(ontology.Publisher, pubA).ref(ontology.SpatialCoverage, dep59).str(ontology.InLanguage, "fr"),
		res("recherche-avancee", ontology.Training, "PT6H", byL).align("teaches", c1, 5).align("requires", c1, 2).ref(ontology.Publisher, pubA).typed(ontology.IsAccessibleForFree, "false", ontology.XSDBoolean),
		res("ranger", ontology.Grain, "PT2H", bySA).align("teaches", c2, 3).ref(ontology.Publisher, pubB).ref(ontology.SpatialCoverage, dep13),
		res("traiter", ontology.Grain, "PT3H", ncSA).align("teaches", c3, 4).ref(ontology.Publisher, pubB),
		res("quiz-chercher", ontology.Tool, "PT30M", byL).align("assesses", o1, -3),
		res("diffuser", ontology.Grain, "", bySA).align("teaches", o2, 2).str(ontology.InLanguage, "en"),
	}
	for n := 1; n <= 8; n++ {
		out = append(out, ent(levelIRI(n), ontology.Concept, ontology.ProficiencyLevel).ref(ontology.InScheme, base+"frameworks/niveaux").
			typed(ontology.LevelNumber, strconv.Itoa(n), ontology.XSDInteger).fr(ontology.PrefLabel, "Niveau "+strconv.Itoa(n)))
	}
	return out
}

func licence(iri string, requires, prohibits []string) *eb {
	b := ent(iri, ontology.License).fr(ontology.Name, iri).
		ref(ontology.Permits, ontology.CCReproduction, ontology.CCDistribution, ontology.CCDerivativeWork)
	b.ref(ontology.Requires, requires...)
	return b.ref(ontology.Prohibits, prohibits...)
}

// newView loads ents (published unless listed in drafts) into a view.
func newView(t testing.TB, ents []*eb, drafts ...string) *View {
	t.Helper()
	v := New(Config{BaseIRI: base, ProfileFramework: demo})
	var puts []domain.ViewEntity
	for _, b := range ents {
		draft := false
		for _, d := range drafts {
			draft = draft || d == b.e.IRI
		}
		puts = append(puts, domain.ViewEntity{Entity: b.e, Record: domain.Record{IRI: b.e.IRI, Draft: draft}})
	}
	if err := v.Apply(context.Background(), 1, puts, nil); err != nil {
		t.Fatal(err)
	}
	return v
}

func toPuts(ents []*eb) []domain.ViewEntity {
	var out []domain.ViewEntity
	for _, b := range ents {
		out = append(out, domain.ViewEntity{Entity: b.e, Record: domain.Record{IRI: b.e.IRI}})
	}
	return out
}
