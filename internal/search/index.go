// Package search is the owner of bleve: the full-text search view of the
// canonical store, with French analysis, exact disjunctive facet counts,
// deep paging and type-ahead suggestions.
//
// The bleve index (under the data directory) holds one document per
// learning resource: its title, description, contents, keywords, the names
// of its publishers and the labels of the competencies it teaches, analysed
// in French, plus a stored _meta field. Beside it, in memory, the index keeps
// one roaring bitmap per facet value over document ordinals: a query asks
// bleve only for the documents matching its text, and every count is an
// intersection of bitmaps, exact and independent of the number of hits.
// The in-memory side is rebuilt from the _meta fields when the index opens.
//
// The index implements domain.View: it records the last change-log sequence
// it applied inside the bleve index (so a restart catches up from there),
// and never shows drafts to anonymous callers, in results, counts or
// suggestions.
package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/trame-commun/trame/internal/domain"
)

// DefaultBatchSize is how many documents one bleve batch holds: the size that
// gave the best indexing rate for the least memory (ENGINES.md).
const DefaultBatchSize = 1000

// layoutVersion names the layout of the index's documents; an index written
// with another layout is dropped and rebuilt from the store.
const layoutVersion = "trame-search-6"

var (
	keySeq    = []byte("trame:seq")
	keyLayout = []byte("trame:layout")
)

// Options configures an Index.
type Options struct {
	// Dir is the index directory; it is created when missing.
	Dir string
	// BaseIRI is the base of the server's IRIs, where the Les Bases
	// vocabularies live (BaseIRI + "vocab/thematiques", …).
	BaseIRI string
	// Labels answers questions about the entities resources point to.
	Labels Labels
	// BatchSize is the number of documents per bleve batch; 0 means
	// DefaultBatchSize.
	BatchSize int
}

// Index is the search view. It is safe for concurrent use: Apply holds an
// exclusive lock, so a search sees an Apply entirely or not at all.
type Index struct {
	opts     Options
	res      resolver
	analyzer analysis.Analyzer // FrenchAnalyzer
	precise  analysis.Analyzer // PreciseAnalyzer

	mu   sync.RWMutex
	idx  bleve.Index
	st   *state
	last uint64
	segs *segmentMaps
	view *viewCache
	// durable is closed once the last applied batch has reached the disk;
	// Close waits for it (batches return before, see scorchConfig).
	durable chan struct{}
}

// closeFlushTimeout bounds how long Close waits for the last batch to be
// persisted; past it the tail is simply re-applied from the store at boot.
const closeFlushTimeout = 30 * time.Second

var _ domain.View = (*Index)(nil)

// Open opens the index in opts.Dir, creating it when missing, and loads its
// in-memory side. An index written by another version of Trame is dropped:
// its LastSeq is then 0 and the catalog rebuilds it.
func Open(opts Options) (*Index, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.BaseIRI != "" && !strings.HasSuffix(opts.BaseIRI, "/") {
		opts.BaseIRI += "/"
	}
	ix := &Index{opts: opts, res: resolver{base: opts.BaseIRI, lab: opts.Labels}}
	if err := ix.open(); err != nil {
		return nil, domain.Wrap("search.Open", domain.KindInternal, err)
	}
	return ix, nil
}

func (ix *Index) open() error {
	idx, err := bleve.OpenUsing(ix.opts.Dir, scorchConfig())
	if err == nil {
		layout, _ := idx.GetInternal(keyLayout)
		if string(layout) != layoutVersion {
			_ = idx.Close()
			idx, err = nil, os.RemoveAll(ix.opts.Dir)
			if err != nil {
				return err
			}
		}
	} else if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		idx = nil
	} else {
		return fmt.Errorf("opening %s: %w", ix.opts.Dir, err)
	}
	if idx == nil {
		if idx, err = ix.create(); err != nil {
			return err
		}
	}
	ix.idx = idx
	an := idx.Mapping().AnalyzerNamed(FrenchAnalyzer)
	if an == nil {
		return fmt.Errorf("analyzer %s missing from the index mapping", FrenchAnalyzer)
	}
	ix.analyzer = an
	if ix.precise = idx.Mapping().AnalyzerNamed(PreciseAnalyzer); ix.precise == nil {
		return fmt.Errorf("analyzer %s missing from the index mapping", PreciseAnalyzer)
	}
	ix.segs = newSegmentMaps()
	ix.view = newViewCache()
	seq, err := idx.GetInternal(keySeq)
	if err != nil {
		return err
	}
	ix.last = 0
	if len(seq) > 0 {
		if ix.last, err = strconv.ParseUint(string(seq), 10, 64); err != nil {
			return fmt.Errorf("bad sequence %q in the index", seq)
		}
	}
	return ix.load()
}

