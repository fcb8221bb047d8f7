package web

import (
	"context"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

var placeholder = regexp.MustCompile(`\{\d\}`)

func TestCataloguesHaveTheSameKeysAndPlaceholders(t *testing.T) {
	m, err := LoadMessages()
	if err != nil {
		t.Fatal(err)
	}
	fr, en := m.Keys(French), m.Keys(English)
	if strings.Join(fr, "\n") != strings.Join(en, "\n") {
		t.Fatalf("fr and en catalogues differ:\nonly fr: %v\nonly en: %v", minus(fr, en), minus(en, fr))
	}
	for _, k := range fr {
		a, b := placeholder.FindAllString(m[French][k], -1), placeholder.FindAllString(m[English][k], -1)
		sort.Strings(a)
		sort.Strings(b)
		if strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%s: placeholders fr %v, en %v", k, a, b)
		}
		if strings.TrimSpace(m[English][k]) == "" || strings.TrimSpace(m[French][k]) == "" {
			t.Errorf("%s: empty text", k)
		}
	}
}

func minus(a, b []string) []string {
	in := map[string]bool{}
	for _, x := range b {
		in[x] = true
	}
	var out []string
	for _, x := range a {
		if !in[x] {
			out = append(out, x)
		}
	}
	return out
}

// TestTemplatesUseOnlyKnownMessages reads every {{t "key"}} and {{n "key"}}
// of the templates and requires the key (or its plural forms) in French.
func TestTemplatesUseOnlyKnownMessages(t *testing.T) {
	m, _ := LoadMessages()
	uses := regexp.MustCompile(`\{\{-?\s*(?:with |if )?\(?(t|n) "([^"]+)"`)
	entries, _ := templateFiles.ReadDir("templates")
	for _, e := range entries {
		b, _ := templateFiles.ReadFile("templates/" + e.Name())
		for _, u := range uses.FindAllStringSubmatch(string(b), -1) {
			key := u[2]
			if u[1] == "n" {
				key += ".one"
			}
			if _, ok := m[French][key]; !ok {
				t.Errorf("%s uses %q, missing from messages/fr.json", e.Name(), key)
			}
		}
	}
}

