package competency

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/recommend"
	"github.com/trame-commun/trame/ontology"
)

// MaxLevel is the highest proficiency level of the write contract.
const MaxLevel = recommend.MaxLevel

// index is an immutable snapshot of the view, shaped for queries.
// Competencies made equal by skos:exactMatch (stated on a concept or in a
// crosswalk, in either direction, transitively) share one class: a level in
// one is a level in all of them.
type index struct {
	levels     map[string]int // level concept IRI → number
	maxLevel   int
	concepts   map[string]*concept
	frameworks map[string]*framework
	fwList     []*framework // by IRI
	classes    []*class
	single     [][]int     // class → []int{class}, shared by needs
	resources  []*resource // by IRI; a resource's id is its position
	resByIRI   map[string]int32
	byClass    [][]classAlign // class → teaches/assesses alignments, by resource
	byPub      map[string][]int32
	byPlace    map[string][]int32
	licences   map[string]*licenceFacts
	places     map[string]string // département code → IRI
	placeIRIs  map[string]bool
	orgs       map[string]string // organisation IRI → label
}

type concept struct {
	iri, notation, labelFR, labelEN string
	schemes                         []string
	area                            bool
	class                           int32
	prerequisites                   []string
}

type class struct {
	members []string // concept IRIs, sorted
	close   []int32  // classes one skos:closeMatch away, sorted
	prereqs []int32  // classes its members have as trame:prerequisite, sorted
}

type framework struct {
	iri, label string
	typed      bool
	levels     int
	cells      []*concept // the competencies of the coverage grid, in notation order
}

type resource struct {
	iri     string
	facts   *resourceFacts
	teach   []ralign // one per (class, competency), highest level
	assess  []ralign
	require []ralign
	// what the optimiser needs, precomputed without closeMatch: the gains
	// per class, the needs the resource states, and whether a competency it
	// teaches has trame:prerequisite (then needs depend on the request)
	gains     []recommend.Gain
	reqNeeds  []recommend.Need
	hasPrereq bool
}

type ralign struct {
	class      int32
	level      int8
	competency string
}

type classAlign struct {
	res        int32
	level      int8
	assess     bool
	competency string
}

// build makes the index of entries (drafts only when withDrafts).
func build(entries map[string]*entry, withDrafts bool) *index {
	ix := &index{levels: map[string]int{}, concepts: map[string]*concept{}, frameworks: map[string]*framework{},
		resByIRI: map[string]int32{}, byPub: map[string][]int32{}, byPlace: map[string][]int32{},
		licences: map[string]*licenceFacts{}, places: map[string]string{}, placeIRIs: map[string]bool{}, orgs: map[string]string{}}
	var list []*entry
	for _, en := range entries {
		if withDrafts || !en.draft {
			list = append(list, en)
		}
	}
	sort.Slice(list, func(a, b int) bool { return list[a].iri < list[b].iri })
	var mappings []mapping
	for _, en := range list {
		ix.addFacts(en)
		if en.concept != nil {
			mappings = append(mappings, en.concept.matches...)
		}
		mappings = append(mappings, en.crosswalk...)
	}
	if ix.maxLevel == 0 {
		ix.maxLevel = MaxLevel
	}
	ix.buildClasses(mappings)
	ix.buildFrameworks(list)
	ix.buildResources(list)
	return ix
}

func (ix *index) addFacts(en *entry) {
	if en.level != nil && en.level.number >= 1 && en.level.number <= MaxLevel {
		ix.levels[en.iri] = en.level.number
		ix.maxLevel = max(ix.maxLevel, en.level.number)
	}
	if c := en.concept; c != nil {
		ix.concepts[en.iri] = &concept{iri: en.iri, notation: c.notation, labelFR: c.labelFR, labelEN: c.labelEN,
			schemes: c.schemes, area: c.area, prerequisites: c.prerequisites}
	}
	if en.licence != nil {
		ix.licences[en.iri] = en.licence
	}
	if en.org != "" {
		ix.orgs[en.iri] = en.org
	}
	if pl := en.place; pl != nil {
		ix.placeIRIs[en.iri] = true
		for _, s := range pl.schemes {
			if strings.HasSuffix(strings.TrimSuffix(s, "/"), "departements") && pl.notation != "" {
				ix.places[strings.ToUpper(pl.notation)] = en.iri
			}
		}
	}
}

