package web

import (
	"context"
	"strconv"
	"sync"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Directory is the web pages' derived view (a domain.View): a compact
// summary of every published entity — labels, notation, the links the
// pages follow (publisher, licence, scheme, broader, parties, parts,
// alignments, crosswalk mappings) — so that a page can name and link every
// IRI it shows without reading the store once per link. Drafts are never
// held: the pages are anonymous. Full descriptions are read from the store
// when a page needs them.
//
// Contract: Apply replaces an entity's summary (or removes it for a draft
// or a delete) and records seq; readers get an immutable Index rebuilt on
// the first read after a change, so a reader never sees half of an Apply.
// Safe for concurrent use.
type Directory struct {
	mu    sync.RWMutex
	items map[string]*Item
	last  uint64
	index *Index // nil when a change happened since it was built
}

var _ domain.View = (*Directory)(nil)

// NewDirectory returns an empty directory.
func NewDirectory() *Directory { return &Directory{items: map[string]*Item{}} }

// Name implements domain.View.
func (d *Directory) Name() string { return "web" }

// LastSeq implements domain.View.
func (d *Directory) LastSeq() uint64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.last
}

// Reset implements domain.View.
func (d *Directory) Reset(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.items, d.last, d.index = map[string]*Item{}, 0, nil
	return nil
}

// Apply implements domain.View.
func (d *Directory) Apply(ctx context.Context, seq uint64, puts []domain.ViewEntity, deletes []string) error {
	next := make(map[string]*Item, len(puts))
	for _, p := range puts {
		if p.Record.Draft {
			next[p.Entity.IRI] = nil
			continue
		}
		next[p.Entity.IRI] = summarise(p.Entity, p.Record.Collection)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, iri := range deletes {
		delete(d.items, iri)
	}
	for iri, it := range next {
		if it == nil {
			delete(d.items, iri)
		} else {
			d.items[iri] = it
		}
	}
	d.last, d.index = seq, nil
	return nil
}

// Index returns the current read model, rebuilding it if a change happened
// since the last call.
func (d *Directory) Index() *Index {
	d.mu.RLock()
	ix := d.index
	d.mu.RUnlock()
	if ix != nil {
		return ix
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.index == nil {
		d.index = buildIndex(d.items)
	}
	return d.index
}

// Link kinds an Item keeps, by predicate.
var linkPredicates = []string{
	ontology.About, ontology.LicenseProp, ontology.Publisher, ontology.SpatialCoverage,
	ontology.InScheme, ontology.Broader, ontology.TopConceptOf, ontology.Party,
	ontology.CommitmentProp, ontology.CommittedBy, ontology.Member, ontology.MemberOf,
	ontology.ExactMatch, ontology.CloseMatch, ontology.BroadMatch, ontology.NarrowMatch,
	ontology.Prerequisite, ontology.LearningResourceType, ontology.Audience, ontology.LevelScale,
	ontology.ProfessionalSector, ontology.Governs,
}

// Item is the summary of one published entity.
type Item struct {
	IRI        string
	Collection domain.Collection
	Types      []string
	LabelFR    string
	LabelEN    string
	SortKey    string // LabelFR folded for sorting (collate)
	Notation   string
	Level      int                 // trame:levelNumber of a level
	Links      map[string][]string // predicate → object IRIs (linkPredicates only)
	Parts      []string            // schema:hasPart, in order
	Alignments []domain.Alignment
	Mappings   []Mapping // crosswalk mappings held by a crosswalk entity
}

// Mapping is one crosswalk correspondence between two competencies.
type Mapping struct {
	Source, Relation, Target, Comment string
}

// Label returns the item's label in lang ("fr" or "en"), falling back to
// French.
func (it *Item) Label(lang string) string {
	if lang == "en" && it.LabelEN != "" {
		return it.LabelEN
	}
	return it.LabelFR
}

// Link returns the first object of predicate, or "".
func (it *Item) Link(predicate string) string {
	if v := it.Links[predicate]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// HasType reports whether the item has class c (directly or by subclass).
func (it *Item) HasType(c string) bool {
	for _, t := range it.Types {
		if ontology.IsA(t, c) {
			return true
		}
	}
	return false
}

func summarise(e *domain.Entity, coll domain.Collection) *Item {
	it := &Item{IRI: e.IRI, Collection: coll, Types: e.Types, LabelFR: e.Label("fr"), Notation: e.First(ontology.Notation)}
	it.SortKey = collate(it.LabelFR)
	if en := e.Label("en"); en != it.LabelFR {
		it.LabelEN = en
	}
	it.Level, _ = strconv.Atoi(e.First(ontology.LevelNumber))
	for _, p := range linkPredicates {
		for _, v := range e.Values(p) {
			if v.IsIRI() {
				if it.Links == nil {
					it.Links = map[string][]string{}
				}
				it.Links[p] = append(it.Links[p], v.Value)
			}
		}
	}
	for _, v := range e.ListValues(ontology.HasPart) {
		if v.IsIRI() {
			it.Parts = append(it.Parts, v.Value)
		}
	}
	if e.HasType(ontology.LearningResource) {
		it.Alignments = e.Alignments(nil)
	}
	for _, m := range e.Values(ontology.MappingProp) {
		mp := Mapping{Source: firstIRI(e.Objects(m, ontology.AnnotatedSource)),
			Relation: firstIRI(e.Objects(m, ontology.AnnotatedProp)),
			Target:   firstIRI(e.Objects(m, ontology.AnnotatedTarget))}
		if c := e.Objects(m, ontology.Comment); len(c) > 0 {
			mp.Comment = c[0].Value
		}
		if mp.Source != "" && mp.Target != "" {
			it.Mappings = append(it.Mappings, mp)
		}
	}
	return it
}

func firstIRI(ts []domain.Term) string {
	for _, t := range ts {
		if t.IsIRI() {
			return t.Value
		}
	}
	return ""
}
