package search

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestWithinOneEdit(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"acesibilit", "accesibilit", true}, {"hamesonag", "hameconag", true}, {"donee", "donne", true},
		{"donee", "done", true}, {"abc", "abc", true}, {"abc", "xbc", false}, {"abcd", "abdc", false},
		{"abc", "abcde", false}, {"", "a", false}, {"évry", "évri", true},
	} {
		if got := withinOneEdit(c.a, c.b); got != c.want {
			t.Errorf("withinOneEdit(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestHighlightFragments(t *testing.T) {
	ix, _ := openIndex(t, nil)
	m := newMarker(words{terms: ix.analyze("évry données"), fuzzy: []bool{false, false}})
	long := strings.Repeat("Une phrase sans rapport avec la question posée. ", 10) +
		"Ici on parle des <données> d'Évry & de leurs DONNÉES, " + strings.Repeat("puis d'autre chose encore. ", 10)
	frags := highlight(ix.analyzer, m, FieldText, long)
	if len(frags) != 1 {
		t.Fatalf("long field: %d fragments", len(frags))
	}
	f := frags[0]
	for _, want := range []string{"posée. Ici on parle", "&lt;<mark>données</mark>&gt;", "d&#39;<mark>Évry</mark>", "&amp;", "<mark>DONNÉES</mark>"} {
		if !strings.Contains(f, want) {
			t.Errorf("fragment %q lacks %q", f, want)
		}
	}
	if !strings.HasPrefix(f, "…") || !strings.HasSuffix(f, "…") || !utf8.ValidString(f) || len(html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f))) > fragmentSize+10 {
		t.Errorf("fragment %q: want ellipses at both ends, valid UTF-8, about %d bytes", f, fragmentSize)
	}
	short := highlight(ix.analyzer, m, FieldCompetency, "Protéger les données personnelles\nGérer des fichiers\nDonnées ouvertes")
	if len(short) != 2 || short[0] != "Protéger les <mark>données</mark> personnelles" || short[1] != "<mark>Données</mark> ouvertes" {
		t.Errorf("short field fragments %q", short)
	}
	if got := highlight(ix.analyzer, m, FieldName, "Rien à voir"); got != nil {
		t.Errorf("no match: %q", got)
	}
}