// buildClasses unites exactMatch pairs and links closeMatch pairs between
// known concepts.
func (ix *index) buildClasses(mappings []mapping) {
	parent := map[string]string{}
	var find func(string) string
	find = func(a string) string {
		if p, ok := parent[a]; ok && p != a {
			r := find(p)
			parent[a] = r
			return r
		}
		return a
	}
	for _, m := range mappings {
		if m.relation == ontology.ExactMatch && ix.concepts[m.source] != nil && ix.concepts[m.target] != nil {
			a, b := find(m.source), find(m.target)
			if a != b {
				if b < a {
					a, b = b, a
				}
				parent[b] = a
			}
		}
	}
	iris := make([]string, 0, len(ix.concepts))
	for iri := range ix.concepts {
		iris = append(iris, iri)
	}
	sort.Strings(iris)
	ids := map[string]int32{}
	for _, iri := range iris {
		root := find(iri)
		id, ok := ids[root]
		if !ok {
			id = int32(len(ix.classes))
			ids[root] = id
			ix.classes = append(ix.classes, &class{})
		}
		ix.concepts[iri].class = id
		ix.classes[id].members = append(ix.classes[id].members, iri)
	}
	for _, m := range mappings {
		a, b := ix.concepts[m.source], ix.concepts[m.target]
		if m.relation != ontology.CloseMatch || a == nil || b == nil || a.class == b.class {
			continue
		}
		ix.classes[a.class].close = appendUnique(ix.classes[a.class].close, b.class)
		ix.classes[b.class].close = appendUnique(ix.classes[b.class].close, a.class)
	}
	for _, c := range ix.concepts {
		for _, p := range c.prerequisites {
			if pc := ix.concepts[p]; pc != nil && pc.class != c.class {
				ix.classes[c.class].prereqs = appendUnique(ix.classes[c.class].prereqs, pc.class)
			}
		}
	}
	ix.single = make([][]int, len(ix.classes))
	for k, cl := range ix.classes {
		slices.Sort(cl.close)
		slices.Sort(cl.prereqs)
		ix.single[k] = []int{k}
	}
}

