package domain

import (
	"strings"

	"github.com/trame-commun/trame/ontology"
)

// TermKind says whether a Term is an IRI, a blank node or a literal.
type TermKind uint8

// Term kinds.
const (
	IRI TermKind = iota + 1
	Blank
	Literal
)

// Term is an RDF term. For an IRI, Value is the absolute IRI; for a blank
// node, Value is its label without "_:"; for a literal, Value is the lexical
// form, Datatype its datatype IRI (xsd:string when plain) and Lang its
// language tag (then Datatype is rdf:langString).
type Term struct {
	Kind     TermKind
	Value    string
	Datatype string
	Lang     string
}

// NewIRI returns the IRI term v.
func NewIRI(v string) Term { return Term{Kind: IRI, Value: v} }

// NewBlank returns the blank node labelled v.
func NewBlank(v string) Term { return Term{Kind: Blank, Value: v} }

// NewString returns a plain string literal.
func NewString(v string) Term { return Term{Kind: Literal, Value: v, Datatype: ontology.XSDString} }

// NewLangString returns a language-tagged string literal.
func NewLangString(v, lang string) Term {
	return Term{Kind: Literal, Value: v, Datatype: ontology.LangString, Lang: strings.ToLower(lang)}
}

// NewTyped returns a literal with the given datatype.
func NewTyped(v, datatype string) Term { return Term{Kind: Literal, Value: v, Datatype: datatype} }

// IsIRI reports whether t is an IRI.
func (t Term) IsIRI() bool { return t.Kind == IRI }

// IsLiteral reports whether t is a literal.
func (t Term) IsLiteral() bool { return t.Kind == Literal }

// IsBlank reports whether t is a blank node.
func (t Term) IsBlank() bool { return t.Kind == Blank }

// String renders t in N-Triples syntax.
func (t Term) String() string {
	var b strings.Builder
	WriteNTerm(&b, t)
	return b.String()
}

// Triple is one RDF statement.
type Triple struct {
	S, P, O Term
}

// WriteNTerm writes t in N-Triples syntax to b.
func WriteNTerm(b *strings.Builder, t Term) {
	switch t.Kind {
	case IRI:
		b.WriteByte('<')
		escapeIRI(b, t.Value)
		b.WriteByte('>')
	case Blank:
		b.WriteString("_:")
		b.WriteString(t.Value)
	default:
		b.WriteByte('"')
		EscapeLiteral(b, t.Value)
		b.WriteByte('"')
		switch {
		case t.Lang != "":
			b.WriteByte('@')
			b.WriteString(t.Lang)
		case t.Datatype != "" && t.Datatype != ontology.XSDString:
			b.WriteString("^^<")
			escapeIRI(b, t.Datatype)
			b.WriteByte('>')
		}
	}
}

// EscapeLiteral writes s escaped for a double-quoted N-Triples or Turtle
// string.
func EscapeLiteral(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString(`\u00`)
				const hex = "0123456789ABCDEF"
				b.WriteByte(hex[r>>4])
				b.WriteByte(hex[r&0xf])
				continue
			}
			b.WriteRune(r)
		}
	}
}

func escapeIRI(b *strings.Builder, s string) {
	for _, r := range s {
		if r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) {
			const hex = "0123456789ABCDEF"
			b.WriteString(`\u00`)
			b.WriteByte(hex[(r>>4)&0xf])
			b.WriteByte(hex[r&0xf])
			continue
		}
		b.WriteRune(r)
	}
}
