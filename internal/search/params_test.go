package search

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
)

// staticVocabulary accepts a fixed set of keys per facet.
type staticVocabulary map[string][]string

func (v staticVocabulary) Known(facet, value string) bool { return contains(v[facet], value) }
func (v staticVocabulary) Keys(facet string) []string     { return v[facet] }

var testVocabulary = staticVocabulary{
	FacetThematiques: {"Donnees", "Accessibilite", "NumeriqueEnSante"},
	FacetTypes:       {"Article", "ResourcePedagogique"},
	FacetNiveau:      {"1", "2", "3"},
	FacetLangue:      {"fr", "en"},
	FacetCompetence:  {"http://localhost:8080/competencies/crcn-4.2"},
}

func TestParseParamsReadsLesBasesURLs(t *testing.T) {
	v, _ := url.ParseQuery("r=mot+de+passe&thematiques=Donnees&thematiques=Accessibilite,NumeriqueEnSante&types=Article" +
		"&competence=http%3A%2F%2Flocalhost%3A8080%2Fcompetencies%2Fcrcn-4.2&langue=FR&tri=a-z&page=3&parPage=50&tab=ressources")
	req, err := ParseParams(v, testVocabulary)
	if err != nil {
		t.Fatal(err)
	}
	if req.Text != "mot de passe" || req.Sort != SortAZ || req.Page != 3 || req.PerPage != 50 {
		t.Errorf("parsed %+v", req)
	}
	if got := strings.Join(req.Filters[FacetThematiques], ","); got != "Donnees,Accessibilite,NumeriqueEnSante" {
		t.Errorf("thematiques = %s", got)
	}
	if got := req.Filters[FacetLangue]; len(got) != 1 || got[0] != "fr" {
		t.Errorf("langue = %v (codes are lower-cased)", got)
	}
	if len(req.Filters[FacetCompetence]) != 1 || len(req.Filters[FacetTypes]) != 1 {
		t.Errorf("filters = %v", req.Filters)
	}
	def, err := ParseParams(url.Values{}, testVocabulary)
	if err != nil || def.Sort != SortRelevance || def.Page != 1 || def.PerPage != DefaultPerPage || def.Text != "" {
		t.Errorf("defaults: %+v %v", def, err)
	}
}

// TestParseParamsRefusesBadInput lists the bad input the issue names: each
// gets a KindInvalid error naming the parameter and saying what is wrong.
func TestParseParamsRefusesBadInput(t *testing.T) {
	cases := []struct {
		name, query, param, says string
	}{
		{"unknown facet value lists the valid ones", "thematiques=Inconnue", "thematiques", "valid values: Accessibilite, Donnees, NumeriqueEnSante"},
		{"unknown value among good ones", "types=Article,Nope", "types", `unknown value "Nope"`},
		{"page zero", "page=0", "page", "from 1"},
		{"negative page", "page=-2", "page", "from 1"},
		{"page not a number", "page=deux", "page", "integer"},
		{"page past the window", "page=501&parPage=20", "page", "apres"},
		{"parPage zero", "parPage=0", "parPage", "from 1 to 100"},
		{"parPage over 100", "parPage=101", "parPage", "from 1 to 100"},
		{"malformed cursor", "apres=%21%21%21", "apres", "malformed apres cursor"},
		{"cursor that is base64 of garbage", "apres=bm90IGpzb24", "apres", "malformed apres cursor"},
		{"cursor and page together", "apres=" + cursor{Hash: 1, IRI: "x"}.encode() + "&page=2", "apres", "cannot be combined"},
		{"10,000-character query", "q=" + strings.Repeat("a", 10000), "q", "10000 characters long"},
		{"invalid UTF-8 in the query", "q=%FF%FE", "q", "not valid UTF-8"},
		{"invalid UTF-8 in a facet value", "thematiques=%C3%28", "thematiques", "not valid UTF-8"},
		{"invalid UTF-8 in a parameter name", "%FF=1", "(name)", "not valid UTF-8"},
		{"unknown sort", "tri=hasard", "tri", "pertinence, recent, ancien, a-z, z-a"},
		{"q and r disagree", "q=a&r=b", "q", "same parameter"},
		{"too many filter values", "types=" + strings.Repeat("Article,", MaxFilterValues+1), "filters", "at most"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseParams(v, testVocabulary)
			var de *domain.Error
			if !errors.As(err, &de) || de.Kind != domain.KindInvalid {
				t.Fatalf("%s: error %v, want KindInvalid", c.query, err)
			}
			found := false
			for _, f := range de.Fields {
				if f.Path == c.param && strings.Contains(f.Message, c.says) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: fields %+v, want %s saying %q", c.name, de.Fields, c.param, c.says)
			}
		})
	}
}

// FuzzParseParams feeds arbitrary query strings to the parser: it must
// never panic, must return either a request within the limits or a
// KindInvalid error, and a request's text is never longer than the limit.
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{"", "q=evry", "r=%22%2B-%3A*~%5E%2F", "thematiques=Donnees,Accessibilite&page=2&parPage=100",
		"apres=eyJoIjoxLCJpIjoieCJ9", "q=%FF", "page=9999999999999999999999", "tri=z-a&langue=EN-gb", "niveau=3&niveau=3",
		"competence=http%3A%2F%2Fx&thematiques=,,,", "q=a&r=a", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		req, err := ParseParams(v, testVocabulary)
		if err != nil {
			if !domain.IsKind(err, domain.KindInvalid) {
				t.Fatalf("%q: error of kind %v", raw, domain.KindOf(err))
			}
			return
		}
		if len([]rune(req.Text)) > MaxQueryRunes || req.Page < 1 || req.PerPage < 1 || req.PerPage > MaxPerPage || req.Page*req.PerPage > MaxWindow {
			t.Fatalf("%q: out of limits: %+v", raw, req)
		}
		for f, vals := range req.Filters {
			for _, val := range vals {
				if !testVocabulary.Known(f, val) {
					t.Fatalf("%q: unknown value %s=%s accepted", raw, f, val)
				}
			}
		}
	})
}
