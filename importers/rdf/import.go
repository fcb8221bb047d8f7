package rdf

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trame-commun/trame/importers/rdf/extsort"
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

// SortBudget is the memory the importer's sorted files fill before they
// spill to disk: the statements get all of it, the blank nodes and the
// index facts a quarter each.
const SortBudget = 16 << 20

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
	// Size is the input size in bytes when known (0 otherwise): the total
	// of the reading phase's progress.
	Size int64
	// SortBudget overrides the package's SortBudget when positive (tests
	// use a small one to exercise the spilling).
	SortBudget int
	TempDir    string       // where the sorted files live; os.TempDir() when empty
	Log        func(string) // messages between phases; may be nil
	Progress   Progress     // follows each phase; may be nil
}

// Progress follows the phases of an import: Begin starts one with its
// total (bytes while reading, statements while checking and writing; 0
// when unknown) and unit ("bytes" or "statements"), Add advances it, End
// closes it. The importer calls it from one goroutine.
type Progress interface {
	Begin(phase string, total int64, unit string)
	Add(n int64)
	End()
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
//
// The file is streamed: pass 1 parses it into sorted files on disk (the
// statements by the entity they belong to, the statements about blank
// nodes, the facts validation asks about other entities); pass 2 hands the
// statements about blank nodes to their entity; pass 3 reads the entities
// in IRI order and validates and writes them in chunks, an entity whose
// referenced entities of the file are not written yet waiting in a
// deferred file for a later pass. Memory does not follow the size of the
// file (docs/importers.md, BENCHMARKS.md).
func Import(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	start := time.Now()
	if opts.SortBudget <= 0 {
		opts.SortBudget = SortBudget
	}
	im := &importer{opts: opts, rep: &Report{Errors: []ErrorLine{}}}
	err := im.run(ctx, r)
	sort.SliceStable(im.rep.Errors, func(i, j int) bool { return im.rep.Errors[i].Line < im.rep.Errors[j].Line })
	im.rep.Seconds = time.Since(start).Seconds()
	return im.rep, err
}

type importer struct {
	opts   Options
	rep    *Report
	dir    string
	stmts  *extsort.Sorter // root IRI → statement
	facts  *extsort.Sorter // IRI → fact
	blanks *blanks
	sorted *extsort.File // the statements by root, once sorted
	index  *fileIndex
	graphs *graphSet
	enc    []byte
}

func (im *importer) log(format string, args ...any) {
	if im.opts.Log != nil {
		im.opts.Log(fmt.Sprintf(format, args...))
	}
}

func (im *importer) begin(phase string, total int64, unit string) {
	if im.opts.Progress != nil {
		im.opts.Progress.Begin(phase, total, unit)
	}
}

func (im *importer) advance(n int64) {
	if im.opts.Progress != nil {
		im.opts.Progress.Add(n)
	}
}

func (im *importer) end() {
	if im.opts.Progress != nil {
		im.opts.Progress.End()
	}
}

func (im *importer) run(ctx context.Context, r io.Reader) error {
	dir, err := os.MkdirTemp(im.opts.TempDir, "trame-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	im.dir = dir
	budget := im.opts.SortBudget
	im.stmts = extsort.NewSorter(dir, "statements", budget)
	im.facts = extsort.NewSorter(dir, "facts", budget/4)
	im.blanks = newBlanks(dir, budget/4)
	im.graphs = newGraphSet(dir, budget/4)
	if im.opts.Graph != "" {
		if err := im.graphs.add(im.opts.Graph); err != nil {
			return err
		}
	}
	defer im.index.close()
	if err := im.read(ctx, r); err != nil {
		return err
	}
	if err := im.sort(ctx); err != nil {
		return err
	}
	w, err := newWriter(im)
	if err != nil {
		return err
	}
	if im.opts.Strict {
		if err := im.pass(ctx, "checking", im.sorted, w.check); err != nil {
			return err
		}
	}
	if err := w.datasets(ctx); err != nil {
		return err
	}
	if err := im.pass(ctx, "writing", im.sorted, w.write); err != nil {
		return err
	}
	im.sorted.Remove() // the deferred passes read their own file: free the disk
	if err := w.retryDeferred(ctx); err != nil {
		return err
	}
	return im.index.err
}

// sort attaches the statements about blank nodes to their entities and
// sorts the statements and the index.
func (im *importer) sort(ctx context.Context) error {
	err := im.blanks.attach(ctx, im.dir, func(root string, st Statement, enc []byte) error {
		if root == "" {
			im.rep.addError(st.Line, "", "a statement about a blank node no entity refers to: skipped")
			return nil
		}
		return im.stmts.Add(root, enc)
	})
	if err != nil {
		return err
	}
	runs := im.stmts.Runs()
	if im.sorted, err = im.stmts.Sort(ctx); err != nil {
		return err
	}
	if im.index, err = buildIndex(ctx, im.facts, im.dir); err != nil {
		return err
	}
	im.log("sorted %d statements (%d runs spilled to disk) and indexed %d subjects", im.sorted.Len(), runs, im.index.tab.Len())
	return nil
}

// read parses the input into the sorted files: each statement under its
// subject when the subject is an IRI, among the blank nodes' otherwise.
func (im *importer) read(ctx context.Context, r io.Reader) error {
	im.begin("reading", im.opts.Size, "bytes")
	defer im.end()
	r = &countingReader{r: r, add: im.advance}
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
	if err == nil {
		im.log("read %d statements", im.rep.Statements)
	}
	return err
}

func (im *importer) spill(st Statement) error {
	if err := im.blanks.note(st); err != nil {
		return err
	}
	if im.opts.Graph == "" && st.Graph != "" {
		if err := im.graphs.add(st.Graph); err != nil {
			return err
		}
	}
	im.enc = appendStatement(im.enc[:0], st)
	if !st.S.IsIRI() {
		return im.blanks.stmts.Add(st.S.Value, im.enc)
	}
	if kind, value, ok := factOf(st); ok {
		if err := im.facts.Add(st.S.Value, appendFact(nil, kind, value)); err != nil {
			return err
		}
	}
	return im.stmts.Add(st.S.Value, im.enc)
}

// graphSet gathers the named graphs of the file in a sorted file, the
// most recent ones kept in memory so that each is written about once.
type graphSet struct {
	sorter *extsort.Sorter
	recent map[string]bool
}

func newGraphSet(dir string, budget int) *graphSet {
	return &graphSet{sorter: extsort.NewSorter(dir, "graphs", budget), recent: map[string]bool{}}
}

func (g *graphSet) add(iri string) error {
	if g.recent[iri] {
		return nil
	}
	if len(g.recent) >= RecentEntries {
		clear(g.recent)
	}
	g.recent[iri] = true
	return g.sorter.Add(iri, nil)
}

// sorted returns the graphs in order; one may come more than once.
func (g *graphSet) sorted(ctx context.Context) (*extsort.File, error) { return g.sorter.Sort(ctx) }

// countingReader reports the bytes read.
type countingReader struct {
	r   io.Reader
	add func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.add(int64(n))
	return n, err
}

// pass reads the entities of a sorted file of statements in IRI order and
// hands them to fn in chunks of WriteChunk.
func (im *importer) pass(ctx context.Context, phase string, f *extsort.File, fn func(context.Context, []*entity) error) error {
	return im.eachChunk(ctx, phase, f, WriteChunk, fn)
}

// eachChunk reads the entities of a sorted file of statements in IRI order
// and hands them to fn size at a time.
func (im *importer) eachChunk(ctx context.Context, phase string, f *extsort.File, size int, fn func(context.Context, []*entity) error) error {
	im.begin(phase, f.Len(), "statements")
	defer im.end()
	var chunk []*entity
	var cur *entity
	flush := func() error {
		if cur != nil {
			cur.finish()
			chunk = append(chunk, cur)
			im.advance(int64(cur.statements))
			cur = nil
		}
		if len(chunk) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		err := fn(ctx, chunk)
		chunk = nil
		return err
	}
	err := f.Each(func(root string, enc []byte) error {
		st, err := parseStatement(enc)
		if err != nil {
			return err
		}
		if cur != nil && cur.e.IRI != root {
			cur.finish()
			chunk = append(chunk, cur)
			im.advance(int64(cur.statements))
			cur = nil
			if len(chunk) >= size {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if cur == nil {
			cur = newEntity(root, st.Line)
		}
		cur.add(st)
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// entity is an entity assembled from the file, with where it starts and
// the named graphs its statements were in.
type entity struct {
	e          *domain.Entity
	line       int
	graphs     []string
	statements int
}

func newEntity(iri string, line int) *entity {
	return &entity{e: &domain.Entity{IRI: iri}, line: line}
}

// add adds a statement read from the file to the entity.
func (en *entity) add(st Statement) {
	en.statements++
	en.line = min(en.line, st.Line)
	t := domain.Triple{S: st.S, P: st.P, O: st.O}
	en.e.Triples = append(en.e.Triples, t)
	if t.S.IsIRI() && t.S.Value == en.e.IRI && t.P.Value == ontology.Type && t.O.IsIRI() {
		en.e.Types = append(en.e.Types, t.O.Value)
	}
	if st.Graph != "" && !slices.Contains(en.graphs, st.Graph) {
		en.graphs = append(en.graphs, st.Graph)
	}
}

// finish removes repeated statements and types and sorts the graphs.
func (en *entity) finish() {
	en.e.Triples = dedupe(en.e.Triples)
	en.e.Types = dedupeStrings(en.e.Types)
	sort.Strings(en.graphs)
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
