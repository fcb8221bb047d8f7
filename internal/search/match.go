package search

import (
	"context"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/trame-commun/trame/internal/domain"
)

// restrictMax is the number of filtered matches under which a filtered
// search scores only them: the matching set comes from the posting lists,
// unscored, and bleve scores the few documents that pass the filters.
const restrictMax = 1000

// match finds the visible documents matching the words and puts the best of
// those passing filter in a heap of limit (0: no heap). With fewer than
// relaxBelow matches, the words are relaxed to "any of them" (ws.min is
// then 1).
//
// A filtered search whose words hold no misspelling first computes the
// matching set from the posting lists alone (the combined field and the
// precise twins give exactly the documents the scored query matches); when
// few of them pass the filters, only those are scored. Otherwise bleve runs
// the scored query over the whole index and the set comes from its hits.
func (ix *Index) match(ctx context.Context, ws *words, vis, filter *roaring.Bitmap, filtered bool, after *cursor, limit int) (*roaring.Bitmap, *topHits, error) {
	newTop := func() *topHits { return &topHits{st: ix.st, after: after, limit: limit} }
	if filtered && !anyTrue(ws.fuzzy) {
		matched, err := ix.membership(ctx, *ws, vis)
		if err != nil {
			return nil, nil, err
		}
		if ws.min > 1 && matched.GetCardinality() < relaxBelow {
			ws.min = 1
			if matched, err = ix.membership(ctx, *ws, vis); err != nil {
				return nil, nil, err
			}
		}
		passing := roaring.And(matched, filter)
		if passing.GetCardinality() <= restrictMax {
			top := newTop()
			if limit > 0 && !passing.IsEmpty() {
				ids := make([]string, 0, passing.GetCardinality())
				it := passing.Iterator()
				for it.HasNext() {
					ids = append(ids, ix.st.iris[it.Next()])
				}
				q := query.NewConjunctionQuery([]query.Query{textQuery(*ws), query.NewDocIDQuery(ids)})
				if _, err := ix.collect(ctx, q, vis, filter, top); err != nil {
					return nil, nil, err
				}
			}
			return matched, top, nil
		}
	}
	if allTrue(ws.common) && !anyTrue(ws.fuzzy) {
		return ix.matchCommon(ctx, ws, vis, filter, newTop())
	}
	top := newTop()
	matched, err := ix.collect(ctx, textQuery(*ws), vis, filter, top)
	if err != nil {
		return nil, nil, err
	}
	if ws.min > 1 && matched.GetCardinality() < relaxBelow {
		// too few documents have every word: accept those with any
		ws.min = 1
		top = newTop()
		if matched, err = ix.collect(ctx, textQuery(*ws), vis, filter, top); err != nil {
			return nil, nil, err
		}
	}
	return matched, top, nil
}

// matchCommon serves words that are all common (found in more than
// commonShare of the documents, like "numérique"): the matching set comes
// from the posting lists, unscored; bleve ranks only the documents holding
// the words in a ranking field (title, keywords, competency labels); the
// other matches follow, in IRI order, as if scored 0.
func (ix *Index) matchCommon(ctx context.Context, ws *words, vis, filter *roaring.Bitmap, top *topHits) (*roaring.Bitmap, *topHits, error) {
	matched, err := ix.membership(ctx, *ws, vis)
	if err != nil {
		return nil, nil, err
	}
	if ws.min > 1 && matched.GetCardinality() < relaxBelow {
		ws.min = 1
		if matched, err = ix.membership(ctx, *ws, vis); err != nil {
			return nil, nil, err
		}
	}
	if top.limit == 0 {
		return matched, top, nil
	}
	rank := *ws
	rank.rankOnly = true
	ranked, err := ix.collect(ctx, textQuery(rank), matched, filter, top)
	if err != nil {
		return nil, nil, err
	}
	if len(top.items) < top.limit {
		passing := roaring.And(matched, filter)
		passing.AndNot(ranked)
		for _, o := range ix.st.byIRI.arr {
			if len(top.items) >= top.limit {
				break
			}
			if passing.Contains(o) {
				top.consider(o, 0)
			}
		}
	}
	return matched, top, nil
}

func allTrue(bs []bool) bool {
	for _, b := range bs {
		if !b {
			return false
		}
	}
	return len(bs) > 0
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}

// membership returns the visible documents holding at least ws.min of the
// words, read from the posting lists of the combined field (light stems)
// and of the precise twins (minimal stems), without scoring.
func (ix *Index) membership(ctx context.Context, ws words, vis *roaring.Bitmap) (*roaring.Bitmap, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, domain.Wrap("search", domain.KindInternal, err)
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, domain.Wrap("search", domain.KindInternal, err)
	}
	defer reader.Close()
	ords, err := ix.segs.forReader(reader, ix.st.ordOf)
	if err != nil {
		return nil, domain.Wrap("search", domain.KindInternal, err)
	}
	words := (len(ix.st.iris) + 63) / 64
	counts := make([]uint8, 0)
	var acc []uint64 // AND or OR of the words' sets, when min is n or 1
	n := len(ws.terms)
	for i, t := range ws.terms {
		set := make([]uint64, words)
		posting := []struct{ term, field string }{{t, fieldAll}}
		if i < len(ws.precise) && ws.precise[i] != "" {
			posting = append(posting, struct{ term, field string }{ws.precise[i], fieldNameExact},
				struct{ term, field string }{ws.precise[i], fieldDescriptionExact})
		}
		for _, p := range posting {
			if err := visitPostings(ctx, reader, ords, p.term, p.field, set); err != nil {
				return nil, domain.Wrap("search", domain.KindInternal, err)
			}
		}
		switch {
		case ws.min >= n && i == 0, ws.min <= 1 && i == 0:
			acc = set
		case ws.min >= n:
			for j := range acc {
				acc[j] &= set[j]
			}
		case ws.min <= 1:
			for j := range acc {
				acc[j] |= set[j]
			}
		default:
			if len(counts) == 0 {
				counts = make([]uint8, len(ix.st.iris))
			}
			for j, w := range set {
				for w != 0 {
					b := bits.TrailingZeros64(w)
					counts[j*64+b]++
					w &= w - 1
				}
			}
		}
	}
	if acc == nil {
		acc = make([]uint64, words)
		for o, c := range counts {
			if int(c) >= ws.min {
				acc[o>>6] |= 1 << (o & 63)
			}
		}
	}
	return roaring.And(roaring.FromDense(acc, false), vis), nil
}

// visitPostings sets, in set, the ordinal of every document whose field
// holds term.
func visitPostings(ctx context.Context, reader index.IndexReader, ords *ordinals, term, field string, set []uint64) error {
	tfr, err := reader.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return err
	}
	defer tfr.Close()
	var d *index.TermFieldDoc
	for {
		d, err = tfr.Next(d)
		if err != nil || d == nil {
			return err
		}
		if o, ok := ords.ordinal(d.ID); ok && int(o>>6) < len(set) {
			set[o>>6] |= 1 << (o & 63)
		}
	}
}
