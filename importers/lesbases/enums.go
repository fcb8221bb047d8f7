package lesbases

import (
	_ "embed"
	"encoding/json"
	"sort"
	"strings"
	"unicode"
)

// Facet is one of the four indexation facets of a Les Bases resource. The
// string is the path segment of its bundled vocabulary ({base}vocab/{facet}/{Key}).
type Facet string

// The facets, in the order the markdown prints them.
const (
	Thematiques   Facet = "thematiques"
	Types         Facet = "types"
	Beneficiaires Facet = "beneficiaires"
	Secteurs      Facet = "secteurs"
)

// Facets lists the facets in markdown order.
var Facets = []Facet{Thematiques, Types, Beneficiaires, Secteurs}

//go:embed enums.json
var enumsJSON []byte

type enumValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Label string `json:"label"`
}

type enumFile struct {
	Facets map[Facet][]enumValue `json:"facets"`
	Legacy struct {
		Thematiques        map[string]string `json:"thematiques"`
		ThematiquesRemoved []string          `json:"thematiquesRemoved"`
		Types              map[string]string `json:"types"`
		Beneficiaires      map[string]string `json:"beneficiaires"`
		Secteurs           map[string]string `json:"secteurs"`
	} `json:"legacy"`
}

// Vocab resolves the values printed on a facet line (French labels of
// today, enum keys, database values, and the values renamed or merged by
// the 2025 migration) to today's enum keys.
type Vocab struct {
	current map[Facet]map[string]string // normalised label, value or key → key
	legacy  map[Facet]map[string]string // old database value → today's key
	removed map[string]bool             // old theme values with no replacement
	labels  map[Facet]map[string]string // key → French label
}

// DefaultVocab is the vocabulary embedded in the binary (enums.json).
var DefaultVocab = mustVocab(enumsJSON)

func mustVocab(b []byte) *Vocab {
	var f enumFile
	if err := json.Unmarshal(b, &f); err != nil {
		panic("lesbases: enums.json: " + err.Error())
	}
	v := &Vocab{current: map[Facet]map[string]string{}, legacy: map[Facet]map[string]string{},
		removed: map[string]bool{}, labels: map[Facet]map[string]string{}}
	keyOfValue := map[Facet]map[string]string{}
	for _, facet := range Facets {
		v.current[facet], v.labels[facet], keyOfValue[facet] = map[string]string{}, map[string]string{}, map[string]string{}
		for _, e := range f.Facets[facet] {
			for _, s := range []string{e.Label, e.Value, e.Key} {
				v.current[facet][normalise(s)] = e.Key
			}
			v.labels[facet][e.Key] = e.Label
			keyOfValue[facet][e.Value] = e.Key
		}
	}
	for facet, m := range map[Facet]map[string]string{Thematiques: f.Legacy.Thematiques, Types: f.Legacy.Types,
		Beneficiaires: f.Legacy.Beneficiaires, Secteurs: f.Legacy.Secteurs} {
		v.legacy[facet] = map[string]string{}
		for old, now := range m {
			if key, ok := keyOfValue[facet][now]; ok {
				v.legacy[facet][normalise(old)] = key
			}
		}
	}
	for _, r := range f.Legacy.ThematiquesRemoved {
		v.removed[normalise(r)] = true
	}
	return v
}

// Label returns the French label of key in facet, or "".
func (v *Vocab) Label(f Facet, key string) string { return v.labels[f][key] }

// Keys returns every key of facet, sorted.
func (v *Vocab) Keys(f Facet) []string {
	out := make([]string, 0, len(v.labels[f]))
	for k := range v.labels[f] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Resolution is what one printed value means.
type Resolution struct {
	Facet   Facet  // the facet the value belongs to (may differ from the line's for old audience values)
	Key     string // today's enum key; empty when the value is dropped
	Legacy  bool   // the value was an old one, mapped by the 2025 migration
	Removed bool   // an old theme removed without replacement
}

// Resolve maps one value printed on the line of facet line. It looks in
// that facet first, then in the others (old "public cible" values became
// beneficiaries or professional sectors), and reports false for a value it
// does not know.
func (v *Vocab) Resolve(line Facet, raw string) (Resolution, bool) {
	if r, ok := v.ResolveExact(line, raw); ok {
		return r, ok
	}
	return v.resolvePrefix(line, raw)
}

// ResolveExact is Resolve without the tolerance for qualified old labels.
func (v *Vocab) ResolveExact(line Facet, raw string) (Resolution, bool) {
	n := normalise(raw)
	if n == "" {
		return Resolution{}, false
	}
	order := append([]Facet{line}, Facets...)
	for _, f := range order {
		if k, ok := v.current[f][n]; ok {
			return Resolution{Facet: f, Key: k}, true
		}
	}
	for _, f := range order {
		if k, ok := v.legacy[f][n]; ok {
			return Resolution{Facet: f, Key: k, Legacy: true}, true
		}
	}
	if v.removed[n] {
		return Resolution{Facet: Thematiques, Legacy: true, Removed: true}, true
	}
	return Resolution{}, false
}

func (v *Vocab) resolvePrefix(line Facet, raw string) (Resolution, bool) {
	n := normalise(raw)
	order := append([]Facet{line}, Facets...)
	// An old label usually spells its database value plus a qualifier
	// ("Jeunes enfants (-6 ans)" for jeunes_enfants_6): take the longest
	// old value the label starts with, at a word boundary.
	best, bestLen := Resolution{}, 0
	for _, f := range order {
		for old, k := range v.legacy[f] {
			if len(old) > bestLen && strings.HasPrefix(n, old+"_") {
				best, bestLen = Resolution{Facet: f, Key: k, Legacy: true}, len(old)
			}
		}
	}
	return best, bestLen > 0
}

// normalise folds a label, key or value to lower-case ASCII words joined by
// "_": "Seniors & personnes âgées", "seniors_personnes_agees" and
// "SeniorsPersonnesAgees" give comparable forms ("&" reads "et").
func normalise(s string) string {
	var b strings.Builder
	prevLower := false
	sep := func() {
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
	}
	for _, r := range s {
		if r == '&' {
			sep()
			b.WriteString("et")
			sep()
			prevLower = false
			continue
		}
		if unicode.IsUpper(r) && prevLower {
			sep() // camelCase keys: split words
		}
		folded, ok := fold(unicode.ToLower(r))
		if !ok {
			sep()
			prevLower = false
			continue
		}
		b.WriteString(folded)
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	return strings.Trim(b.String(), "_")
}

// fold maps a lower-case rune to ASCII letters or digits, dropping French
// accents; ok is false for anything else (a separator).
func fold(r rune) (string, bool) {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return string(r), true
	case strings.ContainsRune("àâäáãå", r):
		return "a", true
	case r == 'ç':
		return "c", true
	case strings.ContainsRune("éèêë", r):
		return "e", true
	case strings.ContainsRune("îïíì", r):
		return "i", true
	case strings.ContainsRune("ôöóòõ", r):
		return "o", true
	case strings.ContainsRune("ùûüú", r):
		return "u", true
	case r == 'ÿ':
		return "y", true
	case r == 'ñ':
		return "n", true
	case r == 'œ':
		return "oe", true
	case r == 'æ':
		return "ae", true
	}
	return "", false
}
