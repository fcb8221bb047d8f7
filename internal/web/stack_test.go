package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/search"
	"github.com/trame-commun/trame/internal/store"
	"github.com/trame-commun/trame/internal/web"
)

const base = "http://localhost:8080/"

// stack is the full real service: badger in a temporary directory, the
// graph, search, competency and web views, the catalog with the bundled
// reference and sample data, and the HTTP API with the pages, served by an
// httptest server.
type stack struct {
	srv   *httptest.Server
	cat   *catalog.Catalog
	pages *web.Pages
	dir   string
}

var (
	shared     *stack
	sharedErr  error
	sharedOnce sync.Once
)

// TestMain removes the shared stack's directory after every test ran.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.srv.Close()
		os.RemoveAll(shared.dir)
	}
	if benchSrv != nil {
		benchSrv.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// sharedStack returns the stack every read-only test uses (loading the
// bundled data takes seconds).
func sharedStack(t testing.TB) *stack {
	t.Helper()
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "trame-web-")
		if err != nil {
			sharedErr = err
			return
		}
		shared, sharedErr = newStack(dir, true, true)
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// newStack builds a stack in dir; withSearch and withCompetency choose
// whether the pages get those services.
func newStack(dir string, withSearch, withCompetency bool) (*stack, error) {
	ctx := context.Background()
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "store")})
	if err != nil {
		return nil, err
	}
	g := graph.New()
	views := []domain.View{g}
	wcfg := web.Config{Directory: web.NewDirectory(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if withSearch {
		ix, err := search.Open(search.Options{Dir: filepath.Join(dir, "search"), BaseIRI: base, Labels: g})
		if err != nil {
			return nil, err
		}
		views = append(views, ix)
		wcfg.Search = ix
	}
	if withCompetency {
		cv := competency.New(competency.Config{BaseIRI: base, ProfileFramework: base + "frameworks/crcn"})
		views = append(views, cv)
		wcfg.Coverage, wcfg.Paths = cv, cv
	}
	views = append(views, wcfg.Directory)
	cat, err := catalog.New(catalog.Config{Store: st, Codec: jsonld.New(base), Lookup: g, Views: views, BaseIRI: base})
	if err != nil {
		return nil, err
	}
	if err := cat.Sync(ctx); err != nil {
		return nil, err
	}
	for _, set := range []bundled.Set{bundled.Reference, bundled.Sample} {
		if _, err := bundled.Load(ctx, cat, set); err != nil {
			return nil, err
		}
	}
	pages, err := web.New(wcfg)
	if err != nil {
		return nil, err
	}
	api := httpapi.New(httpapi.Config{Catalog: cat, Web: pages, Logger: wcfg.Logger, Version: "test"})
	return &stack{srv: httptest.NewServer(api), cat: cat, pages: pages, dir: dir}, nil
}

// get fetches path as a browser would (Accept: text/html) and returns the
// status and body.
func (s *stack) get(t testing.TB, path string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

// mustContain fails when body lacks any of the wanted strings.
func mustContain(t testing.TB, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}
