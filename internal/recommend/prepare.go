package recommend

import (
	"cmp"
	"slices"
)

// prob is an instance reduced to what matters: local classes (those whose
// level can matter), candidate items that can be taken at all and bring
// something useful, with gains clamped to the highest useful level, needs
// already met at the start removed, and dominated items dropped.
type prob struct {
	n        int    // local classes
	global   []int  // local → instance class
	start    []int8 // local start levels
	goal     []int8 // local goal levels (the start where nothing is asked)
	items    []pitem
	byClass  [][]int // local class → items gaining it, by cost then index
	maxValue int     // goal cells

	reach    []int // per instance class: highest level reachable
	goalFull []int // per instance class: goal level
}

type pitem struct {
	orig  int // index in Instance.Items
	cost  int64
	gains []gain // sorted by class; levels above the start, clamped
	needs []need // none met at the start
	gv    []int8 // dense gains: level brought per local class (0: none)
}

type gain struct{ class, level int8 }

type need struct {
	classes []int8 // alternatives that can reach level
	level   int8
}

// prepare computes reachability, goals and the reduced item set of in.
func prepare(in *Instance) *prob {
	p := &prob{}
	reach, applied := closure(in)
	p.reach = reach
	p.goalFull = make([]int, in.Classes)
	for k := range in.Classes {
		p.goalFull[k] = in.Start[k]
		if in.Target[k] > in.Start[k] {
			p.goalFull[k] = max(in.Start[k], min(in.Target[k], reach[k]))
			p.maxValue += p.goalFull[k] - in.Start[k]
		}
	}
	if p.maxValue == 0 {
		return p
	}
	capv := usefulCaps(in, p.goalFull, reach, applied)
	p.localise(in, capv)
	p.collect(in, capv, reach, applied)
	p.dedupe()
	p.singleGainDominance()
	if len(p.items) <= DominanceLimit {
		p.dominance()
	} else {
		p.bucketDominance()
	}
	p.index()
	return p
}

// closure applies every item whose needs are met until nothing changes and
// returns the levels reached and which items could be taken.
func closure(in *Instance) ([]int, []bool) {
	x := append([]int(nil), in.Start...)
	applied := make([]bool, len(in.Items))
	for changed := true; changed; {
		changed = false
		for i, it := range in.Items {
			if applied[i] || !needsMet(it.Needs, x) {
				continue
			}
			applied[i], changed = true, true
			for _, g := range it.Gains {
				x[g.Class] = max(x[g.Class], g.Level)
			}
		}
	}
	return x, applied
}

