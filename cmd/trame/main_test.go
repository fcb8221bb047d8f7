package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func trame(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	if code, out, _ := trame(t, "version"); code != 0 || !strings.HasPrefix(out, "trame ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errs := trame(t, "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, _ := trame(t); code != 2 {
		t.Errorf("no command: %d", code)
	}
	if code, _, errs := trame(t, "reindex", "--base-iri", "ftp://x"); code != 2 || !strings.Contains(errs, "http(s)") {
		t.Errorf("bad base IRI: %d %q", code, errs)
	}
	if code, _, _ := trame(t, "serve", "-h"); code != 0 {
		t.Errorf("serve -h: %d", code)
	}
	err := notYet("frob", "issue 99")(context.Background(), nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not yet available") {
		t.Errorf("notYet: %v", err)
	}
}

func TestEnvironmentConfiguresFlags(t *testing.T) {
	t.Setenv("TRAME_DATA", "/tmp/somewhere")
	t.Setenv("TRAME_SAMPLE", "false")
	var cfg config
	fs := flagSet("serve", &cfg, io.Discard, "data", "base-iri", "serve")
	if err := parse(fs, &cfg, []string{"--addr", ":9999"}); err != nil {
		t.Fatal(err)
	}
	if cfg.Data != "/tmp/somewhere" || cfg.Sample || cfg.Addr != ":9999" || cfg.BaseIRI != "http://localhost:8080/" {
		t.Fatalf("%+v", cfg)
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeTokenBackupRestore runs the binary's commands end to end on one
// data directory: first start loads the bundled data, a token created with
// "token create" writes through the API, a backup restores into a new
// directory with the written entity.
func TestServeTokenBackupRestore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	addr := freeAddr(t)
	base := "http://" + addr + "/"
	code, tokOut, errs := trame(t, "token", "create", "--role", "editor", "--data", dir, "--base-iri", base)
	if code != 0 {
		t.Fatalf("token create: %d %s", code, errs)
	}
	token := strings.TrimSpace(tokOut)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--data", dir, "--addr", addr, "--base-iri", base, "--sample=false"}, io.Discard, io.Discard)
	}()
	waitUp(t, base+"healthz")
	resp := get(t, base+"competencies/crcn-1.1")
	if resp.StatusCode != 200 {
		t.Fatalf("bundled competency: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("POST", base+"frameworks", strings.NewReader(`{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}, "@id": "https://example.org/ref/demo", "@type": "skos:ConceptScheme", "skos:prefLabel": "Démo"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/ld+json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 201 {
		t.Fatalf("write with a created token: %v %v", resp, err)
	}
	if resp := get(t, base+"resources?limit=5"); resp.StatusCode != 200 {
		t.Fatalf("list: %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited with %d after SIGTERM-like cancel", code)
	}
	backup := filepath.Join(t.TempDir(), "trame.bak")
	if code, _, errs := trame(t, "backup", "--data", dir, "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	if code, out, errs := trame(t, "restore", "--data", restored, "--in", backup); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %s %s", out, errs)
	}
	if code, _, errs := trame(t, "restore", "--data", restored, "--in", backup); code != 1 || !strings.Contains(errs, "not empty") {
		t.Fatalf("restore into a used directory: %d %s", code, errs)
	}
	if code, out, errs := trame(t, "reindex", "--data", restored, "--base-iri", base); code != 0 || !strings.Contains(out, "reindexed") {
		t.Fatalf("reindex of the restored store: %s %s", out, errs)
	}
}

func waitUp(t *testing.T, url string) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if resp, err := http.Get(url); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

func get(t *testing.T, url string) *http.Response {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}
