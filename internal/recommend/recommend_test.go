package recommend

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func solve(t *testing.T, in Instance, opt Options) Result {
	t.Helper()
	r, err := Solve(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// checkPath verifies that every step can be taken when it comes (its needs
// met by the start or earlier steps), that Final and Cost match, and
// returns the number of goal cells closed.
func checkPath(t *testing.T, in Instance, r Result) int {
	t.Helper()
	x := slices.Clone(in.Start)
	var cost int64
	for pos, i := range r.Steps {
		if !needsMet(in.Items[i].Needs, x) {
			t.Fatalf("step %d (item %d) taken before its needs %+v are met in %v", pos+1, i, in.Items[i].Needs, x)
		}
		for _, g := range in.Items[i].Gains {
			x[g.Class] = max(x[g.Class], g.Level)
		}
		cost += in.Items[i].Cost
	}
	if cost != r.Cost || !reflect.DeepEqual(x, r.Final) {
		t.Fatalf("cost %d / final %v, result says %d / %v", cost, x, r.Cost, r.Final)
	}
	closed := 0
	for k := range in.Classes {
		if r.Goal[k] > in.Start[k] {
			closed += min(x[k], r.Goal[k]) - in.Start[k]
		}
	}
	if closed != r.Closed {
		t.Fatalf("closed %d cells, result says %d", closed, r.Closed)
	}
	return closed
}

// bruteForce returns the best (most cells, then cheapest) subset by
// enumeration, for instances of up to ~16 items.
func bruteForce(in Instance) (cells int, cost int64) {
	reach, _ := closure(&in)
	best, bestCost := -1, int64(0)
	for mask := 0; mask < 1<<len(in.Items); mask++ {
		var sub Instance = in
		sub.Items = nil
		var c int64
		for i := range in.Items {
			if mask&(1<<i) != 0 {
				sub.Items = append(sub.Items, in.Items[i])
				c += in.Items[i].Cost
			}
		}
		if in.Budget > 0 && c > in.Budget {
			continue
		}
		x, applied := closure(&sub)
		if slices.Contains(applied, false) {
			continue
		}
		v := 0
		for k := range in.Classes {
			if in.Target[k] > in.Start[k] {
				v += min(x[k], in.Target[k], reach[k]) - in.Start[k]
			}
		}
		if v > best || (v == best && c < bestCost) {
			best, bestCost = v, c
		}
	}
	return best, bestCost
}

func TestNothingToDoWhenTheTargetIsAtOrBelowTheStart(t *testing.T) {
	in := Instance{Classes: 2, Start: []int{4, 2}, Target: []int{3, 2},
		Items: []Item{{Cost: 10, Gains: []Gain{{0, 8}}}}}
	r := solve(t, in, Options{})
	if r.Method != Trivial || !r.Optimal || len(r.Steps) != 0 || r.GoalCells != 0 {
		t.Fatalf("want a trivial empty answer, got %+v", r)
	}
}

func TestCumulativeLevelsOneItemClosesEveryLowerCell(t *testing.T) {
	in := Instance{Classes: 1, Start: []int{1}, Target: []int{4}, Items: []Item{
		{Cost: 100, Gains: []Gain{{0, 2}}},
		{Cost: 100, Gains: []Gain{{0, 3}}},
		{Cost: 150, Gains: []Gain{{0, 4}}},
	}}
	r := solve(t, in, Options{})
	if !reflect.DeepEqual(r.Steps, []int{2}) || r.Closed != 3 || !r.Optimal {
		t.Fatalf("one item teaching level 4 closes cells 2..4: %+v", r)
	}
}

func TestNeedsOrderThePathAndPullInSuppliers(t *testing.T) {
	// item 1 closes the target but needs class 0 at 2, which item 0 gives.
	in := Instance{Classes: 2, Start: []int{0, 0}, Target: []int{0, 3}, Items: []Item{
		{Cost: 50, Gains: []Gain{{0, 2}}},
		{Cost: 60, Gains: []Gain{{1, 3}}, Needs: []Need{{Classes: []int{0}, Level: 2}}},
		{Cost: 500, Gains: []Gain{{1, 3}}},
	}}
	for _, opt := range []Options{{}, {ForceGreedy: true}} {
		r := solve(t, in, opt)
		checkPath(t, in, r)
		if !reflect.DeepEqual(r.Steps, []int{0, 1}) || r.Cost != 110 {
			t.Fatalf("%+v: want the supplier then the item (cost 110), got %v cost %d", opt, r.Steps, r.Cost)
		}
	}
}

func TestAlternativeNeedsAreMetByAnyClass(t *testing.T) {
	in := Instance{Classes: 3, Start: []int{0, 3, 0}, Target: []int{0, 0, 2}, Items: []Item{
		{Cost: 10, Gains: []Gain{{2, 2}}, Needs: []Need{{Classes: []int{0, 1}, Level: 3}}},
	}}
	r := solve(t, in, Options{})
	if !reflect.DeepEqual(r.Steps, []int{0}) {
		t.Fatalf("class 1 at 3 meets the need: %+v", r)
	}
}

func TestCellsNoItemCanReachAreKeptOutOfTheGoalNotDropped(t *testing.T) {
	// class 0 goes up to 2 at most; class 1 is only taught by items that need
	// each other (a cycle), so it is unreachable.
	in := Instance{Classes: 2, Start: []int{0, 0}, Target: []int{5, 3}, Items: []Item{
		{Cost: 10, Gains: []Gain{{0, 2}}},
		{Cost: 10, Gains: []Gain{{1, 3}}, Needs: []Need{{Classes: []int{1}, Level: 1}}},
	}}
	r := solve(t, in, Options{})
	if !reflect.DeepEqual(r.Goal, []int{2, 0}) || !reflect.DeepEqual(r.Reachable, []int{2, 0}) {
		t.Fatalf("goal must be capped by reach: %+v", r)
	}
	if r.GoalCells != 2 || r.Closed != 2 || !reflect.DeepEqual(r.Steps, []int{0}) {
		t.Fatalf("%+v", r)
	}
}

func TestBudgetClosesTheMostCellsItCan(t *testing.T) {
	in := Instance{Classes: 2, Start: []int{0, 0}, Target: []int{4, 2}, Budget: 100, Items: []Item{
		{Cost: 90, Gains: []Gain{{0, 4}}},
		{Cost: 60, Gains: []Gain{{0, 3}}},
		{Cost: 40, Gains: []Gain{{1, 2}}},
	}}
	r := solve(t, in, Options{})
	checkPath(t, in, r)
	if !r.Budgeted || r.Closed != 5 || r.Cost != 100 || r.ClosedBound != 5 {
		t.Fatalf("within 100 the best is items 1+2 (5 cells): %+v", r)
	}
}

func TestSameInstanceSamePath(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	in := RandomInstance(rng, RandomParams{Classes: 21, Targeted: 21, Items: 400, MaxGains: 3, NeedProb: 0.4, MaxCost: 600})
	a, b := solve(t, in, Options{}), solve(t, in, Options{})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs on the same instance differ")
	}
}

func TestExactMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		rp := RandomParams{Classes: 2 + rng.IntN(5), Items: 3 + rng.IntN(11), MaxGains: 3, NeedProb: 0.5, MaxCost: 300}
		rp.Targeted = 1 + rng.IntN(rp.Classes)
		in := RandomInstance(rng, rp)
		if n%3 == 0 {
			in.Budget = 100 + rng.Int64N(500)
		}
		r := solve(t, in, Options{})
		cells := checkPath(t, in, r)
		wantCells, wantCost := bruteForce(in)
		if r.Method == Trivial {
			if wantCells != 0 {
				t.Fatalf("instance %d: trivial answer but %d cells can be closed", n, wantCells)
			}
			continue
		}
		if !r.Optimal || r.Method != Exact {
			t.Fatalf("instance %d: small instances are solved exactly: %+v", n, r)
		}
		if cells != wantCells || r.Cost != wantCost {
			t.Fatalf("instance %d (%+v): exact found %d cells at %d, brute force %d at %d\n%+v", n, in, cells, r.Cost, wantCells, wantCost, r)
		}
	}
}

func TestGreedyIsValidAndTheBoundHolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for n := range 200 {
		in := RandomInstance(rng, RandomParams{Classes: 6, Targeted: 4, Items: 12, MaxGains: 3, NeedProb: 0.5, MaxCost: 300})
		g := solve(t, in, Options{ForceGreedy: true})
		e := solve(t, in, Options{})
		gc, ec := checkPath(t, in, g), checkPath(t, in, e)
		if gc != g.GoalCells || ec != e.GoalCells {
			t.Fatalf("instance %d: without a budget every goal cell is closed (greedy %d, exact %d, goal %d)", n, gc, ec, g.GoalCells)
		}
		if g.Cost < e.Cost {
			t.Fatalf("instance %d: greedy %d beats the optimum %d", n, g.Cost, e.Cost)
		}
		if g.LowerBound > e.Cost {
			t.Fatalf("instance %d: lower bound %d above the optimum %d", n, g.LowerBound, e.Cost)
		}
	}
}

func TestLargeInstancesUseTheGreedyAndReportTheBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	in := RandomInstance(rng, RandomParams{Classes: 21, Targeted: 21, Items: 2000, MaxGains: 3, NeedProb: 0.4, MaxCost: 600})
	for k := range in.Classes {
		in.Start[k], in.Target[k] = 0, 8
	}
	r := solve(t, in, Options{})
	if r.Candidates <= DefaultMaxExactItems {
		t.Skipf("pruning left %d candidates", r.Candidates)
	}
	checkPath(t, in, r)
	if r.Method != Greedy || r.Optimal || r.LowerBound <= 0 || r.Ratio() < 1 {
		t.Fatalf("%+v", r)
	}
}

func TestInconsistentInstancesAreRefused(t *testing.T) {
	for name, in := range map[string]Instance{
		"lengths":   {Classes: 2, Start: []int{0}, Target: []int{1, 1}},
		"level":     {Classes: 1, Start: []int{9}, Target: []int{1}},
		"cost":      {Classes: 1, Start: []int{0}, Target: []int{1}, Items: []Item{{Cost: 0, Gains: []Gain{{0, 1}}}}},
		"gainClass": {Classes: 1, Start: []int{0}, Target: []int{1}, Items: []Item{{Cost: 1, Gains: []Gain{{3, 1}}}}},
		"needClass": {Classes: 1, Start: []int{0}, Target: []int{1}, Items: []Item{{Cost: 1, Needs: []Need{{Classes: []int{-1}, Level: 1}}}}},
	} {
		if _, err := Solve(context.Background(), in, Options{}); !errors.Is(err, ErrInstance) {
			t.Errorf("%s: want ErrInstance, got %v", name, err)
		}
	}
}
