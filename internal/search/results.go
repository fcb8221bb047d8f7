package search

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// ExcerptRunes is the length of the description excerpt of a result.
const ExcerptRunes = 300

// smallSet is the size under which a page is cut from a sorted copy of the
// matching set rather than from a walk of the whole order.
const smallSet = 4096

// pageByOrder returns up to n documents of set in the order sortOrder
// names, after the cursor or skipping offset documents. Without text,
// relevance means most recent first.
func (ix *Index) pageByOrder(set *roaring.Bitmap, sortOrder string, after *cursor, offset, n int) []uint32 {
	st := ix.st
	order, rank, byName := st.byDate.arr, st.byDate.rank, false
	reverse := sortOrder == SortOldest || sortOrder == SortZA
	if sortOrder == SortAZ || sortOrder == SortZA {
		order, rank, byName = st.byName.arr, st.byName.rank, true
	}
	// cmp tells where o stands against the cursor in the order's direction.
	cmp := func(o uint32) int {
		var c int
		if byName {
			c = strings.Compare(st.metas[o].SortName, after.Key)
		} else {
			c = -strings.Compare(st.metas[o].Src.Date, after.Key)
		}
		if c == 0 {
			c = strings.Compare(st.iris[o], after.IRI)
		}
		return c
	}
	if set.GetCardinality() <= smallSet {
		arr := set.ToArray()
		sort.Slice(arr, func(i, j int) bool { return (rank[arr[i]] < rank[arr[j]]) != reverse })
		start := 0
		if after != nil {
			start = sort.Search(len(arr), func(i int) bool {
				if reverse {
					return cmp(arr[i]) < 0
				}
				return cmp(arr[i]) > 0
			})
		}
		start += offset
		if start >= len(arr) {
			return nil
		}
		return arr[start:min(len(arr), start+n)]
	}
	var out []uint32
	take := func(o uint32) bool {
		if !set.Contains(o) {
			return true
		}
		if offset > 0 {
			offset--
			return true
		}
		out = append(out, o)
		return len(out) < n
	}
	if !reverse {
		start := 0
		if after != nil {
			start = sort.Search(len(order), func(i int) bool { return cmp(order[i]) > 0 })
		}
		for i := start; i < len(order) && take(order[i]); i++ {
		}
		return out
	}
	end := len(order)
	if after != nil {
		end = sort.Search(len(order), func(i int) bool { return cmp(order[i]) >= 0 })
	}
	for i := end - 1; i >= 0 && take(order[i]); i-- {
	}
	return out
}

// hits loads what the results show: names from memory, description
// excerpts and highlights from the stored fields.
func (ix *Index) hits(ctx context.Context, page []uint32, ws words) ([]Hit, error) {
	out := make([]Hit, len(page))
	m := newMarker(ws)
	for i, o := range page {
		iri := ix.st.iris[o]
		out[i] = Hit{ID: iri, Name: ix.st.metas[o].Name, Highlights: map[string][]string{}}
		fields, err := ix.storedFields(iri)
		if err != nil {
			return nil, domain.Wrap("search", domain.KindInternal, err)
		}
		out[i].Description = excerpt(fields[FieldDescription], ExcerptRunes)
		if len(ws.terms) == 0 {
			continue
		}
		for _, f := range highlightFields {
			if frags := highlight(ix.analyzer, m, f, fields[f]); len(frags) > 0 {
				out[i].Highlights[f] = frags
			}
		}
	}
	return out, nil
}

