package opendata

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/rdfio"
	"github.com/trame-commun/trame/ontology"
)

// Prefixes are the namespace prefixes the Turtle and JSON-LD outputs
// declare: rdfio's, plus those of the catalogue vocabularies.
var Prefixes = append(append([]struct{ Prefix, NS string }{}, rdfio.Prefixes...),
	struct{ Prefix, NS string }{"foaf", "http://xmlns.com/foaf/0.1/"},
	struct{ Prefix, NS string }{"vcard", "http://www.w3.org/2006/vcard/ns#"},
	struct{ Prefix, NS string }{"sd", "http://www.w3.org/ns/sparql-service-description#"},
)

// tripleWriter serialises a stream of entities. begin is called once, then
// entity for each entity (its triples, and the named graph it belongs to:
// "" for the default graph), then end.
type tripleWriter interface {
	begin() error
	entity(graph string, triples []domain.Triple) error
	end() error
}

// newTripleWriter returns the writer of format name over w.
func newTripleWriter(name string, w io.Writer) (tripleWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch name {
	case "nq":
		return &lineWriter{w: bw, quads: true}, nil
	case "nt":
		return &lineWriter{w: bw}, nil
	case "ttl":
		return &turtleWriter{w: bw}, nil
	case "jsonld":
		return &jsonldWriter{w: bw}, nil
	}
	return nil, domain.Errorf("opendata", domain.KindNotAcceptable, "unsupported dump format %q; supported: %s", name, FormatNames())
}

// sortTriples orders triples by subject (IRIs before blank nodes), then
// rdf:type first, then predicate and object, so output is deterministic.
func sortTriples(ts []domain.Triple) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if a.S != b.S {
			if a.S.Kind != b.S.Kind {
				return a.S.Kind < b.S.Kind
			}
			return a.S.Value < b.S.Value
		}
		if (a.P.Value == ontology.Type) != (b.P.Value == ontology.Type) {
			return a.P.Value == ontology.Type
		}
		if a.P.Value != b.P.Value {
			return a.P.Value < b.P.Value
		}
		return a.O.String() < b.O.String()
	})
}

var blankSafe = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// scopeBlanks renames the blank nodes of one entity so that they are
// unique in a dump: x<hash of the entity IRI>_<label>. Two entities' _:b0
// stay distinct, and the labels are stable from one dump to the next.
func scopeBlanks(iri string, ts []domain.Triple) {
	h := fnv.New64a()
	h.Write([]byte(iri))
	prefix := "x" + strconv.FormatUint(h.Sum64(), 36) + "_"
	re := func(t domain.Term) domain.Term {
		if t.IsBlank() {
			t.Value = prefix + blankSafe.ReplaceAllString(t.Value, "_")
		}
		return t
	}
	for i := range ts {
		ts[i].S, ts[i].O = re(ts[i].S), re(ts[i].O)
	}
}

// lineWriter writes N-Triples, or N-Quads when quads is set.
type lineWriter struct {
	w     *bufio.Writer
	quads bool
	b     strings.Builder
}

func (l *lineWriter) begin() error { return nil }

func (l *lineWriter) entity(graph string, ts []domain.Triple) error {
	for _, t := range ts {
		l.b.Reset()
		domain.WriteNTerm(&l.b, t.S)
		l.b.WriteByte(' ')
		domain.WriteNTerm(&l.b, t.P)
		l.b.WriteByte(' ')
		domain.WriteNTerm(&l.b, t.O)
		if l.quads && graph != "" {
			l.b.WriteByte(' ')
			domain.WriteNTerm(&l.b, domain.NewIRI(graph))
		}
		l.b.WriteString(" .\n")
		if _, err := l.w.WriteString(l.b.String()); err != nil {
			return err
		}
	}
	return nil
}

func (l *lineWriter) end() error { return l.w.Flush() }

var localName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// compact returns prefix:local for iri when a declared prefix covers it
// with a simple local name, else "".
func compact(iri string) string {
	for _, p := range Prefixes {
		if local, ok := strings.CutPrefix(iri, p.NS); ok && localName.MatchString(local) {
			return p.Prefix + ":" + local
		}
	}
	return ""
}

// turtleWriter writes Turtle: the prefixes once, then one block per
// subject, entity after entity; nothing is held beyond one entity.
type turtleWriter struct {
	w *bufio.Writer
	b strings.Builder
}

func (t *turtleWriter) begin() error {
	for _, p := range Prefixes {
		if _, err := fmt.Fprintf(t.w, "@prefix %s: <%s> .\n", p.Prefix, p.NS); err != nil {
			return err
		}
	}
	return nil
}

func (t *turtleWriter) term(x domain.Term) {
	switch {
	case x.IsIRI():
		if c := compact(x.Value); c != "" {
			t.b.WriteString(c)
			return
		}
	case x.IsLiteral() && x.Lang == "" && x.Datatype != "" && x.Datatype != ontology.XSDString:
		t.b.WriteByte('"')
		domain.EscapeLiteral(&t.b, x.Value)
		t.b.WriteString(`"^^`)
		t.term(domain.NewIRI(x.Datatype))
		return
	}
	domain.WriteNTerm(&t.b, x)
}

