package httpapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/jsonld"
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
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	g := graph.New()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String() + "/"
	cat, err := catalog.New(catalog.Config{Store: st, Codec: jsonld.New(base), Lookup: g, Views: []domain.View{g}, BaseIRI: base})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bundled.Load(context.Background(), cat, bundled.Reference); err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = httpapi.New(httpapi.Config{Catalog: cat, AdminToken: adminToken, MaxBody: 64 << 10})
	srv.Start()
	t.Cleanup(srv.Close)
	return &stack{srv: srv, cat: cat, graph: g, st: st}
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
