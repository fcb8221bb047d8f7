package rdf

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// MaxStatement is the largest Turtle statement (or N-Quads line, or
// literal) read, in bytes; a longer one is an error rather than a memory
// exhaustion.
const MaxStatement = 16 << 20

// ReadTurtle streams the triples of a Turtle document to fn, each with the
// line on which its statement starts. It is a streaming recursive-descent
// parser of W3C Turtle 1.1: memory is bounded by the largest statement.
// (github.com/knakk/rdf's lexer panics in its own goroutine on some
// malformed input, which no caller can recover: fuzzing found it.) With
// keepGoing a statement that does not parse is reported to onErr and
// skipped up to its final "."; otherwise the first error stops the read.
func ReadTurtle(r io.Reader, base string, keepGoing bool, fn func(Statement) error, onErr func(line int, err error)) error {
	p := &ttlParser{in: bufio.NewReaderSize(r, 64<<10), line: 1, prefixes: map[string]string{}, emit: fn}
	if base != "" {
		if u, err := url.Parse(base); err == nil {
			p.base = u
		}
	}
	for {
		p.skipSpace()
		if p.peek() == eof {
			return p.readErr
		}
		p.stmtLine = p.line
		p.pending = p.pending[:0]
		err := p.statement()
		if err == nil {
			if err := p.flush(); err != nil {
				return err
			}
			continue
		}
		var se *syntaxError
		if !errors.As(err, &se) {
			return err // an error of fn, or of the reader
		}
		msg := se.msg
		if se.line != p.stmtLine {
			msg += fmt.Sprintf(" (in the statement starting on line %d)", p.stmtLine)
		}
		le := &LineError{Line: se.line, Err: errors.New("Turtle syntax: " + msg)}
		if !keepGoing {
			return le
		}
		onErr(se.line, le)
		p.recover()
	}
}

const eof = -1

type syntaxError struct {
	line int
	msg  string
}

