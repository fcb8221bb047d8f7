package competency

import (
	"maps"
	"slices"

	"github.com/trame-commun/trame/ontology"
)

// Licence families, computed from a licence's cc:permits / cc:requires /
// cc:prohibits, so they hold for any licence written through the API.
const (
	FamilyPublicDomain  = "public-domain"            // reuse and adapt, no condition
	FamilyAttribution   = "attribution"              // reuse and adapt, credit the author (CC BY, Etalab 2.0)
	FamilyShareAlike    = "sharealike"               // reuse and adapt, adaptations under the same licence (CC BY-SA)
	FamilyNonCommercial = "noncommercial"            // no commercial use (CC BY-NC)
	FamilyNCShareAlike  = "noncommercial-sharealike" // both (CC BY-NC-SA)
	FamilyNoDerivatives = "noderivatives"            // copy as is, no adaptation (CC BY-ND)
	FamilyReserved      = "all-rights-reserved"      // no reuse granted (no licence, "aucune")
	FamilyUnknown       = "unknown"                  // the licence IRI is not described in the graph
)

// Families lists the licence families a constraint may name.
var Families = []string{FamilyPublicDomain, FamilyAttribution, FamilyShareAlike, FamilyNonCommercial,
	FamilyNCShareAlike, FamilyNoDerivatives, FamilyReserved, FamilyUnknown}

// familyOf classifies a licence (nil: not described).
func familyOf(l *licenceFacts) string {
	if l == nil {
		return FamilyUnknown
	}
	if !slices.Contains(l.permits, ontology.CCDistribution) && !slices.Contains(l.permits, ontology.CCReproduction) {
		return FamilyReserved
	}
	if !slices.Contains(l.permits, ontology.CCDerivativeWork) {
		return FamilyNoDerivatives
	}
	nc := slices.Contains(l.prohibit, ontology.CCCommercialUse)
	sa := slices.Contains(l.requires, ontology.CCShareAlike)
	switch {
	case nc && sa:
		return FamilyNCShareAlike
	case nc:
		return FamilyNonCommercial
	case sa:
		return FamilyShareAlike
	case len(l.requires) == 0:
		return FamilyPublicDomain
	}
	return FamilyAttribution
}

// resourceFamily is the family of a resource's licence; a resource without
// a licence is all rights reserved.
func (ix *index) resourceFamily(r *resource) string {
	if r.facts.licence == "" {
		return FamilyReserved
	}
	return familyOf(ix.licences[r.facts.licence])
}

// reusableUnder reports whether material under licence src may be adapted
// into a work distributed under licence dst: src must allow adaptation, dst
// must keep every condition src imposes (attribution, notice, share-alike)
// and every prohibition, and a share-alike src admits only itself.
func reusableUnder(src, dst *licenceFacts, srcIRI, dstIRI string) bool {
	if src == nil || dst == nil || srcIRI == "" {
		return false
	}
	if !slices.Contains(src.permits, ontology.CCDerivativeWork) || !slices.Contains(dst.permits, ontology.CCDistribution) {
		return false
	}
	if srcIRI == dstIRI {
		return true
	}
	if slices.Contains(src.requires, ontology.CCShareAlike) {
		return false
	}
	for _, r := range src.requires {
		if !slices.Contains(dst.requires, r) {
			return false
		}
	}
	for _, p := range src.prohibit {
		if !slices.Contains(dst.prohibit, p) {
			return false
		}
	}
	return true
}

// LicenceReport says what reusing a path's resources together in one
// derived parcours implies.
type LicenceReport struct {
	// Families counts the path's resources per licence family.
	Families map[string]int `json:"families"`
	// Obligations are the conditions the derived parcours must honour.
	Obligations []Obligation `json:"obligations"`
	// Conflicts are combinations no single licence can honour.
	Conflicts []Conflict `json:"conflicts"`
	// CompatibleLicences are the licences described in the graph under which
	// the whole path may be adapted and shared (empty when none).
	CompatibleLicences []string `json:"compatibleLicences"`
}

// Obligation is one condition and the resources that impose it.
type Obligation struct {
	Kind      string   `json:"kind"` // Attribution, Notice, ShareAlike, NonCommercial, NoDerivatives, AllRightsReserved
	Licence   string   `json:"licence,omitempty"`
	Resources []string `json:"resources"`
	Message   string   `json:"message"`
}

// Conflict is a combination of licences no derived parcours can honour.
type Conflict struct {
	Kind      string   `json:"kind"` // noncommercial-sharealike, sharealike-mismatch
	Resources []string `json:"resources"`
	Message   string   `json:"message"`
}

