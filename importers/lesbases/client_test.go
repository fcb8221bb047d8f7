package lesbases

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	for in, want := range map[string]Rate{"5/400ms": {5, 400 * time.Millisecond}, " 10 / 1s ": {10, time.Second}} {
		if got, err := ParseRate(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "5", "0/1s", "-1/1s", "5/0s", "5/abc", "x/1s"} {
		if _, err := ParseRate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRetryAfterReadsSecondsAndDates(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for h, want := range map[string]time.Duration{
		"3": 3 * time.Second, "0": 0, "": 0, "soon": 0, "-4": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):       0,
	} {
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: %s, want %s", h, got, want)
		}
	}
}

func TestLimiterKeepsTheRate(t *testing.T) {
	l := newLimiter(Rate{N: 5, Per: 100 * time.Millisecond})
	start := time.Now()
	for i := 0; i < 15; i++ { // 15 requests: the 6th waits one window, the 11th two
		if err := l.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("15 requests at 5/100ms took %s, less than two windows", d)
	}
}

func countingServer(t *testing.T, h func(n int32, w http.ResponseWriter)) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(n.Add(1), w) }))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestClientHonoursRetryAfterOn429(t *testing.T) {
	srv, n := countingServer(t, func(n int32, w http.ResponseWriter) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	c := NewClient(ClientOptions{HTTP: srv.Client(), Backoff: time.Millisecond})
	start := time.Now()
	resp, err := c.Get(context.Background(), srv.URL, "*/*", 100)
	if err != nil || string(resp.Body) != "ok" {
		t.Fatal(resp, err)
	}
	if d := time.Since(start); d < time.Second {
		t.Errorf("retried after %s, before the Retry-After of 1 s", d)
	}
	if n.Load() != 2 || c.Requests() != 2 || c.Retries() != 1 {
		t.Errorf("%d requests seen, %d counted, %d retries", n.Load(), c.Requests(), c.Retries())
	}
}

func TestClientGivesUpOnRetryAfterOverTheLimit(t *testing.T) {
	srv, _ := countingServer(t, func(_ int32, w http.ResponseWriter) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := NewClient(ClientOptions{HTTP: srv.Client()})
	_, err := c.Get(context.Background(), srv.URL, "*/*", 100)
	if err == nil || !strings.Contains(err.Error(), "over the limit") {
		t.Fatalf("want a refusal to wait an hour, got %v", err)
	}
}

func TestClientRetries5xxWithBackoffThenFails(t *testing.T) {
	srv, n := countingServer(t, func(_ int32, w http.ResponseWriter) { http.Error(w, "boom", 500) })
	c := NewClient(ClientOptions{HTTP: srv.Client(), Backoff: time.Millisecond, MaxRetries: 3})
	_, err := c.Get(context.Background(), srv.URL, "*/*", 100)
	fe, ok := err.(*FetchError)
	if !ok || fe.Status != 500 || fe.Attempts != 4 || n.Load() != 4 {
		t.Fatalf("want 4 attempts then a 500 error, got %v (%d requests)", err, n.Load())
	}
}

func TestClientDoesNotRetry404AndReportsItsContentType(t *testing.T) {
	srv, n := countingServer(t, func(_ int32, w http.ResponseWriter) {
		w.Header().Set("Content-Type", "image/webp")
		w.WriteHeader(404)
		_, _ = w.Write([]byte("not-found"))
	})
	c := NewClient(ClientOptions{HTTP: srv.Client()})
	_, err := c.Get(context.Background(), srv.URL, "*/*", 100)
	if err == nil || n.Load() != 1 || !strings.Contains(err.Error(), `404 Not Found (image/webp) "not-found"`) {
		t.Fatalf("got %v after %d requests", err, n.Load())
	}
}

func TestClientRefusesBodiesOverTheLimit(t *testing.T) {
	srv, n := countingServer(t, func(_ int32, w http.ResponseWriter) { _, _ = w.Write(make([]byte, 2000)) })
	c := NewClient(ClientOptions{HTTP: srv.Client()})
	if _, err := c.Get(context.Background(), srv.URL, "*/*", 1000); err == nil || n.Load() != 1 {
		t.Fatalf("got %v after %d requests", err, n.Load())
	}
}
