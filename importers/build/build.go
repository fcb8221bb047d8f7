// Package build assembles domain entities statement by statement for the
// importers: an entity with its types, literal and IRI values, and the blank
// nodes it holds (addresses, links, attachments), labelled deterministically
// so that the same input always gives the same entity.
package build

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Entity builds one domain entity. The zero value is not usable: call New.
type Entity struct {
	e     *domain.Entity
	blank int
}

// Node is one node of an entity under construction: the entity's own node
// or one of its blank nodes.
type Node struct {
	owner *Entity
	term  domain.Term
}

// New starts the entity iri with the given types.
func New(iri string, types ...string) *Entity {
	b := &Entity{e: &domain.Entity{IRI: iri}}
	for _, t := range types {
		b.e.Types = append(b.e.Types, t)
		b.e.Triples = append(b.e.Triples, domain.Triple{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Type), O: domain.NewIRI(t)})
	}
	return b
}

// Root returns the entity's own node.
func (b *Entity) Root() *Node { return &Node{owner: b, term: domain.NewIRI(b.e.IRI)} }

// Entity returns the entity built so far. Later calls keep adding to it.
func (b *Entity) Entity() *domain.Entity { return b.e }

// Add states (node, p, o).
func (n *Node) Add(p string, o domain.Term) *Node {
	n.owner.e.Triples = append(n.owner.e.Triples, domain.Triple{S: n.term, P: domain.NewIRI(p), O: o})
	return n
}

// Str states a plain string value; empty values are skipped.
func (n *Node) Str(p, v string) *Node {
	if v = strings.TrimSpace(v); v != "" {
		n.Add(p, domain.NewString(v))
	}
	return n
}

// Raw states a plain string value as given (spaces kept); empty values are
// skipped.
func (n *Node) Raw(p, v string) *Node {
	if v != "" {
		n.Add(p, domain.NewString(v))
	}
	return n
}

// Lang states a language-tagged string; empty values are skipped.
func (n *Node) Lang(p, v, lang string) *Node {
	if v = strings.TrimSpace(v); v != "" {
		if lang == "" {
			return n.Add(p, domain.NewString(v))
		}
		n.Add(p, domain.NewLangString(v, lang))
	}
	return n
}

// Typed states a typed literal; empty values are skipped.
func (n *Node) Typed(p, v, datatype string) *Node {
	if v != "" {
		n.Add(p, domain.NewTyped(v, datatype))
	}
	return n
}

// Int states an xsd:integer value.
func (n *Node) Int(p string, v int) *Node {
	return n.Add(p, domain.NewTyped(strconv.Itoa(v), ontology.XSDInteger))
}

// IRI states an IRI value; empty values are skipped.
func (n *Node) IRI(p, v string) *Node {
	if v != "" {
		n.Add(p, domain.NewIRI(v))
	}
	return n
}

// Link states v as an IRI when it is an absolute http(s) URL without
// spaces, and as a plain string otherwise (so that a malformed link never
// makes an invalid IRI).
func (n *Node) Link(p, v string) *Node {
	v = strings.TrimSpace(v)
	if v == "" {
		return n
	}
	if IsHTTPURL(v) {
		return n.Add(p, domain.NewIRI(v))
	}
	return n.Add(p, domain.NewString(v))
}

// Blank adds a new blank node as a value of p, typed with types, and
// returns it. Labels are b0, b1… in creation order.
func (n *Node) Blank(p string, types ...string) *Node {
	lbl := domain.NewBlank("b" + strconv.Itoa(n.owner.blank))
	n.owner.blank++
	n.Add(p, lbl)
	child := &Node{owner: n.owner, term: lbl}
	for _, t := range types {
		child.Add(ontology.Type, domain.NewIRI(t))
	}
	return child
}

// IsHTTPURL reports whether s is an absolute http or https URL with a host
// and no character that an IRI may not hold.
func IsHTTPURL(s string) bool {
	if strings.ContainsAny(s, " \t\r\n<>\"{}|\\^`") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// From continues building an existing entity. New blank nodes get labels
// that do not collide with those the entity has.
func From(e *domain.Entity) *Entity {
	b := &Entity{e: e, blank: len(e.Triples)}
	for _, t := range e.Triples {
		for _, x := range []domain.Term{t.S, t.O} {
			if x.IsBlank() && strings.HasPrefix(x.Value, "b") {
				if n, err := strconv.Atoi(x.Value[1:]); err == nil && n >= b.blank {
					b.blank = n + 1
				}
			}
		}
	}
	return b
}
