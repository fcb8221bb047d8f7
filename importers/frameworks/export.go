package frameworks

import (
	"context"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/rdfio"
	"github.com/trame-commun/trame/ontology"
)

// Snapshot is one version of a framework as the graph holds it: the
// framework's IRI, the scheme entity whose statements describe it (the
// version's, or the framework's own when it has no version), the version
// label, and the member concepts.
type Snapshot struct {
	Framework string
	Scheme    *domain.Entity
	Version   string
	Concepts  []*domain.Entity
	Tops      map[string]bool
}

// conceptCollections are where concepts live.
var conceptCollections = []domain.Collection{domain.Competencies, domain.Levels, domain.Vocabulary}

// Load reads the snapshot named by iri: a version (a scheme with
// dcterms:isVersionOf), or a framework (its latest version, or itself when
// it was never versioned).
func Load(ctx context.Context, s sink.Sink, iri string) (*Snapshot, error) {
	const op = "frameworks.Load"
	got, err := s.Get(ctx, []string{iri})
	if err != nil {
		return nil, err
	}
	e := got[iri]
	if e == nil || !e.HasType(ontology.ConceptScheme) {
		return nil, domain.Errorf(op, domain.KindNotFound, "no concept scheme %s in the graph", iri)
	}
	snap := &Snapshot{Framework: iri, Scheme: e, Version: e.First(ontology.Version), Tops: map[string]bool{}}
	if w := e.First(ontology.IsVersionOf); w != "" {
		snap.Framework = w
	} else if snap.Version != "" {
		var versions []string
		for _, v := range e.Values(hasVersion) {
			versions = append(versions, v.Value)
		}
		vs, err := sink.GetMany(ctx, s, versions, sink.RemotePageIRIs)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if v.First(ontology.Version) == snap.Version {
				snap.Scheme = v
			}
		}
	}
	member := snap.Scheme.IRI
	for _, c := range conceptCollections {
		err := sink.Each(ctx, s, c, func(x *domain.Entity) error {
			for _, in := range x.Values(ontology.InScheme) {
				if in.Value == member {
					snap.Concepts = append(snap.Concepts, x)
					for _, t := range x.Values(ontology.TopConceptOf) {
						if t.Value == member {
							snap.Tops[x.IRI] = true
						}
					}
					break
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if len(snap.Concepts) == 0 {
		return nil, domain.Errorf(op, domain.KindNotFound, "concept scheme %s has no concept in the graph", member)
	}
	return snap, nil
}

// bookkeeping are the statements Trame adds to what a source says; exports
// leave them out.
var bookkeeping = map[string]bool{
	ontology.InScheme: true, ontology.TopConceptOf: true, hasTopConcept: true,
	ontology.IsVersionOf: true, hasVersion: true, ontology.Version: true,
	ontology.GeneratedAtTime: true, ontology.WasDerivedFrom: true, ontology.InDataset: true,
}

// sourceView returns e's statements as the source would state them, about
// subject: Trame's classes and bookkeeping out, additional types back to
// rdf:type.
func sourceView(e *domain.Entity, subject string, keepType string) []domain.Triple {
	root := domain.NewIRI(e.IRI)
	var out []domain.Triple
	for _, t := range e.Triples {
		if t.S == root {
			switch {
			case bookkeeping[t.P.Value]:
				continue
			case t.P.Value == ontology.Type && t.O.Value != keepType:
				continue
			case t.P.Value == additionalType && t.O.IsIRI():
				t.P = domain.NewIRI(ontology.Type)
			}
			t.S = domain.NewIRI(subject)
		}
		out = append(out, t)
	}
	return out
}

// ExportSKOS writes the snapshot as SKOS Turtle: the framework as a
// skos:ConceptScheme with its version in owl:versionInfo, and its concepts
// with the statements their source made (plus those added in Trame since).
func ExportSKOS(snap *Snapshot, w io.Writer) error {
	triples := sourceView(snap.Scheme, snap.Framework, ontology.ConceptScheme)
	s := domain.NewIRI(snap.Framework)
	if snap.Version != "" {
		triples = append(triples, domain.Triple{S: s, P: domain.NewIRI(versionInfo), O: domain.NewString(snap.Version)})
	}
	for _, c := range snap.Concepts {
		ts := sourceView(c, c.IRI, ontology.Concept)
		ci := domain.NewIRI(c.IRI)
		ts = append(ts, domain.Triple{S: ci, P: domain.NewIRI(ontology.InScheme), O: s})
		if snap.Tops[c.IRI] {
			ts = append(ts, domain.Triple{S: ci, P: domain.NewIRI(ontology.TopConceptOf), O: s},
				domain.Triple{S: s, P: domain.NewIRI(hasTopConcept), O: ci})
		}
		triples = append(triples, relabel(ts, "c"+strconv.Itoa(len(triples)))...)
	}
	return rdfio.WriteTurtle(w, triples)
}

// relabel prefixes the blank labels of one entity so entities cannot share one.
func relabel(ts []domain.Triple, prefix string) []domain.Triple {
	for i := range ts {
		if ts[i].S.IsBlank() {
			ts[i].S.Value = prefix + ts[i].S.Value
		}
		if ts[i].O.IsBlank() {
			ts[i].O.Value = prefix + ts[i].O.Value
		}
	}
	return ts
}

// label returns the preferred label in lang, then French, then any.
func label(e *domain.Entity, lang string) string { return e.Text(ontology.PrefLabel, lang) }

// naturalLess orders notations so that "1.10" comes after "1.9".
func naturalLess(a, b string) bool {
	pa, pb := splitNumbers(a), splitNumbers(b)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil && na != nb:
			return na < nb
		case (ea != nil || eb != nil) && pa[i] != pb[i]:
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func splitNumbers(s string) []string {
	var out []string
	var cur strings.Builder
	digit := false
	for _, r := range s {
		d := r >= '0' && r <= '9'
		if cur.Len() > 0 && d != digit {
			out = append(out, cur.String())
			cur.Reset()
		}
		cur.WriteRune(r)
		digit = d
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// tree orders concepts depth first, parents before children, siblings by
// notation: the order of a Moodle file.
func (snap *Snapshot) tree() []*domain.Entity {
	in := map[string]*domain.Entity{}
	for _, c := range snap.Concepts {
		in[c.IRI] = c
	}
	children := map[string][]*domain.Entity{}
	var roots []*domain.Entity
	for _, c := range snap.Concepts {
		parent := ""
		for _, b := range c.Values(ontology.Broader) {
			if in[b.Value] != nil {
				parent = b.Value
				break
			}
		}
		if parent == "" {
			roots = append(roots, c)
		} else {
			children[parent] = append(children[parent], c)
		}
	}
	less := func(list []*domain.Entity) {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i].First(ontology.Notation), list[j].First(ontology.Notation)
			if a != b {
				return naturalLess(a, b)
			}
			return list[i].IRI < list[j].IRI
		})
	}
	var out []*domain.Entity
	seen := map[string]bool{}
	var walk func(list []*domain.Entity)
	walk = func(list []*domain.Entity) {
		less(list)
		for _, c := range list {
			if seen[c.IRI] {
				continue
			}
			seen[c.IRI] = true
			out = append(out, c)
			walk(children[c.IRI])
		}
	}
	walk(roots)
	return out
}
