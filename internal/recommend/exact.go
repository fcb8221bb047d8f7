package recommend

import (
	"os"
	"slices"
	"sort"
)

// exact runs the exact search from the incumbent inc (the greedy path):
// without a budget, the set search of exactCover; with one, a depth-first
// branch and bound over states. A state (the levels reached) determines
// everything that can follow, since taking an item twice changes nothing:
// states are memoised with the cheapest cost that reached them. Without a
// budget, a node is cut when its cost plus an admissible set-cover bound
// cannot beat the incumbent; with a budget, when the cells it could still
// close (a fractional knapsack bound) cannot beat it.
func (s *solver) exact(inc solution, budget int64) (solution, error) {
	if budget == 0 {
		return s.exactCover(inc)
	}
	if os.Getenv("BUDGETSET") != "" {
		return s.exactBudget(inc, budget)
	}
	s.best = inc
	s.budget = budget
	s.memo = map[string]int64{}
	s.nodes, s.truncated = 0, false
	s.dfs(s.p.startState(), 0, nil, -1, 0)
	if err := s.ctx.Err(); err != nil {
		return solution{}, err
	}
	best := s.best
	best.items = s.p.order(best.items)
	return best, nil
}

// dfs explores the paths from x. Paths are generated in a canonical order
// (partial-order reduction): after taking item last from a state where the
// items of prevApp were applicable, an item j may follow only if j > last
// or j was not applicable before last. Every set of items has an order of
// that form (take the lowest applicable item first), so no set is lost,
// and the permutations of independent items are not explored twice.
func (s *solver) dfs(x []int8, cost int64, path []int, last int, prevApp uint64) {
	p := s.p
	if s.truncated {
		return
	}
	s.nodes++
	if s.nodes > s.maxNodes || (s.nodes&4095 == 0 && s.ctx.Err() != nil) {
		s.truncated = true
		return
	}
	cur := solution{items: path, cost: cost, value: p.value(x)}
	if cur.better(s.best) {
		s.best = solution{items: slices.Clone(path), cost: cost, value: cur.value}
	}
	if cur.value == p.maxValue {
		return
	}
	s.key = appendState(s.key[:0], x)
	tag := cost<<10 + int64(len(path))
	if c, ok := s.memo[string(s.key)]; ok && c <= tag {
		return
	}
	s.memo[string(s.key)] = tag
	if s.cut(x, cost, cur.value, len(path)) {
		return
	}
	depth := len(path)
	for len(s.levels) <= depth {
		s.levels = append(s.levels, dfsLevel{state: make([]int8, p.n)})
	}
	kids, app := s.children(depth, x, cost, last, prevApp)
	for k := range kids {
		i := s.levels[depth].kids[k].i
		y := s.levels[depth].state
		copy(y, x)
		p.applyItem(y, i)
		s.dfs(y, cost+p.items[i].cost, append(path, i), i, app)
	}
}

// dfsLevel is the scratch space of one depth of the search.
type dfsLevel struct {
	state []int8  // the child state being explored
	kids  []child // the children of the node at this depth
}

type child struct{ i, v int }

// cut reports whether no extension of the node can beat the incumbent.
func (s *solver) cut(x []int8, cost int64, value, steps int) bool {
	p := s.p
	if s.budget == 0 {
		if s.best.value < p.maxValue {
			return false
		}
		lb := cost + p.coverBoundBuf(x, &s.bound)
		return lb > s.best.cost || (lb == s.best.cost && steps+1 >= len(s.best.items))
	}
	ub := value + p.knapsackBound(x, s.budget-cost)
	return ub < s.best.value || (ub == s.best.value && cost >= s.best.cost)
}

// children lists, in s.levels[depth].kids, the items worth taking in x:
// applicable, raising a level, within the budget, allowed by the canonical
// order; the most cells per cost first. It returns their number and the
// set of items applicable in x.
func (s *solver) children(depth int, x []int8, cost int64, last int, prevApp uint64) (int, uint64) {
	p := s.p
	out := s.levels[depth].kids[:0]
	var app uint64
	for i := range p.items {
		if !p.applicable(i, x) {
			continue
		}
		app |= 1 << uint(i)
		if !p.raises(i, x) || (i < last && prevApp&(1<<uint(i)) != 0) {
			continue
		}
		if s.budget > 0 && cost+p.items[i].cost > s.budget {
			continue
		}
		out = append(out, child{i, p.marginal(i, x)})
	}
	slices.SortStableFunc(out, func(a, b child) int {
		l, r := float64(a.v)*float64(p.items[b.i].cost), float64(b.v)*float64(p.items[a.i].cost)
		switch {
		case l > r:
			return -1
		case l < r:
			return 1
		}
		return 0
	})
	s.levels[depth].kids = out
	return len(out), app
}

