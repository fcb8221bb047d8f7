// Package rdfio writes domain triples as N-Triples, N-Quads and Turtle. It
// is pure Go with no engine behind it; output is deterministic (sorted) so it
// can be diffed and cached.
package rdfio

import (
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Prefixes are the namespace prefixes Turtle output declares.
var Prefixes = []struct{ Prefix, NS string }{
	{"trame", ontology.NS}, {"schema", ontology.Schema}, {"skos", ontology.SKOS},
	{"dcterms", ontology.DCTerms}, {"prov", ontology.PROV}, {"cc", ontology.CC},
	{"void", ontology.VoID}, {"rdf", ontology.RDF}, {"rdfs", ontology.RDFS},
	{"owl", ontology.OWL}, {"xsd", ontology.XSD}, {"dcat", ontology.DCAT},
}

// WriteNTriples writes triples, sorted, one per line.
func WriteNTriples(w io.Writer, triples []domain.Triple) error {
	return writeLines(w, triples, "")
}

// WriteNQuads writes triples in graph (an IRI; empty for the default graph).
func WriteNQuads(w io.Writer, triples []domain.Triple, graph string) error {
	return writeLines(w, triples, graph)
}

func writeLines(w io.Writer, triples []domain.Triple, graph string) error {
	lines := make([]string, 0, len(triples))
	var b strings.Builder
	for _, t := range triples {
		b.Reset()
		domain.WriteNTerm(&b, t.S)
		b.WriteByte(' ')
		domain.WriteNTerm(&b, t.P)
		b.WriteByte(' ')
		domain.WriteNTerm(&b, t.O)
		if graph != "" {
			b.WriteByte(' ')
			domain.WriteNTerm(&b, domain.NewIRI(graph))
		}
		b.WriteString(" .\n")
		lines = append(lines, b.String())
	}
	sort.Strings(lines)
	for _, l := range lines {
		if _, err := io.WriteString(w, l); err != nil {
			return err
		}
	}
	return nil
}

var localName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// term renders t in Turtle, using a prefix where the local part allows it.
func term(t domain.Term) string {
	var b strings.Builder
	switch {
	case t.IsIRI():
		for _, p := range Prefixes {
			if local, ok := strings.CutPrefix(t.Value, p.NS); ok && localName.MatchString(local) {
				return p.Prefix + ":" + local
			}
		}
	case t.IsLiteral() && t.Lang == "" && t.Datatype != ontology.XSDString && t.Datatype != "":
		b.WriteByte('"')
		domain.EscapeLiteral(&b, t.Value)
		b.WriteString(`"^^`)
		b.WriteString(term(domain.NewIRI(t.Datatype)))
		return b.String()
	}
	domain.WriteNTerm(&b, t)
	return b.String()
}

// WriteTurtle writes triples as Turtle: prefixes, then one block per
// subject (the IRIs in order, blank nodes last), predicates sorted with
// rdf:type first.
func WriteTurtle(w io.Writer, triples []domain.Triple) error {
	var b strings.Builder
	for _, p := range Prefixes {
		b.WriteString("@prefix " + p.Prefix + ": <" + p.NS + "> .\n")
	}
	bySubject := map[domain.Term][]domain.Triple{}
	var subjects []domain.Term
	for _, t := range triples {
		if _, ok := bySubject[t.S]; !ok {
			subjects = append(subjects, t.S)
		}
		bySubject[t.S] = append(bySubject[t.S], t)
	}
	sort.Slice(subjects, func(i, j int) bool {
		a, c := subjects[i], subjects[j]
		if a.Kind != c.Kind {
			return a.Kind < c.Kind
		}
		return a.Value < c.Value
	})
	for _, s := range subjects {
		ts := bySubject[s]
		sort.Slice(ts, func(i, j int) bool {
			pi, pj := ts[i].P.Value, ts[j].P.Value
			if (pi == ontology.Type) != (pj == ontology.Type) {
				return pi == ontology.Type
			}
			if pi != pj {
				return pi < pj
			}
			return ts[i].O.String() < ts[j].O.String()
		})
		b.WriteString("\n" + term(s))
		for i, t := range ts {
			switch {
			case i == 0:
				b.WriteString(" ")
			case t.P == ts[i-1].P:
				b.WriteString(" ,\n        ")
			default:
				b.WriteString(" ;\n    ")
			}
			if i == 0 || t.P != ts[i-1].P {
				if t.P.Value == ontology.Type {
					b.WriteString("a ")
				} else {
					b.WriteString(term(t.P) + " ")
				}
			}
			b.WriteString(term(t.O))
		}
		b.WriteString(" .\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
