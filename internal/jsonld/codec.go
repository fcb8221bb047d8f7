package jsonld

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/piprate/json-gold/ld"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Codec converts between JSON-LD and domain entities. It is safe for
// concurrent use.
type Codec struct {
	base   string
	loader *loader
	proc   *ld.JsonLdProcessor
	cache  *compactCache
	// contexts holds parsed contexts by IRI (*ld.Context), for compaction.
	contexts sync.Map
}

// New returns a codec that resolves relative IRIs against baseIRI and serves
// Trame's context at baseIRI + ontology.ContextPath as well as at
// ontology.ContextIRI.
func New(baseIRI string) *Codec {
	return &Codec{base: baseIRI, loader: newLoader(baseIRI), proc: ld.NewJsonLdProcessor(), cache: newCompactCache()}
}

// ContextURL is the context IRI written in compacted output: the copy this
// server serves, so clients can dereference it.
func (c *Codec) ContextURL() string {
	return strings.TrimSuffix(c.base, "/") + "/" + ontology.ContextPath
}

func (c *Codec) options() *ld.JsonLdOptions {
	o := ld.NewJsonLdOptions(c.base)
	o.DocumentLoader = c.loader
	o.ProcessingMode = ld.JsonLd_1_1
	o.SafeMode = true
	return o
}

const opDecode = "jsonld.Decode"

// Decode parses a JSON-LD document into its top-level entities. Each
// top-level node object (of the document or of its @graph) is one entity;
// nested nodes belong to the entity that holds them. A node without @id gets
// the IRI mint returns for its types (mint may be nil when every node must
// carry an @id). Errors are *domain.Error of KindInvalid listing every
// problem found.
func (c *Codec) Decode(body []byte, mint func(types []string) string) ([]*domain.Entity, error) {
	if !utf8.Valid(body) {
		return nil, domain.Errorf(opDecode, domain.KindInvalid, "the body is not valid UTF-8")
	}
	doc, err := parseJSON(body)
	if err != nil {
		return nil, err
	}
	var errs []domain.FieldError
	c.loader.checkContexts(doc, "", &errs)
	if len(errs) > 0 {
		return nil, &domain.Error{Op: opDecode, Kind: domain.KindInvalid, Message: "unsupported @context", Fields: errs}
	}
	expanded, err := c.expand(doc)
	if err != nil {
		return nil, &domain.Error{Op: opDecode, Kind: domain.KindInvalid, Message: "the document is not valid JSON-LD: " + describe(err)}
	}
	nodes := topNodes(expanded)
	if len(nodes) == 0 {
		return nil, domain.Errorf(opDecode, domain.KindInvalid, "the document describes no entity (no node object with properties)")
	}
	var out []*domain.Entity
	for i, n := range nodes {
		id, _ := n["@id"].(string)
		if id == "" || strings.HasPrefix(id, "_:") {
			if mint == nil {
				errs = append(errs, domain.FieldError{Path: fmt.Sprintf("/@graph/%d/@id", i), Message: "every entity needs an @id here"})
				continue
			}
			id = mint(typesOf(n))
			n["@id"] = id
		}
		e, err := c.entityFromExpanded(n)
		if err != nil {
			errs = append(errs, domain.FieldError{Path: fmt.Sprintf("/@graph/%d", i), Message: err.Error()})
			continue
		}
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, &domain.Error{Op: opDecode, Kind: domain.KindInvalid, Message: "the document has invalid entities", Fields: errs}
	}
	return out, nil
}

// parseJSON decodes body with numbers kept exact, and reports syntax errors
// with their line and column.
func parseJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, tail := dec.Token(); tail == nil {
			err = errors.New("unexpected data after the JSON value")
		}
	}
	if err != nil {
		var se *json.SyntaxError
		off := dec.InputOffset()
		if errors.As(err, &se) {
			off = se.Offset
		}
		line, col := position(body, off)
		msg := err.Error()
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			msg = "the JSON is truncated"
		}
		return nil, &domain.Error{Op: opDecode, Kind: domain.KindInvalid,
			Message: fmt.Sprintf("the body is not JSON: %s", msg),
			Fields:  []domain.FieldError{{Path: fmt.Sprintf("line %d, column %d", line, col), Message: msg}}}
	}
	return v, nil
}

func position(b []byte, off int64) (line, col int) {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	line, col = 1, 1
	for _, c := range b[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// describe turns a json-gold error into a sentence.
func describe(err error) string {
	var le *ld.JsonLdError
	if errors.As(err, &le) {
		switch le.Code {
		case ld.InvalidProperty:
			return "a property name does not expand to an absolute IRI (is it defined in the @context, or misspelt?)"
		case ld.LoadingRemoteContextFailed, ld.LoadingDocumentFailed:
			return "a context could not be loaded: " + fmt.Sprint(le.Details)
		}
		if le.Details != nil {
			return fmt.Sprintf("%s: %v", le.Code, le.Details)
		}
		return string(le.Code)
	}
	return err.Error()
}

// topNodes returns the top-level node objects of an expanded document,
// looking inside a top-level @graph, and skipping bare references.
func topNodes(expanded []any) []map[string]any {
	var out []map[string]any
	for _, item := range expanded {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		if g, ok := m["@graph"].([]any); ok && len(m) <= 2 {
			out = append(out, topNodes(g)...)
			continue
		}
		if len(m) == 1 && m["@id"] != nil {
			continue
		}
		out = append(out, m)
	}
	return out
}

func typesOf(n map[string]any) []string {
	var out []string
	if ts, ok := n["@type"].([]any); ok {
		for _, t := range ts {
			if s, ok := t.(string); ok {
				out = append(out, normaliseIRI(s))
			}
		}
	}
	return out
}

// normaliseIRI maps the http form of schema.org to its https form, so both
// spellings of the vocabulary mean the same terms.
func normaliseIRI(s string) string {
	if strings.HasPrefix(s, "http://schema.org/") {
		return ontology.Schema + s[len("http://schema.org/"):]
	}
	return s
}

// entityFromExpanded converts one expanded node (with an @id) to an entity.
func (c *Codec) entityFromExpanded(n map[string]any) (*domain.Entity, error) {
	triples, err := toTriples([]any{n})
	if err != nil {
		return nil, err
	}
	return newEntity(n["@id"].(string), triples), nil
}

// newEntity gathers an entity's types from its triples.
func newEntity(iri string, triples []domain.Triple) *domain.Entity {
	e := &domain.Entity{IRI: iri, Triples: triples}
	for _, t := range triples {
		if t.S.Value == iri && t.S.IsIRI() && t.P.Value == ontology.Type && t.O.IsIRI() {
			e.Types = append(e.Types, t.O.Value)
		}
	}
	sort.Strings(e.Types)
	return e
}

func fromNode(n ld.Node) domain.Term {
	switch x := n.(type) {
	case ld.IRI:
		return domain.NewIRI(normaliseIRI(x.Value))
	case ld.BlankNode:
		return domain.NewBlank(strings.TrimPrefix(x.Attribute, "_:"))
	case ld.Literal:
		if x.Language != "" {
			return domain.NewLangString(x.Value, x.Language)
		}
		return domain.NewTyped(x.Value, normaliseIRI(x.Datatype))
	}
	return domain.Term{}
}

// expand runs json-gold's expansion, turning a panic inside the library on
// unexpected input into an error.
func (c *Codec) expand(doc any) (out []any, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the JSON-LD processor rejected the document (%v)", v)
		}
	}()
	return c.proc.Expand(doc, c.options())
}
