// Package recommend is Trame's path optimiser: given a learner's starting
// levels, target levels and a set of candidate items (resources) that raise
// levels and may need levels first, it chooses an ordered set of items that
// closes the gap at the lowest total cost.
//
// The model (docs/recommendation.md gives the full account):
//
//   - A state is a level 0..MaxLevel per class (a competency, or several
//     competencies made equal by skos:exactMatch). Levels are cumulative:
//     reaching level n closes the cells 1..n.
//   - An item has a positive cost, gains (class, level): after the item the
//     class is at least at that level, and needs (any of some classes at a
//     level): the item can be taken only once one of those classes has
//     reached that level, from the start or through earlier items.
//   - The goal is the target capped by what the items can reach at all; the
//     cells beyond it are reported, never dropped. Without a budget the
//     solver minimises the cost of closing every reachable cell (ties: fewer
//     steps, then the items' order). With a budget it maximises the cells
//     closed within the budget, then minimises cost.
//
// Solve is exact whenever few candidates remain after pruning (at most
// Options.MaxExactItems, 64 by default, or MaxExactBudgetItems, 30, when a
// budget binds): without a budget, a branch and bound over sets of items
// that branches on the items finishing the most constrained open class,
// then on the suppliers of unmet needs, cut by a dual-ascent set-cover
// bound; under a budget, an include/exclude branch and bound cut by a
// fractional knapsack bound. Otherwise it runs a greedy weighted set cover
// whose every pick carries its prerequisite closure, then drops redundant
// steps and orders the path topologically; the greedy answer reports a lower
// bound on the optimum, so its distance to the optimum is bounded by
// Cost/LowerBound. Everything is deterministic: the same instance gives the
// same result. docs/recommendation.md gives the guarantees and complexity.
package recommend

import (
	"context"
	"errors"
	"fmt"
)

// MaxLevel is the highest proficiency level (the write contract's 1–8).
const MaxLevel = 8

// Defaults of Options.
const (
	// DefaultMaxExactItems is the candidate count up to which Solve proves
	// optimality when no budget binds (the issue asks for at least 30).
	DefaultMaxExactItems = 64
	// DefaultMaxExactBudgetItems is the same under a binding budget, where
	// the search (cells closed within the budget) is harder.
	DefaultMaxExactBudgetItems = 30
	// MaxExactItemsLimit caps Options.MaxExactItems: the exact search keeps
	// item sets in 64-bit masks.
	MaxExactItemsLimit = 64
	// DefaultMaxNodes bounds the exact search (about a third of a second on
	// one core); past it the best path found is returned with Optimal false
	// and its bound.
	DefaultMaxNodes = 300_000
	// DominanceLimit is the candidate count up to which pairwise dominance
	// pruning (quadratic) runs; above it, dominance is checked only between
	// items gaining the same classes under the same needs, and against the
	// cheapest need-free item per class and level. Identical candidates are
	// merged at any size.
	DominanceLimit = 300
)

// Gain says an item brings Class to at least Level.
type Gain struct {
	Class int
	Level int
}

// Need says an item can be taken only once one of Classes is at Level or
// above.
type Need struct {
	Classes []int
	Level   int
}

// Item is a candidate step. Cost must be positive.
type Item struct {
	Cost  int64
	Gains []Gain
	Needs []Need
}

// Instance is one problem. Start and Target have Classes entries; a target
// at or below the start asks for nothing. Budget, when positive, caps the
// total cost. Items are in the caller's tie-break order.
type Instance struct {
	Classes int
	Start   []int
	Target  []int
	Items   []Item
	Budget  int64
}

// Method says how a result was computed.
type Method string

// Methods.
const (
	Trivial Method = "trivial" // nothing to close
	Exact   Method = "exact"   // branch and bound
	Greedy  Method = "greedy"  // greedy set cover with prerequisite closure
)

// Options tune Solve. Zero values take the defaults.
type Options struct {
	MaxExactItems       int
	MaxExactBudgetItems int
	MaxNodes            int
	// ForceGreedy skips the exact search (used to measure the greedy).
	ForceGreedy bool
}

// Result is a solved instance.
type Result struct {
	Steps []int // indices into Instance.Items, in the order to take them
	Cost  int64 // total cost of Steps
	Final []int // levels after the path
	// Reachable is the highest level each class can reach with every
	// candidate item, prerequisites permitting; Goal is the target capped by
	// it (the start where nothing is asked).
	Reachable []int
	Goal      []int
	Method    Method
	// Optimal is true when the path is proven optimal: always for Trivial,
	// for Exact unless the node limit cut the search.
	Optimal bool
	// LowerBound is a lower bound on the cost of an optimal path closing
	// every goal cell; with Cost it bounds the gap to the optimum
	// (Cost/LowerBound ≥ the true ratio). It equals Cost when Optimal and
	// not Budgeted.
	LowerBound int64
	// Budgeted is true when the budget prevented closing every goal cell;
	// then Closed ≤ ClosedBound, an upper bound on the cells any path
	// within the budget can close.
	Budgeted    bool
	Closed      int // goal cells the path closes
	GoalCells   int // cells between Start and Goal
	ClosedBound int
	Candidates  int // items left after pruning
	Nodes       int // exact search nodes visited
}

