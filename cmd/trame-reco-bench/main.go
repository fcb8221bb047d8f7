// Command trame-reco-bench measures coverage and recommendation on seeded
// synthetic catalogues (internal/competency/synth) and the greedy
// optimiser against the exact one on random small instances
// (recommend.RandomInstance), and prints the Markdown tables of
// BENCHMARKS.md's "Coverage and recommendation" section:
//
//	go run ./cmd/trame-reco-bench                 # everything, default sizes
//	go run ./cmd/trame-reco-bench -runs 500 -instances 200 -seed 1
//
// Latencies are those of the service call plus the JSON encoding of its
// answer (what an API request costs beyond HTTP), measured one at a time
// after a warm-up; "CPU per run" is the process's user + system CPU time
// over the timed runs divided by their number (garbage collection
// included), which a busy machine inflates far less than the latencies.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/competency/synth"
	"github.com/trame-commun/trame/internal/recommend"
)

func main() {
	seed := flag.Uint64("seed", 1, "seed of the catalogues and instances")
	runs := flag.Int("runs", 300, "timed runs per latency figure")
	instances := flag.Int("instances", 200, "random small instances for the greedy/exact comparison")
	flag.Parse()
	if err := run(*seed, *runs, *instances); err != nil {
		fmt.Fprintln(os.Stderr, "trame-reco-bench:", err)
		os.Exit(1)
	}
}

