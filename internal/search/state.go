package search

import (
	"sort"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// docMeta is what the index keeps in memory (and in the stored _meta field)
// about one document: enough to filter, count, sort and rebuild it.
type docMeta struct {
	Src      source          `json:"s"`
	Name     string          `json:"n"`
	SortName string          `json:"o"`
	Facets   map[string][]fv `json:"f,omitempty"`
	Refs     []string        `json:"r,omitempty"`

	vals []int32 // ids of the value sets the document is in
}

// valueSet is the set of documents having one facet value.
type valueSet struct {
	v     fv
	docs  *roaring.Bitmap
	id    int32 // index in state.valueByID
	facet int   // index in facetDefs
}

// state is the in-memory side of the index: documents numbered by ordinal,
// one roaring bitmap per facet value, per referenced IRI and per visibility,
// and the documents in date and name order. Ordinals are given out for the
// life of the process and never reused for another IRI.
type state struct {
	iris      []string
	ordOf     map[string]uint32
	metas     []*docMeta
	all       *roaring.Bitmap // every document
	published *roaring.Bitmap // documents anonymous callers may see
	values    map[string]map[string]*valueSet
	valueByID []*valueSet                // value sets by id (nil once emptied)
	refs      map[string]*roaring.Bitmap // IRI whose label a document holds → documents
	words     *wordIndex                 // title words, for suggest

	byDate  order           // date descending, IRI ascending
	byName  order           // sort name ascending, IRI ascending
	byIRI   order           // IRI ascending (ties of scores)
	changed *roaring.Bitmap // documents added or removed since the orders were updated

	version uint64 // grows with every change; keys the caches
}

func newState() *state {
	st := &state{ordOf: map[string]uint32{}, all: roaring.New(), published: roaring.New(),
		values: map[string]map[string]*valueSet{}, refs: map[string]*roaring.Bitmap{}, words: newWordIndex(),
		changed: roaring.New()}
	st.byDate.less, st.byName.less = st.lessDate, st.lessName
	st.byIRI.less = func(a, b uint32) bool { return st.iris[a] < st.iris[b] }
	for _, d := range facetDefs {
		st.values[d.Name] = map[string]*valueSet{}
	}
	return st
}

// ord returns the ordinal of iri, giving it one if it has none.
func (st *state) ord(iri string) uint32 {
	if o, ok := st.ordOf[iri]; ok {
		return o
	}
	o := uint32(len(st.iris))
	st.iris = append(st.iris, iri)
	st.metas = append(st.metas, nil)
	st.ordOf[iri] = o
	return o
}

// lookup returns the ordinal of a present document.
func (st *state) lookup(iri string) (uint32, bool) {
	o, ok := st.ordOf[iri]
	return o, ok && st.metas[o] != nil
}

// remove takes a document out of every set.
func (st *state) remove(iri string) {
	o, ok := st.lookup(iri)
	if !ok {
		return
	}
	m := st.metas[o]
	for f, vals := range m.Facets {
		for _, v := range vals {
			if vs := st.values[f][v.K]; vs != nil {
				vs.docs.Remove(o)
				if vs.docs.IsEmpty() {
					delete(st.values[f], v.K)
					st.valueByID[vs.id] = nil
				}
			}
		}
	}
	for _, r := range m.Refs {
		if b := st.refs[r]; b != nil {
			b.Remove(o)
			if b.IsEmpty() {
				delete(st.refs, r)
			}
		}
	}
	st.words.remove(o, m.Name)
	st.all.Remove(o)
	st.published.Remove(o)
	st.metas[o] = nil
	st.changed.Add(o)
	st.version++
}

// add puts a document (not present) in every set it belongs to.
func (st *state) add(iri string, m *docMeta) {
	o := st.ord(iri)
	st.metas[o] = m
	st.all.Add(o)
	if !m.Src.Draft {
		st.published.Add(o)
	}
	m.vals = m.vals[:0]
	for f, vals := range m.Facets {
		fi := facetIndex(f)
		if fi < 0 {
			continue
		}
		for _, v := range vals {
			vs := st.values[f][v.K]
			if vs == nil {
				vs = &valueSet{v: v, docs: roaring.New(), id: int32(len(st.valueByID)), facet: fi}
				st.valueByID = append(st.valueByID, vs)
				st.values[f][v.K] = vs
			}
			vs.docs.Add(o)
			m.vals = append(m.vals, vs.id)
		}
	}
	for _, r := range m.Refs {
		b := st.refs[r]
		if b == nil {
			b = roaring.New()
			st.refs[r] = b
		}
		b.Add(o)
	}
	st.words.add(o, m.Name)
	st.changed.Add(o)
	st.version++
}

// visible returns the documents a caller may see.
func (st *state) visible(withDrafts bool) *roaring.Bitmap {
	if withDrafts {
		return st.all
	}
	return st.published
}

// lessDate orders by date descending, then IRI ascending.
func (st *state) lessDate(a, b uint32) bool {
	da, db := st.metas[a].Src.Date, st.metas[b].Src.Date
	if da != db {
		return da > db
	}
	return st.iris[a] < st.iris[b]
}

// lessName orders by sort name ascending, then IRI ascending.
func (st *state) lessName(a, b uint32) bool {
	na, nb := st.metas[a].SortName, st.metas[b].SortName
	if na != nb {
		return na < nb
	}
	return st.iris[a] < st.iris[b]
}

// orders brings the date, name and IRI orders up to date with the
// documents added and removed since the last call: the unchanged documents
// keep their order and the changed ones are sorted and merged in, so a small
// write costs a pass over the order, not a sort of it.
func (st *state) orders() {
	if st.changed.IsEmpty() {
		return
	}
	var added []uint32
	it := st.changed.Iterator()
	for it.HasNext() {
		if o := it.Next(); st.metas[o] != nil {
			added = append(added, o)
		}
	}
	for _, ord := range []*order{&st.byDate, &st.byName, &st.byIRI} {
		ord.update(st.changed, added, len(st.iris))
	}
	st.changed.Clear()
}

// order is the documents sorted by less, with each one's position.
type order struct {
	arr  []uint32
	rank []uint32 // ordinal → position in arr
	less func(a, b uint32) bool
}

func (o *order) update(changed *roaring.Bitmap, added []uint32, size int) {
	gone := make([]bool, size)
	it := changed.Iterator()
	for it.HasNext() {
		gone[it.Next()] = true
	}
	kept := make([]uint32, 0, len(o.arr)+len(added))
	for _, x := range o.arr {
		if !gone[x] {
			kept = append(kept, x)
		}
	}
	add := append([]uint32(nil), added...)
	sort.Slice(add, func(i, j int) bool { return o.less(add[i], add[j]) })
	next := make([]uint32, 0, len(kept)+len(add))
	from := 0
	for _, a := range add {
		// first kept document that sorts after a
		at := from + sort.Search(len(kept)-from, func(i int) bool { return o.less(a, kept[from+i]) })
		next = append(next, kept[from:at]...)
		next = append(next, a)
		from = at
	}
	next = append(next, kept[from:]...)
	o.arr = next
	if len(o.rank) < size {
		o.rank = append(o.rank, make([]uint32, size-len(o.rank))...)
	}
	for p, x := range o.arr {
		o.rank[x] = uint32(p)
	}
}

// sortName is the key of the a-z order: folded, lower case, spaces squeezed.
func sortName(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(Fold(name))), " ")
}
