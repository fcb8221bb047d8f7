// Package competency is the derived view behind coverage and
// recommendations: an in-memory model of the frameworks, their competencies
// and levels, the crosswalks between them, the licences, and every
// resource's alignments and practical facts (duration, licence, language,
// place, publisher, price, kind), rebuilt from the change log like any view.
//
// It answers two questions (docs/recommendation.md):
//   - coverage: for each competency × level of a framework, which resources
//     of a scope (a publisher, a set of resources, a département, the whole
//     Commun) teach or assess it, counted through the crosswalks;
//   - recommendation: from current levels to target levels, the ordered path
//     of resources that closes the gap, with each step explained, the cells
//     no resource can close listed, and the licence obligations of the path.
//
// It works on any framework written through the public write contract: a
// framework is any skos:ConceptScheme that is not a Les Bases vocabulary and
// holds competencies (skos:Concept that are neither proficiency levels nor
// index terms). It imports only domain, ontology and recommend (the pure
// optimiser).
package competency

import (
	"strconv"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// entry is what the view keeps of one entity: the facts coverage and
// recommendation need, whatever the entity is. One entity may play several
// parts (a concept that is also a level, say), so each part is optional.
type entry struct {
	iri   string
	draft bool

	level     *levelFacts
	concept   *conceptFacts
	scheme    *schemeFacts
	resource  *resourceFacts
	licence   *licenceFacts
	place     *placeFacts
	crosswalk []mapping
	org       string // label of a schema:Organization
}

// placeFacts describe an index term (a département is found by notation).
type placeFacts struct {
	notation, label string
	schemes         []string
}

type levelFacts struct {
	number  int
	schemes []string
}

type conceptFacts struct {
	schemes       []string
	notation      string
	labelFR       string
	labelEN       string
	area          bool // trame:CompetencyArea
	broader       []string
	narrower      []string
	prerequisites []string
	matches       []mapping // skos:*Match stated on the concept
}

type schemeFacts struct {
	label      string
	framework  bool // typed trame:CompetencyFramework
	vocabulary bool // typed trame:IndexVocabulary (Les Bases facets, départements)
	levelScale string
}

// mapping is one crosswalk statement: source relation target.
type mapping struct {
	source, relation, target string
}

type resourceFacts struct {
	label       string
	kind        string // local name of the most specific kind: Grain, LearningPath, Training, Tool, Course, LearningResource
	duration    time.Duration
	hasDuration bool
	licence     string
	languages   []string
	places      []string // schema:spatialCoverage IRIs
	publishers  []string
	free        int8 // 1 free, 0 not free, -1 not said
	alignments  []domain.Alignment
}

type licenceFacts struct {
	label                       string
	permits, requires, prohibit []string
}

// kinds are the resource classes a constraint can name, most specific first.
var kinds = []struct{ name, class string }{
	{"LearningPath", ontology.LearningPath},
	{"Training", ontology.Training},
	{"Grain", ontology.Grain},
	{"Tool", ontology.Tool},
	{"Course", ontology.Course},
	{"LearningResource", ontology.LearningResource},
}

// parse extracts the facts of an entity; nil when it plays no part here.
func parse(e *domain.Entity, draft bool) *entry {
	en := &entry{iri: e.IRI, draft: draft}
	useful := false
	if e.HasType(ontology.ProficiencyLevel) {
		n, _ := strconv.Atoi(e.First(ontology.LevelNumber))
		en.level = &levelFacts{number: n, schemes: iris(e.Values(ontology.InScheme))}
		useful = true
	}
	if e.HasType(ontology.Concept) && !e.HasType(ontology.ProficiencyLevel) && !e.HasType(ontology.IndexTerm) {
		en.concept = parseConcept(e)
		useful = true
	}
	if e.HasType(ontology.IndexTerm) {
		en.place = &placeFacts{notation: e.First(ontology.Notation), schemes: iris(e.Values(ontology.InScheme)), label: e.Label("fr")}
		useful = true
	}
	if e.HasType(ontology.ConceptScheme) {
		en.scheme = &schemeFacts{label: e.Label("fr"), framework: e.HasType(ontology.CompetencyFramework),
			vocabulary: e.HasType(ontology.IndexVocabulary), levelScale: e.First(ontology.LevelScale)}
		useful = true
	}
	if e.HasType(ontology.LearningResource) || e.HasType(ontology.Course) {
		en.resource = parseResource(e)
		useful = true
	}
	if e.HasType(ontology.License) {
		en.licence = &licenceFacts{label: e.Label("fr"), permits: iris(e.Values(ontology.Permits)),
			requires: iris(e.Values(ontology.Requires)), prohibit: iris(e.Values(ontology.Prohibits))}
		useful = true
	}
	if e.HasType(ontology.Crosswalk) {
		en.crosswalk = parseMappings(e)
		useful = true
	}
	if e.HasType(ontology.Organization) {
		en.org = e.Label("fr")
		useful = true
	}
	if !useful {
		return nil
	}
	return en
}

func parseConcept(e *domain.Entity) *conceptFacts {
	c := &conceptFacts{
		schemes:       append(iris(e.Values(ontology.InScheme)), iris(e.Values(ontology.TopConceptOf))...),
		notation:      e.First(ontology.Notation),
		labelFR:       e.Label("fr"),
		labelEN:       e.Label("en"),
		area:          e.HasType(ontology.CompetencyArea),
		broader:       iris(e.Values(ontology.Broader)),
		narrower:      iris(e.Values(ontology.Narrower)),
		prerequisites: iris(e.Values(ontology.Prerequisite)),
	}
	for _, rel := range matchRelations {
		for _, t := range iris(e.Values(rel)) {
			c.matches = append(c.matches, mapping{source: e.IRI, relation: rel, target: t})
		}
	}
	return c
}

// matchRelations are the SKOS mapping relations, in the order reported.
var matchRelations = []string{ontology.ExactMatch, ontology.CloseMatch, ontology.BroadMatch, ontology.NarrowMatch}

func parseMappings(e *domain.Entity) []mapping {
	var out []mapping
	for _, node := range e.Values(ontology.MappingProp) {
		s, p, o := e.Objects(node, ontology.AnnotatedSource), e.Objects(node, ontology.AnnotatedProp), e.Objects(node, ontology.AnnotatedTarget)
		if len(s) == 1 && len(p) == 1 && len(o) == 1 && s[0].IsIRI() && p[0].IsIRI() && o[0].IsIRI() {
			out = append(out, mapping{source: s[0].Value, relation: p[0].Value, target: o[0].Value})
		}
	}
	return out
}

func parseResource(e *domain.Entity) *resourceFacts {
	r := &resourceFacts{label: e.Label("fr"), licence: e.First(ontology.LicenseProp), free: -1,
		places: iris(e.Values(ontology.SpatialCoverage)), publishers: iris(e.Values(ontology.Publisher)),
		alignments: e.Alignments(nil)}
	for _, k := range kinds {
		if e.HasType(k.class) {
			r.kind = k.name
			break
		}
	}
	if d := e.First(ontology.TimeRequired); d != "" {
		if v, err := domain.ParseISODuration(d); err == nil && v > 0 {
			r.duration, r.hasDuration = v, true
		}
	}
	for _, l := range e.Values(ontology.InLanguage) {
		if l.IsLiteral() && l.Value != "" {
			r.languages = append(r.languages, strings.ToLower(l.Value))
		}
	}
	switch e.First(ontology.IsAccessibleForFree) {
	case "true", "1":
		r.free = 1
	case "false", "0":
		r.free = 0
	}
	return r
}

func iris(ts []domain.Term) []string {
	var out []string
	for _, t := range ts {
		if t.IsIRI() {
			out = append(out, t.Value)
		}
	}
	return out
}