func (t *turtleWriter) entity(_ string, ts []domain.Triple) error {
	t.b.Reset()
	for i, tr := range ts {
		switch {
		case i == 0 || tr.S != ts[i-1].S:
			if i > 0 {
				t.b.WriteString(" .\n")
			}
			t.b.WriteByte('\n')
			t.term(tr.S)
			t.b.WriteByte(' ')
		case tr.P == ts[i-1].P:
			t.b.WriteString(" ,\n        ")
		default:
			t.b.WriteString(" ;\n    ")
		}
		if i == 0 || tr.S != ts[i-1].S || tr.P != ts[i-1].P {
			if tr.P.Value == ontology.Type {
				t.b.WriteString("a ")
			} else {
				t.term(tr.P)
				t.b.WriteByte(' ')
			}
		}
		t.term(tr.O)
	}
	if len(ts) > 0 {
		t.b.WriteString(" .\n")
	}
	_, err := t.w.WriteString(t.b.String())
	return err
}

func (t *turtleWriter) end() error { return t.w.Flush() }

// jsonldWriter writes one JSON-LD document: an inline context of prefixes
// (nothing to fetch), and a top-level @graph of node objects in flattened
// form; the entities of a named graph are wrapped in {"@id": graph,
// "@graph": [...]}, which JSON-LD processors merge by graph name.
type jsonldWriter struct {
	w     *bufio.Writer
	first bool
}

// Context returns the inline context the JSON-LD outputs declare.
func Context() map[string]string {
	ctx := map[string]string{}
	for _, p := range Prefixes {
		ctx[p.Prefix] = p.NS
	}
	return ctx
}

func (j *jsonldWriter) begin() error {
	ctx, err := marshal(Context())
	if err != nil {
		return err
	}
	j.first = true
	_, err = fmt.Fprintf(j.w, "{\n\"@context\": %s,\n\"@graph\": [", ctx)
	return err
}

func (j *jsonldWriter) entity(graph string, ts []domain.Triple) error {
	nodes := nodeObjects(ts)
	var items []any
	if graph != "" {
		items = []any{map[string]any{"@id": graph, "@graph": nodes}}
	} else {
		items = nodes
	}
	for _, it := range items {
		b, err := marshal(it)
		if err != nil {
			return err
		}
		sep := ",\n"
		if j.first {
			sep, j.first = "\n", false
		}
		if _, err := j.w.WriteString(sep); err != nil {
			return err
		}
		if _, err := j.w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonldWriter) end() error {
	if _, err := j.w.WriteString("\n]\n}\n"); err != nil {
		return err
	}
	return j.w.Flush()
}

// marshal encodes v as compact JSON without HTML escaping.
func marshal(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}

// nodeObjects turns sorted triples into flattened JSON-LD node objects,
// one per subject, in subject order. Keys and types use the prefixes.
func nodeObjects(ts []domain.Triple) []any {
	var out []any
	var node *orderedNode
	for i, t := range ts {
		if i == 0 || t.S != ts[i-1].S {
			node = &orderedNode{id: t.S.Value}
			if t.S.IsBlank() {
				node.id = "_:" + t.S.Value
			}
			out = append(out, node)
		}
		if t.P.Value == ontology.Type && t.O.IsIRI() {
			node.types = append(node.types, compactOr(t.O.Value))
			continue
		}
		node.add(compactOr(t.P.Value), valueObject(t.O))
	}
	return out
}

func compactOr(iri string) string {
	if c := compact(iri); c != "" {
		return c
	}
	return iri
}

// valueObject renders an object term as JSON-LD.
func valueObject(o domain.Term) any {
	switch {
	case o.IsIRI():
		return map[string]string{"@id": o.Value}
	case o.IsBlank():
		return map[string]string{"@id": "_:" + o.Value}
	case o.Lang != "":
		return map[string]string{"@value": o.Value, "@language": o.Lang}
	case o.Datatype == "" || o.Datatype == ontology.XSDString:
		return o.Value
	}
	return map[string]string{"@value": o.Value, "@type": compactOr(o.Datatype)}
}

// orderedNode is a node object whose keys keep their insertion order.
type orderedNode struct {
	id    string
	types []string
	keys  []string
	vals  map[string][]any
}

func (n *orderedNode) add(key string, v any) {
	if n.vals == nil {
		n.vals = map[string][]any{}
	}
	if _, ok := n.vals[key]; !ok {
		n.keys = append(n.keys, key)
	}
	n.vals[key] = append(n.vals[key], v)
}

// MarshalJSON writes @id, @type, then the properties in order.
func (n *orderedNode) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	id, _ := marshal(n.id)
	b.WriteString(`{"@id":`)
	b.Write(id)
	if len(n.types) > 0 {
		ts, _ := marshal(n.types)
		b.WriteString(`,"@type":`)
		b.Write(ts)
	}
	for _, k := range n.keys {
		key, _ := marshal(k)
		vals, err := marshal(n.vals[k])
		if err != nil {
			return nil, err
		}
		b.WriteByte(',')
		b.Write(key)
		b.WriteByte(':')
		b.Write(vals)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}
