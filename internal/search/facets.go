package search

import (
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/ontology"
)

// Facet names. Each is also the name of the query parameter that filters on
// it, and a facet value's key is exactly what that parameter takes.
const (
	FacetThematiques   = "thematiques"   // Les Bases thématique key (skos:notation)
	FacetCategories    = "categories"    // category slug of the thématiques (skos:broader)
	FacetTypes         = "types"         // Les Bases resource type key
	FacetBeneficiaires = "beneficiaires" // Les Bases beneficiary key
	FacetSecteurs      = "secteurs"      // Les Bases professional sector key
	FacetDepartements  = "departements"  // département code
	FacetLicence       = "licence"       // licence key (schema:identifier), e.g. CC_BY_SA_4_0
	FacetReferentiel   = "referentiel"   // framework IRI
	FacetCompetence    = "competence"    // competency IRI (taught or assessed)
	FacetNiveau        = "niveau"        // level taught, 1 to 8
	FacetEditeur       = "editeur"       // publisher IRI
	FacetNature        = "nature"        // grain, parcours, formation or outil
	FacetLangue        = "langue"        // BCP 47 language code, lower case
)

// facetKind says where a facet's values come from.
type facetKind uint8

const (
	kindVocab facetKind = iota + 1 // concepts of a Les Bases vocabulary, keyed by skos:notation
	kindCategory
	kindLicence
	kindReferentiel
	kindCompetence
	kindNiveau
	kindEditeur
	kindNature
	kindLangue
)

// facetDef describes one facet.
type facetDef struct {
	Name   string
	Kind   facetKind
	Scheme string // for vocabulary facets: the scheme path under the base IRI
	IRIs   bool   // values are IRIs (never split on commas)
}

// Facets lists every facet, in the order answers show them.
var facetDefs = []facetDef{
	{Name: FacetThematiques, Kind: kindVocab, Scheme: "vocab/thematiques"},
	{Name: FacetCategories, Kind: kindCategory, Scheme: "vocab/thematiques"},
	{Name: FacetTypes, Kind: kindVocab, Scheme: "vocab/types"},
	{Name: FacetBeneficiaires, Kind: kindVocab, Scheme: "vocab/beneficiaires"},
	{Name: FacetSecteurs, Kind: kindVocab, Scheme: "vocab/secteurs"},
	{Name: FacetDepartements, Kind: kindVocab, Scheme: "vocab/departements"},
	{Name: FacetLicence, Kind: kindLicence},
	{Name: FacetReferentiel, Kind: kindReferentiel, IRIs: true},
	{Name: FacetCompetence, Kind: kindCompetence, IRIs: true},
	{Name: FacetNiveau, Kind: kindNiveau},
	{Name: FacetEditeur, Kind: kindEditeur, IRIs: true},
	{Name: FacetNature, Kind: kindNature},
	{Name: FacetLangue, Kind: kindLangue},
}

// FacetNames returns the names of every facet, in answer order.
func FacetNames() []string {
	out := make([]string, len(facetDefs))
	for i, d := range facetDefs {
		out[i] = d.Name
	}
	return out
}

// facetIndex returns the position of the facet named name, or -1.
func facetIndex(name string) int {
	for i, d := range facetDefs {
		if d.Name == name {
			return i
		}
	}
	return -1
}

func facetByName(name string) (facetDef, bool) {
	for _, d := range facetDefs {
		if d.Name == name {
			return d, true
		}
	}
	return facetDef{}, false
}

// natures maps the resource classes to the nature facet's keys.
var natures = []struct{ class, key, fr, en string }{
	{ontology.Grain, "grain", "Grain", "Learning grain"},
	{ontology.LearningPath, "parcours", "Parcours", "Learning path"},
	{ontology.Training, "formation", "Formation", "Training"},
	{ontology.Tool, "outil", "Outil", "Tool"},
}

// languageNames labels the language codes the catalogue is likely to hold.
var languageNames = map[string][2]string{
	"fr": {"Français", "French"}, "en": {"Anglais", "English"}, "de": {"Allemand", "German"},
	"es": {"Espagnol", "Spanish"}, "it": {"Italien", "Italian"}, "ar": {"Arabe", "Arabic"},
	"pt": {"Portugais", "Portuguese"}, "br": {"Breton", "Breton"}, "oc": {"Occitan", "Occitan"},
}

// MaxLevel is the highest proficiency level.
const MaxLevel = 8

// fv is one facet value of a document: its key and the IRI it stands for
// (empty for nature, niveau and langue).
type fv struct {
	K string `json:"k"`
	I string `json:"i,omitempty"`
}

// resolver computes facet values and labels from a source with Labels.
type resolver struct {
	base string
	lab  Labels
}

func (r resolver) scheme(d facetDef) string { return r.base + d.Scheme }

// inScheme reports whether iri is a concept of scheme: the graph says so, or
// (for a concept the graph does not know yet) its IRI lies under the
// scheme's.
func (r resolver) inScheme(iri, scheme string) bool {
	if r.lab != nil {
		in := r.lab.Values(iri, ontology.InScheme)
		if len(in) > 0 {
			return contains(in, scheme)
		}
	}
	return strings.HasPrefix(iri, scheme+"/")
}

// notation returns the skos:notation of iri, or the last segment of its path.
func (r resolver) notation(iri string) string {
	if r.lab != nil {
		if n := r.lab.Values(iri, ontology.Notation); len(n) > 0 && n[0] != "" {
			return n[0]
		}
	}
	return iri[strings.LastIndexByte(iri, '/')+1:]
}

