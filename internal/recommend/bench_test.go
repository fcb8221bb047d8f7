package recommend

import (
	"context"
	"math/rand/v2"
	"testing"
)

// Benchmarks of the optimiser alone on random instances (the service-level
// figures of BENCHMARKS.md come from cmd/trame-reco-bench).

func fullGapInstance(items int) Instance {
	rng := rand.New(rand.NewPCG(42, 42))
	in := RandomInstance(rng, RandomParams{Classes: 21, Targeted: 21, Items: items, MaxGains: 3, NeedProb: 0.4, MaxCost: 600})
	for k := range in.Classes {
		in.Start[k], in.Target[k] = 0, MaxLevel
	}
	return in
}

func benchSolve(b *testing.B, in Instance, opt Options) {
	b.Helper()
	for b.Loop() {
		if _, err := Solve(context.Background(), in, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGreedyFullGap1k(b *testing.B)  { benchSolve(b, fullGapInstance(1000), Options{}) }
func BenchmarkGreedyFullGap10k(b *testing.B) { benchSolve(b, fullGapInstance(10000), Options{}) }
func BenchmarkExact30(b *testing.B) {
	benchSolve(b, RandomInstance(rand.New(rand.NewPCG(7, 7)), RandomParams{Classes: 21, Targeted: 21, Items: 30, MaxGains: 3, NeedProb: 0.4, MaxCost: 600}), Options{})
}
func BenchmarkExact64(b *testing.B) {
	benchSolve(b, RandomInstance(rand.New(rand.NewPCG(7, 7)), RandomParams{Classes: 21, Targeted: 21, Items: 64, MaxGains: 3, NeedProb: 0.4, MaxCost: 600}), Options{})
}
