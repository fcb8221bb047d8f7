package lesbases_test

import (
	"context"
	"testing"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
)

// The benchmarks harvest the fake server's catalogue (23 bases, 180
// resources listed; 20 and 160 visible) at the DEFAULT politeness rate of
// 5 requests per 400 ms, through the real stack. Figures for BENCHMARKS.md:
//
//	go test -run XXX -bench Harvest -benchtime 3x ./importers/lesbases/

func politeRun(b *testing.B, s *stack, srv *lesbasestest.Server) *lesbases.Summary {
	sum, err := lesbases.Harvest(context.Background(), lesbases.Options{Site: srv.URL, Sink: s.sink,
		Client: lesbases.NewClient(lesbases.ClientOptions{})})
	if err != nil {
		b.Fatal(err)
	}
	return sum
}

func report(b *testing.B, sums []*lesbases.Summary) {
	var req, upd float64
	for _, s := range sums {
		req += float64(s.Requests)
		upd += float64(s.New + s.Updated)
	}
	b.ReportMetric(req/float64(len(sums)), "requests/op")
	b.ReportMetric(upd/float64(len(sums)), "written/op")
}

func BenchmarkHarvestFull(b *testing.B) {
	srv := lesbasestest.NewServer(lesbasestest.Generate())
	defer srv.Close()
	var sums []*lesbases.Summary
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s := newStack(b)
		b.StartTimer()
		sums = append(sums, politeRun(b, s, srv))
	}
	report(b, sums)
}

func BenchmarkHarvestNothingChanged(b *testing.B) {
	srv := lesbasestest.NewServer(lesbasestest.Generate())
	defer srv.Close()
	s := newStack(b)
	politeRun(b, s, srv)
	b.ResetTimer()
	var sums []*lesbases.Summary
	for i := 0; i < b.N; i++ {
		sums = append(sums, politeRun(b, s, srv))
	}
	report(b, sums)
}

func BenchmarkHarvestFivePercentChanged(b *testing.B) {
	srv := lesbasestest.NewServer(lesbasestest.Generate())
	defer srv.Close()
	s := newStack(b)
	politeRun(b, s, srv)
	b.ResetTimer()
	var sums []*lesbases.Summary
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv.Edit(func(c *lesbasestest.Catalogue) { c.TouchShare(0.05) })
		b.StartTimer()
		sums = append(sums, politeRun(b, s, srv))
	}
	report(b, sums)
}