// Ratio returns Cost/LowerBound, the proven bound on how far the path is
// from the optimum (1 when optimal; 0 when there is nothing to close).
func (r Result) Ratio() float64 {
	if r.Cost == 0 || r.LowerBound == 0 {
		if r.Cost == 0 {
			return 0
		}
		return 1
	}
	return float64(r.Cost) / float64(r.LowerBound)
}

// ErrInstance reports an inconsistent instance (a programming error of the
// caller, not a user error).
var ErrInstance = errors.New("recommend: inconsistent instance")

func (in *Instance) check() error {
	if in.Classes < 0 || len(in.Start) != in.Classes || len(in.Target) != in.Classes {
		return fmt.Errorf("%w: %d classes, %d start levels, %d targets", ErrInstance, in.Classes, len(in.Start), len(in.Target))
	}
	lvl := func(l int) bool { return l >= 0 && l <= MaxLevel }
	for k := 0; k < in.Classes; k++ {
		if !lvl(in.Start[k]) || !lvl(in.Target[k]) {
			return fmt.Errorf("%w: class %d levels out of 0..%d", ErrInstance, k, MaxLevel)
		}
	}
	for i, it := range in.Items {
		if it.Cost <= 0 {
			return fmt.Errorf("%w: item %d has cost %d", ErrInstance, i, it.Cost)
		}
		for _, g := range it.Gains {
			if g.Class < 0 || g.Class >= in.Classes || !lvl(g.Level) {
				return fmt.Errorf("%w: item %d gain %+v", ErrInstance, i, g)
			}
		}
		for _, n := range it.Needs {
			if !lvl(n.Level) || len(n.Classes) == 0 {
				return fmt.Errorf("%w: item %d need %+v", ErrInstance, i, n)
			}
			for _, c := range n.Classes {
				if c < 0 || c >= in.Classes {
					return fmt.Errorf("%w: item %d need class %d", ErrInstance, i, c)
				}
			}
		}
	}
	return nil
}

// Solve solves in. It fails only on an inconsistent instance or when ctx
// is done.
func Solve(ctx context.Context, in Instance, opt Options) (Result, error) {
	if err := in.check(); err != nil {
		return Result{}, err
	}
	if opt.MaxExactItems <= 0 {
		opt.MaxExactItems = DefaultMaxExactItems
	}
	if opt.MaxExactBudgetItems <= 0 {
		opt.MaxExactBudgetItems = DefaultMaxExactBudgetItems
	}
	opt.MaxExactItems = min(opt.MaxExactItems, MaxExactItemsLimit)
	opt.MaxExactBudgetItems = min(opt.MaxExactBudgetItems, MaxExactItemsLimit)
	if opt.MaxNodes <= 0 {
		opt.MaxNodes = DefaultMaxNodes
	}
	p := prepare(&in)
	res := Result{Reachable: p.reach, Goal: p.goalFull, GoalCells: p.maxValue, Candidates: len(p.items)}
	if p.maxValue == 0 {
		res.Method, res.Optimal = Trivial, true
		res.Final = append([]int(nil), in.Start...)
		return res, nil
	}
	s := newSolver(ctx, p, opt.MaxNodes)
	sol := s.greedy(0)
	res.Method, res.LowerBound = Greedy, p.lowerBound()
	res.Budgeted = in.Budget > 0 && sol.cost > in.Budget
	budget := int64(0)
	if res.Budgeted {
		budget = in.Budget
		sol = s.greedy(budget)
	}
	limit := opt.MaxExactItems
	if res.Budgeted {
		limit = opt.MaxExactBudgetItems
	}
	if !opt.ForceGreedy && len(p.items) <= limit {
		var err error
		if sol, err = s.exact(sol, budget); err != nil {
			return Result{}, err
		}
		res.Method, res.Optimal, res.Nodes = Exact, !s.truncated, s.nodes
	}
	if res.Budgeted && sol.value == p.maxValue {
		res.Budgeted = false // a full path fits the budget after all
	}
	switch {
	case res.Budgeted && res.Optimal:
		res.ClosedBound = sol.value
	case res.Budgeted:
		res.ClosedBound = p.valueBound(in.Budget)
	case res.Optimal:
		res.LowerBound = sol.cost
	}
	order := p.order(sol.items)
	res.Steps = make([]int, len(order))
	for i, it := range order {
		res.Steps[i] = p.items[it].orig
		res.Cost += p.items[it].cost
	}
	res.Final = p.finalLevels(&in, res.Steps)
	res.Closed = p.value(p.apply(p.startState(), order))
	return res, ctx.Err()
}