func needsMet(needs []Need, x []int) bool {
	for _, n := range needs {
		ok := false
		for _, c := range n.Classes {
			if x[c] >= n.Level {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// usefulCaps returns, per class, the highest level worth reaching: the goal,
// raised by the needs of items that can help, until nothing changes.
func usefulCaps(in *Instance, goal, reach []int, applied []bool) []int {
	capv := append([]int(nil), goal...)
	for changed := true; changed; {
		changed = false
		for i, it := range in.Items {
			if !applied[i] || !helps(it, in.Start, capv) {
				continue
			}
			for _, n := range it.Needs {
				if metAtStart(n, in.Start) {
					continue
				}
				for _, c := range n.Classes {
					if reach[c] >= n.Level && capv[c] < n.Level {
						capv[c], changed = n.Level, true
					}
				}
			}
		}
	}
	return capv
}

func helps(it Item, start, capv []int) bool {
	for _, g := range it.Gains {
		if g.Level > start[g.Class] && capv[g.Class] > start[g.Class] {
			return true
		}
	}
	return false
}

func metAtStart(n Need, start []int) bool {
	for _, c := range n.Classes {
		if start[c] >= n.Level {
			return true
		}
	}
	return false
}

// localise numbers the classes whose level can matter.
func (p *prob) localise(in *Instance, capv []int) {
	for k := range in.Classes {
		if capv[k] > in.Start[k] {
			p.global = append(p.global, k)
		}
	}
	p.n = len(p.global)
	p.start = make([]int8, p.n)
	p.goal = make([]int8, p.n)
	for l, k := range p.global {
		p.start[l] = int8(in.Start[k])
		p.goal[l] = int8(p.goalFull[k])
	}
}

// collect keeps the items that can be taken and bring a useful level.
func (p *prob) collect(in *Instance, capv, reach []int, applied []bool) {
	local := make([]int8, in.Classes)
	for k := range local {
		local[k] = -1
	}
	for l, k := range p.global {
		local[k] = int8(l)
	}
	// gains, needs and need classes live in shared slabs: a few
	// allocations instead of several per item.
	ng, nn, nc := 0, 0, 0
	for _, it := range in.Items {
		ng += len(it.Gains)
		nn += len(it.Needs)
		for _, n := range it.Needs {
			nc += len(n.Classes)
		}
	}
	gslab, nslab, cslab := make([]gain, 0, ng), make([]need, 0, nn), make([]int8, 0, nc)
	p.items = make([]pitem, 0, len(in.Items))
	var gtmp []gain
	for i, it := range in.Items {
		if !applied[i] {
			continue
		}
		gtmp = gtmp[:0]
		for _, g := range it.Gains {
			l := local[g.Class]
			if lv := min(g.Level, capv[g.Class]); l >= 0 && lv > in.Start[g.Class] {
				gtmp = mergeGain(gtmp, gain{l, int8(lv)})
			}
		}
		if len(gtmp) == 0 {
			continue
		}
		slices.SortFunc(gtmp, func(a, b gain) int { return cmp.Compare(a.class, b.class) })
		g0 := len(gslab)
		gslab = append(gslab, gtmp...)
		n0 := len(nslab)
		for _, n := range it.Needs {
			if metAtStart(n, in.Start) {
				continue
			}
			c0 := len(cslab)
			for _, c := range n.Classes {
				if l := local[c]; l >= 0 && reach[c] >= n.Level {
					cslab = append(cslab, l)
				}
			}
			cs := cslab[c0:len(cslab):len(cslab)]
			slices.Sort(cs)
			cs = slices.Compact(cs)
			nslab = append(nslab, need{cs, int8(n.Level)})
		}
		ns := nslab[n0:len(nslab):len(nslab)]
		slices.SortFunc(ns, func(a, b need) int {
			if lessNeed(a, b) {
				return -1
			}
			if lessNeed(b, a) {
				return 1
			}
			return 0
		})
		p.items = append(p.items, pitem{orig: i, cost: it.Cost, gains: gslab[g0:len(gslab):len(gslab)], needs: ns})
	}
}

func mergeGain(gs []gain, g gain) []gain {
	for i := range gs {
		if gs[i].class == g.class {
			gs[i].level = max(gs[i].level, g.level)
			return gs
		}
	}
	return append(gs, g)
}

func lessNeed(a, b need) bool {
	if a.level != b.level {
		return a.level < b.level
	}
	return slices.Compare(a.classes, b.classes) < 0
}

// signature appends to buf a key of what the item does, cost aside
// (gains, then needs; withLevels false leaves gain levels out).
func (it *pitem) signature(buf []byte, withLevels bool) []byte {
	for _, g := range it.gains {
		buf = append(buf, byte(g.class))
		if withLevels {
			buf = append(buf, byte(g.level))
		}
	}
	buf = append(buf, 0xff)
	for _, n := range it.needs {
		buf = append(buf, byte(n.level))
		for _, c := range n.classes {
			buf = append(buf, byte(c))
		}
		buf = append(buf, 0xfe)
	}
	return buf
}

// dedupe keeps, of items doing exactly the same thing, the cheapest (the
// first on a tie), at the place of the first.
func (p *prob) dedupe() {
	first := make(map[uint64]int, len(p.items)) // signature hash → index in keep
	var collided []int                          // kept items whose hash another signature shares
	keep := p.items[:0]                         // filtered in place
	var buf []byte
	for i := range p.items {
		it := p.items[i]
		buf = it.signature(buf[:0], true)
		h := hash64(buf)
		dup := -1
		if j, ok := first[h]; ok {
			if sameWork(&keep[j], &it) {
				dup = j
			} else {
				for _, c := range collided {
					if sameWork(&keep[c], &it) {
						dup = c
						break
					}
				}
			}
			if dup < 0 {
				collided = append(collided, len(keep))
			}
		} else {
			first[h] = len(keep)
		}
		if dup >= 0 {
			if it.cost < keep[dup].cost {
				keep[dup] = it
			}
			continue
		}
		keep = append(keep, it)
	}
	p.items = keep
}

// hash64 is FNV-1a.
func hash64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

// sameWork reports whether two items have the same gains and needs.
func sameWork(a, b *pitem) bool {
	if !slices.Equal(a.gains, b.gains) || len(a.needs) != len(b.needs) {
		return false
	}
	for k := range a.needs {
		if a.needs[k].level != b.needs[k].level || !slices.Equal(a.needs[k].classes, b.needs[k].classes) {
			return false
		}
	}
	return true
}

// dense gives every item its gain vector (once).
func (p *prob) dense() {
	if len(p.items) == 0 || p.items[0].gv != nil {
		return
	}
	all := make([]int8, len(p.items)*p.n)
	for i := range p.items {
		gv := all[i*p.n : (i+1)*p.n : (i+1)*p.n]
		for _, g := range p.items[i].gains {
			gv[g.class] = g.level
		}
		p.items[i].gv = gv
	}
}

// index builds the dense gain vectors and the per-class item lists.
func (p *prob) index() {
	p.dense()
	p.byClass = make([][]int, p.n)
	for i := range p.items {
		for _, g := range p.items[i].gains {
			p.byClass[g.class] = append(p.byClass[g.class], i)
		}
	}
	for _, l := range p.byClass {
		slices.SortStableFunc(l, func(a, b int) int { return cmp.Compare(p.items[a].cost, p.items[b].cost) })
	}
}

func (p *prob) startState() []int8 { return append([]int8(nil), p.start...) }

// value counts the goal cells closed in state x.
func (p *prob) value(x []int8) int {
	v := 0
	for k := range p.n {
		if p.goal[k] > p.start[k] {
			v += int(min(x[k], p.goal[k]) - p.start[k])
		}
	}
	return v
}

// applicable reports whether item i can be taken in state x.
func (p *prob) applicable(i int, x []int8) bool {
	for _, n := range p.items[i].needs {
		if !met(n, x) {
			return false
		}
	}
	return true
}

func met(n need, x []int8) bool {
	for _, c := range n.classes {
		if x[c] >= n.level {
			return true
		}
	}
	return false
}

// marginal counts the goal cells item i would close in state x.
func (p *prob) marginal(i int, x []int8) int {
	v := 0
	for _, g := range p.items[i].gains {
		k := g.class
		if top := min(g.level, p.goal[k]); top > x[k] && p.goal[k] > p.start[k] {
			v += int(top - max(x[k], p.start[k]))
		}
	}
	return v
}

// raises reports whether item i changes state x.
func (p *prob) raises(i int, x []int8) bool {
	for _, g := range p.items[i].gains {
		if g.level > x[g.class] {
			return true
		}
	}
	return false
}

func (p *prob) applyItem(x []int8, i int) {
	for _, g := range p.items[i].gains {
		if g.level > x[g.class] {
			x[g.class] = g.level
		}
	}
}

// apply takes the items in order from x (which it modifies) and returns it.
func (p *prob) apply(x []int8, items []int) []int8 {
	for _, i := range items {
		p.applyItem(x, i)
	}
	return x
}

// finalLevels computes the instance-level state after steps (original
// indices), with the unclamped gains.
func (p *prob) finalLevels(in *Instance, steps []int) []int {
	x := append([]int(nil), in.Start...)
	for _, i := range steps {
		for _, g := range in.Items[i].Gains {
			x[g.Class] = max(x[g.Class], g.Level)
		}
	}
	return x
}
