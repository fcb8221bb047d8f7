package extsort

import (
	"container/list"
	"encoding/binary"
	"fmt"
	"os"
	"sort"
	"sync"
)

// Table sizes.
const (
	// BlockSize is the size a table block is filled to (a record is never
	// split, so a block holding one long record is longer).
	BlockSize = 16 << 10
	// CacheBlocks is how many decoded blocks a Table keeps.
	CacheBlocks = 256
)

// Table is a sorted file of unique keys, each with a value and an ordinal
// (its rank among the keys, from 0), read by point lookups. It is safe for
// concurrent use.
type Table struct {
	f     *os.File
	path  string
	index []blockRef
	n     int

	mu    sync.Mutex
	cache map[int]*list.Element
	lru   *list.List
}

// blockRef is the sparse index entry of a block.
type blockRef struct {
	first string // the block's first key
	off   int64
	size  int
	ord   int // ordinal of the block's first key
}

type block struct {
	i    int
	keys []string
	vals [][]byte
}

// BuildTable writes the records of f as a Table at path, one per key:
// fold is called on each record of a key in turn, with the value folded so
// far (nil for the first record) and the record's value, and returns the
// new folded value (it must not keep val, which is reused). The Table must
// be closed, which removes its file.
func BuildTable(f *File, path string, fold func(acc, val []byte) []byte) (*Table, error) {
	w, err := create(path)
	if err != nil {
		return nil, err
	}
	t := &Table{path: path}
	var (
		cur      string
		acc      []byte
		have     bool
		blockOff int64
	)
	emit := func() error {
		if w.off-blockOff >= BlockSize || len(t.index) == 0 {
			if len(t.index) > 0 {
				t.index[len(t.index)-1].size = int(w.off - blockOff)
			}
			blockOff = w.off
			t.index = append(t.index, blockRef{first: cur, off: w.off, ord: t.n})
		}
		t.n++
		return w.write(cur, acc)
	}
	err = f.Each(func(key string, val []byte) error {
		if have && key != cur {
			if err := emit(); err != nil {
				return err
			}
			acc = nil
		}
		cur, have = key, true
		acc = fold(acc, val)
		return nil
	})
	if err == nil && have {
		err = emit()
	}
	if cerr := w.close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	if len(t.index) > 0 {
		t.index[len(t.index)-1].size = int(w.off - blockOff)
	}
	if t.f, err = os.Open(path); err != nil {
		os.Remove(path)
		return nil, err
	}
	t.cache, t.lru = map[int]*list.Element{}, list.New()
	return t, nil
}

// Len is the number of keys.
func (t *Table) Len() int { return t.n }

// Get returns the value and the ordinal of key, or ok false when the table
// lacks it. The value must not be modified.
func (t *Table) Get(key string) (val []byte, ord int, ok bool, err error) {
	// The block to read is the last whose first key is ≤ key.
	i := sort.Search(len(t.index), func(i int) bool { return t.index[i].first > key }) - 1
	if i < 0 {
		return nil, 0, false, nil
	}
	b, err := t.block(i)
	if err != nil {
		return nil, 0, false, err
	}
	j := sort.SearchStrings(b.keys, key)
	if j == len(b.keys) || b.keys[j] != key {
		return nil, 0, false, nil
	}
	return b.vals[j], t.index[i].ord + j, true, nil
}

// block returns the decoded block i, from the cache or the file.
func (t *Table) block(i int) (*block, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if el, ok := t.cache[i]; ok {
		t.lru.MoveToFront(el)
		return el.Value.(*block), nil
	}
	ref := t.index[i]
	buf := make([]byte, ref.size)
	if _, err := t.f.ReadAt(buf, ref.off); err != nil {
		return nil, fmt.Errorf("extsort: reading block %d of %s: %w", i, t.path, err)
	}
	b := &block{i: i}
	for len(buf) > 0 {
		k, n := binary.Uvarint(buf)
		if n <= 0 || uint64(len(buf)-n) < k {
			return nil, ErrCorrupt
		}
		key := string(buf[n : n+int(k)])
		buf = buf[n+int(k):]
		v, m := binary.Uvarint(buf)
		if m <= 0 || uint64(len(buf)-m) < v {
			return nil, ErrCorrupt
		}
		b.keys = append(b.keys, key)
		b.vals = append(b.vals, buf[m:m+int(v):m+int(v)])
		buf = buf[m+int(v):]
	}
	t.cache[i] = t.lru.PushFront(b)
	if t.lru.Len() > CacheBlocks {
		old := t.lru.Remove(t.lru.Back()).(*block)
		delete(t.cache, old.i)
	}
	return b, nil
}

// Close closes and removes the table's file.
func (t *Table) Close() error {
	err := t.f.Close()
	os.Remove(t.path)
	return err
}
