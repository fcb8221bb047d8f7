package rdf

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
)

// Partition sizes: a bucket holds about BucketBytes of input, and there
// are at most MaxBuckets of them (each an open temporary file).
const (
	BucketBytes = 8 << 20
	MaxBuckets  = 256
)

// spillFile is a temporary file of records, written then read back.
type spillFile struct {
	path string
	f    *os.File
	w    *bufio.Writer
	n    int
}

func newSpillFile(dir, name string) (*spillFile, error) {
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	return &spillFile{path: p, f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (s *spillFile) add(r record) error {
	s.n++
	return r.write(s.w)
}

// each closes the file for writing and calls fn for every record, in
// order, then removes the file.
func (s *spillFile) each(fn func(record) error) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	defer func() { s.f.Close(); os.Remove(s.path) }()
	br := bufio.NewReaderSize(s.f, 64<<10)
	for {
		rec, err := readRecord(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading back %s: %w", s.path, err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

func (s *spillFile) discard() {
	s.f.Close()
	os.Remove(s.path)
}

// partition is the set of bucket files statements are spread over by the
// IRI of the entity they belong to.
type partition struct {
	dir     string
	buckets []*spillFile
}

func newPartition(dir string, n int) (*partition, error) {
	p := &partition{dir: dir}
	for i := 0; i < n; i++ {
		f, err := newSpillFile(dir, fmt.Sprintf("bucket-%04d", i))
		if err != nil {
			p.discard()
			return nil, err
		}
		p.buckets = append(p.buckets, f)
	}
	return p, nil
}

func (p *partition) add(r record) error {
	h := fnv.New32a()
	h.Write([]byte(r.Root))
	return p.buckets[int(h.Sum32()%uint32(len(p.buckets)))].add(r)
}

func (p *partition) discard() {
	for _, b := range p.buckets {
		b.discard()
	}
}

// bucketCount chooses how many buckets a file of size bytes needs.
func bucketCount(size int64) int {
	n := int(size/BucketBytes) + 1
	return max(1, min(n, MaxBuckets))
}
