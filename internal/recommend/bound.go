package recommend

import (
	"slices"
)

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

// knapsack bounds the goal cells the items (all when nil) add to x within
// capacity: the cells of a set of items are at most the sum of their cells
// taken alone, so a fractional knapsack over single items bounds any path.
func (p *prob) knapsack(items []int, x []int8, capacity int64) int {
	type cand struct {
		v    int
		cost int64
	}
	var cs []cand
	add := func(i int) {
		if v := p.marginal(i, x); v > 0 && p.items[i].cost <= capacity {
			cs = append(cs, cand{v, p.items[i].cost})
		}
	}
	if items == nil {
		for i := range p.items {
			add(i)
		}
	}
	for _, i := range items {
		add(i)
	}
	slices.SortFunc(cs, func(a, b cand) int {
		l, r := float64(a.v)*float64(b.cost), float64(b.v)*float64(a.cost)
		switch {
		case l > r:
			return -1
		case l < r:
			return 1
		}
		return 0
	})
	total, left := 0.0, float64(capacity)
	for _, c := range cs {
		if float64(c.cost) <= left {
			total += float64(c.v)
			left -= float64(c.cost)
			continue
		}
		total += float64(c.v) * left / float64(c.cost)
		break
	}
	return min(p.maxValue-p.value(x), int(total+1e-9))
}

// valueBound bounds the goal cells any path within budget closes.
func (p *prob) valueBound(budget int64) int {
	return p.knapsack(nil, p.startState(), budget)
}
