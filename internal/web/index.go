package web

import (
	"sort"
	"strings"
	"unicode"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Index is an immutable snapshot of the directory with the reverse links
// the pages need. Every slice is sorted for display (by label, or by
// notation for the concepts of a scheme).
type Index struct {
	items       map[string]*Item
	byColl      map[domain.Collection][]*Item
	byScheme    map[string][]*Item   // scheme → its concepts, by notation
	narrower    map[string][]*Item   // concept → narrower concepts, by notation
	cells       map[string][]CellRef // competency → resources aligned with it
	byPublisher map[string][]*Item
	byLicence   map[string][]*Item
	partOf      map[string][]*Item // resource → parcours that contain it
	byParty     map[string][]*Item // partner → agreements it is party to
	byMember    map[string][]*Item // partner → its memberships
	byAbout     map[string][]*Item // thématique (or any about IRI) → resources
	mappings    map[string][]Mapping
	levels      []*Item // levels 1..8, by number
	levelOfIRI  map[string]int
	categoryOf  map[string]string // thématique → its category
	resources   int
	paths       int
}

// CellRef is one alignment of a resource with a competency.
type CellRef struct {
	Resource *Item
	Type     domain.AlignmentType
	Level    int
}

func buildIndex(items map[string]*Item) *Index {
	ix := &Index{items: items, byColl: map[domain.Collection][]*Item{}, byScheme: map[string][]*Item{},
		narrower: map[string][]*Item{}, cells: map[string][]CellRef{}, byPublisher: map[string][]*Item{},
		byLicence: map[string][]*Item{}, partOf: map[string][]*Item{}, byParty: map[string][]*Item{},
		byMember: map[string][]*Item{}, byAbout: map[string][]*Item{}, mappings: map[string][]Mapping{},
		levelOfIRI: map[string]int{}, categoryOf: map[string]string{}}
	for _, it := range items {
		if it.Level > 0 {
			ix.levelOfIRI[it.IRI] = it.Level
			ix.levels = append(ix.levels, it)
		}
	}
	for _, it := range items {
		ix.add(it)
	}
	for _, it := range items {
		for _, p := range it.Parts {
			if part := items[p]; part != nil {
				ix.partOf[p] = append(ix.partOf[p], it)
			}
		}
	}
	ix.sortAll()
	return ix
}

func (ix *Index) add(it *Item) {
	ix.byColl[it.Collection] = append(ix.byColl[it.Collection], it)
	switch it.Collection {
	case domain.Resources:
		ix.resources++
	case domain.Paths:
		ix.paths++
	}
	if it.Collection == domain.Resources || it.Collection == domain.Paths {
		ix.addResource(it)
	}
	for _, s := range it.Links[ontology.InScheme] {
		ix.byScheme[s] = append(ix.byScheme[s], it)
	}
	for _, b := range it.Links[ontology.Broader] {
		ix.narrower[b] = append(ix.narrower[b], it)
		if it.HasType(ontology.IndexTerm) {
			ix.categoryOf[it.IRI] = b
		}
	}
	for _, p := range it.Links[ontology.Party] {
		ix.byParty[p] = append(ix.byParty[p], it)
	}
	for _, m := range it.Links[ontology.Member] {
		ix.byMember[m] = append(ix.byMember[m], it)
	}
	for _, m := range it.Mappings {
		ix.mappings[m.Source] = append(ix.mappings[m.Source], m)
		ix.mappings[m.Target] = append(ix.mappings[m.Target], m)
	}
	for _, rel := range []string{ontology.ExactMatch, ontology.CloseMatch, ontology.BroadMatch, ontology.NarrowMatch} {
		for _, t := range it.Links[rel] {
			m := Mapping{Source: it.IRI, Relation: rel, Target: t}
			ix.mappings[it.IRI] = append(ix.mappings[it.IRI], m)
			ix.mappings[t] = append(ix.mappings[t], m)
		}
	}
}

func (ix *Index) addResource(it *Item) {
	for _, p := range it.Links[ontology.Publisher] {
		ix.byPublisher[p] = append(ix.byPublisher[p], it)
	}
	for _, l := range it.Links[ontology.LicenseProp] {
		ix.byLicence[l] = append(ix.byLicence[l], it)
	}
	for _, a := range it.Links[ontology.About] {
		ix.byAbout[a] = append(ix.byAbout[a], it)
	}
	for _, a := range it.Alignments {
		lvl := a.Level
		if lvl == 0 && a.LevelIRI != "" {
			lvl = ix.levelOfIRI[a.LevelIRI]
		}
		ix.cells[a.Competency] = append(ix.cells[a.Competency], CellRef{Resource: it, Type: a.Type, Level: lvl})
	}
}

func (ix *Index) sortAll() {
	for _, l := range ix.byColl {
		sortByLabel(l)
	}
	for _, m := range []map[string][]*Item{ix.byPublisher, ix.byLicence, ix.partOf, ix.byParty, ix.byMember, ix.byAbout} {
		for _, l := range m {
			sortByLabel(l)
		}
	}
	for _, m := range []map[string][]*Item{ix.byScheme, ix.narrower} {
		for _, l := range m {
			sortByNotation(l)
		}
	}
	for _, c := range ix.cells {
		sort.SliceStable(c, func(i, j int) bool {
			if c[i].Level != c[j].Level {
				return c[i].Level < c[j].Level
			}
			return c[i].Resource.SortKey < c[j].Resource.SortKey
		})
	}
	sort.Slice(ix.levels, func(i, j int) bool { return ix.levels[i].Level < ix.levels[j].Level })
}

// Get returns the summary of iri, or nil when it is unknown or a draft.
func (ix *Index) Get(iri string) *Item { return ix.items[iri] }

// Collection returns the items of c, by label.
func (ix *Index) Collection(c domain.Collection) []*Item { return ix.byColl[c] }

// Concepts returns the concepts of a scheme, by notation.
func (ix *Index) Concepts(scheme string) []*Item { return ix.byScheme[scheme] }

// Narrower returns the concepts whose skos:broader is iri, by notation.
func (ix *Index) Narrower(iri string) []*Item { return ix.narrower[iri] }

// Cells returns the alignments of resources with a competency, by level.
func (ix *Index) Cells(competency string) []CellRef { return ix.cells[competency] }

// ByPublisher returns the resources a partner publishes.
func (ix *Index) ByPublisher(iri string) []*Item { return ix.byPublisher[iri] }

// ByLicence returns the resources under a licence.
func (ix *Index) ByLicence(iri string) []*Item { return ix.byLicence[iri] }

// PartOf returns the parcours that contain a resource.
func (ix *Index) PartOf(iri string) []*Item { return ix.partOf[iri] }

// ByParty returns the agreements a partner is party to.
func (ix *Index) ByParty(iri string) []*Item { return ix.byParty[iri] }

// ByMember returns a partner's memberships.
func (ix *Index) ByMember(iri string) []*Item { return ix.byMember[iri] }

// ByAbout returns the resources indexed with a thématique.
func (ix *Index) ByAbout(iri string) []*Item { return ix.byAbout[iri] }

// Mappings returns the crosswalk correspondences a competency takes part in.
func (ix *Index) Mappings(iri string) []Mapping { return ix.mappings[iri] }

// Levels returns the proficiency levels, by number.
func (ix *Index) Levels() []*Item { return ix.levels }

// CategoryOf returns the category (top concept) of a thématique, or "".
func (ix *Index) CategoryOf(theme string) string { return ix.categoryOf[theme] }

// Counts returns the number of published resources and parcours.
func (ix *Index) Counts() (resources, paths int) { return ix.resources, ix.paths }

func sortByLabel(l []*Item) {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].SortKey, l[j].SortKey
		if a != b {
			return a < b
		}
		return l[i].IRI < l[j].IRI
	})
}

