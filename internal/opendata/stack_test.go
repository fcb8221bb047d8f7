package opendata_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/opendata"
	"github.com/trame-commun/trame/internal/store"
)

const base = "http://localhost:8080/"

// stack is the service wired as cmd/trame wires it: badger on a temporary
// directory, the graph view, the catalog, and the open-data service.
type stack struct {
	st  *store.Badger
	g   *graph.Graph
	cat *catalog.Catalog
	svc *opendata.Service
	q   *graph.Querier
}

// newStack returns a stack loaded with the bundled reference data and the
// sample catalogue.
func newStack(t testing.TB) *stack {
	t.Helper()
	c := catalogtest.New(t, catalogtest.Options{Base: base, Sets: []bundled.Set{bundled.Reference, bundled.Sample}})
	svc := opendata.New(opendata.Config{Store: c.Store, Codec: c.Codec, BaseIRI: base, Subjects: c.Graph.Referrers})
	return &stack{st: c.Store, g: c.Graph, cat: c.Catalog, svc: svc, q: graph.NewQuerier(c.Graph, graph.DefaultLimits())}
}

// dump runs a dump into memory.
func (s *stack) dump(t testing.TB, req opendata.DumpRequest) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := s.svc.Dump(context.Background(), &buf, req); err != nil {
		t.Fatalf("dump %+v: %v", req, err)
	}
	return buf.Bytes()
}

// writeTemp writes b to a file in a temporary directory.
func writeTemp(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// needTool skips the test when an external tool is missing, except under
// CI=true where a missing tool fails it.
func needTool(t testing.TB, ok bool, what, install string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing: %s", what, install)
	}
	t.Skipf("%s is missing (%s); skipping", what, install)
}

const oxigraphDir = "testdata/oxigraph"

// oxigraph runs testdata/oxigraph/check.mjs and returns its standard output.
func oxigraph(t testing.TB, args ...string) []byte {
	t.Helper()
	_, err := exec.LookPath("node")
	_, statErr := os.Stat(filepath.Join(oxigraphDir, "node_modules", "oxigraph"))
	needTool(t, err == nil && statErr == nil, "Oxigraph (node + npm package oxigraph)",
		"install Node.js and run `npm install` in internal/opendata/testdata/oxigraph")
	cmd := exec.Command("node", append([]string{"check.mjs"}, args...)...)
	cmd.Dir = oxigraphDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oxigraph %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// sparql answers a SELECT query over a dump file with Oxigraph; each row is
// the N-Triples form of the bound terms.
func sparql(t testing.TB, file, mediaType, query string) (vars []string, rows [][]string) {
	t.Helper()
	abs, _ := filepath.Abs(file)
	q := writeTemp(t, "query.rq", []byte(query))
	var res struct {
		Vars []string   `json:"vars"`
		Rows [][]string `json:"rows"`
	}
	if err := json.Unmarshal(oxigraph(t, "query", abs, mediaType, q), &res); err != nil {
		t.Fatal(err)
	}
	return res.Vars, res.Rows
}

// rapper parses a file with raptor's rapper and fails on any error or
// warning; it returns the number of statements.
func rapper(t testing.TB, file, syntax string) string {
	t.Helper()
	_, err := exec.LookPath("rapper")
	needTool(t, err == nil, "rapper", "apt-get install raptor2-utils")
	cmd := exec.Command("rapper", "-i", syntax, "-o", "ntriples", "-c", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("rapper -i %s %s: %v\n%s", syntax, file, err, stderr.String())
	}
	msg := stderr.String()
	if strings.Contains(msg, "rapper: Warning") || strings.Contains(msg, "rapper: Error") {
		t.Fatalf("rapper -i %s reported problems:\n%s", syntax, msg)
	}
	return msg
}

var tempRoot string

func TestMain(m *testing.M) {
	var err error
	if tempRoot, err = os.MkdirTemp("", "trame-opendata-test"); err != nil {
		panic(err)
	}
	code := m.Run()
	if sharedStack != nil {
		sharedStack.st.Close()
	}
	os.RemoveAll(tempRoot)
	os.Exit(code)
}

// mustTemp returns a directory removed when the test binary ends.
func mustTemp() string {
	d, err := os.MkdirTemp(tempRoot, "s")
	if err != nil {
		panic(err)
	}
	return d
}