func TestPluralsFollowEachLanguage(t *testing.T) {
	m, _ := LoadMessages()
	for _, c := range []struct {
		lang string
		n    int
		want string
	}{{French, 0, "0 résultat"}, {French, 1, "1 résultat"}, {French, 2, "2 résultats"}, {French, 12345, "12\u202f345 résultats"},
		{English, 0, "0 results"}, {English, 1, "1 result"}, {English, 12345, "12,345 results"}} {
		if got := m.N(c.lang, "search.results", c.n); got != c.want {
			t.Errorf("%s %d: %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}

func TestMarkdownEscapesEverythingItDoesNotFormat(t *testing.T) {
	got := string(Markdown("## Titre <b>\n- un **gras**\n- [lien](https://ex.org/?a=1&b=\"2\")\n\n1. premier\n<script>alert(1)</script>", 3))
	for _, want := range []string{"<h3>Titre &lt;b&gt;</h3>", "<li>un <strong>gras</strong></li>", `<a href="https://ex.org/?a=1&amp;b=&#34;2&#34;">lien</a>`,
		"<ol>\n<li>premier</li>", "&lt;script&gt;"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script") {
		t.Error("a script element survived")
	}
}

func TestSnippetKeepsOnlyMarks(t *testing.T) {
	got := string(onlyMarks(`un <mark>tableur</mark> &lt;img src=x onerror=alert(1)&gt; <b>x</b>`))
	want := `un <mark>tableur</mark> &lt;img src=x onerror=alert(1)&gt; &lt;b&gt;x&lt;/b&gt;`
	if got != want {
		t.Fatalf("got %s", got)
	}
}

func TestNotationsSortAsNumbers(t *testing.T) {
	in := []string{"1.10", "CCP2", "1.2", "2", "CCP10", "1.1", "10"}
	sort.Slice(in, func(i, j int) bool { return compareNotation(in[i], in[j]) < 0 })
	if got := strings.Join(in, " "); got != "1.1 1.2 1.10 2 10 CCP2 CCP10" {
		t.Fatalf("order: %s", got)
	}
	if collate("Évaluer") >= collate("Exporter") {
		t.Error("É must sort with E")
	}
}

func TestHeatBucketsNeverHideANumber(t *testing.T) {
	for _, c := range []struct{ n, max, want int }{{0, 10, 0}, {1, 10, 1}, {10, 10, 5}, {5, 10, 3}, {3, 0, 0}} {
		if got := heat(c.n, c.max); got != c.want {
			t.Errorf("heat(%d, %d) = %d, want %d", c.n, c.max, got, c.want)
		}
	}
}

func TestWordsOfAPathMakeASearch(t *testing.T) {
	for in, want := range map[string]string{"/resources/atelier-courriel": "atelier courriel", "/x/y.html": "y", "/": "",
		"/a/%3Cscript%3E": "3Cscript 3E"} {
		if got := wordsOf(in); got != want {
			t.Errorf("wordsOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWantsHTMLFollowsTheBrowserNotTheAPIClient(t *testing.T) {
	for accept, want := range map[string]bool{
		"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": true,
		"application/json": false, "": false, "*/*": false, "application/ld+json, text/html;q=0.5": false,
		"text/html;q=0.9, application/json;q=0.1": true, "text/html;q=0": false,
	} {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", accept)
		if got := WantsHTML(r); got != want {
			t.Errorf("Accept %q: %v, want %v", accept, got, want)
		}
	}
}

func TestDirectoryDropsDraftsAndDeletes(t *testing.T) {
	d := NewDirectory()
	ctx := context.Background()
	res := &domain.Entity{IRI: "http://x/resources/a", Types: []string{ontology.LearningResource},
		Triples: []domain.Triple{{S: domain.NewIRI("http://x/resources/a"), P: domain.NewIRI(ontology.Name), O: domain.NewLangString("Atelier", "fr")},
			{S: domain.NewIRI("http://x/resources/a"), P: domain.NewIRI(ontology.Publisher), O: domain.NewIRI("http://x/partners/p")}}}
	put := domain.ViewEntity{Entity: res, Record: domain.Record{IRI: res.IRI, Collection: domain.Resources}}
	if err := d.Apply(ctx, 1, []domain.ViewEntity{put}, nil); err != nil {
		t.Fatal(err)
	}
	if ix := d.Index(); ix.Get(res.IRI) == nil || len(ix.ByPublisher("http://x/partners/p")) != 1 {
		t.Fatal("the published resource is missing")
	}
	put.Record.Draft = true
	_ = d.Apply(ctx, 2, []domain.ViewEntity{put}, nil)
	if ix := d.Index(); ix.Get(res.IRI) != nil || len(ix.ByPublisher("http://x/partners/p")) != 0 {
		t.Fatal("a draft must leave the directory")
	}
	put.Record.Draft = false
	_ = d.Apply(ctx, 3, []domain.ViewEntity{put}, nil)
	_ = d.Apply(ctx, 4, nil, []string{res.IRI})
	if d.Index().Get(res.IRI) != nil || d.LastSeq() != 4 {
		t.Fatal("a delete must leave the directory")
	}
	_ = d.Reset(ctx)
	if d.LastSeq() != 0 || len(d.Index().Collection(domain.Resources)) != 0 {
		t.Fatal("Reset must empty the directory")
	}
}

func FuzzMarkdownNeverLetsMarkupThrough(f *testing.F) {
	f.Add("## Titre\n- un\n1. deux\n**gras** [l](https://a.b)")
	f.Add("<img src=x onerror=alert(1)>")
	f.Add("[x](javascript:alert(1))")
	f.Add("#######\n\n- \n1)")
	f.Fuzz(func(t *testing.T, src string) {
		out := string(Markdown(src, 3))
		clean := regexp.MustCompile(`</?(h[3-6]|p|ul|ol|li|strong|a)>|<a href="https?://[^"<>]*">`).ReplaceAllString(out, "")
		if strings.ContainsAny(clean, "<>") {
			t.Fatalf("markup survived: %q → %q", src, out)
		}
	})
}

func FuzzWantsHTML(f *testing.F) {
	f.Add("text/html;q=0.9,application/json")
	f.Add(";;;q=abc,*/*")
	f.Fuzz(func(t *testing.T, accept string) {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", accept)
		_ = WantsHTML(r)
	})
}