func (e *syntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type ttlParser struct {
	in       *bufio.Reader
	line     int
	stmtLine int
	base     *url.URL
	prefixes map[string]string
	anon     int
	emit     func(Statement) error
	pending  []Statement // triples of the current statement, emitted once it is complete
	readErr  error
	size     int // bytes of the current statement
}

func (p *ttlParser) fail(format string, args ...any) error {
	return &syntaxError{line: p.line, msg: fmt.Sprintf(format, args...)}
}

func (p *ttlParser) peek() rune {
	r, _, err := p.in.ReadRune()
	if err != nil {
		if err != io.EOF {
			p.readErr = err
		}
		return eof
	}
	_ = p.in.UnreadRune()
	return r
}

func (p *ttlParser) next() rune {
	r, _, err := p.in.ReadRune()
	if err != nil {
		if err != io.EOF {
			p.readErr = err
		}
		return eof
	}
	p.size++
	if r == '\n' {
		p.line++
	}
	return r
}

// skipSpace skips white space and comments.
func (p *ttlParser) skipSpace() {
	for {
		switch r := p.peek(); {
		case r == '#':
			for r := p.next(); r != '\n' && r != eof; r = p.next() {
			}
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			p.next()
		default:
			return
		}
	}
}

func (p *ttlParser) expect(want rune) error {
	p.skipSpace()
	if r := p.next(); r != want {
		return p.fail("expected %q, found %s", want, show(r))
	}
	return nil
}

func show(r rune) string {
	if r == eof {
		return "the end of the file"
	}
	return strconv.QuoteRune(r)
}

// recover skips the rest of a statement that failed: up to a "." followed
// by white space or the end, outside strings and IRIs.
func (p *ttlParser) recover() {
	for {
		switch r := p.next(); r {
		case eof:
			return
		case '"', '\'':
			_, _ = p.stringBody(r)
		case '<':
			for r := p.next(); r != '>' && r != '\n' && r != eof; r = p.next() {
			}
		case '#':
			for r := p.next(); r != '\n' && r != eof; r = p.next() {
			}
		case '.':
			if n := p.peek(); n == eof || unicode.IsSpace(n) || n == '#' {
				return
			}
		}
	}
}

// statement parses a directive or a triples statement.
func (p *ttlParser) statement() error {
	p.size = 0
	r := p.peek()
	if r == '@' {
		p.next()
		word := p.word()
		switch word {
		case "prefix":
			if err := p.prefixDecl(); err != nil {
				return err
			}
		case "base":
			if err := p.baseDecl(); err != nil {
				return err
			}
		default:
			return p.fail("unknown directive @%s", word)
		}
		return p.expect('.')
	}
	if r == 'P' || r == 'p' || r == 'B' || r == 'b' {
		if w, ok := p.keyword(); ok {
			if strings.EqualFold(w, "prefix") {
				return p.prefixDecl()
			}
			return p.baseDecl()
		}
	}
	if err := p.triples(); err != nil {
		return err
	}
	return p.expect('.')
}

// keyword reads a SPARQL-style PREFIX or BASE; anything else is left for
// the triples (a prefixed name such as base:x).
func (p *ttlParser) keyword() (string, bool) {
	b, _ := p.in.Peek(7)
	s := string(b)
	for _, kw := range []string{"prefix", "base"} {
		if len(s) > len(kw) && strings.EqualFold(s[:len(kw)], kw) && (s[len(kw)] == ' ' || s[len(kw)] == '\t' || s[len(kw)] == '<') {
			for range kw {
				p.next()
			}
			return kw, true
		}
	}
	return "", false
}

func (p *ttlParser) word() string {
	var b strings.Builder
	for r := p.peek(); r != eof && (unicode.IsLetter(r) || r == '-'); r = p.peek() {
		b.WriteRune(p.next())
	}
	return b.String()
}

func (p *ttlParser) prefixDecl() error {
	p.skipSpace()
	var b strings.Builder
	for r := p.peek(); r != ':'; r = p.peek() {
		if r == eof || unicode.IsSpace(r) || !isPNChar(r) && r != '.' {
			return p.fail("a prefix declaration needs a name followed by \":\"")
		}
		b.WriteRune(p.next())
	}
	p.next()
	p.skipSpace()
	iri, err := p.iriRef()
	if err != nil {
		return err
	}
	p.prefixes[b.String()] = iri
	return nil
}

func (p *ttlParser) baseDecl() error {
	p.skipSpace()
	iri, err := p.iriRef()
	if err != nil {
		return err
	}
	u, err := url.Parse(iri)
	if err != nil {
		return p.fail("bad base IRI %q", iri)
	}
	p.base = u
	return nil
}

// triples parses a subject and its predicate-object list.
func (p *ttlParser) triples() error {
	p.skipSpace()
	if p.peek() == '[' {
		subj, err := p.blankPropertyList()
		if err != nil {
			return err
		}
		p.skipSpace()
		if p.peek() == '.' {
			return nil
		}
		return p.predicateObjectList(subj)
	}
	subj, err := p.subject()
	if err != nil {
		return err
	}
	return p.predicateObjectList(subj)
}

func (p *ttlParser) subject() (domain.Term, error) {
	switch r := p.peek(); {
	case r == '(':
		return p.collection()
	case r == '_':
		return p.blankLabel()
	default:
		iri, err := p.iri()
		return domain.NewIRI(iri), err
	}
}

func (p *ttlParser) predicateObjectList(subj domain.Term) error {
	for {
		p.skipSpace()
		pred, err := p.verb()
		if err != nil {
			return err
		}
		for {
			p.skipSpace()
			obj, err := p.object()
			if err != nil {
				return err
			}
			if err := p.triple(subj, pred, obj); err != nil {
				return err
			}
			p.skipSpace()
			if p.peek() != ',' {
				break
			}
			p.next()
		}
		p.skipSpace()
		if p.peek() != ';' {
			return nil
		}
		for p.peek() == ';' { // repeated ";" are allowed
			p.next()
			p.skipSpace()
		}
		if r := p.peek(); r == '.' || r == ']' || r == eof {
			return nil
		}
	}
}

func (p *ttlParser) triple(s, pr, o domain.Term) error {
	if p.size > MaxStatement {
		return p.fail("a statement is longer than %d bytes", MaxStatement)
	}
	p.pending = append(p.pending, Statement{S: s, P: pr, O: o, Line: p.stmtLine})
	return nil
}

func (p *ttlParser) flush() error {
	for _, st := range p.pending {
		if err := p.emit(st); err != nil {
			return err
		}
	}
	return nil
}

func (p *ttlParser) verb() (domain.Term, error) {
	if p.peek() == 'a' {
		p.next()
		if r := p.peek(); r == eof || unicode.IsSpace(r) || r == '<' || r == '[' || r == '"' || r == '#' {
			return domain.NewIRI(ontology.Type), nil
		}
		// a prefixed name starting with "a"
		iri, err := p.prefixedName("a")
		return domain.NewIRI(iri), err
	}
	iri, err := p.iri()
	return domain.NewIRI(iri), err
}

func (p *ttlParser) object() (domain.Term, error) {
	switch r := p.peek(); {
	case r == '[':
		return p.blankPropertyList()
	case r == '(':
		return p.collection()
	case r == '_':
		return p.blankLabel()
	case r == '"' || r == '\'':
		return p.literal()
	case r == '+' || r == '-' || r == '.' || (r >= '0' && r <= '9'):
		return p.number()
	case r == '<':
		iri, err := p.iri()
		return domain.NewIRI(iri), err
	default:
		return p.nameOrBoolean()
	}
}

func (p *ttlParser) blankPropertyList() (domain.Term, error) {
	p.next() // [
	p.anon++
	b := domain.NewBlank("g" + strconv.Itoa(p.anon))
	p.skipSpace()
	if p.peek() == ']' {
		p.next()
		return b, nil
	}
	if err := p.predicateObjectList(b); err != nil {
		return b, err
	}
	return b, p.expect(']')
}

func (p *ttlParser) collection() (domain.Term, error) {
	p.next() // (
	head := domain.NewIRI(ontology.RDFNil)
	var prev domain.Term
	rest := domain.NewIRI(ontology.RDFRest)
	for {
		p.skipSpace()
		if p.peek() == ')' {
			p.next()
			if prev.Kind != 0 {
				return head, p.triple(prev, rest, domain.NewIRI(ontology.RDFNil))
			}
			return head, nil
		}
		if p.peek() == eof {
			return head, p.fail("a collection is not closed")
		}
		obj, err := p.object()
		if err != nil {
			return head, err
		}
		p.anon++
		cell := domain.NewBlank("g" + strconv.Itoa(p.anon))
		if prev.Kind == 0 {
			head = cell
		} else if err := p.triple(prev, rest, cell); err != nil {
			return head, err
		}
		if err := p.triple(cell, domain.NewIRI(ontology.RDFFirst), obj); err != nil {
			return head, err
		}
		prev = cell
	}
}

func (p *ttlParser) blankLabel() (domain.Term, error) {
	p.next() // _
	if p.next() != ':' {
		return domain.Term{}, p.fail("a blank node label starts with \"_:\"")
	}
	var b strings.Builder
	for {
		r1, r2 := p.peek2()
		if isPNChar(r1) || r1 == '.' && (isPNChar(r2) || r2 == '.') {
			b.WriteRune(p.next())
			continue
		}
		break
	}
	label := b.String()
	if label == "" || strings.HasSuffix(label, ".") {
		return domain.Term{}, p.fail("bad blank node label _:%s", label)
	}
	return domain.NewBlank("t" + label), nil
}

// peek2 returns the next two runes without consuming them.
func (p *ttlParser) peek2() (rune, rune) {
	b, _ := p.in.Peek(8)
	if len(b) == 0 {
		return eof, eof
	}
	r1, n := utf8.DecodeRune(b)
	if n >= len(b) {
		return r1, eof
	}
	r2, _ := utf8.DecodeRune(b[n:])
	return r1, r2
}
