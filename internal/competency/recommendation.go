package competency

import (
	"context"
	"math"
	"slices"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/recommend"
)

// Recommendation is the answer of POST /recommendations: an ordered path
// that closes the gap between current and target levels, each step with
// the cells it closes and why it comes at its place, the cells no resource
// can close, and the licence obligations of the whole path.
type Recommendation struct {
	Steps              []Step          `json:"steps"`
	Uncovered          []UncoveredCell `json:"uncovered"`
	TotalDuration      string          `json:"totalDuration"`
	Optimal            bool            `json:"optimal"`
	Method             string          `json:"method"` // trivial, exact or greedy
	Bound              Bound           `json:"bound"`
	Gap                []CellRef       `json:"gap"`            // every cell between current and target
	AlreadyReached     []CellRef       `json:"alreadyReached"` // targets at or below the current level
	NothingToDo        bool            `json:"nothingToDo"`
	Candidates         int             `json:"candidates"` // resources that can help, after pruning
	EstimatedDurations []string        `json:"estimatedDurations,omitempty"`
	Licence            LicenceReport   `json:"licence"`
	Summary            string          `json:"summary"`

	current, target map[string]int // per displayed competency, for saving
	method          string
}

// Step is one resource of the path.
type Step struct {
	Position          int            `json:"position"`
	Resource          string         `json:"resource"`
	Name              string         `json:"name"`
	Kind              string         `json:"kind,omitempty"`
	Duration          string         `json:"duration"`
	DurationEstimated bool           `json:"durationEstimated,omitempty"`
	Licence           string         `json:"licence,omitempty"`
	Closes            []StepCell     `json:"closes"`
	Prepares          []CellRef      `json:"prepares,omitempty"`
	Requires          []Prerequisite `json:"requires,omitempty"`
	NeededBy          []int          `json:"neededBy,omitempty"` // later steps that need what this one provides
	Why               string         `json:"why"`
}

// StepCell is a gap cell a step closes; Via says when it counts through a
// crosswalk ("exactMatch" or "closeMatch").
type StepCell struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
	Via        string `json:"via,omitempty"`
}

// Prerequisite is a level a step needs and what provides it: the start
// (MetByStep 0) or an earlier step. Source says whether the resource states
// it (schema:competencyRequired / alignment "requires") or the framework
// does (trame:prerequisite between competencies: level n of a competency
// needs level n−1 of its prerequisites).
type Prerequisite struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
	MetByStep  int    `json:"metByStep"`
	Source     string `json:"source"` // resource or framework
}

// UncoveredCell is a gap cell the path leaves open, with the reason.
type UncoveredCell struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
	Reason     string `json:"reason"` // no-resource, constraints, prerequisites, budget
	Message    string `json:"message"`
}

// Bound reports how far the path may be from the optimum: the cost of any
// path closing every reachable cell is at least LowerBound, so the path is
// within Ratio of the optimum. Under a budget, ClosedBound bounds the cells
// any path within the budget closes.
type Bound struct {
	LowerBound  string  `json:"lowerBound"`
	Ratio       float64 `json:"ratio"`
	Budgeted    bool    `json:"budgeted"`
	Closed      int     `json:"closed"`
	GoalCells   int     `json:"goalCells"`
	ClosedBound int     `json:"closedBound,omitempty"`
}

// Uncovered reasons.
const (
	ReasonNoResource    = "no-resource"
	ReasonConstraints   = "constraints"
	ReasonPrerequisites = "prerequisites"
	ReasonBudget        = "budget"
)

const opRecommend = "competency.Recommend"

// Recommend computes the path for req. Unknown competencies, frameworks,
// levels, départements or licences are KindInvalid errors listing every
// problem; a target at or below the current level is an answer with
// nothing to do; constraints that leave cells open are answered with the
// cells closed and those left, each with its reason.
func (v *View) Recommend(ctx context.Context, req RecommendRequest) (*Recommendation, error) {
	ix := v.snapshot(req.WithDrafts)
	g, err := ix.resolveGap(req, v.cfg.ProfileFramework)
	if err != nil {
		return nil, err
	}
	inst, meta := ix.instance(g, req)
	res, err := recommend.Solve(ctx, inst, recommend.Options{})
	if err != nil {
		return nil, domain.Wrap(opRecommend, domain.KindInternal, err)
	}
	return ix.explain(g, meta, res, req.Lang), nil
}

// instanceMeta maps the optimiser's items back to resources.
type instanceMeta struct {
	items      []*resource
	anyTop     []int // per class: highest level any visible resource teaches
	allowedTop []int // per class: highest level an allowed resource teaches
}

