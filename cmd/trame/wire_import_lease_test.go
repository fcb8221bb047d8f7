package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/jsonld"
)

// The harvest lease across processes and surfaces: the conditional meta
// writes of the import endpoints, and a manual harvest through the server
// (and on a data directory) refused while another harvest of the same site
// holds the lease.

// metaCall sends one request to /admin/import/meta with the admin token
// and extra headers, and returns the status, headers and body.
func (e *e2e) metaCall(method, key string, body []byte, header ...string) (int, http.Header, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+"/admin/import/meta?key="+key, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e2eToken)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, b.String()
}

func TestImportMetaConditionalWrites(t *testing.T) {
	e := newE2E(t)
	steps := []struct {
		name   string
		method string
		body   string
		header []string
		want   int
		after  string // the value afterwards, "" for absent
	}{
		{"create if absent", "PUT", "v1", []string{"If-None-Match", "*"}, 204, "v1"},
		{"create if absent, again", "PUT", "v2", []string{"If-None-Match", "*"}, 412, "v1"},
		{"a stale tag", "PUT", "v2", []string{"If-Match", domain.MetaETag([]byte("v0"))}, 412, "v1"},
		{"a weak tag never matches", "PUT", "v2", []string{"If-Match", "W/" + domain.MetaETag([]byte("v1"))}, 412, "v1"},
		{"the current tag", "PUT", "v2", []string{"If-Match", domain.MetaETag([]byte("v1"))}, 204, "v2"},
		{"the tag just replaced", "PUT", "v3", []string{"If-Match", domain.MetaETag([]byte("v1"))}, 412, "v2"},
		{"one of a list of tags", "PUT", "v3", []string{"If-Match", `"x", ` + domain.MetaETag([]byte("v2"))}, 204, "v3"},
		{"If-None-Match with the current tag", "PUT", "v4", []string{"If-None-Match", domain.MetaETag([]byte("v3"))}, 412, "v3"},
		{"delete with a stale tag", "DELETE", "", []string{"If-Match", domain.MetaETag([]byte("v2"))}, 412, "v3"},
		{"delete with the current tag", "DELETE", "", []string{"If-Match", domain.MetaETag([]byte("v3"))}, 204, ""},
		{"If-Match star on an absent key", "PUT", "v5", []string{"If-Match", "*"}, 412, ""},
		{"delete an absent key", "DELETE", "", nil, 204, ""},
		{"unconditional put", "PUT", "v6", nil, 204, "v6"},
		{"unconditional delete", "DELETE", "", nil, 204, ""},
	}
	for _, st := range steps {
		code, h, body := e.metaCall(st.method, "lease/x", []byte(st.body), st.header...)
		if code != st.want {
			t.Fatalf("%s: %d, want %d: %s", st.name, code, st.want, body)
		}
		if code == 412 && (h.Get("Content-Type") != "application/problem+json" || !strings.Contains(body, "lease/x")) {
			t.Errorf("%s: a 412 is a problem+json naming the key: %s %s", st.name, h.Get("Content-Type"), body)
		}
		code, h, body = e.metaCall("GET", "lease/x", nil)
		switch {
		case st.after == "" && code != 404:
			t.Fatalf("%s: the key should be absent: %d %q", st.name, code, body)
		case st.after != "" && (code != 200 || body != st.after || h.Get("ETag") != domain.MetaETag([]byte(st.after))):
			t.Fatalf("%s: GET %d %q ETag %s, want %q with its tag", st.name, code, body, h.Get("ETag"), st.after)
		}
	}
}

func TestRemoteSinkSwapsMetaLikeTheStore(t *testing.T) {
	e := newE2E(t)
	ctx := context.Background()
	remote, err := sink.NewRemote(ctx, e.srv.URL, e2eToken, nil, jsonld.New(benchBase))
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = remote.SwapMeta(ctx, "lock", nil, []byte(fmt.Sprint("holder ", i)))
		}()
	}
	close(start)
	wg.Wait()
	won := ""
	for i, err := range errs {
		switch {
		case err == nil && won != "":
			t.Fatalf("two remote swaps from absent won: %s and holder %d", won, i)
		case err == nil:
			won = fmt.Sprint("holder ", i)
		case !domain.IsKind(err, domain.KindPrecondition):
			t.Fatalf("holder %d: want a precondition failure, got %v", i, err)
		}
	}
	if v, err := remote.GetMeta(ctx, "lock"); err != nil || string(v) != won {
		t.Fatalf("the key holds %q (%v), the winner was %q", v, err, won)
	}
	if err := remote.SwapMeta(ctx, "lock", []byte("stale"), nil); !domain.IsKind(err, domain.KindPrecondition) {
		t.Fatalf("a delete from a stale value: %v", err)
	}
	if err := remote.SwapMeta(ctx, "lock", []byte(won), []byte{}); err != nil {
		t.Fatalf("swap to an empty value: %v", err)
	}
	if err := remote.SwapMeta(ctx, "lock", []byte{}, nil); err != nil {
		t.Fatalf("delete from the empty value: %v", err)
	}
	if _, err := e.a.store.GetMeta(ctx, sink.MetaPrefix+"lock"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("the remote delete left the key: %v", err)
	}
}

