// Package rdfgen writes large, valid N-Quads files of Trame entities for
// measuring imports: a competency framework, organisations and learning
// resources aligned to the competencies, all in one named graph. The output
// is deterministic for a given Options.
package rdfgen

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
)

// Options size the generated graph.
type Options struct {
	Resources     int // learning resources (14 quads each)
	Competencies  int // concepts of the framework, in areas of ten
	Organisations int // publishers
	Seed          uint64
	Base          string // IRI prefix of the generated entities
	Graph         string // named graph of every quad
}

// Defaults fill the zero fields of o.
func (o Options) withDefaults() Options {
	if o.Competencies == 0 {
		o.Competencies = 500
	}
	if o.Organisations == 0 {
		o.Organisations = 200
	}
	if o.Base == "" {
		o.Base = "http://example.org/gen/"
	}
	if o.Graph == "" {
		o.Graph = "http://example.org/graphs/gen"
	}
	return o
}

const (
	rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	schema  = "https://schema.org/"
	skos    = "http://www.w3.org/2004/02/skos/core#"
	trame   = "https://w3id.org/trame/ns#"
	xsdInt  = "http://www.w3.org/2001/XMLSchema#integer"
)

var themes = []string{"NavigationSurInternet", "MaitriseDesOutilsNumeriques", "RisquesCyberEtProtection",
	"AidesAuxDemarchesAdministratives", "Donnees", "Parentalite", "NumeriqueEnSante", "IntelligenceArtificielle"}

var words = []string{"atelier", "numérique", "démarches", "messagerie", "sécurité", "réseaux", "données",
	"accompagner", "seniors", "jeunes", "mots de passe", "recherche", "visioconférence", "smartphone", "emploi"}

// Write writes the graph to w and returns the number of quads.
func Write(w io.Writer, o Options) (int, error) {
	o = o.withDefaults()
	bw := bufio.NewWriterSize(w, 1<<20)
	rng := rand.New(rand.NewPCG(o.Seed, 7))
	n := 0
	q := func(s, p, obj string) {
		fmt.Fprintf(bw, "%s <%s> %s <%s> .\n", s, p, obj, o.Graph)
		n++
	}
	iri := func(s string) string { return "<" + s + ">" }
	lit := func(s string) string { return fmt.Sprintf("%q", s) }
	scheme := o.Base + "framework"
	q(iri(scheme), rdfType, iri(skos+"ConceptScheme"))
	q(iri(scheme), skos+"prefLabel", lit("Référentiel généré")+"@fr")
	for i := 0; i < o.Competencies; i++ {
		c := fmt.Sprintf("%scompetency/%d", o.Base, i)
		q(iri(c), rdfType, iri(skos+"Concept"))
		q(iri(c), skos+"inScheme", iri(scheme))
		q(iri(c), skos+"notation", lit(fmt.Sprintf("%d.%d", i/10+1, i%10)))
		q(iri(c), skos+"prefLabel", lit(fmt.Sprintf("Compétence %d : %s", i, words[i%len(words)]))+"@fr")
		if i%10 != 0 {
			q(iri(c), skos+"broader", iri(fmt.Sprintf("%scompetency/%d", o.Base, i-i%10)))
		}
	}
	for i := 0; i < o.Organisations; i++ {
		org := fmt.Sprintf("%sorganisation/%d", o.Base, i)
		q(iri(org), rdfType, iri(schema+"Organization"))
		q(iri(org), schema+"name", lit(fmt.Sprintf("Structure %d", i)))
	}
	for i := 0; i < o.Resources; i++ {
		r := fmt.Sprintf("%sresource/%d", o.Base, i)
		q(iri(r), rdfType, iri(schema+"LearningResource"))
		q(iri(r), rdfType, iri(trame+"Grain"))
		q(iri(r), schema+"name", lit(fmt.Sprintf("Atelier %d : %s et %s", i, words[rng.IntN(len(words))], words[rng.IntN(len(words))])))
		q(iri(r), schema+"description", lit(fmt.Sprintf("Une ressource générée n° %d pour mesurer l'import, sur %s.", i, words[rng.IntN(len(words))])))
		q(iri(r), schema+"inLanguage", lit("fr"))
		q(iri(r), schema+"about", iri("http://localhost:8080/vocab/thematiques/"+themes[rng.IntN(len(themes))]))
		q(iri(r), schema+"about", iri("http://localhost:8080/vocab/thematiques/"+themes[rng.IntN(len(themes))]))
		q(iri(r), schema+"publisher", iri(fmt.Sprintf("%sorganisation/%d", o.Base, rng.IntN(o.Organisations))))
		b := fmt.Sprintf("_:a%d", i)
		q(iri(r), schema+"educationalAlignment", b)
		q(b, rdfType, iri(schema+"AlignmentObject"))
		q(b, schema+"alignmentType", lit("teaches"))
		q(b, schema+"targetUrl", iri(fmt.Sprintf("%scompetency/%d", o.Base, rng.IntN(o.Competencies))))
		q(b, schema+"educationalLevel", fmt.Sprintf("%q^^<%s>", fmt.Sprint(1+rng.IntN(8)), xsdInt))
		q(iri(r), schema+"keywords", lit(words[rng.IntN(len(words))]))
	}
	return n, bw.Flush()
}