// instance builds the optimiser's problem: one class per competency class,
// one item per allowed resource that teaches something.
func (ix *index) instance(g *gap, req RecommendRequest) (recommend.Instance, *instanceMeta) {
	n := len(ix.classes)
	in := recommend.Instance{Classes: n, Start: g.start, Target: g.target}
	if g.cons.budget > 0 {
		in.Budget = int64(g.cons.budget / time.Second)
	}
	meta := &instanceMeta{anyTop: make([]int, n), allowedTop: make([]int, n), items: make([]*resource, 0, len(ix.resources))}
	in.Items = make([]recommend.Item, 0, len(ix.resources))
	for _, r := range ix.resources {
		if len(r.teach) == 0 {
			continue
		}
		ok := ix.allowed(r, &g.cons)
		it := recommend.Item{Gains: r.gains, Needs: r.reqNeeds} // shared, read-only
		if g.closeMatch {
			it.Gains = ix.closeGains(r)
		}
		for _, gn := range it.Gains {
			meta.anyTop[gn.Class] = max(meta.anyTop[gn.Class], gn.Level)
			if ok {
				meta.allowedTop[gn.Class] = max(meta.allowedTop[gn.Class], gn.Level)
			}
		}
		if !ok {
			continue
		}
		switch {
		case g.closeMatch:
			it.Needs = toNeeds(ix.needs(r, g, it.Gains))
		case r.hasPrereq:
			it.Needs = ix.prereqNeeds(r, g)
		}
		it.Cost = int64(durationOf(r) / time.Second)
		in.Items = append(in.Items, it)
		meta.items = append(meta.items, r)
	}
	return in, meta
}

// prereqNeeds is needs without closeMatch, lean: r's own needs plus, for
// each competency it teaches beyond the start up to level n ≥ 2, level n−1
// of the competency's prerequisites it does not teach itself.
func (ix *index) prereqNeeds(r *resource, g *gap) []recommend.Need {
	out, cloned := r.reqNeeds, false
	for _, a := range r.teach {
		lv := int(a.level) - 1
		if int(a.level) <= g.start[a.class] || lv < 1 {
			continue
		}
		for _, p := range ix.classes[a.class].prereqs {
			if gainOf(r.gains, int(p)) >= lv {
				continue
			}
			if !cloned {
				out, cloned = slices.Clone(out), true
			}
			out = mergeNeed(out, recommend.Need{Classes: ix.single[p], Level: lv})
		}
	}
	return out
}

// closeGains are r's gains with those of the closeMatch neighbours of what
// it teaches.
func (ix *index) closeGains(r *resource) []recommend.Gain {
	var gs []recommend.Gain
	for _, a := range r.teach {
		gs = addGain(gs, int(a.class), int(a.level))
		for _, k := range ix.classes[a.class].close {
			gs = addGain(gs, int(k), int(a.level))
		}
	}
	return gs
}

func addGain(gs []recommend.Gain, class, level int) []recommend.Gain {
	for i := range gs {
		if gs[i].Class == class {
			gs[i].Level = max(gs[i].Level, level)
			return gs
		}
	}
	return append(gs, recommend.Gain{Class: class, Level: level})
}

// needInfo is one thing a resource needs first, with where it comes from.
type needInfo struct {
	classes    []int
	level      int
	competency string // the competency the resource or the framework names
	source     string // "resource" or "framework"
}

// needs lists what r needs first: its own requires alignments (met through
// closeMatch classes too when asked), and for each competency it teaches
// beyond the start up to level n, level n−1 of that competency's
// trame:prerequisite competencies, unless r teaches those itself.
func (ix *index) needs(r *resource, g *gap, gains []recommend.Gain) []needInfo {
	var out []needInfo
	add := func(n needInfo) {
		if n.level < 1 {
			return
		}
		for i := range out {
			if out[i].classes[0] == n.classes[0] && len(out[i].classes) == len(n.classes) {
				if n.level > out[i].level {
					out[i] = n
				}
				return
			}
		}
		out = append(out, n)
	}
	for _, a := range r.require {
		cs := []int{int(a.class)}
		if g.closeMatch {
			for _, k := range ix.classes[a.class].close {
				cs = append(cs, int(k))
			}
		}
		add(needInfo{classes: cs, level: int(a.level), competency: a.competency, source: "resource"})
	}
	for _, a := range r.teach {
		if int(a.level) <= g.start[a.class] || a.level < 2 {
			continue
		}
		for _, p := range ix.classes[a.class].prereqs {
			if gainOf(gains, int(p)) < int(a.level)-1 {
				add(needInfo{classes: []int{int(p)}, level: int(a.level) - 1, competency: ix.prereqName(a.competency, p), source: "framework"})
			}
		}
	}
	return out
}

// prereqName returns the prerequisite of competency c that lies in class
// p (the class's first member when c names none there).
func (ix *index) prereqName(c string, p int32) string {
	if cc := ix.concepts[c]; cc != nil {
		for _, pr := range cc.prerequisites {
			if pc := ix.concepts[pr]; pc != nil && pc.class == p {
				return pr
			}
		}
	}
	return ix.classes[p].members[0]
}

func toNeeds(ns []needInfo) []recommend.Need {
	out := make([]recommend.Need, len(ns))
	for i, n := range ns {
		out[i] = recommend.Need{Classes: n.classes, Level: n.level}
	}
	return out
}

func gainOf(gs []recommend.Gain, class int) int {
	for _, g := range gs {
		if g.Class == class {
			return g.Level
		}
	}
	return 0
}

func durationOf(r *resource) time.Duration {
	if r.facts.hasDuration {
		return max(r.facts.duration, time.Second)
	}
	return DefaultDuration
}

// ratio rounds a bound ratio for display.
func ratio(x float64) float64 { return math.Round(x*1000) / 1000 }
