package lesbases

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestFacetLineLabelsAreReadWhateverTheirSpacing(t *testing.T) {
	for _, line := range []string{"Thématiques : Données", "Thématiques\u00a0: Données", "THÉMATIQUES: Données", "Thematiques :Données"} {
		f, rest, ok := facetLine(line)
		if !ok || f != Thematiques || rest != "Données" {
			t.Errorf("%q read as %q %q %v", line, f, rest, ok)
		}
	}
	for _, line := range []string{"Pour rappel : ceci n'est pas une facette", "Thématiques", "https://exemple.org:8080/x"} {
		if _, _, ok := facetLine(line); ok {
			t.Errorf("%q read as a facet line", line)
		}
	}
}

func TestDocumentsThatAreNotLesBasesMarkdownAreRefused(t *testing.T) {
	for name, md := range map[string]string{
		"empty":          "",
		"no title":       "Thématiques : Données\n",
		"html":           "<!DOCTYPE html><html><body>502</body></html>",
		"title is blank": "#   \n\ntexte",
		"not utf-8":      "# Titre\n\n\xff\xfe",
	} {
		if _, err := ParseResource(md, DefaultVocab); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if _, _, err := ParseBase(md); err == nil {
			t.Errorf("%s: accepted as a base", name)
		}
	}
}

func TestLabelHoldingACommaIsReadWhole(t *testing.T) {
	v := mustVocab(enumsJSON)
	v.current[Thematiques][normalise("Villes, villages et territoires")] = "Territoires"
	d := &Document{Facets: map[Facet][]string{}}
	d.readFacet(Thematiques, "Données, Villes, villages et territoires, Parentalité", v)
	if got := strings.Join(d.Facets[Thematiques], " "); got != "Donnees Territoires Parentalite" || len(d.Notes) > 0 {
		t.Errorf("got %q, notes %v", got, d.Notes)
	}
}

func TestEveryKeyLabelAndValueResolvesToItsKey(t *testing.T) {
	for _, f := range Facets {
		for _, k := range DefaultVocab.Keys(f) {
			for _, s := range []string{k, DefaultVocab.Label(f, k)} {
				if r, ok := DefaultVocab.Resolve(f, s); !ok || r.Key != k || r.Facet != f {
					t.Errorf("%s %q resolved to %+v %v", f, s, r, ok)
				}
			}
		}
	}
}

func TestMarkdownURLStaysOnTheHarvestedSite(t *testing.T) {
	u := "https://ailleurs.example/ressources/x"
	it := Item{Slug: "x", URL: &u}
	if got := markdownURL(DefaultSite, ResourceKind, it); got != DefaultSite+"/ressources/x/markdown" {
		t.Errorf("a list entry pointing elsewhere made the harvester fetch %s", got)
	}
	own := DefaultSite + "/ressources/x"
	it.URL = &own
	if got := markdownURL(DefaultSite+"/", ResourceKind, it); got != own+"/markdown" {
		t.Errorf("got %s", got)
	}
}

// FuzzParseResource checks that the parser never panics and that what it
// returns is well formed: a one-line title, known facet keys, UTF-8 text.
func FuzzParseResource(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/golden/*.md")
	for _, s := range seeds {
		b, _ := os.ReadFile(s)
		f.Add(string(b))
	}
	f.Add("# T\n\nThématiques : ,,, false\n\n**x**\n\n[](\n")
	f.Add("# T\n**Image : ** :\n")
	f.Add("# T\n**Fichier téléchargeable : ** :")
	f.Fuzz(func(t *testing.T, md string) {
		doc, err := ParseResource(md, DefaultVocab)
		if err != nil {
			return
		}
		if doc.Title == "" || strings.ContainsAny(doc.Title, "\r\n") {
			t.Fatalf("title %q", doc.Title)
		}
		for facet, keys := range doc.Facets {
			for _, k := range keys {
				if DefaultVocab.Label(facet, k) == "" {
					t.Fatalf("unknown key %s/%s", facet, k)
				}
			}
		}
		if !utf8.ValidString(doc.Description) || !utf8.ValidString(doc.ContentsMarkdown) {
			t.Fatal("invalid UTF-8 out of valid UTF-8 in")
		}
		e := Mapper{BaseIRI: "http://localhost:8080/", Vocab: DefaultVocab}.Resource(Item{ID: "x", Created: "bad"}, "https://lesbases.anct.gouv.fr/ressources/x", doc, time.Unix(0, 0), "")
		for _, tr := range e.Triples {
			if tr.O.IsIRI() && strings.ContainsAny(tr.O.Value, " \n<>\"") {
				t.Fatalf("invalid IRI %q", tr.O.Value)
			}
		}
	})
}

// FuzzParseBase checks that reading a base's markdown never panics.
func FuzzParseBase(f *testing.F) {
	b, _ := os.ReadFile("testdata/golden/base.md")
	f.Add(string(b))
	f.Add("# x\nType: Base\nUrl:")
	f.Fuzz(func(t *testing.T, md string) {
		title, _, err := ParseBase(md)
		if err == nil && title == "" {
			t.Fatal("empty title accepted")
		}
	})
}

// FuzzParseList checks that any answer of the list endpoints is either
// refused or gives items with an id, a slug and a readable date.
func FuzzParseList(f *testing.F) {
	f.Add("application/json", `{"data":[{"id":"a","slug":"s","title":null,"created":"2021-01-01T00:00:00.000Z","updated":"2021-01-01T00:00:00.000Z","deleted":null,"is_public":false,"published":null,"url":null}]}`)
	f.Add("text/html", "<html>")
	f.Add("application/json; charset=utf-8", `{"data":null}`)
	f.Add("", `{"data":[{"id":"a","slug":"s","updated":"x"}]}`)
	f.Fuzz(func(t *testing.T, ctype, body string) {
		items, err := parseList("test", &Response{ContentType: ctype, Body: []byte(body)})
		if err != nil {
			return
		}
		for _, it := range items {
			if it.ID == "" || it.Slug == "" {
				t.Fatal("item without id or slug accepted")
			}
			if _, err := time.Parse(time.RFC3339Nano, it.Updated); err != nil {
				t.Fatal("unreadable date accepted")
			}
		}
	})
}
