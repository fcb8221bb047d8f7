package httpapi_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/store"
)

const adminToken = "test-admin-token"

// stack is a real Trame behind httptest: badger on disk, the graph view,
// the catalog and the API, with the bundled reference data loaded.
type stack struct {
	srv   *httptest.Server
	cat   *catalog.Catalog
	graph *graph.Graph
	st    *store.Badger
}

func newStack(t *testing.T) *stack {
	t.Helper()
	srv, base := testServer()
	c := catalogtest.New(t, catalogtest.Options{Base: base, Sets: []bundled.Set{bundled.Reference}})
	serve(t, srv, httpapi.Config{Catalog: c.Catalog, AdminToken: adminToken, MaxBody: 64 << 10})
	return &stack{srv: srv, cat: c.Catalog, graph: c.Graph, st: c.Store}
}

// testServer returns a test server, not started, and the base IRI it will
// serve, so that the core can be wired under that base first
// (catalogtest.New with Options.Base).
func testServer() (*httptest.Server, string) {
	srv := httptest.NewUnstartedServer(nil)
	return srv, "http://" + srv.Listener.Addr().String() + "/"
}

// serve starts srv with the API of cfg; the test closes it.
func serve(t *testing.T, srv *httptest.Server, cfg httpapi.Config) *httpapi.Server {
	t.Helper()
	api := httpapi.New(cfg)
	srv.Config.Handler = api
	srv.Start()
	t.Cleanup(srv.Close)
	return api
}

// do sends a request and returns the response with its body read.
func (s *stack) do(t *testing.T, method, path, body string, headers map[string]string) (*http.Response, string) {
	t.Helper()
	url := path
	if !strings.HasPrefix(path, "http") {
		url = s.srv.URL + path
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/ld+json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func auth() map[string]string { return map[string]string{"Authorization": "Bearer " + adminToken} }
