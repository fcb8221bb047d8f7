// Package ontology holds Trame's vocabulary as data — the Turtle ontology,
// the JSON-LD context the API speaks and the shapes each type must satisfy —
// and exports the IRIs the Go code uses as constants.
//
// Every constant in this package is declared in trame.ttl (a test enforces
// it), so the Go code can never use a term the published vocabulary lacks.
package ontology

import (
	_ "embed"
)

// Namespaces used by Trame. NS is Trame's own namespace; every other one is
// a standard vocabulary reused as DESIGN.md prescribes.
const (
	NS      = "https://w3id.org/trame/ns#"
	Schema  = "https://schema.org/"
	SKOS    = "http://www.w3.org/2004/02/skos/core#"
	DCTerms = "http://purl.org/dc/terms/"
	PROV    = "http://www.w3.org/ns/prov#"
	CC      = "http://creativecommons.org/ns#"
	VoID    = "http://rdfs.org/ns/void#"
	RDF     = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	RDFS    = "http://www.w3.org/2000/01/rdf-schema#"
	OWL     = "http://www.w3.org/2002/07/owl#"
	XSD     = "http://www.w3.org/2001/XMLSchema#"
	SH      = "http://www.w3.org/ns/shacl#"
	DCAT    = "http://www.w3.org/ns/dcat#"
)

// ContextIRI is the canonical IRI of Trame's JSON-LD context. The offline
// document loader answers it (and the copy served under the base IRI at
// ContextPath) from the embedded file; it is never fetched.
const (
	ContextIRI  = "https://w3id.org/trame/context.jsonld"
	ContextPath = "ns/context.jsonld"
)

// Embedded files. They are read-only: callers must not modify the slices.
var (
	//go:embed context.jsonld
	Context []byte
	//go:embed trame.ttl
	Turtle []byte
	//go:embed shapes.jsonld
	Shapes []byte
	//go:embed schemaorg-context.jsonld
	SchemaOrgContext []byte
)
