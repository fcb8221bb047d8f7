// Package domain is the centre of Trame: the entities of the graph, the
// contracts of the store and the derived views, shape validation, and the one
// error type every layer returns. It imports only the standard library and
// the ontology package; every engine (badger, cayley, bleve, json-gold,
// gorilla/mux) lives behind an interface declared here.
package domain
