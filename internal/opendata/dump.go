package opendata

import (
	"compress/gzip"
	"context"
	"io"
	"time"

	"github.com/trame-commun/trame/internal/domain"
)

// DumpRequest names a dump: a dataset (All or "" for everything), a
// format name (see Formats) and whether to gzip it.
type DumpRequest struct {
	Dataset string
	Format  string
	Gzip    bool
}

// DumpStats says what a dump wrote.
type DumpStats struct {
	Entities int64
	Quads    int64
	Bytes    int64     // bytes written to the writer (compressed when gzipped)
	Modified time.Time // latest update of an entity in the dump
}

// CheckDump validates a request without running it: KindNotFound for an
// unknown dataset, KindNotAcceptable for an unknown format.
func CheckDump(req DumpRequest) error {
	if _, ok := findDataset(req.Dataset); !ok {
		return domain.Errorf("opendata.Dump", domain.KindNotFound, "no dataset %q; datasets: %v", req.Dataset, DatasetNames())
	}
	if _, ok := FindFormat(req.Format); !ok {
		return domain.Errorf("opendata.Dump", domain.KindNotAcceptable, "unsupported dump format %q; supported: %s", req.Format, FormatNames())
	}
	return nil
}

// Dump streams the published entities of a dataset to w. It scans the
// store once and holds one entity at a time, so memory does not grow with
// the graph. Each entity's triples are sorted and its blank nodes renamed
// to be unique in the dump; the output is the same from one run to the
// next while the store does not change.
func (s *Service) Dump(ctx context.Context, w io.Writer, req DumpRequest) (DumpStats, error) {
	var st DumpStats
	if err := CheckDump(req); err != nil {
		return st, err
	}
	want, _ := findDataset(req.Dataset)
	cw := &countingWriter{w: w}
	var out io.Writer = cw
	var gz *gzip.Writer
	if req.Gzip {
		gz = gzip.NewWriter(cw)
		out = gz
	}
	tw, err := newTripleWriter(req.Format, out)
	if err != nil {
		return st, err
	}
	if err := tw.begin(); err != nil {
		return st, err
	}
	err = s.scan(ctx, func(ds *Dataset, rec domain.Record, ts []domain.Triple) error {
		if want != nil && ds != want {
			return nil
		}
		st.Entities++
		st.Quads += int64(len(ts))
		if rec.Updated.After(st.Modified) {
			st.Modified = rec.Updated
		}
		return tw.entity(s.DatasetIRI(ds.Name), ts)
	})
	if err != nil {
		return st, err
	}
	if err := tw.end(); err != nil {
		return st, err
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return st, err
		}
	}
	st.Bytes = cw.n
	return st, nil
}

// scan calls fn with every published entity, its dataset and its triples
// (sorted, blank nodes scoped to the entity), in IRI order.
func (s *Service) scan(ctx context.Context, fn func(*Dataset, domain.Record, []domain.Triple) error) error {
	return s.cfg.Store.Scan(ctx, func(rec domain.Record) error {
		if rec.Draft {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		e, err := s.cfg.Codec.DecodeStored(rec.IRI, rec.Doc)
		if err != nil {
			return err
		}
		scopeBlanks(rec.IRI, e.Triples)
		sortTriples(e.Triples)
		return fn(datasetOf(rec.Collection, e.Types), rec, e.Triples)
	})
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
