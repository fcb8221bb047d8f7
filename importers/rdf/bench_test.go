package rdf_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/importers/rdf/rdfgen"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
)

// BenchmarkImportNQuads imports a generated N-Quads file of valid Trame
// entities (20,000 resources, 500 competencies, 200 organisations: about
// 283,000 quads) into a fresh store, through the real stack. Figures for
// BENCHMARKS.md:
//
//	go test -run XXX -bench ImportNQuads -benchtime 1x ./importers/rdf/
//
// peak-RSS-MB is the process's maximum resident set (getrusage).
func BenchmarkImportNQuads(b *testing.B) {
	path, size, quads := generated(b, 20000)
	var secs float64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := newStack(b)
		in, _ := os.Open(path)
		b.StartTimer()
		rep, err := rdf.Import(context.Background(), in, rdf.Options{Format: rdf.NQuads, Sink: s.Sink, Size: size})
		b.StopTimer()
		in.Close()
		if err != nil || rep.Rejected > 0 || rep.Written != 20000+500+200+1 {
			b.Fatalf("%v %+v", err, rep)
		}
		secs += rep.Seconds
	}
	reportRun(b, quads, secs)
}

// BenchmarkImportLean imports generated files into a store with the
// catalog alone, as `trame import` on a data directory does (no graph view;
// validation reads the store):
//
//	go test -run XXX -bench 'ImportLean/resources=20000$' -benchtime 1x ./importers/rdf/
func BenchmarkImportLean(b *testing.B) {
	for _, n := range []int{20000, 200000} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			path, size, quads := generated(b, n)
			var secs float64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s := newLeanStack(b)
				in, _ := os.Open(path)
				b.StartTimer()
				rep, err := rdf.Import(context.Background(), in, rdf.Options{Format: rdf.NQuads, Sink: s.Sink, Size: size})
				b.StopTimer()
				in.Close()
				if err != nil || rep.Rejected > 0 || rep.Written != n+500+200+1 {
					b.Fatalf("%v %+v", err, rep)
				}
				secs += rep.Seconds
			}
			reportRun(b, quads, secs)
		})
	}
}

// generated writes a generated N-Quads file of n resources and returns
// its path, size and number of quads.
func generated(b *testing.B, n int) (string, int64, int) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "gen.nq")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	quads, err := rdfgen.Write(f, rdfgen.Options{Resources: n, Seed: 1})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, st.Size(), quads
}

// reportRun reports the import rate and the process's peak RSS.
func reportRun(b *testing.B, quads int, secs float64) {
	b.ReportMetric(float64(quads*b.N)/secs, "quads/s")
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
}

// discard is a sink that validates nothing and keeps nothing: it measures
// the importer alone (parsing, partitioning, grouping, checking the shapes
// against the file), without the store and the views.
type discard struct{}

func (discard) BaseIRI() string { return "http://localhost:8080/" }
func (discard) Get(context.Context, []string) (map[string]*domain.Entity, error) {
	return map[string]*domain.Entity{}, nil
}
func (discard) List(context.Context, domain.Collection, string, int) ([]*domain.Entity, error) {
	return nil, nil
}
func (discard) Lookup() domain.Lookup { return noLookup{} }
func (discard) Apply(_ context.Context, b sink.Batch) (sink.Result, error) {
	return sink.Result{Written: len(b.Puts)}, nil
}
func (discard) GetMeta(context.Context, string) ([]byte, error) {
	return nil, domain.Errorf("discard", domain.KindNotFound, "none")
}
func (discard) PutMeta(context.Context, string, []byte) error { return nil }
func (discard) SwapMeta(context.Context, string, []byte, []byte) error {
	return nil
}

type noLookup struct{}

func (noLookup) TypesOf(string) []string       { return nil }
func (noLookup) LevelNumber(string) int        { return 0 }
func (noLookup) Prerequisites(string) []string { return nil }

// BenchmarkImporterAlone runs the importer on generated files of two sizes
// into a sink that keeps nothing: its peak RSS should not grow with the
// file (run each size in its own process, since peak RSS only grows):
//
//	go test -run XXX -bench 'ImporterAlone/resources=20000$' -benchtime 1x ./importers/rdf/
//	go test -run XXX -bench 'ImporterAlone/resources=200000$' -benchtime 1x ./importers/rdf/
func BenchmarkImporterAlone(b *testing.B) {
	for _, n := range []int{20000, 200000, 600000} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			path, size, quads := generated(b, n)
			b.ResetTimer()
			var secs float64
			for i := 0; i < b.N; i++ {
				in, _ := os.Open(path)
				rep, err := rdf.Import(context.Background(), in, rdf.Options{Format: rdf.NQuads, Sink: discard{}, Size: size})
				in.Close()
				if err != nil || rep.Rejected > 0 {
					b.Fatalf("%v %+v", err, rep)
				}
				secs += rep.Seconds
			}
			reportRun(b, quads, secs)
		})
	}
}
