package rdf

import (
	"context"
	"fmt"
	"sort"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/importers/rdf/extsort"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// WriteChunk is how many entities one write to the sink carries.
const WriteChunk = 500

// GiveUpChunk is how many of the entities still waiting after the
// deferred passes are written together, so that entities referring to
// each other in a cycle can be written at once.
const GiveUpChunk = 5000

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
	deferred    *extsort.Sorter // root IRI → statement of the entities waiting
	files       int
	enc         []byte
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
	w.newDeferred()
	return w, nil
}

// ready reports whether every entity of the file that e needs is written
// or in avail.
func (w *writer) ready(e *domain.Entity, avail map[string]bool) bool {
	for _, t := range e.Triples {
		if !t.O.IsIRI() || !w.constrained[t.P.Value] || t.O.Value == e.IRI || avail[t.O.Value] {
			continue
		}
		if target := w.im.index.entity(t.O.Value); target != nil && !w.im.index.isDone(target) {
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

// defer1 puts an entity in the deferred file, each statement with the
// line where the entity starts.
func (w *writer) defer1(en *entity) error {
	for _, t := range en.e.Triples {
		w.enc = appendStatement(w.enc[:0], Statement{S: t.S, P: t.P, O: t.O, Line: en.line})
		if err := w.deferred.Add(en.e.IRI, w.enc); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) newDeferred() {
	w.files++
	w.deferred = extsort.NewSorter(w.im.dir, fmt.Sprintf("deferred-%d", w.files), w.im.opts.SortBudget/4)
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
	w.im.index.markDone(iri)
	w.done++
}

// retryDeferred writes the deferred entities again until a pass writes
// none; what remains is reported (and, in strict mode, fails the import).
func (w *writer) retryDeferred(ctx context.Context) error {
	for pass := 1; w.deferred.Len() > 0; pass++ {
		before := w.done
		f, err := w.deferred.Sort(ctx)
		if err != nil {
			return err
		}
		w.newDeferred()
		err = w.im.pass(ctx, fmt.Sprintf("writing deferred entities (pass %d)", pass), f, func(ctx context.Context, chunk []*entity) error {
			ordered, waiting := w.order(chunk)
			for _, en := range waiting {
				if err := w.defer1(en); err != nil {
					return err
				}
			}
			return w.writeAll(ctx, ordered)
		})
		f.Remove()
		if err != nil {
			return err
		}
		if w.done == before {
			return w.giveUp(ctx)
		}
	}
	return nil
}

// giveUp writes the entities still waiting GiveUpChunk at a time, each
// chunk together (which resolves references in a cycle within it), in
// rounds until one writes nothing, then reports those the store still
// refuses.
func (w *writer) giveUp(ctx context.Context) error {
	var rejected []rejection
	for round := 1; w.deferred.Len() > 0; round++ {
		f, err := w.deferred.Sort(ctx)
		if err != nil {
			return err
		}
		w.newDeferred()
		written := 0
		rejected = rejected[:0]
		err = w.im.eachChunk(ctx, fmt.Sprintf("writing entities in cycles (round %d)", round), f, GiveUpChunk, func(ctx context.Context, chunk []*entity) error {
			res, err := w.im.opts.Sink.Apply(ctx, sink.Batch{Puts: entitiesOf(chunk), Partial: true})
			if err != nil {
				return err
			}
			written += res.Written
			byIRI := map[string]*entity{}
			for _, en := range chunk {
				byIRI[en.e.IRI] = en
			}
			for _, r := range res.Rejected {
				en := byIRI[r.IRI]
				rejected = append(rejected, rejection{line: en.line, iri: r.IRI, errs: r.Errors})
				if err := w.defer1(en); err != nil {
					return err
				}
			}
			return nil
		})
		f.Remove()
		if err != nil {
			return err
		}
		w.im.rep.Written += written
		if written == 0 {
			break
		}
	}
	sort.Slice(rejected, func(i, j int) bool { return rejected[i].line < rejected[j].line })
	for _, r := range rejected {
		w.im.rep.Rejected++
		w.im.rep.addError(r.line, r.iri, describe(r.errs))
	}
	if w.im.opts.Strict && len(rejected) > 0 {
		return domain.Errorf("rdf.Import", domain.KindInvalid, "%d entities could not be written (they refer to entities that are invalid or missing); the rest of the file was written", len(rejected))
	}
	return nil
}

// rejection is an entity the store refused for good.
type rejection struct {
	line int
	iri  string
	errs []domain.FieldError
}

// datasets creates a dataset entity for each named source that the store
// and the file lack, a write chunk at a time.
func (w *writer) datasets(ctx context.Context) error {
	f, err := w.im.graphs.sorted(ctx)
	if err != nil {
		return err
	}
	defer f.Remove()
	var iris []string
	last := ""
	err = f.Each(func(g string, _ []byte) error {
		if g == last {
			return nil
		}
		last = g
		if w.im.index.entity(g) == nil {
			iris = append(iris, g)
		}
		if len(iris) < WriteChunk {
			return nil
		}
		err := w.createDatasets(ctx, iris)
		iris = iris[:0]
		return err
	})
	if err != nil {
		return err
	}
	return w.createDatasets(ctx, iris)
}

func (w *writer) createDatasets(ctx context.Context, iris []string) error {
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
