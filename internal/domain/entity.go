package domain

import (
	"sort"
	"strconv"

	"github.com/trame-commun/trame/ontology"
)

// Collection names the family an entity belongs to; it decides the path
// under which IRIs are minted and the list endpoint that shows the entity.
type Collection string

// Collections. The string is the URL path segment.
const (
	Resources    Collection = "resources"
	Paths        Collection = "paths"
	Competencies Collection = "competencies"
	Levels       Collection = "levels"
	Frameworks   Collection = "frameworks"
	Vocabulary   Collection = "vocab"
	Partners     Collection = "partners"
	Places       Collection = "places"
	Agreements   Collection = "agreements"
	Licences     Collection = "licences"
	Crosswalks   Collection = "crosswalks"
	Datasets     Collection = "datasets"
)

// Collections lists every collection, in the order the API documents them.
var Collections = []Collection{Resources, Paths, Competencies, Levels, Frameworks, Vocabulary,
	Partners, Places, Agreements, Licences, Crosswalks, Datasets}

// ParseCollection returns the collection named s.
func ParseCollection(s string) (Collection, bool) {
	for _, c := range Collections {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}

// collectionRules decides an entity's collection from its types: the first
// rule whose class the entity has (directly or through a subclass) wins.
var collectionRules = []struct {
	class string
	coll  Collection
}{
	{ontology.LearningPath, Paths},
	{ontology.LearningResource, Resources},
	{ontology.Course, Resources},
	{ontology.ProficiencyLevel, Levels},
	{ontology.IndexTerm, Vocabulary},
	{ontology.IndexVocabulary, Vocabulary},
	{ontology.Concept, Competencies},
	{ontology.ConceptScheme, Frameworks},
	{ontology.Place, Places},
	{ontology.Organization, Partners},
	{ontology.CooperationAgreement, Agreements},
	{ontology.Commitment, Agreements},
	{ontology.Membership, Partners},
	{ontology.License, Licences},
	{ontology.Crosswalk, Crosswalks},
	{ontology.Dataset, Datasets},
}

// CollectionOf returns the collection of an entity with the given types, and
// false when no type places it in any collection.
func CollectionOf(types []string) (Collection, bool) {
	for _, r := range collectionRules {
		for _, t := range types {
			if ontology.IsA(t, r.class) {
				return r.coll, true
			}
		}
	}
	return "", false
}

// Entity is one node of the graph with its description: the triples whose
// subject is the entity's IRI, plus those of the blank nodes it holds
// (alignments, mappings, list cells). It is what a JSON-LD document with one
// top-level node decodes to.
type Entity struct {
	IRI     string
	Types   []string
	Triples []Triple
}

// Objects returns the objects of the triples (subject, predicate).
func (e *Entity) Objects(subject Term, predicate string) []Term {
	var out []Term
	for _, t := range e.Triples {
		if t.S == subject && t.P.Value == predicate {
			out = append(out, t.O)
		}
	}
	return out
}

// Values returns the objects of predicate on the entity's own node.
func (e *Entity) Values(predicate string) []Term { return e.Objects(NewIRI(e.IRI), predicate) }

// First returns the lexical value of the first object of predicate on the
// entity's node, or "".
func (e *Entity) First(predicate string) string {
	if v := e.Values(predicate); len(v) > 0 {
		return v[0].Value
	}
	return ""
}

// Label returns the entity's display label in lang (falling back to French,
// then to any language): schema:name, else skos:prefLabel, else the IRI.
func (e *Entity) Label(lang string) string {
	for _, p := range []string{ontology.Name, ontology.PrefLabel} {
		if l := pickLang(e.Values(p), lang); l != "" {
			return l
		}
	}
	return e.IRI
}

// Text returns the entity's literal of predicate in lang, falling back to
// French, then to an untagged literal, then to any language; "" when it has
// none.
func (e *Entity) Text(predicate, lang string) string { return pickLang(e.Values(predicate), lang) }

func pickLang(terms []Term, lang string) string {
	best, rank := "", 4
	for _, t := range terms {
		if !t.IsLiteral() {
			continue
		}
		r := 3
		switch t.Lang {
		case lang:
			r = 0
		case "fr":
			r = 1
		case "":
			r = 2
		}
		if r < rank {
			best, rank = t.Value, r
		}
	}
	return best
}

// HasType reports whether the entity has class c, directly or through a
// subclass declared in the ontology.
func (e *Entity) HasType(c string) bool {
	for _, t := range e.Types {
		if ontology.IsA(t, c) {
			return true
		}
	}
	return false
}

// List returns the members of the RDF list starting at head, in order; a
// value that is not a list cell is returned as the only member (so a
// property written as a set reads as a list of one or more).
func (e *Entity) List(head Term) []Term {
	var out []Term
	seen := map[Term]bool{}
	for head.IsBlank() && !seen[head] {
		seen[head] = true
		first := e.Objects(head, ontology.RDFFirst)
		if len(first) == 0 {
			return append(out, head)
		}
		out = append(out, first[0])
		rest := e.Objects(head, ontology.RDFRest)
		if len(rest) == 0 {
			break
		}
		head = rest[0]
	}
	if head.IsIRI() && head.Value != ontology.RDFNil {
		out = append(out, head)
	}
	return out
}

// ListValues returns the members of predicate on the entity's node, reading
// RDF lists in order and plain multi-values in their stored order.
func (e *Entity) ListValues(predicate string) []Term {
	var out []Term
	for _, v := range e.Values(predicate) {
		out = append(out, e.List(v)...)
	}
	return out
}

// AlignmentType is the relation an alignment states.
type AlignmentType string

// Alignment types of the public write contract.
const (
	Teaches  AlignmentType = "teaches"
	Assesses AlignmentType = "assesses"
	Requires AlignmentType = "requires"
)

// Alignment is a level-qualified link from a resource to a competency.
// Level is 0 when the alignment states no level; LevelIRI is set when the
// level was given as the IRI of a level concept.
type Alignment struct {
	Type       AlignmentType
	Competency string
	Level      int
	LevelIRI   string
}

// Alignments returns the entity's schema:educationalAlignment nodes, plus the
// unqualified schema:teaches / assesses / competencyRequired links (level 0),
// sorted by type, competency and level. levelOf resolves a level IRI to its
// number (it may be nil).
func (e *Entity) Alignments(levelOf func(iri string) int) []Alignment {
	var out []Alignment
	for _, node := range e.Values(ontology.EducationalAlignment) {
		a := Alignment{Type: AlignmentType(firstValue(e.Objects(node, ontology.AlignmentType)))}
		if t := e.Objects(node, ontology.TargetURL); len(t) > 0 {
			a.Competency = t[0].Value
		}
		if l := e.Objects(node, ontology.EducationalLevel); len(l) > 0 {
			if l[0].IsIRI() {
				a.LevelIRI = l[0].Value
				if levelOf != nil {
					a.Level = levelOf(l[0].Value)
				}
			} else {
				a.Level, _ = strconv.Atoi(l[0].Value)
			}
		}
		out = append(out, a)
	}
	for p, typ := range map[string]AlignmentType{ontology.Teaches: Teaches,
		ontology.Assesses: Assesses, ontology.CompetencyRequired: Requires} {
		for _, v := range e.Values(p) {
			if v.IsIRI() {
				out = append(out, Alignment{Type: typ, Competency: v.Value})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Competency != b.Competency {
			return a.Competency < b.Competency
		}
		return a.Level < b.Level
	})
	return out
}

func firstValue(ts []Term) string {
	if len(ts) == 0 {
		return ""
	}
	return ts[0].Value
}
