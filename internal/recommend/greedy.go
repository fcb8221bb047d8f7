package recommend

import (
	"context"
	"slices"
	"sort"
)

// solution is a set of items (local indices) in a valid order.
type solution struct {
	items []int
	cost  int64
	value int
}

// better orders solutions: more cells closed, then cheaper, then fewer
// steps.
func (s solution) better(o solution) bool {
	if s.value != o.value {
		return s.value > o.value
	}
	if s.cost != o.cost {
		return s.cost < o.cost
	}
	return len(s.items) < len(o.items)
}

type solver struct {
	ctx       context.Context
	p         *prob
	maxNodes  int
	nodes     int
	truncated bool
	bound     boundBuf
	bufs      [][]int8
	best      solution
	budget    int64
}

func newSolver(ctx context.Context, p *prob, maxNodes int) *solver {
	return &solver{ctx: ctx, p: p, maxNodes: maxNodes}
}

// pkg is an item with the suppliers that make it applicable, in order.
type pkg struct {
	items []int // nil for a single applicable item (size 1)
	size  int
	cost  int64
	ok    bool
}

type supplyKey struct{ class, level int8 }

// greedy builds a path by repeatedly taking the package (an item plus the
// cheapest suppliers of its unmet needs) that closes the most goal cells
// per unit of cost, within budget when budget > 0; then it drops the steps
// the others make redundant.
func (s *solver) greedy(budget int64) solution {
	p := s.p
	x := p.startState()
	taken := make([]bool, len(p.items))
	var sol solution
	scratch := make([]int8, p.n)
	// heads still worth a look: an item whose marginal cells fall to zero
	// never closes a cell again (levels only rise), so it leaves the list
	heads := make([]int, len(p.items))
	for i := range heads {
		heads[i] = i
	}
	for p.value(x) < p.maxValue {
		memo := map[supplyKey]pkg{}
		base := p.value(x)
		var best pkg
		bestV, bestHead := 0, -1
		var needy topHeads
		live := heads[:0]
		for _, i := range heads {
			if taken[i] {
				continue
			}
			mv := p.marginal(i, x)
			if mv == 0 {
				continue
			}
			live = append(live, i)
			if !p.applicable(i, x) {
				needy.offer(head{i, mv, p.items[i].cost})
				continue
			}
			// the item alone: no package to build
			pk := pkg{cost: p.items[i].cost, ok: true, size: 1}
			if budget > 0 && sol.cost+pk.cost > budget {
				continue
			}
			if bestHead < 0 || preferPkg(mv, pk, bestV, best) {
				best, bestV, bestHead = pk, mv, i
			}
		}
		for _, h := range needy.heads {
			pk := s.packageFor(h.i, x, taken, memo)
			if !pk.ok || (budget > 0 && sol.cost+pk.cost > budget) {
				continue
			}
			copy(scratch, x)
			v := p.value(p.apply(scratch, pk.items)) - base
			if bestHead < 0 || preferPkg(v, pk, bestV, best) {
				best, bestV, bestHead = pk, v, h.i
			}
		}
		heads = live
		if bestHead < 0 {
			break
		}
		if best.items == nil {
			best.items = []int{bestHead}
		}
		for _, it := range best.items {
			if !taken[it] {
				taken[it] = true
				p.applyItem(x, it)
				sol.items = append(sol.items, it)
				sol.cost += p.items[it].cost
			}
		}
	}
	sol = s.prune(sol)
	sol.value = p.value(p.apply(p.startState(), sol.items))
	return sol
}

// GreedyPackageHeads is how many items whose needs are unmet the greedy
// considers per pick, with the suppliers of their needs: those closing the
// most cells per cost on their own. Applicable items are all considered.
const GreedyPackageHeads = 32

type head struct {
	i, v int
	cost int64
}

// topHeads keeps the GreedyPackageHeads best heads by cells per cost (the
// earlier index first on a tie).
type topHeads struct{ heads []head }

func (t *topHeads) offer(h head) {
	better := func(a, b head) bool {
		l, r := float64(a.v)*float64(b.cost), float64(b.v)*float64(a.cost)
		return l > r || (l == r && a.i < b.i)
	}
	if len(t.heads) == GreedyPackageHeads && !better(h, t.heads[len(t.heads)-1]) {
		return
	}
	k := len(t.heads)
	for k > 0 && better(h, t.heads[k-1]) {
		k--
	}
	if len(t.heads) < GreedyPackageHeads {
		t.heads = append(t.heads, head{})
	}
	copy(t.heads[k+1:], t.heads[k:len(t.heads)-1])
	t.heads[k] = h
}

// preferPkg compares value per cost (cross-multiplied), then cost, then
// size; the earlier head wins the remaining ties.
func preferPkg(v int, a pkg, bv int, b pkg) bool {
	l, r := float64(v)*float64(b.cost), float64(bv)*float64(a.cost)
	if l != r {
		return l > r
	}
	if a.cost != b.cost {
		return a.cost < b.cost
	}
	return a.size < b.size
}

// packageFor returns item i preceded by suppliers for its needs unmet in x.
func (s *solver) packageFor(i int, x []int8, taken []bool, memo map[supplyKey]pkg) pkg {
	it := &s.p.items[i]
	out := pkg{ok: true}
	for _, n := range it.needs {
		if met(n, x) || s.metBy(n, out.items) {
			continue
		}
		sup := s.supplyNeed(n, x, taken, memo, map[supplyKey]bool{})
		if !sup.ok {
			return pkg{}
		}
		for _, j := range sup.items {
			if j == i {
				return pkg{}
			}
			if !slices.Contains(out.items, j) {
				out.items = append(out.items, j)
				out.cost += s.p.items[j].cost
			}
		}
	}
	out.items = append(out.items, i)
	out.cost += it.cost
	out.size = len(out.items)
	return out
}

