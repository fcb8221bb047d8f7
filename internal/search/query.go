package search

import (
	"context"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/trame-commun/trame/internal/domain"
)

// Matching: each word of the query must be found, after analysis, in at
// least one field; with three words or more, one of them may be missing.
// When fewer than relaxBelow visible documents match so, a document matching
// any of the words matches (ranked by how many it has and where). A word the
// index does not hold at all is taken as misspelt: it then matches the words
// one edit away (when it has at least fuzzyMinRunes letters).
const (
	fuzzyMinRunes = 5   // shorter words are matched exactly
	fuzzyWeight   = 0.3 // a typo-tolerant match weighs this much of an exact one
	fuzzyPrefix   = 1   // leading characters a typo-tolerant match must share
	relaxBelow    = 10  // with fewer visible documents matching every word, any word will do
)

// MaxQueryTime is how long one search may run before it is abandoned
// (KindUnavailable: 503).
const MaxQueryTime = 2 * time.Second

// Result is the answer to a search.
type Result struct {
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"parPage"`
	Results []Hit        `json:"results"`
	Facets  []FacetGroup `json:"-"`
	Next    string       `json:"apres,omitempty"`
}

// Hit is one result.
type Hit struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Description string              `json:"description,omitempty"`
	Highlights  map[string][]string `json:"highlights"`
}

// FacetGroup is the values of one facet with their counts.
type FacetGroup struct {
	Name   string
	Values []FacetValue
}

// FacetValue is one value of a facet: Value is the key its parameter takes,
// Count the number of results the search would give with this value added to
// (or kept in) the facet's filter, every other facet's filter unchanged.
type FacetValue struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected,omitempty"`
	Category string `json:"category,omitempty"` // thématiques: the key of their category
}

// analyze returns the distinct analysed terms of text, in order.
func (ix *Index) analyze(text string) []string {
	terms, _ := ix.analyzeBoth(text)
	return terms
}

// analyzeBoth returns the distinct terms of text through FrenchAnalyzer and,
// for each, the same word through PreciseAnalyzer.
func (ix *Index) analyzeBoth(text string) (terms, precise []string) {
	byPos := map[int]string{}
	for _, tok := range ix.precise.Analyze([]byte(text)) {
		byPos[tok.Position] = string(tok.Term)
	}
	for _, tok := range ix.analyzer.Analyze([]byte(text)) {
		if t := string(tok.Term); t != "" && !contains(terms, t) {
			terms = append(terms, t)
			precise = append(precise, byPos[tok.Position])
		}
	}
	return terms, precise
}

// words are the analysed terms of a query; fuzzy marks the ones to match
// with one typo.
type words struct {
	terms   []string
	precise []string // the same words through PreciseAnalyzer ("" when it differs in length)
	fuzzy   []bool   // not in the index: match with one typo
	common  []bool   // in more than commonShare of the documents
	// rankOnly leaves out the combined field of common words: the query
	// then only ranks, the matching set coming from membership
	rankOnly bool
	min      int // clauses a document must match
}

// strictMin is how many of n words a document must match: all of one or
// two, all but one of three or more.
func strictMin(n int) int {
	if n <= 2 {
		return n
	}
	return n - 1
}

// spell marks the terms no field of the index holds.
func (ix *Index) spell(ctx context.Context, terms []string) (words, error) {
	w := words{terms: terms, fuzzy: make([]bool, len(terms)), common: make([]bool, len(terms)), min: strictMin(len(terms))}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return w, err
	}
	reader, err := adv.Reader()
	if err != nil {
		return w, err
	}
	defer reader.Close()
	n := float64(ix.st.all.GetCardinality())
	for i, t := range terms {
		tfr, err := reader.TermFieldReader(ctx, []byte(t), fieldAll, false, false, false)
		if err != nil {
			return w, err
		}
		df := tfr.Count()
		_ = tfr.Close()
		w.common[i] = float64(df) > commonShare*n
		w.fuzzy[i] = df == 0 && utf8.RuneCountInString(t) >= fuzzyMinRunes
	}
	return w, nil
}

