// Package lieux imports and exports the lieux de médiation numérique in the
// national standard's CSV (LaMednum/standard-mediation-num v1.0.x): every
// field is validated against the standard, each error located by line and
// column; valid rows become places linked to their organisation by SIRET
// (or RNA) and to the services they offer, and an export writes them back
// in the same CSV. See docs/importers.md.
package lieux

import (
	_ "embed"
	"encoding/json"
	"regexp"
)

//go:embed standard.json
var standardJSON []byte

// Field is a column of the standard.
type Field struct {
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Type     string   `json:"type"` // string, number or date
	Required bool     `json:"required"`
	Pattern  string   `json:"pattern,omitempty"`
	Values   []string `json:"values,omitempty"` // allowed values of an enumerated field
	re       *regexp.Regexp
}

// Multi reports whether the field holds several values separated by "|".
func (f *Field) Multi() bool { return multi[f.Name] }

var multi = map[string]bool{"typologie": true, "courriels": true, "site_web": true, "services": true,
	"publics_specifiquement_adresses": true, "prise_en_charge_specifique": true, "frais_a_charge": true,
	"dispositif_programmes_nationaux": true, "formations_labels": true, "modalites_acces": true,
	"modalites_accompagnement": true, "itinerance": true}

// Standard is the schema of the CSV, in column order.
type Standard struct {
	Version string   `json:"version"`
	Fields  []*Field `json:"fields"`
	byName  map[string]*Field
}

// Field returns the field named name, or nil.
func (s *Standard) Field(name string) *Field { return s.byName[name] }

// V1 is the standard v1.0.x, embedded from standard.json.
var V1 = mustStandard()

func mustStandard() *Standard {
	var s Standard
	if err := json.Unmarshal(standardJSON, &s); err != nil {
		panic("lieux: standard.json: " + err.Error())
	}
	s.byName = map[string]*Field{}
	for _, f := range s.Fields {
		if f.Pattern != "" {
			f.re = regexp.MustCompile(f.Pattern)
		}
		s.byName[f.Name] = f
	}
	return &s
}
