package search

import (
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Bleve's scorch engine numbers the documents of a reader snapshot by
// segment: a hit's internal ID is the segment's offset (the document counts
// of the segments before it) plus the document's number inside its segment.
// Segments are immutable and shared between snapshots, so the index maps
// each segment's document numbers to its own ordinals once, the first time a
// search meets the segment, and a hit's ordinal is then two array look-ups.

// segmentMaps caches, per segment, the ordinal of each document number.
type segmentMaps struct {
	mu   sync.Mutex
	maps map[segment.Segment][]uint32 // document number → ordinal+1 (0: unknown)
}

func newSegmentMaps() *segmentMaps { return &segmentMaps{maps: map[segment.Segment][]uint32{}} }

// ordinals resolves the internal IDs of one reader snapshot.
type ordinals struct {
	offsets []uint64
	maps    [][]uint32
}

// ordinal returns the ordinal of the document with internal ID id.
func (o *ordinals) ordinal(id index.IndexInternalID) (uint32, bool) {
	if len(id) != 8 {
		return 0, false
	}
	n := binary.BigEndian.Uint64(id)
	lo, hi := 0, len(o.offsets)-1
	for lo < hi { // last segment whose offset is <= n
		mid := (lo + hi + 1) / 2
		if o.offsets[mid] <= n {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo < 0 || lo >= len(o.maps) {
		return 0, false
	}
	local := n - o.offsets[lo]
	m := o.maps[lo]
	if local >= uint64(len(m)) || m[local] == 0 {
		return 0, false
	}
	return m[local] - 1, true
}

// forReader returns the ordinals of reader's snapshot, mapping the segments
// not seen before with ordOf (the caller holds the index's read lock).
func (sm *segmentMaps) forReader(reader index.IndexReader, ordOf map[string]uint32) (*ordinals, error) {
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("search: the bleve reader is a %T, not a scorch snapshot", reader)
	}
	sm.mu.Lock()
	defer sm.mu.Unlock()
	out := &ordinals{}
	var running uint64
	live := map[segment.Segment]bool{}
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		m, ok := sm.maps[seg]
		if !ok {
			var err error
			if m, err = mapSegment(seg, ordOf); err != nil {
				return nil, err
			}
			sm.maps[seg] = m
		}
		live[seg] = true
		out.offsets = append(out.offsets, running)
		out.maps = append(out.maps, m)
		running += seg.Count()
	}
	for seg := range sm.maps {
		if !live[seg] {
			delete(sm.maps, seg)
		}
	}
	return out, nil
}

// mapSegment reads a segment's _id dictionary: each term is a document's
// IRI and its one posting the document's number.
func mapSegment(seg segment.Segment, ordOf map[string]uint32) ([]uint32, error) {
	m := make([]uint32, seg.Count())
	dict, err := seg.Dictionary("_id")
	if err != nil {
		return nil, err
	}
	it := dict.AutomatonIterator(matchAll{}, nil, nil)
	var pl segment.PostingsList
	var pi segment.PostingsIterator
	for {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		o, known := ordOf[e.Term]
		if !known {
			continue
		}
		if pl, err = dict.PostingsList([]byte(e.Term), nil, pl); err != nil {
			return nil, err
		}
		pi = pl.Iterator(false, false, false, pi)
		for {
			p, err := pi.Next()
			if err != nil {
				return nil, err
			}
			if p == nil {
				break
			}
			if n := p.Number(); n < uint64(len(m)) {
				m[n] = o + 1
			}
		}
	}
	return m, nil
}

// matchAll is the automaton that accepts every term.
type matchAll struct{}

func (matchAll) Start() int               { return 0 }
func (matchAll) IsMatch(int) bool         { return true }
func (matchAll) CanMatch(int) bool        { return true }
func (matchAll) WillAlwaysMatch(int) bool { return true }
func (matchAll) Accept(int, byte) int     { return 0 }

// visitStored calls fn with the IRI and the _meta field of every live
// document of reader.
func visitStored(reader index.IndexReader, fn func(id string, meta []byte) error) error {
	snap, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return fmt.Errorf("search: the bleve reader is a %T, not a scorch snapshot", reader)
	}
	for _, ss := range snap.Segments() {
		seg := ss.Segment()
		liveDocs := ss.DocNumbersLive()
		var ferr error
		it := liveDocs.Iterator()
		for it.HasNext() && ferr == nil {
			num := uint64(it.Next())
			var id string
			var meta []byte
			err := seg.VisitStoredFields(num, func(field string, _ byte, value []byte, _ []uint64) bool {
				switch field {
				case "_id":
					id = string(value)
				case fieldMeta:
					meta = append([]byte(nil), value...)
				}
				return true
			})
			if err != nil {
				return err
			}
			if id != "" && meta != nil {
				ferr = fn(id, meta)
			}
		}
		if ferr != nil {
			return ferr
		}
	}
	return nil
}

// Segments returns the number of segments of the index's current snapshot:
// after a bulk load scorch merges them in the background, and a benchmark
// waits for the number to settle before timing queries.
func (ix *Index) Segments() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.idx == nil {
		return 0
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return 0
	}
	r, err := adv.Reader()
	if err != nil {
		return 0
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return len(snap.Segments())
	}
	return 0
}
