// Package extsort sorts key/value records that need not fit in memory and
// keeps them as sorted files on disk.
//
// A Sorter takes records in any order and spills a sorted run to disk each
// time its memory budget is spent; Sort merges the runs into one File,
// which can be read in key order any number of times. BuildTable folds a
// File's records of equal key into one value each and writes a Table, which
// answers point lookups through a sparse index (one key per block) and a
// bounded cache of blocks. Records of equal key keep the order they were
// added in, through every run and merge.
//
// Memory: a Sorter holds at most its budget of records; a merge holds one
// buffered reader per run (at most MaxFanIn at a time); a Table holds its
// sparse index (about one key per BlockSize bytes of table) and at most
// CacheBlocks decoded blocks. None of them follows the number of records.
package extsort

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// Sizes of the machinery, documented in docs/importers.md.
const (
	// DefaultBudget is the memory a Sorter fills before it spills a run.
	DefaultBudget = 32 << 20
	// MaxFanIn is how many runs one merge reads at once; more runs are
	// merged in rounds.
	MaxFanIn = 64
	// MaxRecord bounds a key or a value; a longer one read back means the
	// file is corrupt.
	MaxRecord = 64 << 20
	// CheckEvery is how many records a merge writes between two looks at
	// its context.
	CheckEvery = 1 << 16
	// recordOverhead is what a record costs in memory beyond its bytes.
	recordOverhead = 48
	bufSize        = 64 << 10
)

// ErrCorrupt is returned when a spilled file does not read back.
var ErrCorrupt = errors.New("extsort: corrupt spill file")

type record struct {
	key string
	val []byte
}

// Sorter collects records and sorts them by key. It is not safe for
// concurrent use.
type Sorter struct {
	dir    string
	name   string
	budget int
	recs   []record
	bytes  int
	runs   []string
	n      int64
	seq    int
	done   bool
}

// NewSorter returns a Sorter that spills its runs into dir as files named
// after name, once budget bytes of records are held (DefaultBudget when
// budget ≤ 0).
func NewSorter(dir, name string, budget int) *Sorter {
	if budget <= 0 {
		budget = DefaultBudget
	}
	return &Sorter{dir: dir, name: name, budget: budget}
}

// Add adds a record; val is copied. It fails only when a run cannot be
// written, or after Sort.
func (s *Sorter) Add(key string, val []byte) error {
	if s.done {
		return errors.New("extsort: Add after Sort")
	}
	if len(key) > MaxRecord || len(val) > MaxRecord {
		return fmt.Errorf("extsort: record of %d+%d bytes over the %d-byte limit", len(key), len(val), MaxRecord)
	}
	s.recs = append(s.recs, record{key: key, val: append([]byte(nil), val...)})
	s.bytes += len(key) + len(val) + recordOverhead
	s.n++
	if s.bytes >= s.budget {
		return s.spill()
	}
	return nil
}

// Len is the number of records added.
func (s *Sorter) Len() int64 { return s.n }

// Runs is the number of runs spilled to disk so far.
func (s *Sorter) Runs() int { return len(s.runs) }

func (s *Sorter) nextPath(kind string) string {
	s.seq++
	return filepath.Join(s.dir, fmt.Sprintf("%s.%s-%d", s.name, kind, s.seq))
}

// spill writes the held records, sorted, as a run.
func (s *Sorter) spill() error {
	sort.SliceStable(s.recs, func(i, j int) bool { return s.recs[i].key < s.recs[j].key })
	p := s.nextPath("run")
	w, err := create(p)
	if err != nil {
		return err
	}
	for _, r := range s.recs {
		if err := w.write(r.key, r.val); err != nil {
			w.close()
			return err
		}
	}
	if err := w.close(); err != nil {
		return err
	}
	s.runs = append(s.runs, p)
	s.recs, s.bytes = nil, 0
	return nil
}