func appendState(b []byte, x []int8) []byte {
	for _, v := range x {
		b = append(b, byte(v))
	}
	return b
}

// coverBound is a lower bound on the cost of closing every goal cell from
// x. Each open class needs one item reaching its goal (levels are a
// maximum), so for any solution, charging each item's cost evenly to the
// open classes it finishes gives a sum no larger than its cost; hence the
// sum over open classes of the least such share is a lower bound, as is the
// dearest single class's cheapest finisher.
func (p *prob) coverBound(x []int8) int64 { return p.coverBoundBuf(x, &boundBuf{}) }

// boundBuf holds coverBound's scratch space, reused across nodes.
type boundBuf struct {
	open     []int8
	share    []float64
	cheapest []int64
	slack    []float64
}

func (p *prob) coverBoundBuf(x []int8, bb *boundBuf) int64 {
	open := bb.open[:0]
	for k := range p.n {
		if x[k] < p.goal[k] {
			open = append(open, int8(k))
		}
	}
	bb.open = open
	if len(open) == 0 {
		return 0
	}
	share := slices.Grow(bb.share[:0], len(open))[:len(open)]
	cheapest := slices.Grow(bb.cheapest[:0], len(open))[:len(open)]
	bb.share, bb.cheapest = share, cheapest
	for k := range share {
		share[k], cheapest[k] = -1, -1
	}
	for i := range p.items {
		it := &p.items[i]
		n := 0
		for _, k := range open {
			if it.gv[k] >= p.goal[k] {
				n++
			}
		}
		if n == 0 {
			continue
		}
		sh := float64(it.cost) / float64(n)
		for o, k := range open {
			if it.gv[k] >= p.goal[k] {
				if share[o] < 0 || sh < share[o] {
					share[o] = sh
				}
				if cheapest[o] < 0 || it.cost < cheapest[o] {
					cheapest[o] = it.cost
				}
			}
		}
	}
	var top int64
	for o := range open {
		if share[o] < 0 {
			return 1 << 60 // unreachable from here
		}
		top = max(top, cheapest[o])
	}
	return max(p.dualAscent(open, share, bb), top)
}

// dualAscent turns the shares (a feasible solution of the dual of the
// set-cover relaxation: no item's open classes price above its cost) into
// a better one by raising each class's price, in turn, by the least slack
// of the items finishing it; the sum of prices stays a lower bound.
func (p *prob) dualAscent(open []int8, price []float64, bb *boundBuf) int64 {
	slack := slices.Grow(bb.slack[:0], len(p.items))[:len(p.items)]
	bb.slack = slack
	for i := range p.items {
		it := &p.items[i]
		slack[i] = float64(it.cost)
		for o, k := range open {
			if it.gv[k] >= p.goal[k] {
				slack[i] -= price[o]
			}
		}
	}
	var sum float64
	for o, k := range open {
		raise, found := 0.0, false
		for i := range p.items {
			if p.items[i].gv[k] >= p.goal[k] && (!found || slack[i] < raise) {
				raise, found = slack[i], true
			}
		}
		if raise > 0 {
			price[o] += raise
			for i := range p.items {
				if p.items[i].gv[k] >= p.goal[k] {
					slack[i] -= raise
				}
			}
		}
		sum += price[o]
	}
	return int64(sum * (1 - 1e-9))
}

// lowerBound bounds the cost of an optimal full path from the start.
func (p *prob) lowerBound() int64 {
	lb := p.coverBound(p.startState())
	if lb >= 1<<60 {
		return 0
	}
	return lb
}

// knapsackBound bounds the goal cells closable from x within capacity: the
// cells of a set of items are at most the sum of their cells taken alone,
// so a fractional knapsack over single items bounds any path.
func (p *prob) knapsackBound(x []int8, capacity int64) int {
	type cand struct {
		v    int
		cost int64
	}
	var cs []cand
	for i := range p.items {
		if v := p.marginal(i, x); v > 0 {
			cs = append(cs, cand{v, p.items[i].cost})
		}
	}
	sort.Slice(cs, func(a, b int) bool {
		return float64(cs[a].v)*float64(cs[b].cost) > float64(cs[b].v)*float64(cs[a].cost)
	})
	var total float64
	left := float64(capacity)
	for _, c := range cs {
		if left <= 0 {
			break
		}
		if float64(c.cost) <= left {
			total += float64(c.v)
			left -= float64(c.cost)
			continue
		}
		total += float64(c.v) * left / float64(c.cost)
		left = 0
	}
	open := p.maxValue - p.value(x)
	return min(open, int(total+1e-9))
}

// valueBound bounds the goal cells any path within budget closes.
func (p *prob) valueBound(budget int64) int {
	return p.knapsackBound(p.startState(), budget)
}
