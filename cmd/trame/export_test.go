package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/httpapi"
)

// TestExportWritesTheSameDumpTheServerServes boots a data directory with
// the bundled data, serves it to read /data/resources.ttl.gz, then stops and
// runs `trame export` on it: the file is the served dump, byte for byte.
func TestExportWritesTheSameDumpTheServerServes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := openApp(&config{Data: dir, BaseIRI: "http://localhost:8080/"}, log)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.boot(context.Background(), true, log); err != nil {
		a.close()
		t.Fatal(err)
	}
	srv := httptest.NewServer(httpapi.New(a.api))
	resp, err := srv.Client().Get(srv.URL + "/data/resources.ttl.gz")
	if err != nil {
		t.Fatal(err)
	}
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	srv.Close()
	a.close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/gzip" {
		t.Fatalf("GET /data/resources.ttl.gz: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	out := filepath.Join(t.TempDir(), "resources.ttl.gz")
	code, stdout, errs := trame(t, "export", "--data", dir, "--format", "ttl", "--gzip", "--dataset", "resources", "--out", out)
	if code != 0 || !strings.Contains(stdout, "exported resources:") || !strings.Contains(stdout, "quads/s") {
		t.Fatalf("export: %d %q %q", code, stdout, errs)
	}
	written, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(written, served) {
		t.Fatalf("the exported file (%d bytes) differs from the served dump (%d bytes)", len(written), len(served))
	}
	zr, err := gzip.NewReader(bytes.NewReader(written))
	if err != nil {
		t.Fatal(err)
	}
	ttl, _ := io.ReadAll(zr)
	if !bytes.Contains(ttl, []byte("@prefix schema: <https://schema.org/> .")) {
		t.Fatal("the export is not Turtle")
	}
	if _, err := os.Stat(out + ".partial"); !os.IsNotExist(err) {
		t.Fatal("the partial file must be gone")
	}
}

func TestExportRefusesBadArguments(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "--data", dir, "--format", "nq"}, 2, "--out FILE is required"},
		{[]string{"export", "--data", dir, "--format", "rdfxml", "--out", "x"}, 2, "nq, nt, ttl, jsonld"},
		{[]string{"export", "--data", dir, "--dataset", "secrets", "--out", "x"}, 2, "no dataset \"secrets\""},
		{[]string{"export", "--data", filepath.Join(dir, "missing"), "--out", "x"}, 1, "no data directory"},
	}
	for _, c := range cases {
		code, _, errs := trame(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q, want %d saying %q", c.args, code, errs, c.code, c.want)
		}
	}
}
