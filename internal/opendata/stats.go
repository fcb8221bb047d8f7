package opendata

import (
	"compress/gzip"
	"context"
	"io"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// StatsMaxAge bounds how often the statistics behind the catalogue and
// VoID (counts, byte sizes, modified dates) are recomputed: after a write
// they are recomputed on the next request once the cached copy is older
// than this. Byte sizes can lag writes by at most this long.
const StatsMaxAge = 30 * time.Second

// Stats describes every dataset as of one store sequence.
type Stats struct {
	Seq      uint64
	Computed time.Time
	Datasets map[string]*DatasetStats // by name, All included
}

// DatasetStats are the figures of one dataset.
type DatasetStats struct {
	Name       string
	Entities   int64
	Triples    int64
	Subjects   int64            // distinct subjects (entity IRIs and their blank nodes)
	Modified   time.Time        // latest update of one of its entities
	Classes    map[string]int64 // class IRI → entities of that class
	Properties map[string]int64 // predicate IRI → triples
	Bytes      map[string]int64 // dump size by file suffix: "nq", "nq.gz", …
}

// Stats returns the statistics of the datasets, recomputed when the store
// changed and the cached copy is older than StatsMaxAge. Computing them
// writes every dump (all formats, plain and gzipped) to byte counters in
// one scan of the store.
func (s *Service) Stats(ctx context.Context) (*Stats, error) {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	seq, err := s.cfg.Store.LastSeq(ctx)
	if err != nil {
		return nil, err
	}
	if s.stats != nil && (s.stats.Seq == seq || time.Since(s.stats.Computed) < StatsMaxAge) {
		return s.stats, nil
	}
	st, err := s.computeStats(ctx, seq)
	if err != nil {
		return nil, err
	}
	s.stats = st
	return st, nil
}

// sizeSink counts the bytes of one dump in one format, plain and gzipped.
type sizeSink struct {
	format string
	plain  countingWriter
	zipped countingWriter
	gz     *gzip.Writer
	tw     tripleWriter
}

func newSizeSink(format string) (*sizeSink, error) {
	k := &sizeSink{format: format, plain: countingWriter{w: io.Discard}, zipped: countingWriter{w: io.Discard}}
	k.gz = gzip.NewWriter(&k.zipped)
	tw, err := newTripleWriter(format, io.MultiWriter(&k.plain, k.gz))
	if err != nil {
		return nil, err
	}
	k.tw = tw
	return k, tw.begin()
}

func (k *sizeSink) close(into map[string]int64) error {
	if err := k.tw.end(); err != nil {
		return err
	}
	if err := k.gz.Close(); err != nil {
		return err
	}
	into[k.format] = k.plain.n
	into[k.format+".gz"] = k.zipped.n
	return nil
}

func (s *Service) computeStats(ctx context.Context, seq uint64) (*Stats, error) {
	st := &Stats{Seq: seq, Computed: time.Now(), Datasets: map[string]*DatasetStats{}}
	sinks := map[string][]*sizeSink{}
	for _, name := range DatasetNames() {
		st.Datasets[name] = &DatasetStats{Name: name, Classes: map[string]int64{}, Properties: map[string]int64{}, Bytes: map[string]int64{}}
		for _, f := range Formats {
			k, err := newSizeSink(f.Name)
			if err != nil {
				return nil, err
			}
			sinks[name] = append(sinks[name], k)
		}
	}
	err := s.scan(ctx, func(ds *Dataset, rec domain.Record, ts []domain.Triple) error {
		for _, name := range []string{ds.Name, All} {
			d := st.Datasets[name]
			d.add(rec, ts)
			for _, k := range sinks[name] {
				if err := k.tw.entity(s.DatasetIRI(ds.Name), ts); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, ks := range sinks {
		for _, k := range ks {
			if err := k.close(st.Datasets[name].Bytes); err != nil {
				return nil, err
			}
		}
	}
	return st, nil
}

// add counts one entity.
func (d *DatasetStats) add(rec domain.Record, ts []domain.Triple) {
	d.Entities++
	d.Triples += int64(len(ts))
	if rec.Updated.After(d.Modified) {
		d.Modified = rec.Updated
	}
	for i, t := range ts {
		if i == 0 || t.S != ts[i-1].S {
			d.Subjects++
		}
		d.Properties[t.P.Value]++
		if t.P.Value == ontology.Type && t.S.Value == rec.IRI && t.O.IsIRI() {
			d.Classes[t.O.Value]++
		}
	}
}
