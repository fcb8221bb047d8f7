package rdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/trame-commun/trame/internal/domain"
)

// JSONLDBatch is how many top-level nodes are expanded together; a batch
// that fails is expanded again node by node to find the faulty lines.
const JSONLDBatch = 200

// ReadJSONLD streams the entities of a JSON-LD document to fn as
// statements, using codec (which refuses contexts it cannot resolve
// offline). The document is a top-level array of nodes, or an object with
// "@context" then "@graph"; each node of the array or graph is read as it
// comes, so memory stays bounded by a batch. Any other document is read
// whole. Every top-level node must carry an @id. With keepGoing a node that
// does not decode is reported to onErr and skipped.
func ReadJSONLD(r io.Reader, codec domain.Codec, keepGoing bool, fn func(Statement) error, onErr func(line int, err error)) error {
	lc := &lineCounter{r: r}
	dec := json.NewDecoder(lc)
	dec.UseNumber()
	j := &jsonldReader{codec: codec, keepGoing: keepGoing, fn: fn, onErr: onErr, lc: lc, dec: dec}
	tok, err := dec.Token()
	if err != nil {
		return &LineError{Line: 1, Err: fmt.Errorf("not JSON: %v", err)}
	}
	switch tok {
	case json.Delim('['):
		err = j.nodes(nil)
	case json.Delim('{'):
		err = j.object()
	default:
		return &LineError{Line: 1, Err: errors.New("a JSON-LD document is an object or an array")}
	}
	if err != nil {
		return err
	}
	return j.flush()
}

type jsonldReader struct {
	codec     domain.Codec
	keepGoing bool
	fn        func(Statement) error
	onErr     func(int, error)
	lc        *lineCounter
	dec       *json.Decoder
	ctx       json.RawMessage
	batch     []json.RawMessage
	lines     []int
	calls     int
}

// object reads a top-level object: @context and @graph stream; any other
// key makes the object a single node, read whole.
func (j *jsonldReader) object() error {
	whole := map[string]json.RawMessage{}
	first := 1 // line of the first property of a single-node document
	for j.dec.More() {
		kt, err := j.dec.Token()
		if err != nil {
			return j.syntax(err)
		}
		key, _ := kt.(string)
		switch key {
		case "@context":
			if err := j.dec.Decode(&j.ctx); err != nil {
				return j.syntax(err)
			}
		case "@graph":
			if len(whole) > 0 {
				return &LineError{Line: j.line(), Err: errors.New("a node with a @graph (a named graph object) is not supported: put the entities in a top-level @graph")}
			}
			if t, err := j.dec.Token(); err != nil || t != json.Delim('[') {
				return &LineError{Line: j.line(), Err: errors.New("@graph must be an array")}
			}
			if err := j.nodes(j.ctx); err != nil {
				return err
			}
		default:
			var v json.RawMessage
			if err := j.dec.Decode(&v); err != nil {
				return j.syntax(err)
			}
			line := j.lc.lineAt(j.dec.InputOffset() - int64(len(v)))
			if len(whole) == 0 {
				first = line
			}
			whole[key] = v
		}
	}
	if _, err := j.dec.Token(); err != nil {
		return j.syntax(err)
	}
	if len(whole) == 0 {
		return nil
	}
	if j.ctx != nil {
		whole["@context"] = j.ctx
	}
	b, err := json.Marshal(whole)
	if err != nil {
		return err
	}
	j.lines = []int{first}
	j.batch = []json.RawMessage{b}
	return j.flush()
}

// nodes reads the elements of an array, batching them.
func (j *jsonldReader) nodes(ctx json.RawMessage) error {
	for j.dec.More() {
		var v json.RawMessage
		if err := j.dec.Decode(&v); err != nil {
			return j.syntax(err)
		}
		line := j.lc.lineAt(j.dec.InputOffset() - int64(len(v)))
		if ctx != nil {
			v = withContext(ctx, v)
		}
		j.batch, j.lines = append(j.batch, v), append(j.lines, line)
		if len(j.batch) >= JSONLDBatch {
			if err := j.flush(); err != nil {
				return err
			}
		}
	}
	_, err := j.dec.Token() // "]"
	if err != nil {
		return j.syntax(err)
	}
	return nil
}

// withContext wraps a node so that it is read with the document's context.
func withContext(ctx, node json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	b.WriteString(`{"@context":`)
	b.Write(ctx)
	b.WriteString(`,"@graph":[`)
	b.Write(node)
	b.WriteString(`]}`)
	return b.Bytes()
}

// flush decodes the pending nodes.
func (j *jsonldReader) flush() error {
	if len(j.batch) == 0 {
		return nil
	}
	batch, lines := j.batch, j.lines
	j.batch, j.lines = nil, nil
	if err := j.decode(batch, lines[0]); err == nil {
		return nil
	} else if len(batch) == 1 {
		return j.fail(lines[0], err)
	}
	for i, n := range batch { // find the faulty nodes
		if err := j.decode([]json.RawMessage{n}, lines[i]); err != nil {
			if ferr := j.fail(lines[i], err); ferr != nil {
				return ferr
			}
		}
	}
	return nil
}

func (j *jsonldReader) fail(line int, err error) error {
	le := &LineError{Line: line, Err: err}
	if !j.keepGoing {
		return le
	}
	j.onErr(line, le)
	return nil
}

// decode expands nodes (each a self-contained document) and emits their
// statements; blank node labels are made unique per call.
func (j *jsonldReader) decode(nodes []json.RawMessage, line int) error {
	var doc bytes.Buffer
	doc.WriteByte('[')
	for i, n := range nodes {
		if i > 0 {
			doc.WriteByte(',')
		}
		doc.Write(n)
	}
	doc.WriteByte(']')
	ents, err := j.codec.Decode(doc.Bytes(), nil)
	if err != nil {
		return err
	}
	j.calls++
	prefix := "j" + strconv.Itoa(j.calls) + "_"
	var out []Statement
	for _, e := range ents {
		for _, t := range e.Triples {
			out = append(out, Statement{S: relabel(t.S, prefix), P: t.P, O: relabel(t.O, prefix), Line: line})
		}
	}
	for _, st := range out {
		if err := j.fn(st); err != nil {
			return err
		}
	}
	return nil
}

func relabel(t domain.Term, prefix string) domain.Term {
	if t.IsBlank() {
		t.Value = prefix + t.Value
	}
	return t
}

func (j *jsonldReader) line() int { return j.lc.lineAt(j.dec.InputOffset()) }

func (j *jsonldReader) syntax(err error) error {
	return &LineError{Line: j.line(), Err: fmt.Errorf("JSON syntax: %v", err)}
}

// lineCounter maps the decoder's input offsets to line numbers. Offsets are
// asked in increasing order, so it keeps only the newlines read ahead of
// the last offset asked: memory is bounded by the decoder's buffer.
type lineCounter struct {
	r        io.Reader
	read     int64   // bytes read so far
	newlines []int64 // offsets of newlines not yet passed
	line     int     // line of the last offset asked (from 1)
}

func (l *lineCounter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			l.newlines = append(l.newlines, l.read+int64(i))
		}
	}
	l.read += int64(n)
	return n, err
}

func (l *lineCounter) lineAt(off int64) int {
	if l.line == 0 {
		l.line = 1
	}
	i := 0
	for i < len(l.newlines) && l.newlines[i] < off {
		i++
	}
	l.line += i
	l.newlines = l.newlines[i:]
	return l.line
}
