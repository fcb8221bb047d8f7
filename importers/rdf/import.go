package rdf

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Format is an input syntax.
type Format string

// Input syntaxes.
const (
	NQuads Format = "nquads" // N-Quads and N-Triples
	Turtle Format = "turtle"
	JSONLD Format = "jsonld"
)

// MaxReportedErrors bounds the errors a report lists; the rest are counted.
const MaxReportedErrors = 1000

// Options configure an import.
type Options struct {
	Format Format
	Sink   sink.Sink
	Codec  domain.Codec // reads JSON-LD
	// Graph, when set, names the source of every entity of the file: each
	// gets void:inDataset Graph (a dataset entity is created if missing).
	// Without it, the graph labels of N-Quads do the same.
	Graph string
	// Strict refuses the whole file at the first error: nothing is written
	// unless every statement parses and every entity is valid.
	Strict bool
	Base   string // base IRI of relative IRIs in Turtle; the sink's when empty
	// Size is the input size in bytes when known; it sets the partition.
	Size    int64
	TempDir string       // where the partition lives; os.TempDir() when empty
	Log     func(string) // progress messages; may be nil
}

// Report says what an import did.
type Report struct {
	Statements int         `json:"statements"`
	Entities   int         `json:"entities"`
	Written    int         `json:"written"`
	Unchanged  int         `json:"unchanged"`
	Rejected   int         `json:"rejected"`
	Errors     []ErrorLine `json:"errors"`
	MoreErrors int         `json:"moreErrors,omitempty"`
	Seconds    float64     `json:"seconds"`
}

// ErrorLine is one reported problem: where (line, and the entity when the
// problem is an entity's) and what.
type ErrorLine struct {
	Line    int    `json:"line"`
	IRI     string `json:"iri,omitempty"`
	Message string `json:"message"`
}

func (r *Report) addError(line int, iri, msg string) {
	if len(r.Errors) >= MaxReportedErrors {
		r.MoreErrors++
		return
	}
	r.Errors = append(r.Errors, ErrorLine{Line: line, IRI: iri, Message: msg})
}

// Import reads a file and writes its entities. In strict mode the first
// error returns a *domain.Error (KindInvalid) naming its line and nothing is
// written; otherwise valid entities are written and the others reported.
func Import(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	start := time.Now()
	im := &importer{opts: opts, rep: &Report{Errors: []ErrorLine{}}, owner: map[string]string{},
		index: newFileIndex(), graphs: map[string]bool{}}
	if opts.Graph != "" {
		im.graphs[opts.Graph] = true
	}
	err := im.run(ctx, r)
	sort.SliceStable(im.rep.Errors, func(i, j int) bool { return im.rep.Errors[i].Line < im.rep.Errors[j].Line })
	im.rep.Seconds = time.Since(start).Seconds()
	return im.rep, err
}

type importer struct {
	opts   Options
	rep    *Report
	dir    string
	part   *partition
	blanks *spillFile
	owner  map[string]string // blank label → what refers to it ("I"+iri or "B"+label)
	index  *fileIndex
	graphs map[string]bool
}

func (im *importer) log(format string, args ...any) {
	if im.opts.Log != nil {
		im.opts.Log(fmt.Sprintf(format, args...))
	}
}

func (im *importer) run(ctx context.Context, r io.Reader) error {
	dir, err := os.MkdirTemp(im.opts.TempDir, "trame-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	im.dir = dir
	if im.part, err = newPartition(dir, bucketCount(im.opts.Size)); err != nil {
		return err
	}
	defer im.part.discard()
	if im.blanks, err = newSpillFile(dir, "blank"); err != nil {
		return err
	}
	if err := im.read(ctx, r); err != nil {
		return err
	}
	im.log("read %d statements into %d buckets", im.rep.Statements, len(im.part.buckets))
	if err := im.attachBlanks(); err != nil {
		return err
	}
	w, err := newWriter(im)
	if err != nil {
		return err
	}
	if im.opts.Strict {
		if err := im.eachBucket(ctx, w.check); err != nil {
			return err
		}
	}
	if err := w.datasets(ctx); err != nil {
		return err
	}
	if err := im.eachBucket(ctx, w.write); err != nil {
		return err
	}
	return w.retryDeferred(ctx)
}

// read parses the input and spills each statement: to its subject's bucket
// when the subject is an IRI, to the blank file otherwise.
func (im *importer) read(ctx context.Context, r io.Reader) error {
	keepGoing := !im.opts.Strict
	onErr := func(line int, err error) {
		msg := err.Error()
		if le, ok := err.(*LineError); ok {
			msg = le.Err.Error()
		}
		im.rep.addError(line, "", msg)
	}
	fn := func(st Statement) error {
		im.rep.Statements++
		if im.rep.Statements%100000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			im.log("%d statements read", im.rep.Statements)
		}
		return im.spill(st)
	}
	var err error
	switch im.opts.Format {
	case NQuads:
		err = ReadNQuads(r, keepGoing, fn, onErr)
	case Turtle:
		base := im.opts.Base
		if base == "" {
			base = im.opts.Sink.BaseIRI()
		}
		err = ReadTurtle(r, base, keepGoing, fn, onErr)
	case JSONLD:
		err = ReadJSONLD(r, im.opts.Codec, keepGoing, fn, onErr)
	default:
		return domain.Errorf("rdf.Import", domain.KindInvalid, "unknown format %q (nquads, turtle or jsonld)", im.opts.Format)
	}
	if le, ok := err.(*LineError); ok {
		return &domain.Error{Op: "rdf.Import", Kind: domain.KindInvalid, Message: "the file was refused, nothing was written",
			Fields: []domain.FieldError{{Path: "line " + strconv.Itoa(le.Line), Message: le.Err.Error()}}}
	}
	return err
}