// excerpt cuts s to n runes at most, at a space when it can.
func excerpt(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// smallCount is the number of matching documents under which facet values
// are counted by visiting each document's values once, rather than by
// intersecting every value's bitmap with the matching set.
var smallCount uint64 = 8192

// facetCounts counts, for every value shown of every facet, the documents
// matching the text and every other facet's filter and having the value.
// The values shown are those at least one visible document has, and those
// the request selects.
func (ix *Index) facetCounts(req Request, matched, vis *roaring.Bitmap, groups map[string]*roaring.Bitmap) []FacetGroup {
	st := ix.st
	landing := ix.view.landingCounts(st, vis, req.WithDrafts)
	var counted []int32
	if matched != vis && matched.GetCardinality() <= smallCount {
		counted = ix.countByDocument(matched, groups)
	}
	out := make([]FacetGroup, 0, len(facetDefs))
	for _, d := range facetDefs {
		base := matched
		if counted == nil && len(groups) > 0 {
			sets := []*roaring.Bitmap{matched}
			for g, b := range groups {
				if g != d.Name {
					sets = append(sets, b)
				}
			}
			if len(sets) > 1 {
				base = roaring.FastAnd(sets...)
			}
		}
		count := func(k string) int {
			vs := st.values[d.Name][k]
			switch {
			case vs == nil:
				return 0
			case counted != nil:
				return int(counted[vs.id])
			case base == vis:
				return landing[d.Name][k]
			}
			return int(base.AndCardinality(vs.docs))
		}
		vals := make([]FacetValue, 0, len(landing[d.Name])+len(req.Filters[d.Name]))
		addValue := func(k string) {
			v := FacetValue{Value: k, Count: count(k), Selected: contains(req.Filters[d.Name], k)}
			var draft bool
			v.Label, v.Category, draft = ix.view.label(ix, d.Name, k, req.Lang)
			if draft && !req.WithDrafts && !v.Selected {
				return // a draft publisher, licence or concept: not for anonymous eyes
			}
			vals = append(vals, v)
		}
		for k := range landing[d.Name] {
			addValue(k)
		}
		for _, k := range req.Filters[d.Name] {
			if _, shown := landing[d.Name][k]; !shown {
				addValue(k)
			}
		}
		sortValues(d.Name, vals)
		out = append(out, FacetGroup{Name: d.Name, Values: vals})
	}
	return out
}

// countByDocument counts the values of the matching documents in one pass:
// a document passing every filter counts for all its values, one failing
// exactly one facet's filter counts for that facet's values only (the
// disjunctive rule), one failing two or more counts for none.
func (ix *Index) countByDocument(matched *roaring.Bitmap, groups map[string]*roaring.Bitmap) []int32 {
	st := ix.st
	type group struct {
		facet int
		set   *roaring.Bitmap
	}
	gs := make([]group, 0, len(groups))
	for f, b := range groups {
		gs = append(gs, group{facetIndex(f), b})
	}
	counts := make([]int32, len(st.valueByID))
	it := matched.Iterator()
	for it.HasNext() {
		o := it.Next()
		failed, nfail := -1, 0
		for _, g := range gs {
			if !g.set.Contains(o) {
				failed, nfail = g.facet, nfail+1
				if nfail > 1 {
					break
				}
			}
		}
		if nfail > 1 {
			continue
		}
		for _, id := range st.metas[o].vals {
			if nfail == 0 || st.valueByID[id].facet == failed {
				counts[id]++
			}
		}
	}
	return counts
}

func sortValues(facet string, vals []FacetValue) {
	sort.Slice(vals, func(i, j int) bool {
		a, b := vals[i], vals[j]
		if facet == FacetNiveau {
			x, _ := strconv.Atoi(a.Value)
			y, _ := strconv.Atoi(b.Value)
			return x < y
		}
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Label != b.Label {
			return a.Label < b.Label
		}
		return a.Value < b.Value
	})
}

// viewCache holds what searches compute again and again between two
// changes: the counts of the whole visible catalogue and the labels of
// facet values.
type viewCache struct {
	mu      sync.Mutex
	version [2]uint64
	valid   [2]bool
	landing [2]map[string]map[string]int
	labels  map[string]valueLabel // facet \x00 key \x00 lang → label
}

// valueLabel is what the cache keeps of a facet value.
type valueLabel struct {
	label, category string
	draft           bool // the entity the value stands for is a draft
}

func newViewCache() *viewCache { return &viewCache{labels: map[string]valueLabel{}} }

func (c *viewCache) invalidateLabels() {
	c.mu.Lock()
	c.labels = map[string]valueLabel{}
	c.mu.Unlock()
}

// landingCounts returns the number of visible documents per facet value.
func (c *viewCache) landingCounts(st *state, vis *roaring.Bitmap, withDrafts bool) map[string]map[string]int {
	i := 0
	if withDrafts {
		i = 1
	}
	c.mu.Lock()
	if c.valid[i] && c.version[i] == st.version {
		m := c.landing[i]
		c.mu.Unlock()
		return m
	}
	c.mu.Unlock()
	m := map[string]map[string]int{}
	for f, vals := range st.values {
		m[f] = map[string]int{}
		for k, vs := range vals {
			if n := int(vis.AndCardinality(vs.docs)); n > 0 {
				m[f][k] = n
			}
		}
	}
	c.mu.Lock()
	c.landing[i], c.version[i], c.valid[i] = m, st.version, true
	c.mu.Unlock()
	return m
}

// label returns the label of a facet value, for a thématique the key of
// its category, and whether the value's entity is a draft.
func (c *viewCache) label(ix *Index, facet, key, lang string) (string, string, bool) {
	ck := facet + "\x00" + key + "\x00" + lang
	c.mu.Lock()
	v, ok := c.labels[ck]
	c.mu.Unlock()
	if ok {
		return v.label, v.category, v.draft
	}
	val := fv{K: key, I: ix.valueIRI(facet, key)}
	v.label = ix.res.label(facet, val, lang)
	if val.I != "" && ix.res.lab != nil {
		v.draft = ix.res.lab.IsDraft(val.I)
	}
	if facet == FacetThematiques && val.I != "" {
		for _, b := range ix.res.values(val.I, ontology.Broader) {
			v.category = ix.res.notation(b)
		}
	}
	c.mu.Lock()
	c.labels[ck] = v
	c.mu.Unlock()
	return v.label, v.category, v.draft
}

// valueIRI returns the IRI a facet key stands for, or "".
func (ix *Index) valueIRI(facet, key string) string {
	if vs := ix.st.values[facet][key]; vs != nil {
		return vs.v.I
	}
	d, _ := facetByName(facet)
	switch d.Kind {
	case kindVocab:
		return ix.opts.BaseIRI + d.Scheme + "/" + key
	case kindCategory:
		return ix.opts.BaseIRI + "vocab/categories/" + key
	case kindReferentiel, kindCompetence, kindEditeur:
		return key
	case kindLicence:
		return ix.licenceIRI(key)
	}
	return ""
}
