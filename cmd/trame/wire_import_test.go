package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/jsonld"
)

// Imports end to end: the same harvest through a running server's import
// endpoints and on a data directory, the endpoints' rules, the CLI, and the
// scheduled harvest.

func fastHarvest(s sink.Sink, site string) (*lesbases.Summary, error) {
	return lesbases.Harvest(context.Background(), lesbases.Options{Site: site, Sink: s,
		Client: lesbases.NewClient(lesbases.ClientOptions{Rate: lesbases.Rate{N: 1000, Per: time.Millisecond}, Backoff: time.Millisecond, MaxRetries: 1}),
		Now:    func() time.Time { return time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC) }})
}

func storedResources(t *testing.T, a *app, site string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := a.store.Scan(context.Background(), func(r domain.Record) error {
		if strings.HasPrefix(r.IRI, site) {
			e, err := a.catalog.Entity(r)
			if err != nil {
				return err
			}
			out[r.IRI] = sink.Canonical(e, nil)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHarvestThroughTheServerEqualsHarvestOnTheDataDirectory(t *testing.T) {
	fake := lesbasestest.NewServer(lesbasestest.Generate())
	fake.RetryAfter = "0"
	defer fake.Close()
	e := newE2E(t)
	remote, err := sink.NewRemote(context.Background(), e.srv.URL, e2eToken, nil, jsonld.New(benchBase))
	if err != nil {
		t.Fatal(err)
	}
	if sum, err := fastHarvest(remote, fake.URL); err != nil || sum.New != 177 {
		t.Fatalf("through the server: %v %+v", err, sum)
	}
	local := newE2E(t)
	l, _ := sink.NewLocal(local.a.catalog)
	if _, err := fastHarvest(l, fake.URL); err != nil {
		t.Fatal(err)
	}
	got, want := storedResources(t, e.a, fake.URL), storedResources(t, local.a, fake.URL)
	if len(want) != 177 || len(got) != len(want) {
		t.Fatalf("%d entities through the server, %d on the data directory", len(got), len(want))
	}
	for iri, w := range want {
		if got[iri] != w {
			t.Errorf("%s differs:\n%s\n---\n%s", iri, got[iri], w)
		}
	}
	// the harvested resources are served to anonymous readers
	code, _, body := e.do("GET", "/resource?uri="+fake.URL+"/ressources/"+lesbasestest.Generate().Resources[0].Slug, "", "application/ld+json", false)
	if code != 200 || !strings.Contains(body, "Créer son adresse e-mail") {
		t.Errorf("harvested resource not served: %d %.200s", code, body)
	}
	// nothing changed: the second run through the server writes nothing
	before, _ := e.a.store.LastSeq(context.Background())
	if sum, err := fastHarvest(remote, fake.URL); err != nil || sum.New+sum.Updated != 0 {
		t.Fatalf("second run: %v %+v", err, sum)
	}
	if now, _ := e.a.store.LastSeq(context.Background()); now != before {
		t.Errorf("a run with nothing changed wrote %d changes through the server", now-before)
	}
}

func TestImportEndpointsRules(t *testing.T) {
	e := newE2E(t)
	if code, _, _ := e.do("GET", "/admin/import", "", "", false); code != 401 {
		t.Errorf("anonymous: %d", code)
	}
	secret, _, err := e.a.catalog.CreateToken(context.Background(), domain.RoleEditor, "importer")
	if err != nil {
		t.Fatal(err)
	}
	editor := func(method, path string, body []byte) (int, string) {
		req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	// a 3 MB document: over the API's 1 MiB limit, under the import limit
	long := strings.Repeat("texte très long ", 200_000)
	doc, _ := json.Marshal(map[string]any{"document": map[string]any{
		"@context": map[string]any{"@vocab": "https://schema.org/"}, "@id": "http://example.org/long",
		"@type": "LearningResource", "name": "Long", "text": long}})
	if code, body := editor("POST", "/admin/import", doc); code != 200 || !strings.Contains(body, `"written": 1`) {
		t.Fatalf("a large batch from an editor: %d %.300s", code, body)
	}
	// a partial batch writes the valid entity and reports the other
	doc, _ = json.Marshal(map[string]any{"partial": true, "document": map[string]any{
		"@context": map[string]any{"@vocab": "https://schema.org/"}, "@graph": []any{
			map[string]any{"@id": "http://example.org/ok", "@type": "LearningResource", "name": "OK"},
			map[string]any{"@id": "http://example.org/bad", "@type": "LearningResource"}}}})
	if code, body := editor("POST", "/admin/import", doc); code != 200 || !strings.Contains(body, "http://example.org/bad") || !strings.Contains(body, `"written": 1`) {
		t.Fatalf("partial batch: %d %s", code, body)
	}
	// without partial, an invalid entity refuses the whole batch
	doc, _ = json.Marshal(map[string]any{"deletes": []string{"http://example.org/ok"}, "document": map[string]any{
		"@context": map[string]any{"@vocab": "https://schema.org/"}, "@id": "http://example.org/bad2", "@type": "LearningResource"}})
	if code, _ := editor("POST", "/admin/import", doc); code != 400 {
		t.Errorf("invalid batch: %d", code)
	}
	if code, body := editor("POST", "/admin/import/lookup", []byte(`{"iris":["http://example.org/ok","http://example.org/none"]}`)); code != 200 || strings.Count(body, `"iri"`) != 1 {
		t.Errorf("the refused batch deleted something, or lookup is wrong: %d %.300s", code, body)
	}
	// importer state: in its own namespace, never the tokens'
	if code, _ := editor("PUT", "/admin/import/meta?key=demo/state", []byte("v1")); code != 204 {
		t.Errorf("put meta: %d", code)
	}
	if code, body := editor("GET", "/admin/import/meta?key=demo/state", nil); code != 200 || body != "v1" {
		t.Errorf("get meta: %d %q", code, body)
	}
	if code, _ := editor("GET", "/admin/import/meta?key=../token/x", nil); code != 404 {
		t.Errorf("meta keys must stay in the importers' namespace: %d", code)
	}
	if code, body := editor("GET", "/admin/import/list?collection=resources&limit=2", nil); code != 200 || strings.Count(body, `"iri"`) != 2 {
		t.Errorf("list: %d %.200s", code, body)
	}
}

func TestImportCommands(t *testing.T) {
	fake := lesbasestest.NewServer(lesbasestest.Generate())
	fake.RetryAfter = "0"
	defer fake.Close()
	dir := t.TempDir()
	code, out, errs := trame(t, "import", "lesbases", "--data", dir, "--base-url", fake.URL, "--rate", "1000/1ms", "--json")
	var sum lesbases.Summary
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || sum.New != 177 {
		t.Fatalf("import lesbases: %d %.300s %s", code, out, errs)
	}
	fake.SetListFault(lesbasestest.ListShrink)
	code, out, errs = trame(t, "import", "lesbases", "--data", dir, "--base-url", fake.URL, "--rate", "1000/1ms")
	if code != 1 || !strings.Contains(out, "REFUSED") || !strings.Contains(errs, "--allow-mass-delete") {
		t.Errorf("a refused run exits 1 and says why: %d %q %q", code, out, errs)
	}
	code, out, errs = trame(t, "import", "nquads", "../../importers/rdf/testdata/mixed.nq", "--data", dir, "--graph", "http://example.org/g")
	if code != 0 || !strings.Contains(out, "3 written") || !strings.Contains(out, "line 10") {
		t.Errorf("import nquads: %d %s", code, out)
	}
	// Not a terminal: the progress is log lines, one phase after the other.
	for _, want := range []string{"nquads: reading: ", "/2115 bytes (100%", "nquads: writing: 15/15 statements (100%", "nquads: read 16 statements"} {
		if !strings.Contains(errs, want) {
			t.Errorf("progress lines lack %q:\n%s", want, errs)
		}
	}
	// The import opened no view: the service's views catch up when it
	// next starts.
	a, err := openApp(&config{Data: dir, BaseIRI: benchBase}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.boot(context.Background(), false, quiet); err != nil {
		t.Fatal(err)
	}
	if types := a.graph.TypesOf("http://example.org/ref/demo/c1"); len(types) == 0 {
		t.Error("the graph view did not catch up with the import")
	}
	a.close()
	if code, _, errs := trame(t, "import", "nquads", "../../importers/rdf/testdata/mixed.nq", "--data", dir, "--strict"); code != 1 || !strings.Contains(errs, "line 10") {
		t.Errorf("import nquads --strict: %d %s", code, errs)
	}
	if code, out, _ := trame(t, "import", "lieux", "../../importers/lieux/testdata/lieux.csv", "--data", dir); code != 0 || !strings.Contains(out, "6 imported") {
		t.Errorf("import lieux: %d %s", code, out)
	}
	csvOut := filepath.Join(dir, "lieux.csv")
	if code, _, errs := trame(t, "lieux", "export", "--data", dir, "--out", csvOut); code != 0 {
		t.Fatalf("lieux export: %d %s", code, errs)
	}
	got, _ := os.ReadFile(csvOut)
	want, _ := os.ReadFile("../../importers/lieux/testdata/lieux.csv")
	if !bytes.Equal(got, want) {
		t.Errorf("lieux export differs from the imported file")
	}
	if code, out, _ := trame(t, "import", "framework", "--format", "moodle-csv", "../../importers/frameworks/testdata/moodle-demo.csv", "--data", dir, "--version", "1"); code != 0 || !strings.Contains(out, `version "1"`) {
		t.Errorf("import framework: %d %s", code, out)
	}
	code, out, _ = trame(t, "framework", "export", "--format", "moodle-csv", "frameworks/demo", "--data", dir)
	want, _ = os.ReadFile("../../importers/frameworks/testdata/moodle-demo.csv")
	if code != 0 || out != string(want) {
		t.Errorf("framework export: %d\n%s", code, out)
	}
	for _, bad := range [][]string{
		{"import"}, {"import", "nowhere"}, {"import", "nquads"}, {"import", "framework", "--format", "docx", "x"},
		{"import", "lesbases", "--rate", "fast"}, {"import", "lesbases", "--max-delete-share", "2"},
		{"framework", "export", "--format", "pdf", "x"}, {"lieux"}, {"import", "nquads", "f", "--graph", "notaniri"},
	} {
		if code, _, _ := trame(t, bad...); code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, code)
		}
	}
}

func TestScheduledHarvest(t *testing.T) {
	fake := lesbasestest.NewServer(lesbasestest.Generate())
	fake.RetryAfter = "0"
	defer fake.Close()
	firstHarvestDelay = 0
	defer func() { firstHarvestDelay = time.Minute }()
	a, err := openApp(&config{Data: t.TempDir(), BaseIRI: benchBase}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if err := a.boot(context.Background(), false, quiet); err != nil {
		t.Fatal(err)
	}
	cfg := &config{Harvest: harvestList{"lesbases=" + fake.URL}, HarvestEvery: time.Hour}
	stop := startHarvests(context.Background(), a, cfg, quiet)
	deadline := time.Now().Add(60 * time.Second)
	for len(storedResources(t, a, fake.URL)) < 177 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	stop()
	if n := len(storedResources(t, a, fake.URL)); n != 177 {
		t.Fatalf("the scheduled harvest stored %d entities", n)
	}
	var h harvestList
	if h.Set("ailleurs=http://x") == nil || h.Set("lesbases=ftp://x") == nil {
		t.Error("--harvest must refuse other sources and non-http URLs")
	}
}