// textQuery builds the bleve query of the words: term and fuzzy queries on
// named fields, never a query string.
func textQuery(w words) query.Query {
	clauses := make([]query.Query, 0, len(w.terms))
	for i, t := range w.terms {
		var alts []query.Query
		common := i < len(w.common) && w.common[i]
		if common && !w.rankOnly {
			tq := query.NewTermQuery(t)
			tq.SetField(fieldAll)
			tq.SetBoost(0.01)
			alts = append(alts, tq)
		}
		for _, fw := range fieldWeights {
			if common && !rankingFields[fw.Field] {
				continue
			}
			tq := query.NewTermQuery(t)
			tq.SetField(fw.Field)
			tq.SetBoost(fw.Weight)
			alts = append(alts, tq)
			if w.fuzzy[i] && fw.Field != FieldText {
				fq := query.NewFuzzyQuery(t)
				fq.SetField(fw.Field)
				fq.SetFuzziness(1)
				fq.SetPrefix(fuzzyPrefix)
				fq.SetBoost(fw.Weight * fuzzyWeight)
				alts = append(alts, fq)
			}
		}
		if i < len(w.precise) && w.precise[i] != "" {
			for _, pw := range preciseWeights {
				if common && !rankingFields[pw.Field] {
					continue
				}
				tq := query.NewTermQuery(w.precise[i])
				tq.SetField(pw.Field)
				tq.SetBoost(pw.Weight)
				alts = append(alts, tq)
			}
		}
		clauses = append(clauses, query.NewDisjunctionQuery(alts))
	}
	if len(clauses) == 1 {
		return clauses[0]
	}
	if w.min >= len(clauses) {
		return query.NewConjunctionQuery(clauses)
	}
	d := query.NewDisjunctionQuery(clauses)
	d.SetMin(float64(w.min))
	return d
}

// Search runs a search as req says. Errors: KindInvalid for a query with too
// many words or a cursor of another search.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	terms, precise := ix.analyzeBoth(req.Text)
	if len(terms) > MaxQueryTerms {
		return nil, domain.Errorf("search", domain.KindInvalid, "the query has %d distinct words; at most %d are accepted", len(terms), MaxQueryTerms)
	}
	if req.PerPage <= 0 {
		req.PerPage = DefaultPerPage
	}
	if req.Page <= 0 {
		req.Page = 1
	}
	hash := requestHash(terms, req.Filters, req.Sort, req.WithDrafts)
	var after *cursor
	if req.After != "" {
		c, err := decodeCursor(req.After)
		if err != nil {
			return nil, &domain.Error{Op: "search", Kind: domain.KindInvalid, Message: err.Error(), Fields: []domain.FieldError{{Path: paramAfter, Message: err.Error()}}}
		}
		if c.Hash != hash {
			msg := "this apres cursor belongs to another search (other words, filters or sort)"
			return nil, &domain.Error{Op: "search", Kind: domain.KindInvalid, Message: msg, Fields: []domain.FieldError{{Path: paramAfter, Message: msg}}}
		}
		after = &c
	}
	ctx, cancel := context.WithTimeout(ctx, MaxQueryTime)
	defer cancel()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return nil, domain.Errorf("search", domain.KindUnavailable, "the search index is closed")
	}
	st := ix.st
	vis := st.visible(req.WithDrafts)
	groups := map[string]*roaring.Bitmap{}
	for f, keys := range req.Filters {
		var sets []*roaring.Bitmap
		for _, k := range keys {
			if vs := st.values[f][k]; vs != nil {
				sets = append(sets, vs.docs)
			}
		}
		groups[f] = roaring.FastOr(sets...)
	}
	filter := vis
	if len(groups) > 0 {
		all := []*roaring.Bitmap{vis}
		for _, g := range groups {
			all = append(all, g)
		}
		filter = roaring.FastAnd(all...)
	}
	offset := (req.Page - 1) * req.PerPage
	res := &Result{Page: req.Page, PerPage: req.PerPage}
	var matched *roaring.Bitmap
	var page []uint32
	var top *topHits
	var ws words
	if len(terms) == 0 {
		matched = vis
		page = ix.pageByOrder(filter, req.Sort, after, offset, req.PerPage+1)
	} else {
		limit := 0
		if req.Sort == SortRelevance {
			limit = offset + req.PerPage + 1
		}
		var err error
		if ws, err = ix.spell(ctx, terms); err != nil {
			return nil, domain.Wrap("search", domain.KindInternal, err)
		}
		ws.precise = precise
		if matched, top, err = ix.match(ctx, &ws, vis, filter, len(groups) > 0, after, limit); err != nil {
			return nil, err
		}
		if req.Sort == SortRelevance {
			page = top.sorted(offset)
		} else {
			page = ix.pageByOrder(roaring.And(matched, filter), req.Sort, after, offset, req.PerPage+1)
		}
	}
	res.Total = int(roaring.And(matched, filter).GetCardinality())
	if len(page) > req.PerPage {
		page = page[:req.PerPage]
		last := page[len(page)-1]
		c := cursor{Hash: hash, IRI: st.iris[last]}
		switch {
		case len(terms) > 0 && req.Sort == SortRelevance:
			c.Score = top.scores[last]
		case req.Sort == SortAZ || req.Sort == SortZA:
			c.Key = st.metas[last].SortName
		default:
			c.Key = st.metas[last].Src.Date
		}
		res.Next = c.encode()
	}
	hits, err := ix.hits(ctx, page, ws)
	if err != nil {
		return nil, err
	}
	res.Results = hits
	res.Facets = ix.facetCounts(req, matched, vis, groups)
	return res, nil
}

