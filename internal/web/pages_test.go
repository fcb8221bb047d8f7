package web_test

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/web"
)

// pageCase is one request to the pages and what its answer must hold
// (testdata/pages.json).
type pageCase struct {
	Name     string   `json:"name"`
	Path     string   `json:"path"`
	Method   string   `json:"method"`
	Form     string   `json:"form"`
	Accept   string   `json:"accept"`
	Status   int      `json:"status"`
	Type     string   `json:"type"`
	Contains []string `json:"contains"`
	Absent   []string `json:"absent"`
}

// untranslated finds a message key left in a page: a catalogue miss.
var untranslated = regexp.MustCompile(`>\s*(nav|search|coverage|prop|kind|facet|grid|resource|pathfinder|save|error|licence|partner|partners|home|frameworks|list|align|level|cc|match|sort|language|prov|competency|step|duration)\.[a-zA-Z.-]+\s*<`)

func TestPagesAnswerAsSpecified(t *testing.T) {
	s := sharedStack(t)
	b, err := os.ReadFile("testdata/pages.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []pageCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			path := strings.Replace(c.Path, "LONG", strings.Repeat("x", web.MaxQueryBytes), 1)
			method := c.Method
			if method == "" {
				method = http.MethodGet
			}
			req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(c.Form))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
			if c.Accept != "" {
				req.Header.Set("Accept", c.Accept)
			}
			if c.Form != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.Status {
				t.Fatalf("status %d, want %d\n%.2000s", resp.StatusCode, c.Status, body)
			}
			if c.Type != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), c.Type) {
				t.Errorf("Content-Type %q, want %s", resp.Header.Get("Content-Type"), c.Type)
			}
			mustContain(t, c.Name, string(body), c.Contains...)
			for _, a := range c.Absent {
				if strings.Contains(string(body), a) {
					t.Errorf("%s: unexpected %q", c.Name, a)
				}
			}
			if m := untranslated.FindString(string(body)); m != "" {
				t.Errorf("a message key is shown instead of its text: %s", m)
			}
		})
	}
}

func TestEveryPageExistsInBothLanguagesWithoutMissingMessages(t *testing.T) {
	s := sharedStack(t)
	for _, p := range []string{"/", "/recherche?q=courriel", "/referentiels", "/frameworks/crcn", "/competencies/crcn-1.1",
		"/couverture", "/parcours/trouver?cible.http%3A%2F%2Flocalhost%3A8080%2Fcompetencies%2Fcrcn-3.4=8", "/partenaires",
		"/partners/la-mednum", "/licences", "/levels/3", "/agreements/enedis", "/a-propos", "/vocab/thematiques/Donnees",
		"/paths/de-la-recherche-au-tableur", "/resources/nope"} {
		for _, lang := range web.Langs {
			path := p
			if lang == web.English {
				path = englishPath(p)
			}
			status, body, hdr := s.get(t, path)
			if status >= 500 {
				t.Errorf("%s: %d", path, status)
			}
			if got := hdr.Get("Content-Language"); got != lang {
				t.Errorf("%s: Content-Language %q, want %s", path, got, lang)
			}
			if !strings.Contains(body, `<html lang="`+lang+`">`) {
				t.Errorf("%s: not a %s page", path, lang)
			}
			if m := untranslated.FindString(body); m != "" {
				t.Errorf("%s: a message key is shown instead of its text: %s", path, m)
			}
		}
	}
}

// englishPath maps a French page path to its English counterpart.
func englishPath(p string) string {
	for fr, en := range map[string]string{"/recherche": "/en/search", "/referentiels": "/en/frameworks", "/couverture": "/en/coverage",
		"/parcours/trouver": "/en/path-finder", "/partenaires": "/en/partners", "/licences": "/en/licences", "/a-propos": "/en/about"} {
		if strings.HasPrefix(p, fr) {
			return en + strings.TrimPrefix(p, fr)
		}
	}
	return "/en" + p
}

