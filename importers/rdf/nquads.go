package rdf

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// ReadNQuads streams the statements of an N-Quads (or N-Triples) document
// to fn, one line at a time, with the line number. With keepGoing a line
// that does not parse is reported to onErr and skipped; otherwise the first
// error stops the read.
func ReadNQuads(r io.Reader, keepGoing bool, fn func(Statement) error, onErr func(line int, err error)) error {
	br := bufio.NewReaderSize(r, 256<<10)
	for line := 1; ; line++ {
		text, err := readLine(br)
		if err == io.EOF && text == "" {
			return nil
		}
		if err != nil && err != io.EOF {
			return &LineError{Line: line, Err: err}
		}
		t := strings.TrimSpace(text)
		if t == "" || t[0] == '#' {
			continue
		}
		st, perr := parseNQuad(t, line)
		if perr != nil {
			if !keepGoing {
				return perr
			}
			onErr(line, perr)
			continue
		}
		if err := fn(st); err != nil {
			return err
		}
	}
}

// readLine reads one line without its end, refusing lines over
// MaxStatement bytes.
func readLine(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, err := br.ReadSlice('\n')
		b.Write(chunk)
		if b.Len() > MaxStatement {
			return "", fmt.Errorf("a line is longer than %d bytes", MaxStatement)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return strings.TrimRight(b.String(), "\r\n"), err
	}
}

func parseNQuad(line string, n int) (Statement, error) {
	q, err := nquads.ParseRaw(line)
	if err != nil {
		return Statement{}, &LineError{Line: n, Err: fmt.Errorf("N-Quads syntax: %v", err)}
	}
	st := Statement{Line: n}
	var ok bool
	if st.S, ok = fromQuad(q.Subject); !ok || st.S.IsLiteral() {
		return st, &LineError{Line: n, Err: errors.New("the subject must be an IRI or a blank node")}
	}
	if st.P, ok = fromQuad(q.Predicate); !ok || !st.P.IsIRI() {
		return st, &LineError{Line: n, Err: errors.New("the predicate must be an IRI")}
	}
	if st.O, ok = fromQuad(q.Object); !ok {
		return st, &LineError{Line: n, Err: errors.New("unreadable object")}
	}
	if q.Label != nil {
		g, ok := fromQuad(q.Label)
		if !ok || !g.IsIRI() {
			return st, &LineError{Line: n, Err: errors.New("the graph label must be an IRI")}
		}
		st.Graph = g.Value
	}
	return st, nil
}

func fromQuad(v quad.Value) (domain.Term, bool) {
	switch x := v.(type) {
	case quad.IRI:
		return domain.NewIRI(string(x)), true
	case quad.BNode:
		return domain.NewBlank("n" + string(x)), true
	case quad.String:
		return domain.NewString(string(x)), true
	case quad.LangString:
		return domain.NewLangString(string(x.Value), x.Lang), true
	case quad.TypedString:
		dt := string(x.Type)
		if dt == ontology.LangString {
			return domain.Term{}, false
		}
		return domain.NewTyped(string(x.Value), dt), true
	}
	return domain.Term{}, false
}