// collect runs the text query through bleve and returns the visible
// documents it matches; the hits that also pass filter go to top.
func (ix *Index) collect(ctx context.Context, q query.Query, vis, filter *roaring.Bitmap, top *topHits) (*roaring.Bitmap, error) {
	st := ix.st
	dense := make([]uint64, (len(st.iris)+63)/64)
	maker := func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		ords, err := ix.segs.forReader(sctx.IndexReader, st.ordOf)
		if err != nil {
			return nil, false, err
		}
		return func(d *bsearch.DocumentMatch) error {
			if d == nil {
				return nil
			}
			if o, ok := ords.ordinal(d.IndexInternalID); ok && vis.Contains(o) {
				dense[o>>6] |= 1 << (o & 63)
				if filter.Contains(o) {
					top.consider(o, d.Score)
				}
			}
			sctx.DocumentMatchPool.Put(d)
			return nil
		}, false, nil
	}
	sreq := bleve.NewSearchRequestOptions(q, 0, 0, false)
	sreq.Sort = nil
	ctx = context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, bsearch.MakeDocumentMatchHandler(maker))
	if _, err := ix.idx.SearchInContext(ctx, sreq); err != nil {
		if ctx.Err() != nil {
			return nil, domain.Wrap("search", domain.KindUnavailable, ctx.Err())
		}
		return nil, domain.Wrap("search", domain.KindInternal, err)
	}
	return roaring.FromDense(dense, false), nil
}

// topHits keeps the best hits by score (IRI ascending on ties), after the
// cursor when there is one.
type topHits struct {
	st     *state
	limit  int
	after  *cursor
	items  []scored
	scores map[uint32]float64
}

type scored struct {
	o     uint32
	score float64
}

// better reports whether a ranks before b.
func (t *topHits) better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return t.st.byIRI.rank[a.o] < t.st.byIRI.rank[b.o]
}

// consider offers a hit to the heap (a min-heap on "better": the worst
// kept hit on top), written out rather than through container/heap, whose
// interface calls cost a deep page a third of its time.
func (t *topHits) consider(o uint32, score float64) {
	if t.limit == 0 {
		return
	}
	s := scored{o, score}
	if t.after != nil && (score > t.after.Score || (score == t.after.Score && t.st.iris[o] <= t.after.IRI)) {
		return // at or before the cursor
	}
	h := t.items
	if len(h) < t.limit {
		h = append(h, s)
		for i := len(h) - 1; i > 0; { // sift up
			p := (i - 1) / 2
			if !t.better(h[p], h[i]) {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		t.items = h
		return
	}
	if !t.better(s, h[0]) {
		return
	}
	h[0] = s
	for i := 0; ; { // sift down
		l, r, w := 2*i+1, 2*i+2, i
		if l < len(h) && t.better(h[w], h[l]) {
			w = l
		}
		if r < len(h) && t.better(h[w], h[r]) {
			w = r
		}
		if w == i {
			break
		}
		h[i], h[w] = h[w], h[i]
		i = w
	}
}

// sorted returns the kept hits best first, skipping offset of them, and
// remembers their scores.
func (t *topHits) sorted(offset int) []uint32 {
	items := append([]scored(nil), t.items...)
	sort.Slice(items, func(i, j int) bool { return t.better(items[i], items[j]) })
	t.scores = map[uint32]float64{}
	var out []uint32
	for i, s := range items {
		if i >= offset {
			out = append(out, s.o)
			t.scores[s.o] = s.score
		}
	}
	return out
}
