package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/opendata"
)

// openDataService is what cmd/trame wires: the open-data service and the
// graph querier together.
type openDataService struct {
	*opendata.Service
	*graph.Querier
}

// odStack is a real Trame with the open-data surfaces, the reference data
// and the sample catalogue, behind httptest.
type odStack struct {
	srv  *httptest.Server
	api  *httpapi.Server
	cat  *catalog.Catalog
	base string
}

func newOpenDataStack(t *testing.T, lim graph.Limits) *odStack {
	t.Helper()
	srv, base := testServer()
	c := catalogtest.New(t, catalogtest.Options{Base: base, Sets: []bundled.Set{bundled.Reference, bundled.Sample}})
	od := openDataService{opendata.New(opendata.Config{Store: c.Store, Codec: c.Codec, BaseIRI: base, Subjects: c.Graph.Referrers}), graph.NewQuerier(c.Graph, lim)}
	api := serve(t, srv, httpapi.Config{Catalog: c.Catalog, AdminToken: adminToken, OpenData: od, Version: "test"})
	return &odStack{srv: srv, api: api, cat: c.Catalog, base: base}
}

// get sends a request without following redirects.
func (s *odStack) send(t *testing.T, method, path, body string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func problemOf(t *testing.T, resp *http.Response, b []byte, status int, words string) {
	t.Helper()
	if resp.StatusCode != status || resp.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(string(b), words) {
		t.Fatalf("got %d %s %s, want a %d problem saying %q", resp.StatusCode, resp.Header.Get("Content-Type"), b, status, words)
	}
}

func TestDumpsAreServedInEveryFormatAndGzipped(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	plain := map[string]string{"nq": "application/n-quads", "nt": "application/n-triples", "ttl": "text/turtle; charset=utf-8", "jsonld": "application/ld+json"}
	for ext, ct := range plain {
		resp, body := s.send(t, "GET", "/data/dump."+ext, "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != ct || len(body) < 10000 {
			t.Fatalf("dump.%s: %d %s, %d bytes", ext, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		zresp, zbody := s.send(t, "GET", "/data/dump."+ext+".gz", "", nil)
		if zresp.Header.Get("Content-Type") != "application/gzip" {
			t.Fatalf("dump.%s.gz is served as %s", ext, zresp.Header.Get("Content-Type"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(zbody))
		if err != nil {
			t.Fatal(err)
		}
		unzipped, _ := io.ReadAll(zr)
		if !bytes.Equal(unzipped, body) {
			t.Fatalf("dump.%s.gz does not decompress to dump.%s", ext, ext)
		}
	}
	resp, body := s.send(t, "GET", "/data/frameworks.nq", "", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<"+s.base+"data/frameworks> .") {
		t.Fatalf("the frameworks dump must be in its named graph: %d", resp.StatusCode)
	}
}

func TestDatasetIRIsRedirectToTheNegotiatedDump(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	resp, _ := s.send(t, "GET", "/data/resources", "", map[string]string{"Accept": "text/turtle"})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/data/resources.ttl" {
		t.Fatalf("got %d to %q, want 303 to /data/resources.ttl", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestBadDumpAndDescriptionRequestsGetClearErrors(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	resp, b := s.send(t, "GET", "/data/secrets.nq", "", nil)
	problemOf(t, resp, b, 404, "resources")
	resp, b = s.send(t, "GET", "/data/dump.rdf", "", nil)
	problemOf(t, resp, b, 406, "nq, nt, ttl, jsonld")
	resp, b = s.send(t, "GET", "/catalog", "", map[string]string{"Accept": "application/rdf+xml"})
	problemOf(t, resp, b, 406, "ttl (text/turtle)")
	resp, b = s.send(t, "GET", "/.well-known/void?format=csv", "", nil)
	problemOf(t, resp, b, 406, "jsonld (application/ld+json)")
	resp, b = s.send(t, "GET", "/export/ctdl-asn", "", nil)
	problemOf(t, resp, b, 400, "framework parameter is required")
	resp, b = s.send(t, "GET", "/export/pdf?framework=frameworks/crcn", "", nil)
	problemOf(t, resp, b, 404, "ctdl-asn, moodle, open-badges or schema-org")
	resp, b = s.send(t, "GET", "/export/open-badges?path=resources/premiers-pas-moteur-de-recherche", "", nil)
	problemOf(t, resp, b, 400, "not a parcours")
}

func TestCatalogueAndVoIDAreNegotiated(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	for _, path := range []string{"/catalog", "/.well-known/void"} {
		resp, b := s.send(t, "GET", path, "", map[string]string{"Accept": "text/turtle"})
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/turtle") || !strings.Contains(string(b), "@prefix dcat:") {
			t.Fatalf("%s as Turtle: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		resp, b = s.send(t, "GET", path+"?format=jsonld", "", map[string]string{"Accept": "text/turtle"})
		var doc map[string]any
		if resp.Header.Get("Content-Type") != "application/ld+json" || json.Unmarshal(b, &doc) != nil || doc["@graph"] == nil {
			t.Fatalf("%s?format=jsonld: %s", path, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(resp.Header.Get("Link"), `type="text/turtle"`) {
			t.Errorf("%s: no Link to the alternates: %q", path, resp.Header.Get("Link"))
		}
	}
}

// query sends a graph query with GET.
func (s *odStack) query(t *testing.T, lang, q string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	return s.send(t, "GET", "/graph/query?"+url.Values{"language": {lang}, "query": {q}}.Encode(), "", headers)
}

func TestGraphQueryEndpointAnswersInJSONAndJSONLDAndHidesDrafts(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	draft := `{"@context": {"@vocab": "https://schema.org/"}, "@id": "` + s.base + `resources/brouillon",
	  "@type": ["LearningResource", "https://w3id.org/trame/ns#Grain"], "name": {"@value": "Brouillon", "@language": "fr"},
	  "audience": {"@id": "` + s.base + `vocab/beneficiaires/SeniorsPersonnesAgees"}}`
	if resp, b := s.send(t, "POST", "/resources?draft=true", draft, map[string]string{"Authorization": "Bearer " + adminToken, "Content-Type": "application/ld+json"}); resp.StatusCode != 201 {
		t.Fatalf("writing the draft: %d %s", resp.StatusCode, b)
	}
	seniors := `{ s: nodes(id: <` + s.base + `vocab/beneficiaires/SeniorsPersonnesAgees>) { r: <https://schema.org/audience> @rev { id } } }`
	resp, b := s.send(t, "POST", "/graph/query", seniors, map[string]string{"Content-Type": "application/graphql"})
	var ans struct {
		Language string
		Count    int
		Results  []any
		Limits   map[string]any
	}
	if resp.StatusCode != 200 || json.Unmarshal(b, &ans) != nil || ans.Language != "graphql" || ans.Count != 1 || ans.Limits["results"] == nil {
		t.Fatalf("GraphQL by POST: %d %s", resp.StatusCode, b)
	}
	if strings.Contains(string(b), "brouillon") || !strings.Contains(string(b), "resources/") {
		t.Fatalf("an anonymous query must see published resources only: %s", b)
	}
	resp, b = s.send(t, "POST", "/graph/query", seniors, map[string]string{"Content-Type": "application/graphql", "Authorization": "Bearer " + adminToken})
	if resp.StatusCode != 200 || !strings.Contains(string(b), "brouillon") {
		t.Fatalf("an authenticated query sees drafts: %d", resp.StatusCode)
	}
	vertex := `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Visit", "properties": "https://schema.org/name",
	  "from": {"@type": "Vertex", "values": [{"@id": "` + s.base + `partners/anct"}]}}`
	resp, b = s.query(t, "linkedql", vertex, map[string]string{"Accept": "application/ld+json"})
	var ld struct {
		Context map[string]any `json:"@context"`
		Results []any
	}
	if resp.Header.Get("Content-Type") != "application/ld+json" || json.Unmarshal(b, &ld) != nil || ld.Context == nil || len(ld.Results) != 1 {
		t.Fatalf("LinkedQL as JSON-LD: %s %s", resp.Header.Get("Content-Type"), b)
	}
}

func TestGraphQueryErrorsNameTheProblemAndTheLimit(t *testing.T) {
	lim := graph.DefaultLimits()
	lim.Results, lim.Concurrent, lim.QueueWait = 5, 1, 20*time.Millisecond
	s := newOpenDataStack(t, lim)
	every := `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Vertex"}`
	resp, b := s.query(t, "linkedql", every, nil)
	problemOf(t, resp, b, 400, "more than 5 results (the result cap)")
	resp, b = s.query(t, "linkedql", `{"@type": `, nil)
	problemOf(t, resp, b, 400, "not JSON")
	resp, b = s.query(t, "graphql", `{ x( }`, nil)
	problemOf(t, resp, b, 400, "malformed")
	resp, b = s.query(t, "gizmo", `g.V().All()`, nil)
	problemOf(t, resp, b, 401, "need a token")
	resp, b = s.query(t, "sparql", `SELECT * {}`, nil)
	problemOf(t, resp, b, 400, "unsupported query language")
	resp, b = s.send(t, "POST", "/graph/query", "{}", map[string]string{"Content-Type": "text/plain"})
	problemOf(t, resp, b, 415, "?language=")
	resp, b = s.query(t, "graphql", `{ r: nodes { id } }`, map[string]string{"Accept": "text/csv"})
	problemOf(t, resp, b, 406, "json (application/json)")

	done := make(chan struct{})
	go func() {
		defer close(done)
		s.query(t, "gizmo", `var t = Date.now(); while (Date.now() - t < 400) {}`, map[string]string{"Authorization": "Bearer " + adminToken})
	}()
	time.Sleep(100 * time.Millisecond)
	resp, b = s.query(t, "graphql", `{ r: nodes(first: 1) { id } }`, nil)
	<-done
	problemOf(t, resp, b, 503, "concurrency limit")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("a 503 for the concurrency limit must say Retry-After")
	}
}

func TestInteropExportsOverHTTP(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	cases := []struct{ path, ct, words string }{
		{"/export/ctdl-asn?framework=frameworks/crcn", "application/ld+json", "ceasn:CompetencyFramework"},
		{"/export/moodle?framework=" + url.QueryEscape(s.base+"frameworks/crcn"), "text/csv; charset=utf-8", "Parent id number"},
		{"/export/open-badges?path=paths/de-la-recherche-au-tableur", "application/ld+json", `"Achievement"`},
		{"/export/schema-org?resource=resources/premiers-pas-moteur-de-recherche", "application/ld+json", `"https://schema.org/"`},
		{"/export/schema-org", "application/ld+json", `"LearningResource"`},
		{"/export/ctdl-asn?framework=" + url.QueryEscape("http://data.europa.eu/esco/concept-scheme/digcomp"), "application/ld+json", "ceasn:Competency"},
	}
	for _, c := range cases {
		resp, b := s.send(t, "GET", c.path, "", nil)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != c.ct || !strings.Contains(string(b), c.words) {
			t.Errorf("%s: %d %s %.200s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
	resp, b := s.send(t, "GET", "/export/ctdl-asn?framework=frameworks/inconnu", "", nil)
	problemOf(t, resp, b, 404, "frameworks/inconnu")
}
