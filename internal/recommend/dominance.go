package recommend

import (
	"slices"
	"sort"
)

// dominates reports whether a can replace b in any solution: no dearer, at
// least the same gains, and needs no harder to meet.
func dominates(a, b *pitem) bool {
	if a.cost > b.cost {
		return false
	}
	for _, g := range b.gains {
		if a.gv[g.class] < g.level {
			return false
		}
	}
	for _, na := range a.needs {
		if !impliedBy(na, b.needs) {
			return false
		}
	}
	return true
}

// impliedBy reports whether meeting every need of bs always meets n.
func impliedBy(n need, bs []need) bool {
	for _, b := range bs {
		if b.level >= n.level && subset(b.classes, n.classes) {
			return true
		}
	}
	return false
}

func subset(a, b []int8) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// dominance drops every item another item dominates; of two items that
// dominate each other the first is kept.
func (p *prob) dominance() {
	p.dense()
	drop := make([]bool, len(p.items))
	for i := range p.items {
		dominated := false
		for j := range p.items {
			if i != j && dominates(&p.items[j], &p.items[i]) && (j < i || !dominates(&p.items[i], &p.items[j])) {
				dominated = true
				break
			}
		}
		drop[i] = dominated
	}
	p.filter(drop)
}

// filter removes the items marked in drop, in place.
func (p *prob) filter(drop []bool) {
	keep := p.items[:0]
	for i := range p.items {
		if !drop[i] {
			keep = append(keep, p.items[i])
		}
	}
	p.items = keep
}

// singleGainDominance drops, in linear time, every item gaining one class
// that an item without needs reaches at least as high for less (or for as
// much, earlier).
func (p *prob) singleGainDominance() {
	type best struct {
		cost int64
		i    int
	}
	var top [][MaxLevel + 1]best // class → level → cheapest need-free item reaching it
	top = make([][MaxLevel + 1]best, p.n)
	for k := range top {
		for l := range top[k] {
			top[k][l] = best{cost: -1}
		}
	}
	for i := range p.items {
		it := &p.items[i]
		if len(it.needs) > 0 {
			continue
		}
		for _, g := range it.gains {
			for l := 1; l <= int(g.level); l++ {
				if b := top[g.class][l]; b.cost < 0 || it.cost < b.cost {
					top[g.class][l] = best{it.cost, i}
				}
			}
		}
	}
	drop := make([]bool, len(p.items))
	for i := range p.items {
		it := &p.items[i]
		if len(it.gains) == 1 {
			b := top[it.gains[0].class][it.gains[0].level]
			drop[i] = b.cost >= 0 && b.i != i && (b.cost < it.cost || (b.cost == it.cost && b.i < i))
		}
	}
	p.filter(drop)
}

// bucketDominance is the linear-time variant for large sets: it compares
// only items gaining the same classes under the same needs.
func (p *prob) bucketDominance() {
	p.dense()
	buckets := make(map[uint64][]int, len(p.items)/4)
	var keys []uint64
	var buf []byte
	for i := range p.items {
		buf = p.items[i].signature(buf[:0], false)
		k := hash64(buf)
		ids, ok := buckets[k]
		if !ok {
			keys = append(keys, k)
		}
		buckets[k] = append(ids, i)
	}
	drop := make([]bool, len(p.items))
	for _, k := range keys {
		ids := buckets[k] // a hash collision only mixes buckets: dominance stays exact
		sort.SliceStable(ids, func(a, b int) bool { return p.items[ids[a]].cost < p.items[ids[b]].cost })
		var front []int
		for _, i := range ids {
			dominated := false
			for _, j := range front {
				if dominates(&p.items[j], &p.items[i]) {
					dominated = true
					break
				}
			}
			if dominated {
				drop[i] = true
			} else {
				front = append(front, i)
			}
		}
	}
	p.filter(drop)
}