func run(seed uint64, runs, instances int) error {
	ctx := context.Background()
	fmt.Printf("Go %s, %s/%s, %d CPUs, seed %d, %d runs per figure\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), seed, runs)
	fmt.Println("| measure | catalogue | p50 | p99 | max | CPU per run | notes |")
	fmt.Println("|---|---|---|---|---|---|---|")
	big := load(seed, 10_000)
	cov := func() (string, error) {
		c, err := big.Coverage(ctx, competency.CoverageRequest{Framework: synth.Framework, Scope: competency.Scope{Publisher: synth.Publisher(0)}})
		if err != nil {
			return "", err
		}
		_, err = json.Marshal(c)
		return fmt.Sprintf("%d resources, %d cells, %d uncovered", c.ResourceCount, len(c.Cells), len(c.Uncovered)), err
	}
	if err := measure("coverage, one organisation (1,000 resources)", "10k", runs, cov); err != nil {
		return err
	}
	all := func() (string, error) {
		c, err := big.Coverage(ctx, competency.CoverageRequest{Framework: synth.Framework})
		if err != nil {
			return "", err
		}
		_, err = json.Marshal(c)
		return fmt.Sprintf("%d resources", c.ResourceCount), err
	}
	if err := measure("coverage, whole Commun", "10k", runs, all); err != nil {
		return err
	}
	one := synth.Catalogue(synth.Options{Seed: seed, Resources: 1})
	seq := uint64(1)
	rebuild := func() (string, error) {
		seq++
		if err := big.Apply(ctx, seq, one[len(one)-1:], nil); err != nil {
			return "", err
		}
		_, err := big.Coverage(ctx, competency.CoverageRequest{Framework: synth.Framework, Scope: competency.Scope{Publisher: synth.Publisher(0)}})
		return "a write, then the organisation's coverage (the index is rebuilt)", err
	}
	if err := measure("first query after a write", "10k", runs/5, rebuild); err != nil {
		return err
	}
	for _, n := range []int{1_000, 10_000} {
		v := big
		if n != 10_000 {
			v = load(seed, n)
		}
		reco := func() (string, error) {
			r, err := v.Recommend(ctx, fullGap())
			if err != nil {
				return "", err
			}
			_, err = json.Marshal(r)
			return fmt.Sprintf("%s, %d steps, %d candidates, %d/%d cells, bound ratio %.3f", r.Method, len(r.Steps), r.Candidates,
				r.Bound.Closed, len(r.Gap), r.Bound.Ratio), err
		}
		if err := measure("recommendation, full gap 21 × 8", fmt.Sprintf("%dk", n/1000), runs, reco); err != nil {
			return err
		}
	}
	fmt.Println()
	fmt.Printf("Greedy against the exact optimum on random instances small enough to solve exactly (recommend.RandomInstance, seed %d):\n\n", seed)
	fmt.Println("| family | instances (drawn) | mean greedy/optimal | worst | greedy optimal | exact solve p50 | exact solve p99 | exact search nodes max |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, f := range []struct {
		name string
		rp   recommend.RandomParams
	}{
		{"8 competences, 6 in the gap, 24 candidates", recommend.RandomParams{Classes: 8, Targeted: 6, Items: 24, MaxGains: 3, NeedProb: 0.4, MaxCost: 600}},
		{"21 competences all in the gap, 30 candidates", recommend.RandomParams{Classes: 21, Targeted: 21, Items: 30, MaxGains: 3, NeedProb: 0.4, MaxCost: 600}},
	} {
		if err := greedyVsExact(ctx, seed, instances, f.name, f.rp); err != nil {
			return err
		}
	}
	return nil
}

// load builds a view over a synthetic catalogue of n resources, the first
// 1,000 published by synth.Publisher(0).
func load(seed uint64, n int) *competency.View {
	v := competency.New(competency.Config{BaseIRI: synth.Base})
	ents := synth.Catalogue(synth.Options{Seed: seed, Resources: n, Publishers: 40, BigPublisher: min(1000, n)})
	if err := v.Apply(context.Background(), 1, ents, nil); err != nil {
		panic(err)
	}
	return v
}

// fullGap asks for every competence from level 0 to level 8.
func fullGap() competency.RecommendRequest {
	target := map[string]competency.Level{}
	for c := range synth.Competences {
		target[synth.Competence(c)] = competency.Level{N: 8}
	}
	return competency.RecommendRequest{Target: target}
}

// measure runs fn a few times to warm up, then runs times, and prints a row.
func measure(what, catalogue string, runs int, fn func() (string, error)) error {
	var note string
	for range 3 {
		var err error
		if note, err = fn(); err != nil {
			return err
		}
	}
	runtime.GC()
	lat := make([]time.Duration, runs)
	cpu0 := cpuTime()
	for i := range lat {
		start := time.Now()
		if _, err := fn(); err != nil {
			return err
		}
		lat[i] = time.Since(start)
	}
	cpu := (cpuTime() - cpu0) / time.Duration(runs)
	sort.Slice(lat, func(a, b int) bool { return lat[a] < lat[b] })
	fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", what, catalogue, ms(pct(lat, 50)), ms(pct(lat, 99)), ms(lat[len(lat)-1]), ms(cpu), note)
	return nil
}

// cpuTime is the process's user + system CPU time (GC included).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func pct(lat []time.Duration, p int) time.Duration {
	return lat[min(len(lat)-1, (len(lat)*p+99)/100-1)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

// greedyVsExact compares the greedy path's cost with the proven optimum on
// random instances of one family, and prints a row.
func greedyVsExact(ctx context.Context, seed uint64, want int, name string, rp recommend.RandomParams) error {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	var sum, worst float64
	var exactLat []time.Duration
	n, same, drawn, maxNodes := 0, 0, 0, 0
	for n < want {
		drawn++
		in := recommend.RandomInstance(rng, rp)
		g, err := recommend.Solve(ctx, in, recommend.Options{ForceGreedy: true})
		if err != nil {
			return err
		}
		start := time.Now()
		e, err := recommend.Solve(ctx, in, recommend.Options{})
		if err != nil {
			return err
		}
		d := time.Since(start)
		if e.Method != recommend.Exact || !e.Optimal || e.Cost == 0 {
			continue // nothing to close, or not proven: not a comparison
		}
		exactLat = append(exactLat, d)
		maxNodes = max(maxNodes, e.Nodes)
		r := float64(g.Cost) / float64(e.Cost)
		sum += r
		worst = max(worst, r)
		if g.Cost == e.Cost {
			same++
		}
		n++
	}
	sort.Slice(exactLat, func(a, b int) bool { return exactLat[a] < exactLat[b] })
	fmt.Printf("| %s | %d (%d) | %.4f | %.4f | %d (%.0f%%) | %s | %s | %d |\n", name, n, drawn, sum/float64(n), worst, same,
		100*float64(same)/float64(n), ms(pct(exactLat, 50)), ms(pct(exactLat, 99)), maxNodes)
	return nil
}
