package domain

import (
	"strconv"

	"github.com/trame-commun/trame/ontology"
)

// Overlay returns a Lookup that answers from batch first (entities about to
// be written together) and from base for everything else. Entities in
// deleted answer as unknown.
func Overlay(base Lookup, batch []*Entity, deleted []string) Lookup {
	o := &overlay{base: base, byIRI: map[string]*Entity{}, gone: map[string]bool{}}
	for _, e := range batch {
		o.byIRI[e.IRI] = e
	}
	for _, d := range deleted {
		o.gone[d] = true
	}
	return o
}

type overlay struct {
	base  Lookup
	byIRI map[string]*Entity
	gone  map[string]bool
}

func (o *overlay) TypesOf(iri string) []string {
	if e, ok := o.byIRI[iri]; ok {
		return e.Types
	}
	if o.gone[iri] || o.base == nil {
		return nil
	}
	return o.base.TypesOf(iri)
}

func (o *overlay) LevelNumber(iri string) int {
	if e, ok := o.byIRI[iri]; ok {
		n, _ := strconv.Atoi(e.First(ontology.LevelNumber))
		return n
	}
	if o.gone[iri] || o.base == nil {
		return 0
	}
	return o.base.LevelNumber(iri)
}

func (o *overlay) Prerequisites(iri string) []string {
	if e, ok := o.byIRI[iri]; ok {
		var out []string
		for _, t := range e.Values(ontology.Prerequisite) {
			out = append(out, t.Value)
		}
		return out
	}
	if o.gone[iri] || o.base == nil {
		return nil
	}
	return o.base.Prerequisites(iri)
}
