// Package synth generates seeded synthetic catalogues for the coverage and
// recommendation benchmarks: a DigComp-shaped framework (5 areas, 21
// competences with acyclic prerequisites), the eight levels, licences,
// publishers, départements, and any number of resources with alignments,
// durations, licences, languages and places drawn like the sample
// catalogue's. The same seed gives the same catalogue.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Base is the base IRI of the synthetic entities.
const Base = "https://bench.example/"

// IRIs of the synthetic catalogue.
const (
	Framework = Base + "frameworks/digcomp-like"
	Levels    = Base + "frameworks/niveaux"
)

// Competences is the number of competences of the framework.
const Competences = 21

// Competence returns the IRI of competence i (0..20).
func Competence(i int) string { return fmt.Sprintf("%scompetencies/c%02d", Base, i) }

// Publisher returns the IRI of publisher i.
func Publisher(i int) string { return fmt.Sprintf("%spartners/p%03d", Base, i) }

// Departement returns the IRI of département i (0..19).
func Departement(i int) string { return fmt.Sprintf("%svocab/departements/%02d", Base, i+1) }

// Resource returns the IRI of resource i.
func Resource(i int) string { return fmt.Sprintf("%sresources/r%06d", Base, i) }

// Licences of the synthetic catalogue.
var Licences = []string{
	"https://creativecommons.org/licenses/by-sa/4.0/",
	"https://creativecommons.org/licenses/by/4.0/",
	"https://creativecommons.org/licenses/by-nc-sa/4.0/",
	"http://spdx.org/licenses/etalab-2.0",
}

// Options shape a catalogue.
type Options struct {
	Seed       uint64
	Resources  int
	Publishers int // publishers besides the big one; resources are spread over them
	// BigPublisher resources (the first ones) are published by Publisher(0),
	// the organisation whose coverage is measured.
	BigPublisher int
}

// Catalogue returns the entities of a catalogue, as views receive them.
func Catalogue(o Options) []domain.ViewEntity {
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	var out []*domain.Entity
	out = append(out, reference()...)
	pubs := max(1, o.Publishers)
	for i := 0; i <= pubs; i++ {
		out = append(out, newEnt(Publisher(i), ontology.Organization).lang(ontology.Name, "Organisme "+strconv.Itoa(i)).e)
	}
	for i := range o.Resources {
		pub := 1 + rng.IntN(pubs)
		if i < o.BigPublisher {
			pub = 0
		}
		out = append(out, resource(rng, i, pub))
	}
	ves := make([]domain.ViewEntity, len(out))
	for i, e := range out {
		ves[i] = domain.ViewEntity{Entity: e, Record: domain.Record{IRI: e.IRI}}
	}
	return ves
}

// prerequisites are the framework's trame:prerequisite edges (acyclic:
// always towards a lower index).
var prerequisites = map[int][]int{2: {1}, 5: {4}, 6: {4, 5}, 9: {8}, 10: {8}, 12: {11}, 14: {13}, 17: {15}, 20: {19}}

