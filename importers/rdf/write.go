package rdf

import (
	"context"
	"fmt"
	"sort"
	"strconv"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// WriteChunk is how many entities one write to the sink carries.
const WriteChunk = 500

// fileIndex remembers, for every entity of the file, what validation asks
// about other entities (types, level number, prerequisites), so an entity
// may refer to one that comes later in the file, and whether it is written.
// It is the importer's only memory that grows with the file: one entry per
// entity (not per statement), type IRIs interned.
type fileIndex struct {
	entries map[string]*indexEntry
	intern  map[string]string
}

type indexEntry struct {
	types   []string
	prereqs []string
	level   int
	line    int  // where a deferred entity starts
	done    bool // written, or found unchanged
}

func newFileIndex() *fileIndex {
	return &fileIndex{entries: map[string]*indexEntry{}, intern: map[string]string{}}
}

func (x *fileIndex) entry(iri string) *indexEntry {
	e := x.entries[iri]
	if e == nil {
		e = &indexEntry{}
		x.entries[iri] = e
	}
	return e
}

func (x *fileIndex) note(st Statement) {
	switch {
	case st.P.Value == ontology.Type && st.O.IsIRI():
		t, ok := x.intern[st.O.Value]
		if !ok {
			t = st.O.Value
			x.intern[t] = t
		}
		e := x.entry(st.S.Value)
		e.types = append(e.types, t)
	case st.P.Value == ontology.LevelNumber && st.O.IsLiteral():
		x.entry(st.S.Value).level, _ = strconv.Atoi(st.O.Value)
	case st.P.Value == ontology.Prerequisite && st.O.IsIRI():
		e := x.entry(st.S.Value)
		e.prereqs = append(e.prereqs, st.O.Value)
	}
}

// entity reports whether iri is an entity of the file (it has a type).
func (x *fileIndex) entity(iri string) *indexEntry {
	if e := x.entries[iri]; e != nil && len(e.types) > 0 {
		return e
	}
	return nil
}

// fileLookup answers from the file first, then from the sink.
type fileLookup struct {
	x    *fileIndex
	base domain.Lookup
}

func (l fileLookup) TypesOf(iri string) []string {
	if e := l.x.entity(iri); e != nil {
		if t := trameTypes(e.types); len(t) > 0 {
			return t
		}
	}
	return l.base.TypesOf(iri)
}

func (l fileLookup) LevelNumber(iri string) int {
	if e := l.x.entity(iri); e != nil && e.level != 0 {
		return e.level
	}
	return l.base.LevelNumber(iri)
}

func (l fileLookup) Prerequisites(iri string) []string {
	if e := l.x.entity(iri); e != nil && e.prereqs != nil {
		return e.prereqs
	}
	return l.base.Prerequisites(iri)
}

// writer validates and writes the entities of the file. An entity that
// refers (through a property whose shape requires a known entity of some
// class) to an entity of the file not written yet waits in a deferred file
// until a later pass: the partition spreads entities at random, and the
// store validates each write against what it holds.
type writer struct {
	im          *importer
	v           *domain.Validator
	look        domain.Lookup
	constrained map[string]bool // predicates whose shapes require a known target
	done        int             // entities of the file written or found unchanged
	deferred    *spillFile
	files       int
}

func newWriter(im *importer) (*writer, error) {
	v, err := domain.NewValidator()
	if err != nil {
		return nil, err
	}
	shapes, err := ontology.LoadShapes()
	if err != nil {
		return nil, err
	}
	w := &writer{im: im, v: v, look: fileLookup{x: im.index, base: im.opts.Sink.Lookup()},
		constrained: map[string]bool{}}
	for _, ns := range shapes.ByID {
		for _, ps := range ns.Properties {
			if ps.Class != "" {
				w.constrained[ps.Path] = true
			}
		}
	}
	return w, w.newDeferred()
}

// ready reports whether every entity of the file that e needs is written
// or in avail.
func (w *writer) ready(e *domain.Entity, avail map[string]bool) bool {
	for _, t := range e.Triples {
		if !t.O.IsIRI() || !w.constrained[t.P.Value] || t.O.Value == e.IRI || avail[t.O.Value] {
			continue
		}
		if target := w.im.index.entity(t.O.Value); target != nil && !target.done {
			return false
		}
	}
	return true
}

// order sorts ents so that each comes after the entities of the file it
// needs, and returns apart those whose needs are neither written nor among
// ents.
func (w *writer) order(ents []*entity) (ordered, waiting []*entity) {
	avail := map[string]bool{}
	pending := ents
	for len(pending) > 0 {
		var next []*entity
		for _, en := range pending {
			if w.ready(en.e, avail) {
				ordered = append(ordered, en)
				avail[en.e.IRI] = true
			} else {
				next = append(next, en)
			}
		}
		if len(next) == len(pending) {
			return ordered, next
		}
		pending = next
	}
	return ordered, nil
}

// defer spills an entity to the deferred file.
func (w *writer) defer1(en *entity) error {
	w.im.index.entry(en.e.IRI).line = en.line
	for _, t := range en.e.Triples {
		if err := w.deferred.add(record{Root: en.e.IRI, St: Statement{S: t.S, P: t.P, O: t.O, Line: en.line}}); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) newDeferred() error {
	w.files++
	f, err := newSpillFile(w.im.dir, fmt.Sprintf("deferred-%d", w.files))
	w.deferred = f
	return err
}

// prepare keeps the source of the entity (void:inDataset) and turns the
// types that are not Trame classes into schema:additionalType, then
// returns every reason the entity cannot be stored.
func (w *writer) prepare(en *entity, batch domain.Lookup) []domain.FieldError {
	e := en.e
	graphs := en.graphs
	if w.im.opts.Graph != "" {
		graphs = []string{w.im.opts.Graph}
	}
	for _, g := range graphs {
		e.Triples = append(e.Triples, domain.Triple{S: domain.NewIRI(e.IRI), P: domain.NewIRI(ontology.InDataset), O: domain.NewIRI(g)})
	}
	keep := trameTypes(e.Types)
	if len(keep) == 0 {
		return []domain.FieldError{{Path: "@type", Message: fmt.Sprintf("not an entity Trame stores (%s): Trame stores entities typed with one of its classes (see /ns)", shorten(e.Types))}}
	}
	if len(keep) < len(e.Types) {
		out := e.Triples[:0]
		for _, t := range e.Triples {
			if t.S.IsIRI() && t.S.Value == e.IRI && t.P.Value == ontology.Type && !ontology.IsClass(t.O.Value) {
				t.P = domain.NewIRI(ontology.Schema + "additionalType")
			}
			out = append(out, t)
		}
		e.Triples, e.Types = out, keep
	}
	return w.v.Validate(e, batch, "en")
}

// check is the strict mode's first pass: it stops at the first invalid
// entity, before anything is written.
func (w *writer) check(_ context.Context, ents []*entity) error {
	batch := domain.Overlay(w.look, entitiesOf(ents), nil)
	for _, en := range ents {
		if errs := w.prepare(en, batch); len(errs) > 0 {
			return &domain.Error{Op: "rdf.Import", Kind: domain.KindInvalid,
				Message: fmt.Sprintf("line %d: %s does not satisfy Trame's shapes; the file was refused, nothing was written", en.line, en.e.IRI), Fields: errs}
		}
	}
	return nil
}

// write validates a bucket's entities, reports the invalid ones, skips the
// unchanged ones and writes the rest.
func (w *writer) write(ctx context.Context, ents []*entity) error {
	rep := w.im.rep
	rep.Entities += len(ents)
	batch := domain.Overlay(w.look, entitiesOf(ents), nil)
	var valid []*entity
	for _, en := range ents {
		if errs := w.prepare(en, batch); len(errs) > 0 {
			rep.Rejected++
			rep.addError(en.line, en.e.IRI, describe(errs))
			continue
		}
		valid = append(valid, en)
	}
	ordered, waiting := w.order(valid)
	for _, en := range waiting {
		if err := w.defer1(en); err != nil {
			return err
		}
	}
	return w.writeAll(ctx, ordered)
}

// writeAll writes entities in chunks.
func (w *writer) writeAll(ctx context.Context, valid []*entity) error {
	for len(valid) > 0 {
		n := min(WriteChunk, len(valid))
		if err := w.writeChunk(ctx, valid[:n]); err != nil {
			return err
		}
		valid = valid[n:]
	}
	return nil
}

// writeChunk writes what changed; entities the sink refuses (they refer to
// entities of the file not written yet) are deferred.
func (w *writer) writeChunk(ctx context.Context, chunk []*entity) error {
	iris := make([]string, len(chunk))
	for i, en := range chunk {
		iris[i] = en.e.IRI
	}
	stored, err := sink.GetMany(ctx, w.im.opts.Sink, iris, sink.RemotePageIRIs)
	if err != nil {
		return err
	}
	var puts []*domain.Entity
	byIRI := map[string]*entity{}
	for _, en := range chunk {
		if sink.Same(stored[en.e.IRI], en.e, nil) {
			w.im.rep.Unchanged++
			w.markDone(en.e.IRI)
			continue
		}
		puts = append(puts, en.e)
		byIRI[en.e.IRI] = en
	}
	if len(puts) == 0 {
		return nil
	}
	// The entities were validated against the file and the store: the whole
	// chunk normally goes in one write. When the store refuses it (it changed
	// meanwhile), the partial write keeps the valid ones.
	res, err := w.im.opts.Sink.Apply(ctx, sink.Batch{Puts: puts})
	if domain.IsKind(err, domain.KindInvalid) {
		res, err = w.im.opts.Sink.Apply(ctx, sink.Batch{Puts: puts, Partial: true})
	} else if err == nil {
		res.Written = len(puts)
	}
	if err != nil {
		return err
	}
	w.im.rep.Written += res.Written
	refused := map[string]bool{}
	for _, rej := range res.Rejected {
		refused[rej.IRI] = true
		if err := w.defer1(byIRI[rej.IRI]); err != nil {
			return err
		}
	}
	for _, e := range puts {
		if !refused[e.IRI] {
			w.markDone(e.IRI)
		}
	}
	return nil
}

func (w *writer) markDone(iri string) {
	w.im.index.entry(iri).done = true
	w.done++
}

// retryDeferred writes the deferred entities again until a pass writes
// none; what remains is reported (and, in strict mode, fails the import).
func (w *writer) retryDeferred(ctx context.Context) error {
	for w.deferred.n > 0 {
		before := w.done
		cur := w.deferred
		if err := w.newDeferred(); err != nil {
			return err
		}
		var chunk []*entity
		var last *entity
		flush := func() error {
			ordered, waiting := w.order(chunk)
			chunk = nil
			for _, en := range waiting {
				if err := w.defer1(en); err != nil {
					return err
				}
			}
			return w.writeAll(ctx, ordered)
		}
		err := cur.each(func(rec record) error {
			if last == nil || last.e.IRI != rec.Root {
				if len(chunk) >= WriteChunk {
					if err := flush(); err != nil {
						return err
					}
				}
				last = &entity{e: &domain.Entity{IRI: rec.Root}, line: rec.St.Line}
				chunk = append(chunk, last)
			}
			t := domain.Triple{S: rec.St.S, P: rec.St.P, O: rec.St.O}
			last.e.Triples = append(last.e.Triples, t)
			if t.S.IsIRI() && t.S.Value == rec.Root && t.P.Value == ontology.Type {
				last.e.Types = append(last.e.Types, t.O.Value)
			}
			return nil
		})
		if err == nil && len(chunk) > 0 {
			err = flush()
		}
		if err != nil {
			return err
		}
		if w.done == before {
			return w.giveUp(ctx)
		}
	}
	return nil
}

// giveUp writes the entities still waiting together, which resolves
// references in a cycle, and reports those the store still refuses.
func (w *writer) giveUp(ctx context.Context) error {
	var ents []*domain.Entity
	err := w.deferred.each(func(rec record) error {
		if len(ents) == 0 || ents[len(ents)-1].IRI != rec.Root {
			ents = append(ents, &domain.Entity{IRI: rec.Root})
		}
		e := ents[len(ents)-1]
		e.Triples = append(e.Triples, domain.Triple{S: rec.St.S, P: rec.St.P, O: rec.St.O})
		if rec.St.S.IsIRI() && rec.St.S.Value == rec.Root && rec.St.P.Value == ontology.Type {
			e.Types = append(e.Types, rec.St.O.Value)
		}
		return nil
	})
	w.deferred.n = 0
	if err != nil || len(ents) == 0 {
		return err
	}
	res, err := w.im.opts.Sink.Apply(ctx, sink.Batch{Puts: ents, Partial: true})
	if err != nil {
		return err
	}
	w.im.rep.Written += res.Written
	rejected := res.Rejected
	line := func(iri string) int { return w.im.index.entry(iri).line }
	sort.Slice(rejected, func(i, j int) bool { return line(rejected[i].IRI) < line(rejected[j].IRI) })
	for _, r := range rejected {
		w.im.rep.Rejected++
		w.im.rep.addError(line(r.IRI), r.IRI, describe(r.Errors))
	}
	if w.im.opts.Strict && len(rejected) > 0 {
		return domain.Errorf("rdf.Import", domain.KindInvalid, "%d entities could not be written (they refer to entities that are invalid or missing); the rest of the file was written", len(rejected))
	}
	return nil
}

// datasets creates a dataset entity for each named source that the store
// and the file lack.
func (w *writer) datasets(ctx context.Context) error {
	var iris []string
	for g := range w.im.graphs {
		if w.im.index.entity(g) == nil {
			iris = append(iris, g)
		}
	}
	sort.Strings(iris)
	if len(iris) == 0 {
		return nil
	}
	stored, err := sink.GetMany(ctx, w.im.opts.Sink, iris, sink.RemotePageIRIs)
	if err != nil {
		return err
	}
	var puts []*domain.Entity
	for _, g := range iris {
		if stored[g] == nil {
			b := build.New(g, ontology.Dataset)
			b.Root().Str(ontology.Name, "Source "+g).Str(ontology.Description, "Named graph of an RDF file imported with trame import.")
			puts = append(puts, b.Entity())
		}
	}
	if len(puts) == 0 {
		return nil
	}
	_, err = w.im.opts.Sink.Apply(ctx, sink.Batch{Puts: puts})
	return err
}

func entitiesOf(ents []*entity) []*domain.Entity {
	out := make([]*domain.Entity, len(ents))
	for i, en := range ents {
		out[i] = en.e
	}
	return out
}

func describe(errs []domain.FieldError) string {
	s := ""
	for i, f := range errs {
		if i > 0 {
			s += "; "
		}
		s += f.Path + ": " + f.Message
	}
	return s
}
