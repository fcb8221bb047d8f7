package opendata

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// entity returns the decoded entity iri as the caller may see it: a draft
// is KindNotFound for anonymous callers, like a missing entity.
func (s *Service) entity(ctx context.Context, iri string, anonymous bool) (*domain.Entity, domain.Record, error) {
	rec, err := s.cfg.Store.Get(ctx, iri)
	if err == nil && rec.Draft && anonymous {
		err = domain.Errorf("opendata", domain.KindNotFound, "no entity %s", iri)
	}
	if err != nil {
		return nil, rec, err
	}
	e, err := s.cfg.Codec.DecodeStored(rec.IRI, rec.Doc)
	return e, rec, err
}

// framework is a competency framework read for an export: the scheme and
// its competencies in notation order, with parent links.
type framework struct {
	Scheme       *domain.Entity
	Competencies []*domain.Entity
	Parent       map[string]string // competency → broader competency in the framework
	Levels       []*domain.Entity  // the level scale, by level number
	Mappings     []mapping         // crosswalk mappings whose source is one of the competencies
}

// mapping is one crosswalk statement: source relation target.
type mapping struct{ Source, Relation, Target string }

func (s *Service) readFramework(ctx context.Context, iri string, anonymous bool) (*framework, error) {
	e, _, err := s.entity(ctx, iri, anonymous)
	if err != nil {
		return nil, err
	}
	if !e.HasType(ontology.ConceptScheme) {
		return nil, domain.Errorf("opendata.Framework", domain.KindInvalid, "%s is not a framework (skos:ConceptScheme)", iri)
	}
	fw := &framework{Scheme: e, Parent: map[string]string{}}
	fw.Competencies = s.members(ctx, iri, anonymous)
	inFw := map[string]bool{}
	for _, c := range fw.Competencies {
		inFw[c.IRI] = true
	}
	for _, c := range fw.Competencies {
		for _, b := range c.Values(ontology.Broader) {
			if inFw[b.Value] {
				fw.Parent[c.IRI] = b.Value
			}
		}
	}
	if scale := e.First(ontology.LevelScale); scale != "" {
		fw.Levels = s.members(ctx, scale, anonymous)
		sort.SliceStable(fw.Levels, func(i, j int) bool { return levelNumber(fw.Levels[i]) < levelNumber(fw.Levels[j]) })
	}
	fw.Mappings, err = s.mappings(ctx, inFw, anonymous)
	return fw, err
}

// members returns the visible concepts of a scheme, in notation order.
func (s *Service) members(ctx context.Context, scheme string, anonymous bool) []*domain.Entity {
	var out []*domain.Entity
	if s.cfg.Subjects == nil {
		return nil
	}
	for _, iri := range s.cfg.Subjects(ontology.InScheme, scheme, anonymous) {
		if e, _, err := s.entity(ctx, iri, anonymous); err == nil {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return notationLess(out[i].First(ontology.Notation), out[j].First(ontology.Notation), out[i].IRI, out[j].IRI)
	})
	return out
}

// notationLess orders "1.2" before "1.10": numeric parts compare as numbers.
func notationLess(a, b, ia, ib string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for k := 0; k < len(pa) && k < len(pb); k++ {
		na, ea := strconv.Atoi(pa[k])
		nb, eb := strconv.Atoi(pb[k])
		switch {
		case ea == nil && eb == nil && na != nb:
			return na < nb
		case (ea != nil || eb != nil) && pa[k] != pb[k]:
			return pa[k] < pb[k]
		}
	}
	if len(pa) != len(pb) {
		return len(pa) < len(pb)
	}
	return ia < ib
}

func levelNumber(e *domain.Entity) int {
	n, _ := strconv.Atoi(e.First(ontology.LevelNumber))
	return n
}

// mappings reads the crosswalks (trame:Crosswalk entities) and returns the
// mappings whose source is in sources, plus the SKOS match links the
// competencies state themselves.
func (s *Service) mappings(ctx context.Context, sources map[string]bool, anonymous bool) ([]mapping, error) {
	var out []mapping
	after := ""
	for {
		recs, err := s.cfg.Store.List(ctx, domain.Crosswalks, after, 200, !anonymous)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			e, err := s.cfg.Codec.DecodeStored(rec.IRI, rec.Doc)
			if err != nil {
				return nil, err
			}
			out = append(out, crosswalkMappings(e, sources)...)
		}
		if len(recs) < 200 {
			break
		}
		after = recs[len(recs)-1].IRI
	}
	return out, nil
}

// crosswalkMappings reads the trame:mapping nodes of a crosswalk.
func crosswalkMappings(e *domain.Entity, sources map[string]bool) []mapping {
	var out []mapping
	for _, m := range e.Values(ontology.MappingProp) {
		src, rel, tgt := first(e.Objects(m, ontology.AnnotatedSource)), first(e.Objects(m, ontology.AnnotatedProp)), first(e.Objects(m, ontology.AnnotatedTarget))
		if src != "" && rel != "" && tgt != "" && (sources == nil || sources[src]) {
			out = append(out, mapping{src, rel, tgt})
		}
	}
	return out
}

func first(ts []domain.Term) string {
	if len(ts) == 0 {
		return ""
	}
	return ts[0].Value
}

// matchesOf returns the mappings of competency c: its own SKOS match links
// and the crosswalk statements about it, by relation.
func (fw *framework) matchesOf(c *domain.Entity) map[string][]string {
	out := map[string][]string{}
	for _, rel := range []string{ontology.ExactMatch, ontology.CloseMatch, ontology.BroadMatch, ontology.NarrowMatch} {
		for _, v := range c.Values(rel) {
			out[rel] = appendNew(out[rel], v.Value)
		}
	}
	for _, m := range fw.Mappings {
		if m.Source == c.IRI {
			out[m.Relation] = appendNew(out[m.Relation], m.Target)
		}
	}
	return out
}

func appendNew(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// langMap returns the language-tagged values of predicate on e as a map
// language → text (the first value of each language; "fr" for untagged).
func langMap(e *domain.Entity, predicates ...string) map[string]string {
	out := map[string]string{}
	for _, p := range predicates {
		for _, v := range e.Values(p) {
			if !v.IsLiteral() {
				continue
			}
			lang := v.Lang
			if lang == "" {
				lang = "fr"
			}
			if _, ok := out[lang]; !ok {
				out[lang] = v.Value
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return out
}