// Sort ends the adding and returns every record in key order as one File.
// The runs are removed. The Sorter cannot be used afterwards. A cancelled
// ctx stops the merging (and returns its error) within CheckEvery records.
func (s *Sorter) Sort(ctx context.Context) (*File, error) {
	s.done = true
	if len(s.runs) == 0 {
		// Everything fits in memory: one run is the result.
		if err := s.spill(); err != nil {
			return nil, err
		}
		return &File{path: s.runs[0], n: s.n}, nil
	}
	if len(s.recs) > 0 {
		if err := s.spill(); err != nil {
			return nil, err
		}
	}
	runs := s.runs
	for len(runs) > 1 {
		var next []string
		for i := 0; i < len(runs); i += MaxFanIn {
			group := runs[i:min(i+MaxFanIn, len(runs))]
			if len(group) == 1 {
				next = append(next, group[0])
				continue
			}
			p := s.nextPath("merge")
			if err := merge(ctx, group, p); err != nil {
				return nil, err
			}
			next = append(next, p)
		}
		runs = next
	}
	s.runs = nil
	return &File{path: runs[0], n: s.n}, nil
}

// Discard removes what the Sorter spilled; for a Sorter abandoned before
// Sort.
func (s *Sorter) Discard() {
	for _, p := range s.runs {
		os.Remove(p)
	}
	s.runs, s.recs = nil, nil
}

// File is a sorted file of records.
type File struct {
	path string
	n    int64
}

// Len is the number of records in the file.
func (f *File) Len() int64 { return f.n }

// Each calls fn for every record in key order (records of equal key in the
// order they were added). key and val are only valid during the call. An
// error from fn stops the reading and is returned.
func (f *File) Each(fn func(key string, val []byte) error) error {
	r, err := open(f.path)
	if err != nil {
		return err
	}
	defer r.close()
	for {
		key, val, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(key, val); err != nil {
			return err
		}
	}
}

// Remove deletes the file.
func (f *File) Remove() error { return os.Remove(f.path) }

// writer and reader encode records as uvarint key length, key, uvarint
// value length, value.
type writer struct {
	f   *os.File
	w   *bufio.Writer
	off int64
}

func create(p string) (*writer, error) {
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	return &writer{f: f, w: bufio.NewWriterSize(f, bufSize)}, nil
}

func (w *writer) write(key string, val []byte) error {
	var buf [2 * binary.MaxVarintLen64]byte
	n := binary.PutUvarint(buf[:], uint64(len(key)))
	if _, err := w.w.Write(buf[:n]); err != nil {
		return err
	}
	if _, err := w.w.WriteString(key); err != nil {
		return err
	}
	m := binary.PutUvarint(buf[:], uint64(len(val)))
	if _, err := w.w.Write(buf[:m]); err != nil {
		return err
	}
	_, err := w.w.Write(val)
	w.off += int64(n + len(key) + m + len(val))
	return err
}

func (w *writer) close() error {
	err := w.w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

type reader struct {
	f   *os.File
	r   *bufio.Reader
	key []byte
	val []byte
}

func open(p string) (*reader, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	return &reader{f: f, r: bufio.NewReaderSize(f, bufSize)}, nil
}

// next reads a record; the returned slices are reused by the next call.
func (r *reader) next() (string, []byte, error) {
	var err error
	if r.key, err = readBytes(r.r, r.key); err != nil {
		return "", nil, err // io.EOF at a record boundary
	}
	if r.val, err = readBytes(r.r, r.val); err != nil {
		if err == io.EOF {
			err = ErrCorrupt
		}
		return "", nil, err
	}
	return string(r.key), r.val, nil
}

func (r *reader) close() { r.f.Close() }

func readBytes(r *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		if err == io.ErrUnexpectedEOF {
			err = ErrCorrupt
		}
		return nil, err
	}
	if n > MaxRecord {
		return nil, ErrCorrupt
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, ErrCorrupt
	}
	return buf, nil
}
