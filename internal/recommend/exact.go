package recommend

import (
	"math/bits"
	"slices"
)

// exact runs the exact search from the incumbent inc (the greedy path):
// without a budget, the set search of exactCover; with one, the
// include/exclude search of exactBudget.
func (s *solver) exact(inc solution, budget int64) (solution, error) {
	if budget == 0 {
		return s.exactCover(inc)
	}
	return s.exactBudget(inc, budget)
}

// coverSearch is the exact search without a budget: a branch and bound over
// sets of items (bit masks), where every node adds one item that any
// solution containing the node's set must contain one of:
//
//   - while some goal class is not finished by the set's gains (needs
//     ignored), one of the items that finish the open class with the fewest
//     such items (levels are a maximum, so a single item must reach the
//     goal);
//   - once every class is finished, if some items of the set cannot be
//     taken in any order (their needs are unmet), an item from outside the
//     set that meets one of those unmet needs (in any valid order of a
//     solution, the first of these items to be taken has a need met by an
//     item outside the set).
//
// A set is visited once; a node is cut when its cost plus the dual-ascent
// set-cover bound of its open classes cannot beat the incumbent. Leaves are
// sets whose items can all be taken and finish every class.
type coverSearch struct {
	s      *solver
	finish [][]int // class → items finishing it, by cost
	seen   map[uint64]bool
}

func (s *solver) exactCover(inc solution) (solution, error) {
	p := s.p
	cs := &coverSearch{s: s, finish: make([][]int, p.n), seen: map[uint64]bool{}}
	for k := range p.n {
		if p.goal[k] <= p.start[k] {
			continue
		}
		for i := range p.items {
			if p.items[i].gv[k] >= p.goal[k] {
				cs.finish[k] = append(cs.finish[k], i)
			}
		}
		slices.SortStableFunc(cs.finish[k], func(a, b int) int { return int(p.items[a].cost - p.items[b].cost) })
	}
	s.best = inc
	s.nodes, s.truncated = 0, false
	cs.visit(0, 0)
	if err := s.ctx.Err(); err != nil {
		return solution{}, err
	}
	best := s.best
	best.items = p.order(best.items)
	return best, nil
}

func (cs *coverSearch) visit(set uint64, cost int64) {
	s, p := cs.s, cs.s.p
	if s.truncated || cs.seen[set] {
		return
	}
	cs.seen[set] = true
	s.nodes++
	if s.nodes > s.maxNodes || (s.nodes&1023 == 0 && s.ctx.Err() != nil) {
		s.truncated = true
		return
	}
	steps := bits.OnesCount64(set)
	if s.best.value == p.maxValue && (cost > s.best.cost || (cost == s.best.cost && steps >= len(s.best.items))) {
		return
	}
	gains := cs.gains(set)
	lb := p.coverBoundBuf(gains, &s.bound)
	if s.best.value == p.maxValue && (cost+lb > s.best.cost || (cost+lb == s.best.cost && steps+1 >= len(s.best.items))) {
		return
	}
	if k := cs.tightest(gains, set); k >= 0 {
		for _, f := range cs.finish[k] {
			cs.visit(set|1<<uint(f), cost+p.items[f].cost)
		}
		return
	}
	blocked := cs.blocked(set)
	if blocked == 0 {
		sol := solution{items: members(set), cost: cost, value: p.maxValue}
		if sol.better(s.best) {
			s.best = sol
		}
		return
	}
	for _, j := range cs.suppliers(set, blocked) {
		cs.visit(set|1<<uint(j), cost+p.items[j].cost)
	}
}

// gains returns the levels the set's items reach, needs ignored.
func (cs *coverSearch) gains(set uint64) []int8 {
	p := cs.s.p
	x := cs.s.levelBuf(0)
	copy(x, p.start)
	for m := set; m != 0; m &= m - 1 {
		p.applyItem(x, bits.TrailingZeros64(m))
	}
	return x
}

// tightest returns the open class with the fewest finishing items outside
// the set (-1 when every class is finished; a class nobody outside can
// finish makes the node a dead end, returned with no finisher to try).
func (cs *coverSearch) tightest(x []int8, set uint64) int {
	p := cs.s.p
	best, bestN := -1, 0
	for k := range p.n {
		if x[k] >= p.goal[k] {
			continue
		}
		n := 0
		for _, f := range cs.finish[k] {
			if set&(1<<uint(f)) == 0 {
				n++
			}
		}
		if best < 0 || n < bestN {
			best, bestN = k, n
		}
	}
	return best
}

