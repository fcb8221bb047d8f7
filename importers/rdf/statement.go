// Package rdf imports RDF files into Trame: N-Quads (and N-Triples),
// Turtle and JSON-LD, streamed with memory bounded by a partition of the
// file rather than by its size. Statements are grouped by subject into
// entities (blank nodes go with the entity that refers to them), each
// entity is validated against Trame's shapes, and only entities typed with
// one of Trame's classes can be stored: anything else is reported with the
// line where it starts. See docs/importers.md.
package rdf

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

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

// record is how statements are spilled to the partition files: the root
// IRI of the entity the statement belongs to, then the statement, each
// string length-prefixed.
type record struct {
	Root string
	St   Statement
}

func writeString(w *bufio.Writer, s string) error {
	var buf [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(buf[:], uint64(len(s)))
	if _, err := w.Write(buf[:n]); err != nil {
		return err
	}
	_, err := w.WriteString(s)
	return err
}

func writeTerm(w *bufio.Writer, t domain.Term) error {
	if err := w.WriteByte(byte(t.Kind)); err != nil {
		return err
	}
	for _, s := range []string{t.Value, t.Datatype, t.Lang} {
		if err := writeString(w, s); err != nil {
			return err
		}
	}
	return nil
}

func (r record) write(w *bufio.Writer) error {
	if err := writeString(w, r.Root); err != nil {
		return err
	}
	for _, t := range []domain.Term{r.St.S, r.St.P, r.St.O} {
		if err := writeTerm(w, t); err != nil {
			return err
		}
	}
	if err := writeString(w, r.St.Graph); err != nil {
		return err
	}
	var buf [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(buf[:], uint64(r.St.Line))
	_, err := w.Write(buf[:n])
	return err
}

func readString(r *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return "", err
	}
	if n > MaxStatement {
		return "", errors.New("corrupt spill file")
	}
	b := make([]byte, n)
	_, err = io.ReadFull(r, b)
	return string(b), err
}

func readTerm(r *bufio.Reader) (domain.Term, error) {
	k, err := r.ReadByte()
	if err != nil {
		return domain.Term{}, err
	}
	var parts [3]string
	for i := range parts {
		if parts[i], err = readString(r); err != nil {
			return domain.Term{}, err
		}
	}
	return domain.Term{Kind: domain.TermKind(k), Value: parts[0], Datatype: parts[1], Lang: parts[2]}, nil
}

func readRecord(r *bufio.Reader) (record, error) {
	var rec record
	var err error
	if rec.Root, err = readString(r); err != nil {
		return rec, err // io.EOF at a record boundary
	}
	terms := []*domain.Term{&rec.St.S, &rec.St.P, &rec.St.O}
	for _, t := range terms {
		if *t, err = readTerm(r); err != nil {
			return rec, unexpected(err)
		}
	}
	if rec.St.Graph, err = readString(r); err != nil {
		return rec, unexpected(err)
	}
	line, err := binary.ReadUvarint(r)
	rec.St.Line = int(line)
	return rec, unexpected(err)
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
