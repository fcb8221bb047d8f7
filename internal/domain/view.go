package domain

import "context"

// View is a derived, rebuildable projection of the store (the cayley graph,
// the bleve index). The catalog feeds it the entities the change log names,
// in sequence order.
//
// Contract: Apply replaces everything the view holds for each IRI in puts
// (an entity not yet present is added) and removes everything it holds for
// each IRI in deletes, then records seq as the last sequence applied; after
// Reset the view is empty with LastSeq 0. Readers never see half of an Apply.
type View interface {
	Name() string
	LastSeq() uint64
	Apply(ctx context.Context, seq uint64, puts []ViewEntity, deletes []string) error
	Reset(ctx context.Context) error
}

// ViewEntity is an entity as views receive it.
type ViewEntity struct {
	Entity *Entity
	Record Record
}

// Lookup answers what validation needs to know about entities already in
// the graph: their types and a few outgoing links.
type Lookup interface {
	// TypesOf returns the rdf:type IRIs of iri, or nil when iri is unknown.
	TypesOf(iri string) []string
	// LevelNumber returns the trame:levelNumber of a level concept, or 0.
	LevelNumber(iri string) int
	// Prerequisites returns the trame:prerequisite targets of a competency.
	Prerequisites(iri string) []string
}
