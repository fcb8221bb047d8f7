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
// about other entities (types, level numbers, prerequisites), so an entity
// may refer to one that comes later in the file.
type fileIndex struct {
	types   map[string][]string
	levels  map[string]int
	prereqs map[string][]string
}

func newFileIndex() *fileIndex {
	return &fileIndex{types: map[string][]string{}, levels: map[string]int{}, prereqs: map[string][]string{}}
}

func (x *fileIndex) note(st Statement) {
	switch {
	case st.P.Value == ontology.Type && st.O.IsIRI():
		x.types[st.S.Value] = append(x.types[st.S.Value], st.O.Value)
	case st.P.Value == ontology.LevelNumber && st.O.IsLiteral():
		x.levels[st.S.Value], _ = strconv.Atoi(st.O.Value)
	case st.P.Value == ontology.Prerequisite && st.O.IsIRI():
		x.prereqs[st.S.Value] = append(x.prereqs[st.S.Value], st.O.Value)
	}
}

// fileLookup answers from the file first, then from the sink.
type fileLookup struct {
	x    *fileIndex
	base domain.Lookup
}

func (l fileLookup) TypesOf(iri string) []string {
	if t := trameTypes(l.x.types[iri]); len(t) > 0 {
		return t
	}
	return l.base.TypesOf(iri)
}

func (l fileLookup) LevelNumber(iri string) int {
	if n, ok := l.x.levels[iri]; ok {
		return n
	}
	return l.base.LevelNumber(iri)
}

func (l fileLookup) Prerequisites(iri string) []string {
	if p, ok := l.x.prereqs[iri]; ok {
		return p
	}
	return l.base.Prerequisites(iri)
}

// writer validates and writes the entities of the file, deferring those
// that refer to entities not written yet.
type writer struct {
	im       *importer
	v        *domain.Validator
	look     domain.Lookup
	deferred *spillFile
	lines    map[string]int // line of each deferred entity
	files    int
}

func newWriter(im *importer) (*writer, error) {
	v, err := domain.NewValidator()
	if err != nil {
		return nil, err
	}
	w := &writer{im: im, v: v, look: fileLookup{x: im.index, base: im.opts.Sink.Lookup()}, lines: map[string]int{}}
	return w, w.newDeferred()
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
			continue
		}
		puts = append(puts, en.e)
		byIRI[en.e.IRI] = en
	}
	if len(puts) == 0 {
		return nil
	}
	res, err := w.im.opts.Sink.Apply(ctx, sink.Batch{Puts: puts, Partial: true})
	if err != nil {
		return err
	}
	w.im.rep.Written += res.Written
	for _, rej := range res.Rejected {
		en := byIRI[rej.IRI]
		w.lines[rej.IRI] = en.line
		for _, t := range en.e.Triples {
			if err := w.deferred.add(record{Root: rej.IRI, St: Statement{S: t.S, P: t.P, O: t.O, Line: en.line}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// retryDeferred writes the deferred entities again until a pass writes
// none; what remains is reported (and, in strict mode, fails the import).
func (w *writer) retryDeferred(ctx context.Context) error {
	for w.deferred.n > 0 {
		before := w.im.rep.Written
		cur := w.deferred
		if err := w.newDeferred(); err != nil {
			return err
		}
		var chunk []*entity
		var last *entity
		err := cur.each(func(rec record) error {
			if last == nil || last.e.IRI != rec.Root {
				if len(chunk) >= WriteChunk {
					if err := w.writeChunk(ctx, chunk); err != nil {
						return err
					}
					chunk = nil
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
			err = w.writeChunk(ctx, chunk)
		}
		if err != nil {
			return err
		}
		if w.im.rep.Written == before {
			return w.giveUp(ctx)
		}
	}
	return nil
}

// giveUp reports the entities that could not be written.
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
	if err != nil {
		return err
	}
	_, rejected := sink.Sift(w.v, w.im.opts.Sink.Lookup(), ents, nil)
	sort.Slice(rejected, func(i, j int) bool { return w.lines[rejected[i].IRI] < w.lines[rejected[j].IRI] })
	for _, r := range rejected {
		w.im.rep.Rejected++
		w.im.rep.addError(w.lines[r.IRI], r.IRI, describe(r.Errors))
	}
	w.deferred.n = 0
	if w.im.opts.Strict && len(rejected) > 0 {
		return domain.Errorf("rdf.Import", domain.KindInvalid, "%d entities could not be written (they refer to each other in a cycle or to invalid entities); the rest of the file was written", len(rejected))
	}
	return nil
}

// datasets creates a dataset entity for each named source that the store
// and the file lack.
func (w *writer) datasets(ctx context.Context) error {
	var iris []string
	for g := range w.im.graphs {
		if len(w.im.index.types[g]) == 0 {
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
