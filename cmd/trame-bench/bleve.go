package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/search"
	"github.com/trame-commun/trame/internal/search/corpus"
)

func runBleve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bleve", flag.ExitOnError)
	n := fs.Int("n", 10000, "number of resources")
	seed := fs.Uint64("seed", 1, "random seed")
	rounds := fs.Int("rounds", 20, "times each query of the mix runs")
	dir := fs.String("dir", "", "index directory (default: a temporary one, removed at the end)")
	prof := fs.String("cpuprofile", "", "write a CPU profile of the query mix to this file")
	iprof := fs.String("indexprofile", "", "write a CPU profile of the index build to this file")
	oprof := fs.String("openprofile", "", "write a CPU profile of the reopening to this file")
	contents := fs.Bool("contents", true, "give resources their generated contents (schema:text); false indexes titles and descriptions only, like the ENGINES.md probe")
	reuse := fs.Bool("reuse", false, "reuse the index already in -dir (built by an earlier run): time the reopening and the queries only")
	fs.BoolVar(&perQueryTimes, "per-query", false, "print each query's median and maximum time to standard error")
	fs.StringVar(&memProfile, "memprofile", "", "write an allocation profile of the query mix to this file")
	fs.StringVar(&onlyText, "only", "", "run only the queries of the mix whose text is this")
	_ = fs.Parse(args)
	if *dir == "" {
		tmp, err := os.MkdirTemp("", "trame-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		*dir = filepath.Join(tmp, "search")
	}
	g, err := corpus.NewGenerator(base, *seed)
	if err != nil {
		return err
	}
	lab := corpus.NewMapLabels(g.Reference()...)
	if *reuse {
		fmt.Printf("## bleve, index reused from %s, GOMAXPROCS=%d\n\n", *dir, runtime.GOMAXPROCS(0))
		return reopenAndTime(ctx, *dir, lab, *rounds, *oprof, *prof)
	}
	ix, err := search.Open(search.Options{Dir: *dir, BaseIRI: base, Labels: lab})
	if err != nil {
		return err
	}
	docs := make([]corpus.Doc, *n)
	ents := make([]*domain.Entity, *n)
	for i := range docs {
		docs[i] = g.Doc(i)
		if !*contents {
			docs[i].Text = ""
		}
		ents[i] = g.Entity(docs[i])
	}
	runtime.GC()
	stopIndexProfile := startProfile(*iprof)
	start, startCPU := time.Now(), cpuTime()
	for i := 0; i < *n; i += search.DefaultBatchSize {
		var puts []domain.ViewEntity
		for j := i; j < min(*n, i+search.DefaultBatchSize); j++ {
			puts = append(puts, domain.ViewEntity{Entity: ents[j], Record: domain.Record{IRI: docs[j].IRI, Draft: docs[j].Draft}})
		}
		if err := ix.Apply(ctx, uint64(i+len(puts)), puts, nil); err != nil {
			return err
		}
	}
	took, tookCPU := time.Since(start), cpuTime()-startCPU
	stopIndexProfile()
	peak, _ := rss()
	fmt.Printf("## bleve, %d resources (seed %d, contents %v), GOMAXPROCS=%d\n\n", *n, *seed, *contents, runtime.GOMAXPROCS(0))
	fmt.Printf("- index build: %s, **%.0f docs/s**, peak RSS %.0f MB (corpus held in memory included)\n", took.Round(time.Millisecond), float64(*n)/took.Seconds(), peak)
	fmt.Printf("- index build CPU time: %s (%.0f docs per CPU-second; the wall rate on %d idle cores would be at most %.0f docs/s)\n",
		tookCPU.Round(time.Millisecond), float64(*n)/tookCPU.Seconds(), runtime.GOMAXPROCS(0), float64(*n)/tookCPU.Seconds()*float64(runtime.GOMAXPROCS(0)))
	if err := ix.Close(); err != nil {
		return err
	}
	return reopenAndTime(ctx, *dir, lab, *rounds, *oprof, *prof)
}

func reopenAndTime(ctx context.Context, dir string, lab search.Labels, rounds int, oprof, qprof string) error {
	runtime.GC()
	stop := startProfile(oprof)
	start := time.Now()
	ix, err := search.Open(search.Options{Dir: dir, BaseIRI: base, Labels: lab})
	if err != nil {
		return err
	}
	stop()
	defer ix.Close()
	fmt.Printf("- reopen (in-memory side rebuilt from the index): %s, %d documents\n", time.Since(start).Round(time.Millisecond), ix.Size())
	settle(ix)
	runtime.GC()
	_, now := rss()
	fmt.Printf("- RSS once open: %.0f MB\n\n", now)
	defer startProfile(qprof)()
	return timeMix(ctx, ix, rounds)
}

// settle waits (at most two minutes) for the background merging of segments
// to end, so that the query mix times the steady state.
func settle(ix *search.Index) {
	start, last, stable := time.Now(), -1, 0
	for time.Since(start) < 2*time.Minute && stable < 5 {
		n := ix.Segments()
		if n == last {
			stable++
		} else {
			stable = 0
		}
		last = n
		time.Sleep(time.Second)
	}
	fmt.Printf("- segments after merging settled: %d (waited %s)\n", last, time.Since(start).Round(time.Second))
}

