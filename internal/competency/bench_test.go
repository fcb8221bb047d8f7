package competency

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/trame-commun/trame/internal/competency/synth"
)

// The benchmarks of BENCHMARKS.md's "Coverage and recommendation" section
// (mean times; cmd/trame-reco-bench reports the percentiles).

func benchView(b testing.TB, resources int) *View {
	b.Helper()
	v := New(Config{BaseIRI: synth.Base})
	ents := synth.Catalogue(synth.Options{Seed: 1, Resources: resources, Publishers: 40, BigPublisher: min(1000, resources)})
	if err := v.Apply(context.Background(), 1, ents, nil); err != nil {
		b.Fatal(err)
	}
	v.snapshot(false)
	return v
}

// FullGap is the request of the recommendation benchmarks: every
// competence of the synthetic framework from level 0 to level 8.
func fullGap() RecommendRequest {
	target := map[string]Level{}
	for c := range synth.Competences {
		target[synth.Competence(c)] = Level{N: 8}
	}
	return RecommendRequest{Target: target}
}

func benchRecommend(b *testing.B, resources int) {
	v := benchView(b, resources)
	req := fullGap()
	b.ResetTimer()
	for b.Loop() {
		rec, err := v.Recommend(context.Background(), req)
		if err != nil || len(rec.Steps) == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkRecommendFullGap1k(b *testing.B)  { benchRecommend(b, 1000) }
func BenchmarkRecommendFullGap10k(b *testing.B) { benchRecommend(b, 10000) }

func BenchmarkCoverageOrganisation1k(b *testing.B) {
	v := benchView(b, 10000)
	req := CoverageRequest{Framework: synth.Framework, Scope: Scope{Publisher: synth.Publisher(0)}}
	b.ResetTimer()
	for b.Loop() {
		cov, err := v.Coverage(context.Background(), req)
		if err != nil || cov.ResourceCount != 1000 {
			b.Fatal(err)
		}
		if _, err := json.Marshal(cov); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIndexBuild10k(b *testing.B) {
	v := benchView(b, 10000)
	b.ResetTimer()
	for b.Loop() {
		v.mu.Lock()
		build(v.entries, false)
		v.mu.Unlock()
	}
}
