package rdf

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/trame-commun/trame/importers/rdf/extsort"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// RecentEntries bounds the decoded index entries the importer keeps at
// hand (the sorted table on disk holds them all).
const RecentEntries = 8192

// Kinds of facts the index keeps about an entity of the file.
const (
	factType    = 't'
	factLevel   = 'l'
	factPrereq  = 'p'
	factsPrefix = "facts"
)

// factOf returns the fact st states for the index, if any: what validation
// asks about entities other than the one it checks (types, level number,
// prerequisites), so that an entity may refer to one later in the file.
func factOf(st Statement) (kind byte, value string, ok bool) {
	switch {
	case st.P.Value == ontology.Type && st.O.IsIRI():
		return factType, st.O.Value, true
	case st.P.Value == ontology.LevelNumber && st.O.IsLiteral():
		return factLevel, st.O.Value, true
	case st.P.Value == ontology.Prerequisite && st.O.IsIRI():
		return factPrereq, st.O.Value, true
	}
	return 0, "", false
}

func appendFact(buf []byte, kind byte, value string) []byte {
	return appendString(append(buf, kind), value)
}

// foldFacts concatenates the facts of an IRI.
func foldFacts(acc, val []byte) []byte { return append(acc, val...) }

// fileIndex answers, for every IRI the file states facts about, those
// facts (types, level number, prerequisites) and whether the entity is
// written. It lives on disk (a sorted table read through a bounded cache);
// in memory it keeps one bit per IRI (written or not) and the most recent
// decoded entries.
type fileIndex struct {
	tab    *extsort.Table
	done   []uint64
	recent map[string]*indexEntry
	err    error // the first error reading the table; lookups then answer "unknown"
}

type indexEntry struct {
	ord     int
	types   []string
	prereqs []string
	level   int
}

// buildIndex sorts the facts gathered while reading into the index.
func buildIndex(ctx context.Context, facts *extsort.Sorter, dir string) (*fileIndex, error) {
	f, err := facts.Sort(ctx)
	if err != nil {
		return nil, err
	}
	defer f.Remove()
	tab, err := extsort.BuildTable(f, filepath.Join(dir, factsPrefix+".table"), foldFacts)
	if err != nil {
		return nil, err
	}
	return &fileIndex{tab: tab, done: make([]uint64, (tab.Len()+63)/64), recent: map[string]*indexEntry{}}, nil
}

func (x *fileIndex) close() {
	if x != nil && x.tab != nil {
		x.tab.Close()
	}
}

// lookup returns the facts of iri, or nil when the file states none.
func (x *fileIndex) lookup(iri string) *indexEntry {
	if e, ok := x.recent[iri]; ok {
		return e
	}
	val, ord, ok, err := x.tab.Get(iri)
	if err != nil && x.err == nil {
		x.err = err
	}
	var e *indexEntry
	if ok {
		e = decodeEntry(val, ord)
	}
	if len(x.recent) >= RecentEntries {
		clear(x.recent)
	}
	x.recent[iri] = e
	return e
}

func decodeEntry(b []byte, ord int) *indexEntry {
	e := &indexEntry{ord: ord}
	for len(b) > 0 {
		kind := b[0]
		n, k := binary.Uvarint(b[1:])
		if k <= 0 || uint64(len(b)-1-k) < n {
			return e
		}
		v := string(b[1+k : 1+k+int(n)])
		b = b[1+k+int(n):]
		switch {
		case kind == factType && !slices.Contains(e.types, v):
			e.types = append(e.types, v)
		case kind == factLevel:
			e.level, _ = strconv.Atoi(v)
		case kind == factPrereq && !slices.Contains(e.prereqs, v):
			e.prereqs = append(e.prereqs, v)
		}
	}
	return e
}

// entity returns the facts of iri when it is an entity of the file (it
// has a type), or nil.
func (x *fileIndex) entity(iri string) *indexEntry {
	if e := x.lookup(iri); e != nil && len(e.types) > 0 {
		return e
	}
	return nil
}

func (x *fileIndex) isDone(e *indexEntry) bool { return x.done[e.ord/64]&(1<<(e.ord%64)) != 0 }

// markDone records that iri is written (or found unchanged).
func (x *fileIndex) markDone(iri string) {
	if e := x.lookup(iri); e != nil {
		x.done[e.ord/64] |= 1 << (e.ord % 64)
	}
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