// scorchConfig lets a batch return once its segment is searchable, without
// waiting for it to reach the disk ("unsafe_batch"). That is safe for a
// derived view: scorch persists snapshots in order and the applied sequence
// is written after the documents it covers, so after a crash the index on
// disk is only behind, never ahead, and the catalog catches it up from the
// store. It makes a one-document write about ten times faster.
func scorchConfig() map[string]interface{} {
	return map[string]interface{}{"unsafe_batch": true}
}

func (ix *Index) create() (bleve.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(ix.opts.Dir), 0o755); err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing(ix.opts.Dir, m, scorch.Name, scorch.Name, scorchConfig())
	if err != nil {
		return nil, err
	}
	if err := idx.SetInternal(keyLayout, []byte(layoutVersion)); err != nil {
		_ = idx.Close()
		return nil, err
	}
	return idx, nil
}

// load rebuilds the in-memory side from the stored _meta fields.
func (ix *Index) load() error {
	ix.st = newState()
	r, err := ix.idx.Advanced()
	if err != nil {
		return err
	}
	reader, err := r.Reader()
	if err != nil {
		return err
	}
	defer reader.Close()
	dec := newMetaDecoder()
	err = visitStored(reader, func(id string, meta []byte) error {
		m, err := dec.decode(meta)
		if err != nil {
			return fmt.Errorf("document %s: %w", id, err)
		}
		m.Src.IRI = id
		ix.st.add(id, m)
		return nil
	})
	if err != nil {
		return err
	}
	ix.st.orders()
	return nil
}

// Close closes the bleve index.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return nil
	}
	if ix.durable != nil {
		select {
		case <-ix.durable:
		case <-time.After(closeFlushTimeout):
		}
	}
	err := ix.idx.Close()
	ix.idx = nil
	return err
}

// Name implements domain.View.
func (ix *Index) Name() string { return "search" }

// LastSeq implements domain.View.
func (ix *Index) LastSeq() uint64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.last
}

// Size returns the number of documents in the index, drafts included.
func (ix *Index) Size() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return int(ix.st.all.GetCardinality())
}

// Reset implements domain.View: it drops the index and starts an empty one.
func (ix *Index) Reset(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx != nil {
		if err := ix.idx.Close(); err != nil {
			return domain.Wrap("search.Reset", domain.KindInternal, err)
		}
		ix.idx = nil
	}
	if err := os.RemoveAll(ix.opts.Dir); err != nil {
		return domain.Wrap("search.Reset", domain.KindInternal, err)
	}
	return domain.Wrap("search.Reset", domain.KindInternal, ix.open())
}

// Apply implements domain.View. Resources are (re)indexed, deleted ones
// removed; any other entity that changed may carry a label that indexed
// resources hold (a publisher's name, a competency's label), so those
// resources are rebuilt in the same Apply.
func (ix *Index) Apply(ctx context.Context, seq uint64, puts []domain.ViewEntity, deletes []string) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.idx == nil {
		return domain.Errorf("search.Apply", domain.KindUnavailable, "the search index is closed")
	}
	w := &writer{ix: ix, done: map[string]bool{}, res: resolver{base: ix.res.base, lab: newMemoLabels(ix.res.lab)}}
	var others []string
	for _, iri := range deletes {
		if _, ok := ix.st.lookup(iri); ok {
			w.delete(iri)
		} else {
			others = append(others, iri)
		}
	}
	for _, p := range puts {
		iri := p.Entity.IRI
		if IsSearchable(p.Entity.Types) {
			if err := w.put(extract(p.Entity, p.Record)); err != nil {
				return err
			}
			continue
		}
		if _, ok := ix.st.lookup(iri); ok {
			w.delete(iri) // no longer a resource
		}
		others = append(others, iri)
	}
	if err := w.refresh(others); err != nil {
		return err
	}
	if err := w.flush(seq); err != nil {
		return domain.Wrap("search.Apply", domain.KindInternal, err)
	}
	if len(others) > 0 {
		ix.view.invalidateLabels()
	}
	ix.st.orders()
	ix.last = seq
	return nil
}

// writer gathers the bleve batches of one Apply.
type writer struct {
	ix      *Index
	res     resolver // with labels memoised for the Apply
	b       *bleve.Batch
	pending []*bleve.Batch
	done    map[string]bool
}

// batch returns the batch being filled. Batches hold BatchSize/GOMAXPROCS
// documents, so that one Apply's batches are built on every core at once.
func (w *writer) batch() *bleve.Batch {
	per := max(100, w.ix.opts.BatchSize/runtime.GOMAXPROCS(0))
	if w.b == nil || w.b.Size() >= per {
		if w.b != nil {
			w.pending = append(w.pending, w.b)
		}
		w.b = w.ix.idx.NewBatch()
	}
	return w.b
}