func (im *importer) spill(st Statement) error {
	if st.O.IsBlank() {
		if _, seen := im.owner[st.O.Value]; !seen {
			if st.S.IsIRI() {
				im.owner[st.O.Value] = "I" + st.S.Value
			} else {
				im.owner[st.O.Value] = "B" + st.S.Value
			}
		}
	}
	if im.opts.Graph == "" && st.Graph != "" {
		im.graphs[st.Graph] = true
	}
	if !st.S.IsIRI() {
		return im.blanks.add(record{St: st})
	}
	im.index.note(st)
	return im.part.add(record{Root: st.S.Value, St: st})
}

// attachBlanks moves the statements about blank nodes to the bucket of the
// entity that (directly or through other blank nodes) refers to them.
func (im *importer) attachBlanks() error {
	return im.blanks.each(func(rec record) error {
		root := im.root(rec.St.S.Value)
		if root == "" {
			im.rep.addError(rec.St.Line, "", "a statement about a blank node no entity refers to: skipped")
			return nil
		}
		rec.Root = root
		return im.part.add(rec)
	})
}

// root follows the owners of a blank node up to an IRI, or "".
func (im *importer) root(label string) string {
	for depth := 0; depth < 64; depth++ {
		o, ok := im.owner[label]
		if !ok {
			return ""
		}
		if o[0] == 'I' {
			return o[1:]
		}
		label = o[1:]
	}
	return ""
}

// eachBucket reads the buckets in turn, assembles their entities and hands
// them to fn. Buckets are re-read by every pass (strict mode checks then
// writes), so each is read from a copy kept until the import ends.
func (im *importer) eachBucket(ctx context.Context, fn func(context.Context, []*entity) error) error {
	for i, b := range im.part.buckets {
		if err := ctx.Err(); err != nil {
			return err
		}
		ents, err := im.readBucket(b, i)
		if err != nil {
			return err
		}
		if err := fn(ctx, ents); err != nil {
			return err
		}
	}
	return nil
}

// entity is an entity assembled from the file, with where it starts.
type entity struct {
	e      *domain.Entity
	line   int
	graphs []string
}

// readBucket assembles the entities of a bucket. The bucket file is kept
// (re-opened) so it can be read again.
func (im *importer) readBucket(b *spillFile, i int) ([]*entity, error) {
	if err := b.w.Flush(); err != nil {
		return nil, err
	}
	f, err := os.Open(b.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byRoot := map[string]*entity{}
	var order []string
	graphs := map[string]map[string]bool{}
	br := bufio.NewReaderSize(f, 64<<10)
	for {
		rec, err := readRecord(br)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading bucket %d: %w", i, err)
		}
		en := byRoot[rec.Root]
		if en == nil {
			en = &entity{e: &domain.Entity{IRI: rec.Root}, line: rec.St.Line}
			byRoot[rec.Root] = en
			order = append(order, rec.Root)
			graphs[rec.Root] = map[string]bool{}
		}
		en.line = min(en.line, rec.St.Line)
		t := domain.Triple{S: rec.St.S, P: rec.St.P, O: rec.St.O}
		en.e.Triples = append(en.e.Triples, t)
		if t.S.IsIRI() && t.S.Value == rec.Root && t.P.Value == ontology.Type && t.O.IsIRI() {
			en.e.Types = append(en.e.Types, t.O.Value)
		}
		if rec.St.Graph != "" {
			graphs[rec.Root][rec.St.Graph] = true
		}
	}
	sort.Strings(order)
	out := make([]*entity, 0, len(order))
	for _, iri := range order {
		en := byRoot[iri]
		en.e.Triples = dedupe(en.e.Triples)
		en.e.Types = dedupeStrings(en.e.Types)
		for g := range graphs[iri] {
			en.graphs = append(en.graphs, g)
		}
		sort.Strings(en.graphs)
		out = append(out, en)
	}
	return out, nil
}

func dedupe(ts []domain.Triple) []domain.Triple {
	seen := map[domain.Triple]bool{}
	out := ts[:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

func dedupeStrings(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// trameTypes returns the types of e that are Trame classes.
func trameTypes(types []string) []string {
	var out []string
	for _, t := range types {
		if ontology.IsClass(t) {
			out = append(out, t)
		}
	}
	return out
}

func shorten(types []string) string {
	if len(types) == 0 {
		return "no rdf:type"
	}
	return "rdf:type " + strings.Join(types, ", ")
}