// metBy reports whether the gains of items meet n.
func (s *solver) metBy(n need, items []int) bool {
	for _, j := range items {
		for _, c := range n.classes {
			if s.p.items[j].gv[c] >= n.level {
				return true
			}
		}
	}
	return false
}

// supplyNeed returns the cheapest package raising one of n's classes to
// its level.
func (s *solver) supplyNeed(n need, x []int8, taken []bool, memo map[supplyKey]pkg, visiting map[supplyKey]bool) pkg {
	var best pkg
	for _, c := range n.classes {
		sup := s.supply(c, n.level, x, taken, memo, visiting)
		if sup.ok && (!best.ok || sup.cost < best.cost || (sup.cost == best.cost && len(sup.items) < len(best.items))) {
			best = sup
		}
	}
	return best
}

// supply returns the cheapest package raising class c to level from x:
// an untaken item gaining it, after the packages of its own unmet needs.
// Cycles of needs make a branch fail.
func (s *solver) supply(c, level int8, x []int8, taken []bool, memo map[supplyKey]pkg, visiting map[supplyKey]bool) pkg {
	if x[c] >= level {
		return pkg{ok: true}
	}
	key := supplyKey{c, level}
	if r, ok := memo[key]; ok {
		return r
	}
	if visiting[key] {
		return pkg{}
	}
	visiting[key] = true
	defer delete(visiting, key)
	var best pkg
	for _, j := range s.p.byClass[c] {
		it := &s.p.items[j]
		if taken[j] || it.gv[c] < level {
			continue
		}
		if best.ok && it.cost >= best.cost {
			break // byClass is sorted by cost: nothing cheaper follows
		}
		cand := pkg{ok: true}
		for _, n := range it.needs {
			if met(n, x) || s.metBy(n, cand.items) {
				continue
			}
			sub := s.supplyNeed(n, x, taken, memo, visiting)
			if !sub.ok {
				cand.ok = false
				break
			}
			for _, k := range sub.items {
				if !slices.Contains(cand.items, k) {
					cand.items = append(cand.items, k)
					cand.cost += s.p.items[k].cost
				}
			}
		}
		if !cand.ok || slices.Contains(cand.items, j) {
			continue
		}
		cand.items = append(cand.items, j)
		cand.cost += it.cost
		if !best.ok || cand.cost < best.cost {
			best = cand
		}
	}
	memo[key] = best
	return best
}

// prune drops, dearest first, every step whose removal keeps the path valid
// and closing as many goal cells.
func (s *solver) prune(sol solution) solution {
	p := s.p
	if len(sol.items) < 2 {
		return sol
	}
	want := p.value(p.apply(p.startState(), sol.items))
	order := append([]int(nil), sol.items...)
	sort.SliceStable(order, func(a, b int) bool {
		ia, ib := &p.items[order[a]], &p.items[order[b]]
		if ia.cost != ib.cost {
			return ia.cost > ib.cost
		}
		return order[a] > order[b]
	})
	set := append([]int(nil), sol.items...)
	for _, drop := range order {
		trial := slices.DeleteFunc(slices.Clone(set), func(i int) bool { return i == drop })
		if x, ok := p.feasible(trial); ok && p.value(x) >= want {
			set = trial
		}
	}
	out := solution{items: p.order(set)}
	for _, i := range out.items {
		out.cost += p.items[i].cost
	}
	return out
}

// feasible reports whether every item of set can be taken in some order
// from the start, and returns the final state.
func (p *prob) feasible(set []int) ([]int8, bool) {
	x := p.startState()
	done := make([]bool, len(set))
	left := len(set)
	for progress := true; progress && left > 0; {
		progress = false
		for k, i := range set {
			if !done[k] && p.applicable(i, x) {
				done[k], progress = true, true
				left--
				p.applyItem(x, i)
			}
		}
	}
	return x, left == 0
}

// order sorts a feasible set into the path's order: at each point, among
// the items whose needs are met, the one closing the lowest cell first,
// then the cheapest, then the first; a path is thus a topological order of
// the needs that climbs levels from the bottom.
func (p *prob) order(set []int) []int {
	x := p.startState()
	left := slices.Clone(set)
	sort.Ints(left)
	out := make([]int, 0, len(set))
	for len(left) > 0 {
		pick := -1
		var pickKey [2]int64
		for k, i := range left {
			if !p.applicable(i, x) {
				continue
			}
			key := [2]int64{int64(p.lowestCell(i, x)), p.items[i].cost}
			if pick < 0 || key[0] < pickKey[0] || (key[0] == pickKey[0] && key[1] < pickKey[1]) {
				pick, pickKey = k, key
			}
		}
		if pick < 0 {
			// not feasible: keep the rest in index order (callers check)
			return append(out, left...)
		}
		i := left[pick]
		out = append(out, i)
		p.applyItem(x, i)
		left = slices.Delete(left, pick, pick+1)
	}
	return out
}

// lowestCell is the lowest level item i raises in x (MaxLevel+1 if none).
func (p *prob) lowestCell(i int, x []int8) int {
	low := MaxLevel + 1
	for _, g := range p.items[i].gains {
		if g.level > x[g.class] {
			low = min(low, int(x[g.class])+1)
		}
	}
	return low
}