// flush writes the batches, GOMAXPROCS at a time, then records seq: a
// crash in between leaves the old sequence, and the Apply is replayed.
func (w *writer) flush(seq uint64) error {
	if w.b != nil {
		w.pending = append(w.pending, w.b)
	}
	if len(w.pending) == 1 { // the common case: the sequence rides with the documents
		w.pending[0].SetInternal(keySeq, []byte(strconv.FormatUint(seq, 10)))
		return w.ix.idx.Batch(w.ix.trackDurable(w.pending[0]))
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	errs := make(chan error, len(w.pending))
	var wg sync.WaitGroup
	for _, b := range w.pending {
		wg.Add(1)
		sem <- struct{}{}
		go func(b *bleve.Batch) {
			defer func() { <-sem; wg.Done() }()
			errs <- w.ix.idx.Batch(b)
		}(b)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	last := w.ix.idx.NewBatch()
	last.SetInternal(keySeq, []byte(strconv.FormatUint(seq, 10)))
	return w.ix.idx.Batch(w.ix.trackDurable(last))
}

// trackDurable makes b the batch Close waits for.
func (ix *Index) trackDurable(b *bleve.Batch) *bleve.Batch {
	done := make(chan struct{})
	var once sync.Once
	b.SetPersistedCallback(func(error) { once.Do(func() { close(done) }) })
	ix.durable = done
	return b
}

func (w *writer) delete(iri string) {
	w.batch().Delete(iri)
	w.ix.st.remove(iri)
	w.done[iri] = true
}

func (w *writer) put(s source) error {
	doc, meta, err := w.ix.build(w.res, s)
	if err != nil {
		return domain.Wrap("search.Apply", domain.KindInternal, err)
	}
	if err := w.batch().IndexAdvanced(doc); err != nil {
		return domain.Wrap("search.Apply", domain.KindInternal, err)
	}
	w.ix.st.remove(s.IRI)
	w.ix.st.add(s.IRI, meta)
	w.done[s.IRI] = true
	return nil
}

// refresh rebuilds the documents holding a label of one of the changed
// IRIs, unless this Apply already rewrote them.
func (w *writer) refresh(changed []string) error {
	for _, c := range changed {
		b := w.ix.st.refs[c]
		if b == nil {
			continue
		}
		for _, o := range b.ToArray() {
			iri := w.ix.st.iris[o]
			if w.done[iri] {
				continue
			}
			s, err := w.ix.storedSource(iri)
			if err != nil {
				return domain.Wrap("search.Apply", domain.KindInternal, err)
			}
			if err := w.put(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// storedSource reads back the source of an indexed document.
func (ix *Index) storedSource(iri string) (source, error) {
	o, ok := ix.st.lookup(iri)
	if !ok {
		return source{}, fmt.Errorf("no document %s", iri)
	}
	s := ix.st.metas[o].Src
	s.IRI = iri
	doc, err := ix.idx.Document(iri)
	if err != nil || doc == nil {
		return source{}, fmt.Errorf("reading document %s: %v", iri, err)
	}
	doc.VisitFields(func(f index.Field) {
		v := string(f.Value())
		switch f.Name() {
		case FieldName:
			s.Names = strings.Split(v, "\n")
		case FieldDescription:
			s.Description = v
		case FieldText:
			s.Text = v
		case FieldKeywords:
			s.Keywords = v
		}
	})
	return s, nil
}

// build turns a source into its bleve document and its metadata.
func (ix *Index) build(res resolver, s source) (*document.Document, *docMeta, error) {
	pubs, comps, refs := res.labelTexts(s)
	name := s.IRI
	if len(s.Names) > 0 {
		name = s.Names[0]
	}
	m := &docMeta{Src: s, Name: name, SortName: sortName(name), Facets: res.facets(s), Refs: refs}
	raw := encodeMeta(m)
	doc := document.NewDocument(s.IRI)
	opts := index.IndexField | index.StoreField // no term vectors: highlight.go re-analyses the page
	for _, f := range []struct{ name, value string }{
		{FieldName, strings.Join(s.Names, "\n")}, {FieldDescription, s.Description}, {FieldText, s.Text},
		{FieldKeywords, s.Keywords}, {FieldPublisher, pubs}, {FieldCompetency, comps},
	} {
		if f.value != "" {
			doc.AddField(document.NewTextFieldCustom(f.name, nil, []byte(f.value), opts, ix.analyzer))
		}
	}
	all := make([]string, len(fieldWeights))
	for i, fw := range fieldWeights {
		all[i] = fw.Field
	}
	doc.AddField(document.NewCompositeFieldWithIndexingOptions(fieldAll, false, all, nil, index.IndexField))
	for _, f := range []struct{ name, value string }{
		{fieldNameExact, strings.Join(s.Names, "\n")}, {fieldDescriptionExact, s.Description},
	} {
		if f.value != "" {
			doc.AddField(document.NewTextFieldCustom(f.name, nil, []byte(f.value), index.IndexField, ix.precise))
		}
	}
	doc.AddField(document.NewTextFieldCustom(fieldMeta, nil, raw, index.StoreField, nil))
	return doc, m, nil
}