func sortByNotation(l []*Item) {
	sort.SliceStable(l, func(i, j int) bool {
		if c := compareNotation(l[i].Notation, l[j].Notation); c != 0 {
			return c < 0
		}
		return l[i].SortKey < l[j].SortKey
	})
}

// compareNotation orders "1.2" before "1.10" and "CCP2" before "CCP10".
func compareNotation(a, b string) int {
	for a != "" && b != "" {
		ra, rb := leadingRun(a), leadingRun(b)
		na, nb := isDigits(ra), isDigits(rb)
		switch {
		case na && nb:
			if len(strings.TrimLeft(ra, "0")) != len(strings.TrimLeft(rb, "0")) {
				return len(strings.TrimLeft(ra, "0")) - len(strings.TrimLeft(rb, "0"))
			}
			if c := strings.Compare(strings.TrimLeft(ra, "0"), strings.TrimLeft(rb, "0")); c != 0 {
				return c
			}
		default:
			if c := strings.Compare(ra, rb); c != 0 {
				return c
			}
		}
		a, b = a[len(ra):], b[len(rb):]
	}
	return len(a) - len(b)
}

func leadingRun(s string) string {
	digit := s[0] >= '0' && s[0] <= '9'
	i := 1
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') == digit {
		i++
	}
	return s[:i]
}

func isDigits(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// collate returns a sort key that orders French labels as a reader expects:
// case and accents ignored, œ as oe.
func collate(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = unicode.ToLower(r)
		if f, ok := folds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// folds maps the accented letters of French (and a few neighbours) to their
// base letters, for sorting.
var folds = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss"}
	for base, accented := range map[string]string{"a": "àâäáãå", "c": "ç", "e": "éèêë", "i": "îïíì",
		"n": "ñ", "o": "ôöóòõø", "u": "ùûüú", "y": "ÿý"} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