var (
	memProfile    string
	perQueryTimes bool
	onlyText      string
)

func timeMix(ctx context.Context, ix *search.Index, rounds int) error {
	fmt.Println("| query shape | queries × rounds | p50 ms | p99 ms | max ms | CPU p50 ms | CPU p99 ms | mean hits |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	perQuery := map[string][]time.Duration{}
	defer func() {
		if !perQueryTimes {
			return
		}
		for k, v := range perQuery {
			fmt.Fprintf(os.Stderr, "%-60s p50 %s ms max %s ms\n", k, ms(percentile(v, 0.5)), ms(percentile(v, 1)))
		}
	}()
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	queries := 0
	defer func() {
		var ms1 runtime.MemStats
		runtime.ReadMemStats(&ms1)
		if queries > 0 {
			fmt.Printf("\nAllocated per query (mean over the mix): %.0f KB; %d garbage collections during the mix\n",
				float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(queries)/1024, ms1.NumGC-ms0.NumGC)
		}
	}()
	for _, sh := range mix() {
		if only := onlyText; only != "" {
			var keep []query
			for _, q := range sh.Queries {
				if q.Text == only {
					keep = append(keep, q)
				}
			}
			if sh.Queries = keep; len(keep) == 0 {
				continue
			}
		}
		var lat, cpu []time.Duration
		total := 0
		for _, q := range sh.Queries { // warm up the segment maps and caches
			if _, err := ix.Search(ctx, trameRequest(q)); err != nil {
				return err
			}
		}
		for r := 0; r < rounds; r++ {
			for _, q := range sh.Queries {
				c := cpuTime()
				t := time.Now()
				res, err := ix.Search(ctx, trameRequest(q))
				if err != nil {
					return fmt.Errorf("%s %+v: %w", sh.Name, q, err)
				}
				lat = append(lat, time.Since(t))
				cpu = append(cpu, cpuTime()-c)
				total += res.Total
				queries++
				k := fmt.Sprintf("%s %q %v p%d", sh.Name, q.Text, q.Filters != nil, q.Page)
				perQuery[k] = append(perQuery[k], time.Since(t))
			}
		}
		fmt.Printf("| %s | %d × %d | %s | %s | %s | %s | %s | %d |\n", sh.Name, len(sh.Queries), rounds,
			ms(percentile(lat, 0.5)), ms(percentile(lat, 0.99)), ms(percentile(lat, 1)),
			ms(percentile(cpu, 0.5)), ms(percentile(cpu, 0.99)), total/len(lat))
	}
	if onlyText == "" {
		if err := timeCursorPages(ctx, ix, rounds); err != nil {
			return err
		}
	}
	if memProfile != "" {
		if f, err := os.Create(memProfile); err == nil {
			runtime.GC()
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	peak, now := rss()
	fmt.Printf("\nRSS after the query mix: %.0f MB (peak %.0f MB)\n", now, peak)
	return nil
}

// cpuTime returns the CPU time (user + system) this process has used: on a
// machine shared with other work, it tells a query's cost apart from the
// time it waited for a core.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// timeCursorPages times the deep pages of the mix reached the way deep
// paging is meant to be done: with the apres cursor of the page before
// (the cursors are collected first, untimed).
func timeCursorPages(ctx context.Context, ix *search.Index, rounds int) error {
	var lat, cpu []time.Duration
	total := 0
	for _, sh := range mix() {
		for _, q := range sh.Queries {
			if q.Page <= 1 {
				continue
			}
			req := trameRequest(q)
			req.Page = q.Page - 1
			prev, err := ix.Search(ctx, req)
			if err != nil {
				return err
			}
			req.Page, req.After = 1, prev.Next
			for r := 0; r < rounds; r++ {
				c, t := cpuTime(), time.Now()
				res, err := ix.Search(ctx, req)
				if err != nil {
					return err
				}
				lat = append(lat, time.Since(t))
				cpu = append(cpu, cpuTime()-c)
				total += res.Total
			}
		}
	}
	if len(lat) > 0 {
		fmt.Printf("| deep page by apres cursor (Trame only) | %d × %d | %s | %s | %s | %s | %s | %d |\n", len(lat)/rounds, rounds,
			ms(percentile(lat, 0.5)), ms(percentile(lat, 0.99)), ms(percentile(lat, 1)),
			ms(percentile(cpu, 0.5)), ms(percentile(cpu, 0.99)), total/len(lat))
	}
	return nil
}

// startProfile starts a CPU profile into path (nothing when path is "")
// and returns the function that stops it.
func startProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func trameRequest(q query) search.Request {
	page := q.Page
	if page == 0 {
		page = 1
	}
	return search.Request{Text: q.Text, Filters: q.Filters, Sort: search.SortRelevance, Page: page, PerPage: 20, Lang: "fr"}
}
