// Package rdf imports RDF files into Trame: N-Quads (and N-Triples),
// Turtle and JSON-LD, streamed through sorted files on disk so that memory
// does not follow the size of the file. Statements are grouped by subject
// into entities (blank nodes go with the entity that refers to them), each
// entity is validated against Trame's shapes, and only entities typed with
// one of Trame's classes can be stored: anything else is reported with the
// line where it starts. See docs/importers.md.
package rdf

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/trame-commun/trame/internal/domain"
)

// Statement is one triple read from a file, with the named graph it was in
// (an IRI, or "" for the default graph) and the line where it starts.
type Statement struct {
	S, P, O domain.Term
	Graph   string
	Line    int
}

// LineError is a problem at a line of the input.
type LineError struct {
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// appendStatement encodes st at the end of buf, as the importer's sorted
// files keep it: each term as its kind then its value, datatype and
// language (length-prefixed), then the graph and the line.
func appendStatement(buf []byte, st Statement) []byte {
	for _, t := range []domain.Term{st.S, st.P, st.O} {
		buf = append(buf, byte(t.Kind))
		buf = appendString(buf, t.Value)
		buf = appendString(buf, t.Datatype)
		buf = appendString(buf, t.Lang)
	}
	buf = appendString(buf, st.Graph)
	return binary.AppendUvarint(buf, uint64(st.Line))
}

func appendString(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// errCorrupt reports a sorted file that does not decode.
var errCorrupt = errors.New("rdf: corrupt temporary file")

// parseStatement decodes what appendStatement encoded.
func parseStatement(b []byte) (Statement, error) {
	var st Statement
	for _, t := range []*domain.Term{&st.S, &st.P, &st.O} {
		if len(b) == 0 {
			return st, errCorrupt
		}
		t.Kind = domain.TermKind(b[0])
		b = b[1:]
		for _, s := range []*string{&t.Value, &t.Datatype, &t.Lang} {
			var ok bool
			if *s, b, ok = cutString(b); !ok {
				return st, errCorrupt
			}
		}
	}
	var ok bool
	if st.Graph, b, ok = cutString(b); !ok {
		return st, errCorrupt
	}
	line, n := binary.Uvarint(b)
	if n <= 0 || n != len(b) {
		return st, errCorrupt
	}
	st.Line = int(line)
	return st, nil
}

// cutString reads a length-prefixed string at the start of b.
func cutString(b []byte) (string, []byte, bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return "", nil, false
	}
	return string(b[k : k+int(n)]), b[k+int(n):], true
}
