package jsonld

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// toTriples converts expanded JSON-LD (the output of expansion, or a stored
// document) to triples, following the "Deserialize JSON-LD to RDF"
// algorithm for the default graph. It replaces json-gold's ToRDF on Trame's
// hot paths: it is several times faster, and it reports an invalid IRI as an
// error instead of silently dropping the statement.
//
// Blank nodes are relabelled b0, b1… in document order; named graphs,
// @reverse and @included are refused (an entity is one default graph).
func toTriples(nodes []any) ([]domain.Triple, error) {
	w := &tripleWriter{labels: map[string]string{}}
	for _, n := range nodes {
		m, ok := n.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("expected a node object, found %T", n)
		}
		if _, err := w.node(m); err != nil {
			return nil, err
		}
	}
	return w.out, nil
}

type tripleWriter struct {
	out    []domain.Triple
	labels map[string]string
	next   int
}

func (w *tripleWriter) blank(label string) domain.Term {
	if label != "" {
		if l, ok := w.labels[label]; ok {
			return domain.NewBlank(l)
		}
	}
	l := "b" + strconv.Itoa(w.next)
	w.next++
	if label != "" {
		w.labels[label] = l
	}
	return domain.NewBlank(l)
}

// subject returns the term of a node's @id (a fresh blank node when absent).
func (w *tripleWriter) subject(id any) (domain.Term, error) {
	s, _ := id.(string)
	if s == "" || strings.HasPrefix(s, "_:") {
		return w.blank(s), nil
	}
	if err := checkIRI(s); err != nil {
		return domain.Term{}, err
	}
	return domain.NewIRI(normaliseIRI(s)), nil
}

func (w *tripleWriter) node(m map[string]any) (domain.Term, error) {
	subj, err := w.subject(m["@id"])
	if err != nil {
		return subj, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[k]
		switch k {
		case "@id", "@index":
			continue
		case "@type":
			types, _ := v.([]any)
			for _, t := range types {
				ts, _ := t.(string)
				o, err := w.subject(ts)
				if err != nil {
					return subj, fmt.Errorf("@type: %w", err)
				}
				w.out = append(w.out, domain.Triple{S: subj, P: domain.NewIRI(ontology.Type), O: o})
			}
			continue
		case "@graph", "@reverse", "@included":
			return subj, fmt.Errorf("%s is not supported inside an entity", k)
		}
		if strings.HasPrefix(k, "@") || strings.HasPrefix(k, "_:") {
			continue // keywords without triples; blank-node properties are not RDF
		}
		if err := checkIRI(k); err != nil {
			return subj, err
		}
		pred := domain.NewIRI(normaliseIRI(k))
		items, _ := v.([]any)
		for _, item := range items {
			o, ok, err := w.object(item)
			if err != nil {
				return subj, fmt.Errorf("%s: %w", k, err)
			}
			if ok {
				w.out = append(w.out, domain.Triple{S: subj, P: pred, O: o})
			}
		}
	}
	return subj, nil
}

// object converts one expanded value; ok is false for a null value.
func (w *tripleWriter) object(item any) (domain.Term, bool, error) {
	m, isMap := item.(map[string]any)
	if !isMap {
		return domain.Term{}, false, fmt.Errorf("unexpected value %v in expanded form", item)
	}
	if l, ok := m["@list"]; ok {
		t, err := w.list(l)
		return t, true, err
	}
	if v, ok := m["@value"]; ok {
		return literal(v, m)
	}
	t, err := w.node(m)
	return t, true, err
}

func (w *tripleWriter) list(l any) (domain.Term, error) {
	items, _ := l.([]any)
	if len(items) == 0 {
		return domain.NewIRI(ontology.RDFNil), nil
	}
	head := w.blank("")
	cell := head
	for i, item := range items {
		o, ok, err := w.object(item)
		if err != nil {
			return head, err
		}
		if ok {
			w.out = append(w.out, domain.Triple{S: cell, P: domain.NewIRI(ontology.RDFFirst), O: o})
		}
		rest := domain.NewIRI(ontology.RDFNil)
		if i < len(items)-1 {
			rest = w.blank("")
		}
		w.out = append(w.out, domain.Triple{S: cell, P: domain.NewIRI(ontology.RDFRest), O: rest})
		cell = rest
	}
	return head, nil
}

// literal converts a value object, with JSON-LD's canonical forms for
// native booleans and numbers.
func literal(v any, m map[string]any) (domain.Term, bool, error) {
	dt, _ := m["@type"].(string)
	lang, _ := m["@language"].(string)
	if dt == "@json" {
		b, err := json.Marshal(v)
		return domain.NewTyped(string(b), ontology.RDF+"JSON"), true, err
	}
	if dt != "" {
		if err := checkIRI(dt); err != nil {
			return domain.Term{}, false, fmt.Errorf("datatype: %w", err)
		}
		dt = normaliseIRI(dt)
	}
	switch x := v.(type) {
	case nil:
		return domain.Term{}, false, nil
	case bool:
		return domain.NewTyped(strconv.FormatBool(x), orDefault(dt, ontology.XSDBoolean)), true, nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e21 && dt != ontology.XSDDouble {
			return domain.NewTyped(strconv.FormatFloat(x, 'f', -1, 64), orDefault(dt, ontology.XSDInteger)), true, nil
		}
		return domain.NewTyped(canonicalDouble(x), orDefault(dt, ontology.XSDDouble)), true, nil
	case string:
		if lang != "" {
			return domain.NewLangString(x, lang), true, nil
		}
		return domain.NewTyped(x, orDefault(dt, ontology.XSDString)), true, nil
	}
	return domain.Term{}, false, fmt.Errorf("unsupported @value %v", v)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// canonicalDouble renders a double as XSD's canonical form (1.5E0).
func canonicalDouble(f float64) string {
	s := strconv.FormatFloat(f, 'E', -1, 64)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// checkIRI refuses what cannot be an absolute IRI: no scheme, or characters
// IRIs never contain.
func checkIRI(s string) error {
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return fmt.Errorf("%q is not an absolute IRI", s)
	}
	for i, r := range s {
		if i < colon && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return fmt.Errorf("%q is not an absolute IRI", s)
		}
		if r <= 0x20 || strings.ContainsRune("<>\"{}|\\^`", r) {
			return fmt.Errorf("%q is not a valid IRI (character %q)", s, r)
		}
	}
	return nil
}
