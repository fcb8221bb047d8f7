package search

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

var _ Vocabulary = (*Index)(nil)

// bcp47 is the shape of the language codes the langue facet accepts.
var bcp47 = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{1,8})*$`)

// Known implements Vocabulary: a key is known when an indexed document has
// it, or when the graph knows the concept, licence, framework, competency or
// organisation it names (which may have no resource yet).
func (ix *Index) Known(facet, value string) bool {
	d, ok := facetByName(facet)
	if !ok {
		return false
	}
	switch d.Kind {
	case kindNiveau:
		n, err := strconv.Atoi(value)
		return err == nil && n >= 1 && n <= MaxLevel && strconv.Itoa(n) == value
	case kindNature:
		for _, n := range natures {
			if n.key == value {
				return true
			}
		}
		return false
	case kindLangue:
		return bcp47.MatchString(value)
	}
	ix.mu.RLock()
	_, indexed := ix.st.values[facet][value]
	ix.mu.RUnlock()
	if indexed {
		return true
	}
	if ix.opts.Labels == nil {
		return false
	}
	switch d.Kind {
	case kindVocab, kindCategory:
		iri := ix.opts.BaseIRI + d.Scheme + "/" + value
		if d.Kind == kindCategory {
			iri = ix.opts.BaseIRI + "vocab/categories/" + value
		}
		if ix.opts.Labels.IsDraft(iri) || !ix.res.inSchemeKnown(iri, ix.opts.BaseIRI+d.Scheme) {
			return false
		}
		return ix.res.notation(iri) == value && inFacet(d, ix.res.values(iri, ontology.Broader))
	case kindLicence:
		return ix.licenceIRI(value) != ""
	}
	return hasAnyType(ix.opts.Labels, value, classesOf(d.Kind))
}

// inFacet tells a concept of the thématiques scheme apart from a category
// (its top concepts): thématiques have a broader concept, categories none.
// Concepts of the other schemes all belong to their facet.
func inFacet(d facetDef, broader []string) bool {
	switch {
	case d.Kind == kindCategory:
		return len(broader) == 0
	case d.Name == FacetThematiques:
		return len(broader) > 0
	}
	return true
}

// inSchemeKnown reports whether the graph places iri in scheme.
func (r resolver) inSchemeKnown(iri, scheme string) bool {
	return r.lab != nil && contains(r.lab.Values(iri, ontology.InScheme), scheme)
}

func classesOf(k facetKind) []string {
	switch k {
	case kindReferentiel:
		return []string{ontology.ConceptScheme, ontology.CompetencyFramework}
	case kindCompetence:
		return []string{ontology.Competency, ontology.CompetencyArea}
	case kindEditeur:
		return []string{ontology.Organization, ontology.Project, ontology.GovernanceBody}
	}
	return nil
}

func hasAnyType(lab Labels, iri string, classes []string) bool {
	if lab.IsDraft(iri) {
		return false
	}
	for _, t := range lab.Values(iri, ontology.Type) {
		if contains(classes, t) {
			return true
		}
	}
	return false
}

// Keys implements Vocabulary.
func (ix *Index) Keys(facet string) []string {
	d, ok := facetByName(facet)
	if !ok {
		return nil
	}
	var keys []string
	switch d.Kind {
	case kindNiveau:
		for i := 1; i <= MaxLevel; i++ {
			keys = append(keys, strconv.Itoa(i))
		}
		return keys
	case kindNature:
		for _, n := range natures {
			keys = append(keys, n.key)
		}
		return keys
	}
	ix.mu.RLock()
	for k := range ix.st.values[facet] {
		keys = append(keys, k)
	}
	ix.mu.RUnlock()
	if lab := ix.opts.Labels; lab != nil {
		switch d.Kind {
		case kindVocab, kindCategory:
			for _, iri := range lab.Referrers(ontology.InScheme, ix.opts.BaseIRI+d.Scheme, true) {
				if !lab.IsDraft(iri) && inFacet(d, lab.Values(iri, ontology.Broader)) {
					keys = appendUniq(keys, ix.res.notation(iri))
				}
			}
		case kindLicence:
			for _, iri := range lab.Referrers(ontology.Type, ontology.License, true) {
				if id := lab.Values(iri, ontology.Identifier); len(id) > 0 && !lab.IsDraft(iri) {
					keys = appendUniq(keys, id[0])
				}
			}
		case kindLangue:
			keys = appendUniq(appendUniq(keys, "fr"), "en")
		default:
			for _, c := range classesOf(d.Kind) {
				for _, iri := range lab.Referrers(ontology.Type, c, true) {
					if !lab.IsDraft(iri) {
						keys = appendUniq(keys, iri)
					}
				}
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// licenceIRI returns the licence the graph knows under key (its
// schema:identifier), or "".
func (ix *Index) licenceIRI(key string) string {
	lab := ix.opts.Labels
	if lab == nil {
		return ""
	}
	for _, iri := range lab.Referrers(ontology.Type, ontology.License, true) {
		if id := lab.Values(iri, ontology.Identifier); len(id) > 0 && id[0] == key && !lab.IsDraft(iri) {
			return iri
		}
	}
	return ""
}

// Suggest proposes up to limit completions of prefix: resource titles,
// labels of competencies and names of publishers that have a resource the
// caller may see. Matching ignores case and accents; each word of prefix
// must begin a word of the proposal. Errors: KindInvalid for a prefix that
// is not valid UTF-8 or longer than MaxSuggestRunes.
func (ix *Index) Suggest(ctx context.Context, prefix string, limit int, withDrafts bool, lang string) ([]Suggestion, error) {
	if !utf8.ValidString(prefix) {
		return nil, domain.Errorf("search.Suggest", domain.KindInvalid, "the prefix is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(prefix); n > MaxSuggestRunes {
		return nil, domain.Errorf("search.Suggest", domain.KindInvalid, "the prefix is %d characters long; at most %d are accepted", n, MaxSuggestRunes)
	}
	if limit <= 0 {
		limit = DefaultSuggestions
	}
	limit = min(limit, MaxSuggestions)
	words := foldWords(prefix)
	out := []Suggestion{}
	if len(words) == 0 {
		return out, nil
	}
	folded := strings.Join(words, " ")
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	st := ix.st
	vis := st.visible(withDrafts)
	sets := []*roaring.Bitmap{vis}
	for _, w := range words {
		sets = append(sets, st.words.prefixed(w))
	}
	var ranked []rankedSuggestion
	cands := roaring.FastAnd(sets...)
	it := cands.Iterator()
	for it.HasNext() {
		o := it.Next()
		name := st.metas[o].Name
		f, n, k := rankLabel(folded, name)
		ranked = append(ranked, rankedSuggestion{Suggestion{Label: name, Kind: SuggestResource, ID: st.iris[o]}, f, n, k})
	}
	landing := ix.view.landingCounts(st, vis, withDrafts)
	for _, facet := range []string{FacetCompetence, FacetEditeur} {
		for key, n := range landing[facet] {
			if n == 0 {
				continue
			}
			label, _, draft := ix.view.label(ix, facet, key, lang)
			if (draft && !withDrafts) || !matchesWords(words, label) {
				continue
			}
			f, size, k := rankLabel(folded, label)
			ranked = append(ranked, rankedSuggestion{Suggestion{Label: label, Kind: facet, ID: key, Facet: facet, Value: key}, f, size, k})
		}
	}
	sortSuggestions(ranked)
	for i := 0; i < len(ranked) && len(out) < limit; i++ {
		out = append(out, ranked[i].s)
	}
	return out, nil
}
