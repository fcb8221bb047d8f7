package competency

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
)

// gap is a resolved request: levels per class, the competency shown for
// each class, the constraints resolved.
type gap struct {
	start, target []int
	shown         map[int32]string // class → competency IRI as the request named it
	reached       []CellRef
	current       map[string]int
	targetShown   map[string]int
	cons          resolvedConstraints
	closeMatch    bool
}

type resolvedConstraints struct {
	budget    time.Duration
	kinds     map[string]bool
	families  map[string]bool
	reusable  string
	languages []string
	places    map[string]bool
	remote    bool
	free      bool
}

// resolveGap checks the request against the graph.
func (ix *index) resolveGap(req RecommendRequest, defaultProfile string) (*gap, error) {
	g := &gap{start: make([]int, len(ix.classes)), target: make([]int, len(ix.classes)), shown: map[int32]string{},
		current: map[string]int{}, targetShown: map[string]int{}, closeMatch: req.CloseMatch}
	var fields []domain.FieldError
	bad := func(path, format string, args ...any) {
		fields = append(fields, domain.FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	setStart := func(c *concept, lv int) {
		g.start[c.class] = max(g.start[c.class], lv)
		g.current[c.iri] = lv
	}
	if p := req.Profile; p != nil {
		fwIRI := p.Framework
		if fwIRI == "" {
			fwIRI = defaultProfile
		}
		if fw := ix.frameworks[fwIRI]; fw == nil {
			bad("/profile/framework", "%q is not a competency framework", fwIRI)
		} else {
			for _, key := range slices.Sorted(maps.Keys(p.Levels)) {
				c := ix.memberOf(fw, key)
				lv, ok := ix.level(p.Levels[key], 0)
				switch {
				case c == nil:
					bad("/profile/levels/"+key, "%q is neither a notation nor a competency of %s", truncate(key, 60), fw.iri)
				case !ok:
					bad("/profile/levels/"+key, "unknown level %s: use an integer 0–%d or a level IRI", levelText(p.Levels[key]), MaxLevel)
				default:
					setStart(c, lv)
				}
			}
		}
	}
	fromCurrent := map[int32]bool{}
	for _, key := range slices.Sorted(maps.Keys(req.Current)) {
		c, lv, ok := ix.entry(req.Current[key], key, 0)
		switch {
		case c == nil:
			bad("/current/"+key, "unknown competency %q", truncate(key, 200))
		case !ok:
			bad("/current/"+key, "unknown level %s: use an integer 0–%d or a level IRI", levelText(req.Current[key]), MaxLevel)
		default:
			if !fromCurrent[c.class] { // current wins over the profile for its class
				fromCurrent[c.class], g.start[c.class] = true, 0
			}
			setStart(c, lv)
		}
	}
	ix.resolveTargets(req, g, bad)
	g.cons = ix.resolveConstraints(req.Constraints, bad)
	if len(fields) > 0 {
		sortFields(fields)
		return nil, invalid(opRecommend, "the request names unknown competencies, levels or constraint values", fields...)
	}
	return g, nil
}

func (ix *index) resolveTargets(req RecommendRequest, g *gap, bad func(string, string, ...any)) {
	setTarget := func(c *concept, lv int) {
		if lv <= g.start[c.class] {
			g.reached = append(g.reached, CellRef{Competency: c.iri, Level: lv})
			return
		}
		if lv > g.target[c.class] {
			g.target[c.class] = lv
		}
		if _, ok := g.shown[c.class]; !ok {
			g.shown[c.class] = c.iri
		}
		g.targetShown[g.shown[c.class]] = g.target[c.class]
	}
	if tf := req.TargetFramework; tf != nil {
		fw := ix.frameworks[tf.Framework]
		lv, ok := ix.level(tf.Level, 1)
		switch {
		case fw == nil:
			bad("/targetFramework/framework", "%q is not a competency framework", tf.Framework)
		case !ok:
			bad("/targetFramework/level", "unknown level %s: use an integer 1–%d or a level IRI", levelText(tf.Level), MaxLevel)
		case len(tf.Competencies) == 0:
			for _, c := range fw.cells {
				setTarget(c, lv)
			}
		default:
			for i, key := range tf.Competencies {
				if c := ix.memberOf(fw, key); c != nil {
					setTarget(c, lv)
				} else {
					bad(fmt.Sprintf("/targetFramework/competencies/%d", i), "%q is neither a notation nor a competency of %s", truncate(key, 60), fw.iri)
				}
			}
		}
	}
	for _, key := range slices.Sorted(maps.Keys(req.Target)) {
		c, lv, ok := ix.entry(req.Target[key], key, 1)
		switch {
		case c == nil:
			bad("/target/"+key, "unknown competency %q", truncate(key, 200))
		case !ok:
			bad("/target/"+key, "unknown level %s: use an integer 1–%d or a level IRI", levelText(req.Target[key]), MaxLevel)
		default:
			setTarget(c, lv)
		}
	}
}

func (ix *index) entry(l Level, key string, minLevel int) (*concept, int, bool) {
	c := ix.concepts[key]
	lv, ok := ix.level(l, minLevel)
	return c, lv, ok
}

// level resolves a request level: an integer minLevel..MaxLevel, or a
// level IRI.
func (ix *index) level(l Level, minLevel int) (int, bool) {
	if l.IRI != "" {
		n, ok := ix.levels[l.IRI]
		return n, ok
	}
	return l.N, l.N >= minLevel && l.N <= MaxLevel
}

func levelText(l Level) string {
	if l.IRI != "" {
		return fmt.Sprintf("%q", truncate(l.IRI, 200))
	}
	return fmt.Sprint(l.N)
}

// memberOf finds a competency of fw by notation or IRI.
func (ix *index) memberOf(fw *framework, key string) *concept {
	if c := ix.concepts[key]; c != nil && contains(c.schemes, fw.iri) {
		return c
	}
	for _, c := range fw.cells {
		if c.notation == key {
			return c
		}
	}
	for _, c := range ix.concepts {
		if c.notation == key && contains(c.schemes, fw.iri) {
			return c
		}
	}
	return nil
}

func (ix *index) resolveConstraints(c Constraints, bad func(string, string, ...any)) resolvedConstraints {
	rc := resolvedConstraints{languages: c.Languages, remote: c.Remote, free: c.FreeOnly, reusable: c.ReusableUnder}
	if c.MaxDuration != "" {
		rc.budget, _ = domain.ParseISODuration(c.MaxDuration)
	}
	if len(c.Kinds) > 0 {
		rc.kinds = map[string]bool{}
		for _, k := range c.Kinds {
			rc.kinds[kindName(k)] = true
		}
	}
	if len(c.LicenceFamilies) > 0 {
		rc.families = map[string]bool{}
		for _, f := range c.LicenceFamilies {
			rc.families[f] = true
		}
	}
	if rc.reusable != "" && ix.licences[rc.reusable] == nil {
		bad("/constraints/reusableUnder", "%q is not a licence described in the graph", truncate(rc.reusable, 200))
	}
	if len(c.Departements) > 0 {
		rc.places = map[string]bool{}
		for i, d := range c.Departements {
			iri := ix.placeIRI(d)
			if iri == "" {
				bad(fmt.Sprintf("/constraints/departements/%d", i), "unknown département %q", truncate(d, 100))
			}
			rc.places[iri] = true
		}
	}
	return rc
}

// placeIRI resolves a département code or IRI ("" when unknown).
func (ix *index) placeIRI(d string) string {
	if ix.placeIRIs[d] {
		return d
	}
	return ix.places[strings.ToUpper(strings.TrimSpace(d))]
}

// allowed reports whether r passes the constraints (the budget aside).
func (ix *index) allowed(r *resource, rc *resolvedConstraints) bool {
	f := r.facts
	if rc.kinds != nil && !rc.kinds[f.kind] {
		return false
	}
	if rc.families != nil && !rc.families[ix.resourceFamily(r)] {
		return false
	}
	if rc.reusable != "" && !reusableUnder(ix.licences[f.licence], ix.licences[rc.reusable], f.licence, rc.reusable) {
		return false
	}
	if rc.free && f.free != 1 {
		return false
	}
	if len(rc.languages) > 0 && !langMatch(f.languages, rc.languages) {
		return false
	}
	if rc.places != nil || rc.remote {
		if len(f.places) == 0 {
			return rc.remote
		}
		for _, p := range f.places {
			if rc.places[p] {
				return true
			}
		}
		return false
	}
	return true
}

// langMatch compares primary language subtags; a resource that states no
// language passes.
func langMatch(have, want []string) bool {
	if len(have) == 0 {
		return true
	}
	for _, h := range have {
		hp, _, _ := strings.Cut(h, "-")
		for _, w := range want {
			if wp, _, _ := strings.Cut(w, "-"); wp == hp {
				return true
			}
		}
	}
	return false
}