// blocked returns the items of the set that cannot be taken in any order.
func (cs *coverSearch) blocked(set uint64) uint64 {
	p := cs.s.p
	x := cs.s.levelBuf(1)
	copy(x, p.start)
	left := set
	for progress := true; progress && left != 0; {
		progress = false
		for m := left; m != 0; m &= m - 1 {
			i := bits.TrailingZeros64(m)
			if p.applicable(i, x) {
				p.applyItem(x, i)
				left &^= 1 << uint(i)
				progress = true
			}
		}
	}
	return left
}

// suppliers lists the items outside the set that meet an unmet need of a
// blocked item, from the levels the set's takeable items reach.
func (cs *coverSearch) suppliers(set, blocked uint64) []int {
	p := cs.s.p
	x := cs.s.levelBuf(1) // the state blocked() left: the takeable items applied
	var out []int
	for m := blocked; m != 0; m &= m - 1 {
		for _, n := range p.items[bits.TrailingZeros64(m)].needs {
			if met(n, x) {
				continue
			}
			for j := range p.items {
				if set&(1<<uint(j)) != 0 || slices.Contains(out, j) {
					continue
				}
				for _, c := range n.classes {
					if p.items[j].gv[c] >= n.level {
						out = append(out, j)
						break
					}
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b int) int { return int(p.items[a].cost - p.items[b].cost) })
	return out
}

func (s *solver) levelBuf(k int) []int8 {
	for len(s.bufs) <= k {
		s.bufs = append(s.bufs, make([]int8, s.p.n))
	}
	return s.bufs[k]
}

func members(set uint64) []int {
	var out []int
	for m := set; m != 0; m &= m - 1 {
		out = append(out, bits.TrailingZeros64(m))
	}
	return out
}

// budgetSearch is the exact search under a budget: include/exclude
// branching over the items, most cells per cost first, where a node is cut
// when the cells its set reaches with needs ignored, plus a fractional
// knapsack of the remaining items' cells within the budget left, cannot beat
// the incumbent (cells are a coverage: a set's cells are at most the sum of
// its items' marginal cells). Each node's set is evaluated as it can really
// be taken: the items whose needs can be met, in order.
type budgetSearch struct {
	s      *solver
	order  []int
	budget int64
}

func (s *solver) exactBudget(inc solution, budget int64) (solution, error) {
	p := s.p
	bs := &budgetSearch{s: s, budget: budget, order: make([]int, len(p.items))}
	start := p.startState()
	for i := range bs.order {
		bs.order[i] = i
	}
	slices.SortStableFunc(bs.order, func(a, b int) int {
		l := float64(p.marginal(a, start)) * float64(p.items[b].cost)
		r := float64(p.marginal(b, start)) * float64(p.items[a].cost)
		switch {
		case l > r:
			return -1
		case l < r:
			return 1
		}
		return 0
	})
	s.best = inc
	s.nodes, s.truncated = 0, false
	bs.visit(0, 0, 0)
	if err := s.ctx.Err(); err != nil {
		return solution{}, err
	}
	best := s.best
	best.items = p.order(best.items)
	return best, nil
}

func (bs *budgetSearch) visit(pos int, set uint64, cost int64) {
	s, p := bs.s, bs.s.p
	if s.truncated {
		return
	}
	s.nodes++
	if s.nodes > s.maxNodes || (s.nodes&1023 == 0 && s.ctx.Err() != nil) {
		s.truncated = true
		return
	}
	cs := &coverSearch{s: s}
	taken := set &^ cs.blocked(set)
	sol := solution{items: members(taken), value: p.value(s.levelBuf(1))} // levelBuf(1): the takeable items' state
	for _, i := range sol.items {
		sol.cost += p.items[i].cost
	}
	if sol.better(s.best) {
		s.best = sol
	}
	if s.best.value == p.maxValue && cost >= s.best.cost {
		return
	}
	relaxed := cs.gains(set)
	ub := p.value(relaxed) + p.knapsack(bs.order[pos:], relaxed, bs.budget-cost)
	if ub < s.best.value || (ub == s.best.value && cost >= s.best.cost) || pos == len(bs.order) {
		return
	}
	i := bs.order[pos]
	if cost+p.items[i].cost <= bs.budget {
		bs.visit(pos+1, set|1<<uint(i), cost+p.items[i].cost)
	}
	bs.visit(pos+1, set, cost)
}
