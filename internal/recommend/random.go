package recommend

import "math/rand/v2"

// RandomParams shapes the instances RandomInstance draws.
type RandomParams struct {
	Classes  int     // competencies
	Targeted int     // how many of them the target raises (≤ Classes)
	Items    int     // candidate resources
	MaxGains int     // competencies one item teaches, 1..MaxGains
	NeedProb float64 // probability that an item needs a level first
	MaxCost  int64   // costs are drawn in [MaxCost/20, MaxCost] and grow with the levels taught
}

// RandomInstance draws an instance shaped like a learner's gap against a
// catalogue: starts 0–3, targets 1–4 levels above on Targeted classes,
// items teaching 1..MaxGains classes up to a level, some needing a lower
// level of a class they teach or of another class. The same rng state gives
// the same instance.
func RandomInstance(rng *rand.Rand, rp RandomParams) Instance {
	in := Instance{Classes: rp.Classes, Start: make([]int, rp.Classes), Target: make([]int, rp.Classes)}
	for k := range rp.Classes {
		in.Start[k] = rng.IntN(4)
	}
	for _, k := range rng.Perm(rp.Classes)[:min(rp.Targeted, rp.Classes)] {
		in.Target[k] = min(MaxLevel, in.Start[k]+1+rng.IntN(4))
	}
	for range rp.Items {
		in.Items = append(in.Items, randomItem(rng, rp))
	}
	return in
}

func randomItem(rng *rand.Rand, rp RandomParams) Item {
	var it Item
	span := 0
	for _, k := range rng.Perm(rp.Classes)[:1+rng.IntN(max(1, min(rp.MaxGains, rp.Classes)))] {
		lv := 1 + rng.IntN(MaxLevel)
		it.Gains = append(it.Gains, Gain{Class: k, Level: lv})
		span += lv
	}
	if rng.Float64() < rp.NeedProb {
		g := it.Gains[0]
		if g.Level > 1 && rng.IntN(2) == 0 {
			it.Needs = append(it.Needs, Need{Classes: []int{g.Class}, Level: 1 + rng.IntN(g.Level-1)})
		} else {
			it.Needs = append(it.Needs, Need{Classes: []int{rng.IntN(rp.Classes)}, Level: 1 + rng.IntN(4)})
		}
		if c := it.Needs[0].Classes[0]; c == g.Class && it.Needs[0].Level >= g.Level {
			it.Needs = nil // an item never needs what it teaches
		}
	}
	lo := max(1, rp.MaxCost/20)
	it.Cost = lo + rng.Int64N(max(1, rp.MaxCost-lo))*int64(span)/int64(MaxLevel*max(1, len(it.Gains)))
	return it
}