func (r resolver) values(iri, pred string) []string {
	if r.lab == nil {
		return nil
	}
	return r.lab.Values(iri, pred)
}

// facets returns the facet values of a resource.
func (r resolver) facets(s source) map[string][]fv {
	out := map[string][]fv{}
	add := func(f string, v fv) {
		for _, x := range out[f] {
			if x.K == v.K {
				return
			}
		}
		out[f] = append(out[f], v)
	}
	vocab := func(f string, iris []string) {
		d, _ := facetByName(f)
		for _, iri := range iris {
			if r.inScheme(iri, r.scheme(d)) {
				add(f, fv{r.notation(iri), iri})
			}
		}
	}
	them, _ := facetByName(FacetThematiques)
	for _, iri := range s.About {
		if !r.inScheme(iri, r.scheme(them)) {
			continue
		}
		broader := r.values(iri, ontology.Broader)
		isCategory := strings.HasPrefix(iri, r.base+"vocab/categories/")
		if len(broader) == 0 && isCategory {
			add(FacetCategories, fv{r.notation(iri), iri})
			continue
		}
		add(FacetThematiques, fv{r.notation(iri), iri})
		for _, b := range broader {
			add(FacetCategories, fv{r.notation(b), b})
		}
	}
	vocab(FacetTypes, s.Kinds)
	vocab(FacetBeneficiaires, s.Audience)
	vocab(FacetSecteurs, s.Sectors)
	vocab(FacetDepartements, s.Places)
	for _, l := range s.Licences {
		key := l
		if id := r.values(l, ontology.Identifier); len(id) > 0 && id[0] != "" {
			key = id[0]
		}
		add(FacetLicence, fv{key, l})
	}
	for _, c := range s.Taught {
		add(FacetCompetence, fv{c, c})
		for _, sc := range r.values(c, ontology.InScheme) {
			add(FacetReferentiel, fv{sc, sc})
		}
	}
	for _, l := range s.Levels {
		n, err := strconv.Atoi(l)
		if err != nil {
			for _, v := range r.values(l, ontology.LevelNumber) {
				if m, err := strconv.Atoi(v); err == nil {
					n = m
				}
			}
		}
		if n >= 1 && n <= MaxLevel {
			add(FacetNiveau, fv{K: strconv.Itoa(n)})
		}
	}
	for _, p := range s.Publishers {
		add(FacetEditeur, fv{p, p})
	}
	for _, n := range natures {
		for _, t := range s.Types {
			if t == n.class {
				add(FacetNature, fv{K: n.key})
			}
		}
	}
	for _, l := range s.Languages {
		add(FacetLangue, fv{K: l})
	}
	for f := range out {
		sort.Slice(out[f], func(i, j int) bool { return out[f][i].K < out[f][j].K })
	}
	return out
}

// label returns the display label of a facet value in lang.
func (r resolver) label(facet string, v fv, lang string) string {
	switch facet {
	case FacetNiveau:
		if lang == "en" {
			return "Level " + v.K
		}
		return "Niveau " + v.K
	case FacetNature:
		for _, n := range natures {
			if n.key == v.K {
				if lang == "en" {
					return n.en
				}
				return n.fr
			}
		}
	case FacetLangue:
		if n, ok := languageNames[v.K]; ok {
			if lang == "en" {
				return n[1]
			}
			return n[0]
		}
		return v.K
	}
	if v.I != "" && r.lab != nil && !r.lab.IsDraft(v.I) {
		if l := r.lab.Label(v.I, lang); l != "" {
			return l
		}
	}
	return v.K
}

// labelTexts returns the publisher names and the competency labels that a
// resource's document holds, with every IRI whose label went in (the
// document must be rebuilt when one of them changes).
func (r resolver) labelTexts(s source) (publishers, competencies string, refs []string) {
	var pubs, comps []string
	for _, p := range s.Publishers {
		refs = appendUniq(refs, p)
		if r.lab != nil && !r.lab.IsDraft(p) {
			if l := r.lab.Label(p, "fr"); l != "" {
				pubs = append(pubs, l)
			}
		}
	}
	for _, c := range s.Taught {
		refs = appendUniq(refs, c)
		comps = append(comps, r.competencyLabels(c)...)
		for _, m := range append(r.values(c, ontology.ExactMatch), r.values(c, ontology.CloseMatch)...) {
			refs = appendUniq(refs, m)
			comps = append(comps, r.competencyLabels(m)...)
		}
	}
	for _, list := range [][]string{s.About, s.Kinds, s.Audience, s.Sectors, s.Places, s.Licences, s.Levels} {
		for _, iri := range list {
			if strings.Contains(iri, ":") {
				refs = appendUniq(refs, iri)
			}
		}
	}
	return strings.Join(pubs, "\n"), strings.Join(uniqStrings(comps), "\n"), refs
}

// competencyLabels returns the French and English preferred labels and the
// alternative labels of a competency.
func (r resolver) competencyLabels(iri string) []string {
	if r.lab == nil || r.lab.IsDraft(iri) {
		return nil
	}
	var out []string
	for _, lang := range []string{"fr", "en"} {
		if l := r.lab.Label(iri, lang); l != "" && l != iri {
			out = append(out, l)
		}
	}
	return append(out, r.lab.Values(iri, ontology.AltLabel)...)
}

func uniqStrings(in []string) []string {
	var out []string
	for _, s := range in {
		out = appendUniq(out, s)
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