func reference() []*domain.Entity {
	out := []*domain.Entity{
		newEnt(Framework, ontology.ConceptScheme, ontology.CompetencyFramework).lang(ontology.PrefLabel, "Référentiel synthétique").ref(ontology.LevelScale, Levels).e,
		newEnt(Levels, ontology.ConceptScheme).lang(ontology.PrefLabel, "Niveaux").e,
		newEnt(Base+"vocab/departements", ontology.ConceptScheme, ontology.IndexVocabulary).lang(ontology.PrefLabel, "Départements").e,
	}
	for l := 1; l <= 8; l++ {
		out = append(out, newEnt(fmt.Sprintf("%slevels/%d", Base, l), ontology.Concept, ontology.ProficiencyLevel).ref(ontology.InScheme, Levels).
			typed(ontology.LevelNumber, strconv.Itoa(l), ontology.XSDInteger).lang(ontology.PrefLabel, "Niveau "+strconv.Itoa(l)).e)
	}
	for a := range 5 {
		out = append(out, newEnt(fmt.Sprintf("%scompetencies/area%d", Base, a+1), ontology.Concept, ontology.CompetencyArea).
			ref(ontology.InScheme, Framework).str(ontology.Notation, strconv.Itoa(a+1)).lang(ontology.PrefLabel, "Domaine "+strconv.Itoa(a+1)).e)
	}
	for c := range Competences {
		area := min(c/5, 4) + 1
		b := newEnt(Competence(c), ontology.Concept, ontology.Competency).ref(ontology.InScheme, Framework).
			ref(ontology.Broader, fmt.Sprintf("%scompetencies/area%d", Base, area)).
			str(ontology.Notation, fmt.Sprintf("%d.%d", area, c%5+1)).lang(ontology.PrefLabel, "Compétence "+strconv.Itoa(c))
		for _, p := range prerequisites[c] {
			b.ref(ontology.Prerequisite, Competence(p))
		}
		out = append(out, b.e)
	}
	for d := range 20 {
		out = append(out, newEnt(Departement(d), ontology.Concept, ontology.IndexTerm).ref(ontology.InScheme, Base+"vocab/departements").
			str(ontology.Notation, fmt.Sprintf("%02d", d+1)).lang(ontology.PrefLabel, "Département "+strconv.Itoa(d+1)).e)
	}
	perms := []string{ontology.CCReproduction, ontology.CCDistribution, ontology.CCDerivativeWork}
	reqs := [][]string{{ontology.CCNotice, ontology.CCAttribution, ontology.CCShareAlike}, {ontology.CCNotice, ontology.CCAttribution},
		{ontology.CCNotice, ontology.CCAttribution, ontology.CCShareAlike}, {ontology.CCAttribution}}
	for i, l := range Licences {
		b := newEnt(l, ontology.License).lang(ontology.Name, l).ref(ontology.Permits, perms...).ref(ontology.Requires, reqs[i]...)
		if i == 2 {
			b.ref(ontology.Prohibits, ontology.CCCommercialUse)
		}
		out = append(out, b.e)
	}
	return out
}

// resource draws resource i: most teach one or two competences up to a
// level around 3, some need a lower level of what they teach, durations
// grow with the levels taught.
func resource(rng *rand.Rand, i, pub int) *domain.Entity {
	kinds := []string{ontology.Grain, ontology.Grain, ontology.Grain, ontology.Grain, ontology.Training, ontology.Tool}
	b := newEnt(Resource(i), ontology.LearningResource, kinds[rng.IntN(len(kinds))]).lang(ontology.Name, "Ressource "+strconv.Itoa(i)).
		ref(ontology.Publisher, Publisher(pub)).ref(ontology.LicenseProp, Licences[rng.IntN(len(Licences))])
	n := 1 + rng.IntN(3)
	span := 0
	for _, c := range rng.Perm(Competences)[:n] {
		lv := min(8, 1+rng.IntN(4)+rng.IntN(5)*rng.IntN(2))
		span += lv
		b.align("teaches", Competence(c), lv)
		if lv > 2 && rng.IntN(3) == 0 {
			b.align("requires", Competence(c), 1+rng.IntN(lv-2))
		}
	}
	if rng.IntN(8) == 0 {
		b.align("assesses", Competence(rng.IntN(Competences)), 1+rng.IntN(8))
	}
	minutes := 15 * (1 + rng.IntN(2*span))
	b.typed(ontology.TimeRequired, domain.FormatISODuration(minutesDur(minutes)), ontology.Duration)
	if rng.IntN(3) > 0 {
		b.ref(ontology.SpatialCoverage, Departement(rng.IntN(20)))
	}
	b.str(ontology.InLanguage, []string{"fr", "fr", "fr", "en"}[rng.IntN(4)])
	b.typed(ontology.IsAccessibleForFree, []string{"true", "true", "false"}[rng.IntN(3)], ontology.XSDBoolean)
	return b.e
}