func appendUnique(s []int32, v int32) []int32 {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// buildFrameworks finds the frameworks and the competencies of their grid:
// members that are neither areas nor broader than another member.
func (ix *index) buildFrameworks(list []*entry) {
	members := map[string][]*concept{}
	parents := map[string]bool{}
	for _, en := range list {
		c := en.concept
		if c == nil {
			continue
		}
		for _, s := range uniq(c.schemes) {
			members[s] = append(members[s], ix.concepts[en.iri])
		}
		for _, b := range c.broader {
			parents[b] = true
		}
		if len(c.narrower) > 0 {
			parents[en.iri] = true
		}
	}
	for _, en := range list {
		s := en.scheme
		if s == nil || s.vocabulary || (!s.framework && len(members[en.iri]) == 0) {
			continue
		}
		fw := &framework{iri: en.iri, label: s.label, typed: s.framework, levels: ix.scaleOf(s.levelScale, list)}
		for _, c := range members[en.iri] {
			if !c.area && !parents[c.iri] {
				fw.cells = append(fw.cells, c)
			}
		}
		sort.SliceStable(fw.cells, func(a, b int) bool { return lessNotation(fw.cells[a], fw.cells[b]) })
		ix.frameworks[en.iri] = fw
		ix.fwList = append(ix.fwList, fw)
	}
}

// scaleOf returns the number of levels of a level scale scheme, or the
// highest level known when the framework names none.
func (ix *index) scaleOf(scale string, list []*entry) int {
	top := 0
	if scale != "" {
		for _, en := range list {
			if en.level != nil && slices.Contains(en.level.schemes, scale) && en.level.number <= MaxLevel {
				top = max(top, en.level.number)
			}
		}
	}
	if top == 0 {
		top = ix.maxLevel
	}
	return top
}

func uniq(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

// lessNotation orders competencies by notation, numerically part by part
// ("1.2" < "1.10"), then by IRI.
func lessNotation(a, b *concept) bool {
	pa, pb := strings.Split(a.notation, "."), strings.Split(b.notation, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil && na != nb:
			return na < nb
		case (ea != nil || eb != nil) && pa[i] != pb[i]:
			return pa[i] < pb[i]
		}
	}
	if len(pa) != len(pb) {
		return len(pa) < len(pb)
	}
	return a.iri < b.iri
}

// buildResources resolves every resource's alignments to classes and
// levels, and indexes resources by class, publisher and place.
func (ix *index) buildResources(list []*entry) {
	ix.byClass = make([][]classAlign, len(ix.classes))
	for _, en := range list {
		if en.resource == nil {
			continue
		}
		id := int32(len(ix.resources))
		r := &resource{iri: en.iri, facts: en.resource}
		for _, a := range en.resource.alignments {
			c := ix.concepts[a.Competency]
			if c == nil {
				continue // aligned to something that is not (or no longer) a competency
			}
			lv := a.Level
			if a.LevelIRI != "" {
				lv = ix.levels[a.LevelIRI]
			}
			lv = min(max(lv, 1), MaxLevel) // an alignment without a level claims level 1
			al := ralign{class: c.class, level: int8(lv), competency: c.iri}
			switch a.Type {
			case "teaches":
				r.teach = mergeAlign(r.teach, al)
			case "assesses":
				r.assess = mergeAlign(r.assess, al)
			case "requires":
				r.require = mergeAlign(r.require, al)
			}
		}
		for _, al := range r.teach {
			ix.byClass[al.class] = append(ix.byClass[al.class], classAlign{res: id, level: al.level, competency: al.competency})
			r.gains = addGain(r.gains, int(al.class), int(al.level))
			r.hasPrereq = r.hasPrereq || len(ix.classes[al.class].prereqs) > 0
		}
		for _, al := range r.require {
			r.reqNeeds = mergeNeed(r.reqNeeds, recommend.Need{Classes: []int{int(al.class)}, Level: int(al.level)})
		}
		for _, al := range r.assess {
			ix.byClass[al.class] = append(ix.byClass[al.class], classAlign{res: id, level: al.level, assess: true, competency: al.competency})
		}
		for _, p := range en.resource.publishers {
			ix.byPub[p] = append(ix.byPub[p], id)
		}
		for _, p := range en.resource.places {
			ix.byPlace[p] = append(ix.byPlace[p], id)
		}
		ix.resByIRI[en.iri] = id
		ix.resources = append(ix.resources, r)
	}
}

// mergeNeed keeps the highest level per class.
func mergeNeed(ns []recommend.Need, n recommend.Need) []recommend.Need {
	for i := range ns {
		if ns[i].Classes[0] == n.Classes[0] {
			ns[i].Level = max(ns[i].Level, n.Level)
			return ns
		}
	}
	return append(ns, n)
}

// mergeAlign keeps the highest level per (class, competency).
func mergeAlign(as []ralign, a ralign) []ralign {
	for i := range as {
		if as[i].class == a.class && as[i].competency == a.competency {
			as[i].level = max(as[i].level, a.level)
			return as
		}
	}
	return append(as, a)
}

// label returns a competency's label in lang.
func (c *concept) label(lang string) string {
	if lang == "en" && c.labelEN != "" {
		return c.labelEN
	}
	return c.labelFR
}
