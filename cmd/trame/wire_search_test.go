package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/httpapi"
)

// The search surface end to end: badger on disk, the graph and search
// views, the catalog with the bundled reference data and sample catalogue,
// and the HTTP API, wired as `trame serve` wires them.

const searchToken = "search-e2e-token"

var searchLog = slog.New(slog.NewTextHandler(io.Discard, nil))

type searchE2E struct {
	t   *testing.T
	dir string
	a   *app
	srv *httptest.Server
}

func openSearchE2E(t *testing.T, dir string, boot bool) *searchE2E {
	t.Helper()
	a, err := openApp(&config{Data: dir, BaseIRI: "http://localhost:8080/"}, searchLog)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.boot(context.Background(), boot, searchLog); err != nil {
		a.close()
		t.Fatal(err)
	}
	a.api.AdminToken, a.api.Logger = searchToken, searchLog
	srv := httptest.NewServer(httpapi.New(a.api))
	e := &searchE2E{t: t, dir: dir, a: a, srv: srv}
	t.Cleanup(e.close)
	return e
}

func (e *searchE2E) close() {
	if e.srv != nil {
		e.srv.Close()
		e.a.close()
		e.srv = nil
	}
}

func (e *searchE2E) get(path, accept string, token bool) (int, http.Header, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if token {
		req.Header.Set("Authorization", "Bearer "+searchToken)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

type searchAnswer struct {
	Total   int    `json:"total"`
	Apres   string `json:"apres"`
	Results []struct {
		ID         string              `json:"id"`
		Name       string              `json:"name"`
		Highlights map[string][]string `json:"highlights"`
	} `json:"results"`
	Facets map[string][]struct {
		Value string `json:"value"`
		Label string `json:"label"`
		Count int    `json:"count"`
	} `json:"facets"`
}

func (e *searchE2E) search(query string, token bool) searchAnswer {
	e.t.Helper()
	code, _, b := e.get("/search?"+query, "", token)
	if code != http.StatusOK {
		e.t.Fatalf("/search?%s: %d %s", query, code, b)
	}
	var ans searchAnswer
	if err := json.Unmarshal(b, &ans); err != nil {
		e.t.Fatal(err)
	}
	return ans
}

// visibleResources counts the published resources and parcours in the store.
func (e *searchE2E) visibleResources() int {
	n := 0
	err := e.a.store.Scan(context.Background(), func(r domain.Record) error {
		if !r.Draft && (r.Collection == domain.Resources || r.Collection == domain.Paths) {
			n++
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestSearchEndToEnd(t *testing.T) {
	dir := t.TempDir()
	e := openSearchE2E(t, dir, true)

	all := e.search("", false)
	if want := e.visibleResources(); all.Total != want || want < 100 {
		t.Fatalf("empty search: total %d, visible resources in the store %d", all.Total, want)
	}
	if len(all.Facets["thematiques"]) == 0 || len(all.Facets["nature"]) == 0 || len(all.Facets["competence"]) == 0 {
		t.Errorf("facets of the landing page: %v", all.Facets)
	}

	// "protéger ses données" finds resources aligned to CRCN 4.2 whose title
	// says otherwise
	ans := e.search("q="+url.QueryEscape("protéger ses données"), false)
	byLabel := 0
	for _, r := range ans.Results {
		if !strings.Contains(strings.ToLower(r.Name), "protég") && len(r.Highlights["competencies"]) > 0 {
			byLabel++
		}
	}
	if ans.Total == 0 || byLabel == 0 {
		t.Errorf("protéger ses données: %d results, %d through a competency label", ans.Total, byLabel)
	}

	// every facet's counts are the results each value would give, its key
	// being what the parameter takes
	for _, facet := range []string{"thematiques", "categories", "types", "beneficiaires", "secteurs", "departements",
		"licence", "referentiel", "competence", "niveau", "editeur", "nature", "langue"} {
		vals := all.Facets[facet]
		if len(vals) == 0 {
			t.Errorf("facet %s has no value on the landing page", facet)
			continue
		}
		for _, v := range []int{0, len(vals) - 1} {
			got := e.search(facet+"="+url.QueryEscape(vals[v].Value), false)
			if got.Total != vals[v].Count || vals[v].Count == 0 || vals[v].Label == "" {
				t.Errorf("%s=%s (%q): %d results, the facet said %d", facet, vals[v].Value, vals[v].Label, got.Total, vals[v].Count)
			}
		}
	}

	// JSON-LD on Accept
	code, h, b := e.get("/search?q=cookies", "application/ld+json", false)
	var ld map[string]any
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/ld+json") || json.Unmarshal(b, &ld) != nil ||
		ld["@context"] == nil || ld["@type"] != "hydra:Collection" || ld["results"] == nil {
		t.Errorf("JSON-LD answer: %d %s %.300s", code, h.Get("Content-Type"), b)
	}

	// bad input: a clear 400, never a 500
	for _, q := range []string{"thematiques=Inconnue", "page=0", "parPage=101", "apres=%21%21", "q=" + strings.Repeat("x", 10000),
		"q=%FF", "types=Nope", "tri=hasard", "niveau=9", "page=abc"} {
		code, h, b := e.get("/search?"+q, "", false)
		if code != http.StatusBadRequest || h.Get("Content-Type") != "application/problem+json" || !utf8.Valid(b) {
			t.Errorf("/search?%.40s: %d %s %.200s", q, code, h.Get("Content-Type"), b)
		}
	}
	_, _, b = e.get("/search?thematiques=Inconnue", "", false)
	if !strings.Contains(string(b), "AidesAuxDemarchesAdministratives") {
		t.Errorf("unknown thématique: the error does not list the valid ones: %s", b)
	}
	for _, q := range []string{`+mot -passe`, `titre:cookies`, `"hameçonnage`, `cook*`, `donnees~2`, `a^3`, `/regex/`} {
		if code, _, b := e.get("/search?q="+url.QueryEscape(q), "", false); code != http.StatusOK {
			t.Errorf("q=%s: %d %s", q, code, b)
		}
	}

	// a draft written with a token: found with the token only, everywhere
	draft := `{"@context": {"@vocab": "https://schema.org/"}, "@type": "LearningResource",
		"name": "Zythologie numérique confidentielle", "description": "Brouillon."}`
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/resources?draft=true", strings.NewReader(draft))
	req.Header.Set("Authorization", "Bearer "+searchToken)
	req.Header.Set("Content-Type", "application/ld+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("posting a draft: %v %v", err, resp)
	}
	resp.Body.Close()
	if n := e.search("q=zythologie", false).Total; n != 0 {
		t.Errorf("anonymous search finds the draft: %d", n)
	}
	if n := e.search("q=zythologie", true).Total; n != 1 {
		t.Errorf("authenticated search finds the draft %d times", n)
	}
	if n := e.search("", false).Total; n != all.Total {
		t.Errorf("anonymous total changed with a draft: %d then %d", all.Total, n)
	}
	for token, want := range map[bool]bool{false: false, true: true} {
		_, _, b := e.get("/suggest?q=zytho", "", token)
		if got := strings.Contains(string(b), "Zythologie"); got != want {
			t.Errorf("suggest with token=%v: %s", token, b)
		}
	}
	if code, _, b := e.get("/suggest?q=m%C3%A9diat", "", false); code != 200 || !strings.Contains(string(b), `"suggestions"`) {
		t.Errorf("suggest: %d %s", code, b)
	}
	if code, _, _ := e.get("/suggest?q=%FF", "", false); code != http.StatusBadRequest {
		t.Errorf("suggest with invalid UTF-8: %d", code)
	}
	if code, _, _ := e.get("/suggest?q=a&limit=500", "", false); code != http.StatusBadRequest {
		t.Errorf("suggest limit 500: %d", code)
	}

	// restart: the index is caught up and answers the same
	before := e.search("q=cookies", false)
	seq := e.a.views[len(e.a.views)-1].LastSeq()
	e.close()
	e = openSearchE2E(t, dir, true)
	if got := e.a.views[len(e.a.views)-1].LastSeq(); got != seq {
		t.Errorf("search view LastSeq after restart %d, before %d", got, seq)
	}
	if after := e.search("q=cookies", false); after.Total != before.Total || len(after.Results) != len(before.Results) {
		t.Errorf("after restart: %d results, before %d", after.Total, before.Total)
	}
	// reindex: dropped and rebuilt from the store
	if err := e.a.catalog.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if again := e.search("q=cookies", false); again.Total != before.Total {
		t.Errorf("after reindex: %d results, before %d", again.Total, before.Total)
	}
}