func TestManualHarvestIsRefusedWhileTheScheduledOneRuns(t *testing.T) {
	fake := lesbasestest.NewServer(lesbasestest.Generate())
	fake.RetryAfter = "0"
	defer fake.Close()
	began, resume := make(chan struct{}), make(chan struct{})
	fake.OnRequest = func(n int64, _ *http.Request) {
		if n == 1 { // the scheduled run's first request waits: it holds the lease meanwhile
			close(began)
			<-resume
		}
	}
	e := newE2E(t)
	local, err := sink.NewLocal(e.a.catalog)
	if err != nil {
		t.Fatal(err)
	}
	scheduled := make(chan error, 1)
	go func() {
		_, err := lesbases.Harvest(context.Background(), lesbases.Options{Site: fake.URL, Sink: local, Holder: scheduledHolder,
			Client: lesbases.NewClient(lesbases.ClientOptions{Rate: lesbases.Rate{N: 1000, Per: time.Millisecond}, Backoff: time.Millisecond, MaxRetries: 1})})
		scheduled <- err
	}()
	<-began
	holder := []string{"another harvest of " + fake.URL + " is running", scheduledHolder, fmt.Sprint("pid ", os.Getpid())}

	remote, err := sink.NewRemote(context.Background(), e.srv.URL, e2eToken, nil, jsonld.New(benchBase))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := fastHarvest(remote, fake.URL)
	if !domain.IsKind(err, domain.KindConflict) || sum.Lease == nil || sum.Lease.Holder != scheduledHolder {
		t.Fatalf("a harvest through the server during the scheduled one: %v %+v", err, sum)
	}
	for _, want := range holder {
		if !strings.Contains(sum.Refused, want) {
			t.Errorf("the refusal does not say %q: %s", want, sum.Refused)
		}
	}
	code, out, errs := trame(t, "import", "lesbases", "--server", e.srv.URL, "--token", e2eToken, "--base-url", fake.URL, "--rate", "1000/1ms", "--json")
	var got lesbases.Summary
	if code != 1 || json.Unmarshal([]byte(out), &got) != nil || got.Lease == nil || got.Lease.PID != os.Getpid() || !strings.Contains(errs, scheduledHolder) {
		t.Errorf("the command through the server exits 1 and names the holder: %d %.400s %s", code, out, errs)
	}
	if n := fake.Requests(); n != 1 {
		t.Errorf("the refused runs made %d requests to Les Bases", n-1)
	}
	close(resume)
	if err := <-scheduled; err != nil {
		t.Fatalf("the scheduled run: %v", err)
	}
	if sum, err := fastHarvest(remote, fake.URL); err != nil || sum.Refused != "" {
		t.Fatalf("once the scheduled run ended, the manual one runs: %v %+v", err, sum)
	}
}

func TestImportLesBasesOnADataDirectoryIsRefusedByALiveLease(t *testing.T) {
	fake := lesbasestest.NewServer(lesbasestest.Generate())
	defer fake.Close()
	dir := t.TempDir()
	a, err := openApp(&config{Data: dir, BaseIRI: benchBase}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	lease, _ := json.Marshal(lesbases.Lease{Holder: "trame import lesbases", Host: "poste-2", PID: 777, Run: "feedc0de",
		Started: time.Now().UTC(), Expires: time.Now().Add(time.Hour).UTC()})
	if err := a.store.PutMeta(context.Background(), sink.MetaPrefix+lesbases.LeaseKey(fake.URL), lease); err != nil {
		t.Fatal(err)
	}
	a.close()
	code, out, errs := trame(t, "import", "lesbases", "--data", dir, "--base-url", fake.URL, "--rate", "1000/1ms")
	if code != 1 || !strings.HasPrefix(out, "REFUSED: another harvest of "+fake.URL) || !strings.Contains(out, `pid 777 on host "poste-2"`) ||
		!strings.Contains(out, "Nothing was changed.") || !strings.Contains(errs, "feedc0de") {
		t.Errorf("a refused run exits 1 and says who holds the lease: %d %q %q", code, out, errs)
	}
	if n := fake.Requests(); n != 0 {
		t.Errorf("the refused run made %d requests", n)
	}
}
