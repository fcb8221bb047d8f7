package frameworks

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// MaxSKOSStatements bounds a SKOS file read in memory (frameworks are
// small: DigComp has 288 statements, ESCO's whole skills pillar about 1.5
// million, which is over: import it with trame import nquads).
const MaxSKOSStatements = 500_000

// labelFallbacks are read as skos:prefLabel when a scheme or a concept has none.
var labelFallbacks = []string{ontology.Label, ontology.DCTerms + "title", ontology.Name}

// versionProperties declare a scheme's version, in order of preference.
var versionProperties = []string{versionInfo, ontology.Version, "http://purl.org/pav/version", hasVersion}

// ReadSKOSTurtle reads a SKOS framework written in Turtle; scheme picks the
// concept scheme when the file holds several (empty otherwise).
func ReadSKOSTurtle(r io.Reader, base, scheme string) (*Framework, error) {
	return collectSKOS(scheme, func(fn func(rdf.Statement) error) error {
		return rdf.ReadTurtle(r, base, false, fn, nil)
	})
}

// ReadSKOSJSONLD reads a SKOS framework written in JSON-LD with codec.
func ReadSKOSJSONLD(r io.Reader, codec domain.Codec, scheme string) (*Framework, error) {
	return collectSKOS(scheme, func(fn func(rdf.Statement) error) error {
		return rdf.ReadJSONLD(r, codec, false, fn, nil)
	})
}

// collectSKOS gathers the statements read (at most MaxSKOSStatements) and
// reads the framework of scheme from them.
func collectSKOS(scheme string, read func(fn func(rdf.Statement) error) error) (*Framework, error) {
	var ts []domain.Triple
	err := read(func(st rdf.Statement) error {
		if len(ts) >= MaxSKOSStatements {
			return fmt.Errorf("the file has more than %d statements", MaxSKOSStatements)
		}
		ts = append(ts, domain.Triple{S: st.S, P: st.P, O: st.O})
		return nil
	})
	if err != nil {
		return nil, domain.Errorf("frameworks.ReadSKOS", domain.KindInvalid, "%v", err)
	}
	return readSKOS(ts, scheme)
}

// graph indexes triples by subject.
type graph struct {
	bySubject map[domain.Term][]domain.Triple
}

func newGraph(ts []domain.Triple) *graph {
	g := &graph{bySubject: map[domain.Term][]domain.Triple{}}
	for _, t := range ts {
		g.bySubject[t.S] = append(g.bySubject[t.S], t)
	}
	return g
}

func (g *graph) objects(s domain.Term, p string) []domain.Term {
	var out []domain.Term
	for _, t := range g.bySubject[s] {
		if t.P.Value == p {
			out = append(out, t.O)
		}
	}
	return out
}

func (g *graph) hasType(s domain.Term, class string) bool {
	for _, o := range g.objects(s, ontology.Type) {
		if o.Value == class {
			return true
		}
	}
	return false
}

// describe returns the statements about s and the blank nodes it holds.
func (g *graph) describe(s domain.Term) []domain.Triple {
	var out []domain.Triple
	seen := map[domain.Term]bool{s: true}
	queue := []domain.Term{s}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, t := range g.bySubject[cur] {
			out = append(out, t)
			if t.O.IsBlank() && !seen[t.O] {
				seen[t.O] = true
				queue = append(queue, t.O)
			}
		}
	}
	return out
}

func readSKOS(ts []domain.Triple, want string) (*Framework, error) {
	const op = "frameworks.ReadSKOS"
	g := newGraph(ts)
	var schemes []string
	for s := range g.bySubject {
		if s.IsIRI() && g.hasType(s, ontology.ConceptScheme) {
			schemes = append(schemes, s.Value)
		}
	}
	sort.Strings(schemes)
	switch {
	case want != "":
		if !contains(schemes, want) {
			return nil, domain.Errorf(op, domain.KindInvalid, "the file has no skos:ConceptScheme %s (it has: %s)", want, strings.Join(schemes, ", "))
		}
	case len(schemes) == 0:
		return nil, domain.Errorf(op, domain.KindInvalid, "the file has no skos:ConceptScheme: a SKOS framework is a concept scheme and its concepts")
	case len(schemes) > 1:
		return nil, domain.Errorf(op, domain.KindInvalid, "the file has %d concept schemes (%s): choose one with --scheme", len(schemes), strings.Join(schemes, ", "))
	default:
		want = schemes[0]
	}
	s := domain.NewIRI(want)
	fw := newFramework(want, SKOS)
	fw.Scheme.Triples = sourceStatements(g, s, map[string]bool{})
	ensureLabel(fw.Scheme)
	for _, p := range versionProperties {
		if v := g.objects(s, p); len(v) > 0 && v[0].IsLiteral() {
			fw.Version = v[0].Value
			break
		}
	}
	members := map[string]bool{}
	for _, t := range g.objects(s, hasTopConcept) {
		if t.IsIRI() {
			members[t.Value] = true
			fw.Tops = append(fw.Tops, t.Value)
		}
	}
	for subj := range g.bySubject {
		if !subj.IsIRI() || !g.hasType(subj, ontology.Concept) {
			continue
		}
		in := false
		for _, p := range []string{ontology.InScheme, ontology.TopConceptOf} {
			for _, o := range g.objects(subj, p) {
				in = in || o.Value == want
			}
		}
		if in {
			members[subj.Value] = true
		}
		for _, o := range g.objects(subj, ontology.TopConceptOf) {
			if o.Value == want && !contains(fw.Tops, subj.Value) {
				fw.Tops = append(fw.Tops, subj.Value)
			}
		}
	}
	if len(members) == 0 {
		return nil, domain.Errorf(op, domain.KindInvalid, "concept scheme %s has no concept (no skos:Concept with skos:inScheme it)", want)
	}
	drop := map[string]bool{ontology.InScheme: true, ontology.TopConceptOf: true}
	for iri := range members {
		c := &domain.Entity{IRI: iri, Triples: sourceStatements(g, domain.NewIRI(iri), drop)}
		ensureLabel(c)
		fw.Concepts = append(fw.Concepts, c)
	}
	sort.Strings(fw.Tops)
	fw.finish()
	return fw, nil
}

// sourceStatements returns what the source says about s, with its
// rdf:types other than SKOS's and Trame's kept as schema:additionalType
// (entities may only be typed with Trame's classes), and without the
// predicates in drop.
func sourceStatements(g *graph, s domain.Term, drop map[string]bool) []domain.Triple {
	var out []domain.Triple
	for _, t := range g.describe(s) {
		if t.S == s && drop[t.P.Value] {
			continue
		}
		if t.S == s && t.P.Value == ontology.Type {
			if ontology.IsClass(t.O.Value) {
				continue // Import types the entity itself
			}
			t.P = domain.NewIRI(additionalType)
		}
		out = append(out, t)
	}
	return out
}

const additionalType = ontology.Schema + "additionalType"

// ensureLabel gives e a skos:prefLabel from rdfs:label, dcterms:title or
// schema:name when it has none.
func ensureLabel(e *domain.Entity) {
	if len(e.Values(ontology.PrefLabel)) > 0 {
		return
	}
	for _, p := range labelFallbacks {
		for _, v := range e.Values(p) {
			if v.IsLiteral() {
				e.Triples = append(e.Triples, domain.Triple{S: domain.NewIRI(e.IRI), P: domain.NewIRI(ontology.PrefLabel), O: v})
			}
		}
		if len(e.Values(ontology.PrefLabel)) > 0 {
			return
		}
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