func TestPagesAreCompressedAndAssetsCached(t *testing.T) {
	s := sharedStack(t)
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/recherche", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("the search page is not compressed: %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(zr)
	m := regexp.MustCompile(`href="(/static/trame\.css\?v=[0-9a-f]+)"`).FindSubmatch(html)
	if m == nil {
		t.Fatal("no versioned stylesheet link")
	}
	status, css, hdr := s.get(t, string(m[1]))
	if status != 200 || !strings.Contains(css, "@media print") {
		t.Fatalf("stylesheet: %d", status)
	}
	if !strings.Contains(hdr.Get("Cache-Control"), "immutable") {
		t.Errorf("a versioned asset must be cached for good: %q", hdr.Get("Cache-Control"))
	}
	if st, _, _ := s.get(t, "/static/../web.go"); st != 404 {
		t.Errorf("asset path traversal answered %d", st)
	}
}

func TestPagesShowPublishedContentOnly(t *testing.T) {
	dir := t.TempDir()
	s, err := newStack(dir, true, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.srv.Close()
	tok := adminToken(t, s)
	doc := `{"@context": {"@vocab": "https://schema.org/"}, "@id": "http://localhost:8080/resources/brouillon-secret",
	  "@type": "LearningResource", "name": "Brouillon très secret"}`
	req, _ := http.NewRequest(http.MethodPut, s.srv.URL+"/resources/brouillon-secret?draft=true", strings.NewReader(doc))
	req.Header.Set("Content-Type", "application/ld+json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("writing the draft: %d", resp.StatusCode)
	}
	for _, p := range []string{"/resources/brouillon-secret", "/recherche?q=" + url.QueryEscape("très secret"), "/"} {
		_, body, _ := s.get(t, p)
		if strings.Contains(body, "Brouillon très secret") {
			t.Errorf("%s shows a draft to an anonymous reader", p)
		}
	}
}

// adminToken creates a token with the admin role on the stack's catalog.
func adminToken(t *testing.T, s *stack) string {
	t.Helper()
	tok, _, err := s.cat.CreateToken(t.Context(), "admin", "web test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestSavingAPathWritesAParcoursThroughTheCatalog(t *testing.T) {
	s, err := newStack(t.TempDir(), true, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.srv.Close()
	tok := adminToken(t, s)
	target := "/parcours/trouver?cible.http%3A%2F%2Flocalhost%3A8080%2Fcompetencies%2Fcrcn-1.1=3"
	form := url.Values{"nom": {"Chercher en ligne"}, "jeton": {tok}, "brouillon": {"0"}}
	resp, err := http.PostForm(s.srv.URL+target, form)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("saving: %d\n%.1500s", resp.StatusCode, body)
	}
	m := regexp.MustCompile(`<code>(http://localhost:8080/paths/[a-z0-9]+)</code>`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("the confirmation names no parcours:\n%.1500s", body)
	}
	path := strings.TrimPrefix(string(m[1]), base)
	status, page, _ := s.get(t, "/"+path)
	if status != 200 || !strings.Contains(page, "Chercher en ligne") || !strings.Contains(page, "Étapes du parcours") {
		t.Fatalf("the saved parcours page: %d\n%.1500s", status, page)
	}
	// a wrong token changes nothing
	form.Set("jeton", "faux")
	resp, err = http.PostForm(s.srv.URL+target, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a wrong token: %d, want 401", resp.StatusCode)
	}
}

// FuzzPageQueries sends any query string to the pages that read
// parameters: none may answer 5xx.
func FuzzPageQueries(f *testing.F) {
	for _, seed := range []string{"q=tableur&thematiques=Donnees,Inconnue&tri=a-z&page=2", "r=%FF&page=-1&parPage=0",
		"apres=zzz&page=3", "referentiel=x&editeur=&departement=2A&rapprochements=peut-etre",
		"cible=9&cible.http%3A%2F%2Flocalhost%3A8080%2Fcompetencies%2Fcrcn-1.1=4&heures=99999999999&nature=Rien",
		"competence=http%3A%2F%2Fexample.org&niveau=0&langue=FR&editeur=%00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		s := sharedStack(t)
		for _, p := range []string{"/recherche", "/couverture", "/couverture.csv", "/parcours/trouver", "/en/search"} {
			req, err := http.NewRequest(http.MethodGet, s.srv.URL+p, nil)
			if err != nil {
				return
			}
			req.URL.RawQuery = query
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return // the client refused the URL
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 && resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("%s?%s: %d", p, query, resp.StatusCode)
			}
		}
	})
}