// licenceReport computes the obligations and conflicts of a set of
// resources reused together.
func (ix *index) licenceReport(rs []*resource, lang string) LicenceReport {
	rep := LicenceReport{Families: map[string]int{}, Obligations: []Obligation{}, Conflicts: []Conflict{}, CompatibleLicences: []string{}}
	byKind := map[string][]string{}
	saBy := map[string][]string{} // share-alike licence → resources
	var nc, saCommercial []string
	for _, r := range rs {
		fam := ix.resourceFamily(r)
		rep.Families[fam]++
		l := ix.licences[r.facts.licence]
		switch fam {
		case FamilyReserved, FamilyUnknown:
			byKind["AllRightsReserved"] = append(byKind["AllRightsReserved"], r.iri)
			continue
		case FamilyNoDerivatives:
			byKind["NoDerivatives"] = append(byKind["NoDerivatives"], r.iri)
		}
		for _, req := range l.requires {
			switch req {
			case ontology.CCAttribution:
				byKind["Attribution"] = append(byKind["Attribution"], r.iri)
			case ontology.CCNotice:
				byKind["Notice"] = append(byKind["Notice"], r.iri)
			case ontology.CCShareAlike:
				saBy[r.facts.licence] = append(saBy[r.facts.licence], r.iri)
			}
		}
		if slices.Contains(l.prohibit, ontology.CCCommercialUse) {
			nc = append(nc, r.iri)
		} else if slices.Contains(l.requires, ontology.CCShareAlike) {
			saCommercial = append(saCommercial, r.iri)
		}
	}
	for _, kind := range []string{"Attribution", "Notice", "NoDerivatives", "AllRightsReserved"} {
		if rs := byKind[kind]; len(rs) > 0 {
			rep.Obligations = append(rep.Obligations, Obligation{Kind: kind, Resources: rs, Message: obligationText(kind, lang)})
		}
	}
	saLicences := slices.Sorted(maps.Keys(saBy))
	for _, l := range saLicences {
		rep.Obligations = append(rep.Obligations, Obligation{Kind: "ShareAlike", Licence: l, Resources: saBy[l], Message: obligationText("ShareAlike", lang)})
	}
	if len(nc) > 0 {
		rep.Obligations = append(rep.Obligations, Obligation{Kind: "NonCommercial", Resources: nc, Message: obligationText("NonCommercial", lang)})
	}
	if len(nc) > 0 && len(saCommercial) > 0 {
		rep.Conflicts = append(rep.Conflicts, Conflict{Kind: "noncommercial-sharealike", Resources: append(slices.Clone(saCommercial), nc...),
			Message: pick(lang, "des ressources en partage à l'identique (qui autorise l'usage commercial) et des ressources non commerciales ne peuvent pas être réunies dans un même parcours dérivé : aucune licence ne respecte les deux",
				"share-alike material (which allows commercial use) and non-commercial material cannot be combined into one derived parcours: no licence honours both")})
	}
	if len(saLicences) > 1 {
		var all []string
		for _, l := range saLicences {
			all = append(all, saBy[l]...)
		}
		rep.Conflicts = append(rep.Conflicts, Conflict{Kind: "sharealike-mismatch", Resources: all,
			Message: pick(lang, "des ressources imposent chacune de partager les adaptations sous leur propre licence (différentes) : un parcours dérivé ne peut les respecter toutes",
				"resources each require adaptations to be shared under their own (different) licence: one derived parcours cannot honour them all")})
	}
	rep.CompatibleLicences = ix.compatibleLicences(rs)
	return rep
}

// compatibleLicences lists the described licences under which every
// resource of rs may be adapted and shared.
func (ix *index) compatibleLicences(rs []*resource) []string {
	out := []string{}
	for _, dst := range slices.Sorted(maps.Keys(ix.licences)) {
		ok := true
		for _, r := range rs {
			if !reusableUnder(ix.licences[r.facts.licence], ix.licences[dst], r.facts.licence, dst) {
				ok = false
				break
			}
		}
		if ok && len(rs) > 0 {
			out = append(out, dst)
		}
	}
	return out
}

func obligationText(kind, lang string) string {
	fr := map[string]string{
		"Attribution":       "citer l'auteur de chacune de ces ressources",
		"Notice":            "conserver les mentions de licence et de droits de ces ressources",
		"ShareAlike":        "partager toute adaptation de ces ressources sous la même licence",
		"NonCommercial":     "ne pas faire d'usage commercial de ces ressources ni du parcours qui les adapte",
		"NoDerivatives":     "utiliser ces ressources telles quelles, sans les modifier",
		"AllRightsReserved": "aucune réutilisation n'est accordée : renvoyer vers ces ressources sans les copier",
	}
	en := map[string]string{
		"Attribution":       "credit the author of each of these resources",
		"Notice":            "keep the licence and rights notices of these resources",
		"ShareAlike":        "share any adaptation of these resources under the same licence",
		"NonCommercial":     "make no commercial use of these resources or of a parcours adapting them",
		"NoDerivatives":     "use these resources as they are, without modification",
		"AllRightsReserved": "no reuse is granted: link to these resources without copying them",
	}
	if lang == "en" {
		return en[kind]
	}
	return fr[kind]
}

func pick(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}
