package lesbases_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
	"github.com/trame-commun/trame/internal/domain"
)

// The lease: one harvest of a site at a time, whatever runs it; a lease
// left by a dead run is taken over once it expires.

// readLease returns the stored lease of site, or nil when there is none.
func readLease(t testing.TB, s *stack, site string) (*lesbases.Lease, []byte) {
	t.Helper()
	b, err := s.sink.GetMeta(context.Background(), lesbases.LeaseKey(site))
	if domain.IsKind(err, domain.KindNotFound) {
		return nil, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var l lesbases.Lease
	if err := json.Unmarshal(b, &l); err != nil {
		t.Fatalf("unreadable lease %q: %v", b, err)
	}
	return &l, b
}

func putLease(t testing.TB, s *stack, site string, l lesbases.Lease) []byte {
	t.Helper()
	b, _ := json.Marshal(l)
	if err := s.sink.PutMeta(context.Background(), lesbases.LeaseKey(site), b); err != nil {
		t.Fatal(err)
	}
	return b
}

func otherHolder(expires time.Time) lesbases.Lease {
	return lesbases.Lease{Holder: "trame serve (scheduled harvest)", Host: "serveur-1", PID: 4242, Run: "0123456789abcdef",
		Started: expires.Add(-time.Hour).UTC().Truncate(time.Second), Expires: expires.UTC().Truncate(time.Second)}
}

func TestHarvestIsRefusedWhileAnotherHoldsALiveLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStack(t)
	srv := quickServer(t)
	other := otherHolder(time.Now().Add(time.Hour))
	stored := putLease(t, s, srv.URL, other)
	seq, _ := s.store.LastSeq(ctx)

	sum, err := harvest(t, ctx, s, srv.URL, nil)
	if !domain.IsKind(err, domain.KindConflict) {
		t.Fatalf("want a refusal (conflict), got %v", err)
	}
	for _, want := range []string{"another harvest of " + srv.URL, "trame serve (scheduled harvest)", "pid 4242",
		`host "serveur-1"`, "run 0123456789abcdef", other.Started.Format(time.RFC3339), other.Expires.Format(time.RFC3339)} {
		if !strings.Contains(sum.Refused, want) {
			t.Errorf("the refusal does not say %q: %s", want, sum.Refused)
		}
	}
	if sum.Lease == nil || *sum.Lease != other || sum.Error != "" {
		t.Errorf("the summary must name the holder: %+v", sum)
	}
	var text bytes.Buffer
	sum.WriteText(&text)
	if !strings.HasPrefix(text.String(), "REFUSED: another harvest") || !strings.Contains(text.String(), "Nothing was changed.") {
		t.Errorf("report:\n%s", text.String())
	}
	if n := srv.Requests(); n != 0 {
		t.Errorf("a refused run made %d requests to Les Bases", n)
	}
	if now, _ := s.store.LastSeq(ctx); now != seq {
		t.Errorf("a refused run wrote %d changes", now-seq)
	}
	if _, b := readLease(t, s, srv.URL); !bytes.Equal(b, stored) {
		t.Errorf("a refused run changed the holder's lease: %s", b)
	}
	if _, err := s.sink.GetMeta(ctx, lesbases.StateKey(srv.URL)); !domain.IsKind(err, domain.KindNotFound) {
		t.Errorf("a refused run wrote a state: %v", err)
	}
}

func TestExpiredOrUnreadableLeaseIsTakenOver(t *testing.T) {
	t.Parallel()
	srv := quickServer(t)
	for name, stored := range map[string][]byte{
		"expired":    mustJSON(otherHolder(time.Now().Add(-time.Second))),
		"unreadable": []byte("{not a lease"),
		"empty":      {},
	} {
		t.Run(name, func(t *testing.T) {
			s := newStack(t)
			if err := s.sink.PutMeta(context.Background(), lesbases.LeaseKey(srv.URL), stored); err != nil {
				t.Fatal(err)
			}
			sum, err := harvest(t, context.Background(), s, srv.URL, nil)
			if err != nil || sum.New == 0 {
				t.Fatalf("a run over an %s lease: %v %+v", name, err, sum)
			}
			if l, _ := readLease(t, s, srv.URL); l != nil {
				t.Errorf("the run that took the lease over did not release it: %+v", l)
			}
		})
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestLeaseIsReleasedHoweverTheRunEnds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(srv *lesbasestest.Server, cancel context.CancelFunc)
		fails bool
	}{
		{"success", func(*lesbasestest.Server, context.CancelFunc) {}, false},
		{"failure", func(srv *lesbasestest.Server, _ context.CancelFunc) { srv.SetListFault(lesbasestest.ListHTML200) }, true},
		{"cancellation", func(srv *lesbasestest.Server, cancel context.CancelFunc) {
			srv.OnRequest = func(n int64, _ *http.Request) {
				if n == 30 {
					cancel()
				}
			}
		}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := quickServer(t)
			s := newStack(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			tc.setup(srv, cancel)
			during := make(chan []byte, 1) // the stored lease when the first request arrives
			srv.OnRequest = chain(srv.OnRequest, func(n int64, _ *http.Request) {
				if n == 1 {
					b, _ := s.sink.GetMeta(context.Background(), lesbases.LeaseKey(srv.URL))
					during <- b
				}
			})
			_, err := harvest(t, ctx, s, srv.URL, func(o *lesbases.Options) { o.Holder = "test " + tc.name })
			if (err != nil) != tc.fails {
				t.Fatalf("run: %v", err)
			}
			var held lesbases.Lease
			if err := json.Unmarshal(<-during, &held); err != nil || held.Holder != "test "+tc.name || !held.Expires.After(held.Started) {
				t.Fatalf("the run did not hold its lease while it fetched: %+v %v", held, err)
			}
			if l, _ := readLease(t, s, srv.URL); l != nil {
				t.Errorf("the lease outlived the run: %+v", l)
			}
		})
	}
}

func chain(fns ...func(int64, *http.Request)) func(int64, *http.Request) {
	return func(n int64, r *http.Request) {
		for _, f := range fns {
			if f != nil {
				f(n, r)
			}
		}
	}
}

// slowAt makes request number at (from 1) of srv take d, and reports on
// the returned channel when that request began.
func slowAt(srv *lesbasestest.Server, at int64, d time.Duration) <-chan struct{} {
	began := make(chan struct{})
	srv.OnRequest = func(n int64, _ *http.Request) {
		if n == at {
			close(began)
			time.Sleep(d)
		}
	}
	return began
}

func TestRunningHarvestRenewsItsLeaseAndOthersAreRefusedMeanwhile(t *testing.T) {
	t.Parallel()
	const ttl = 500 * time.Millisecond
	srv := quickServer(t)
	s := newStack(t)
	began := slowAt(srv, 3, 5*ttl) // a markdown request that outlives the lease many times over
	type result struct {
		sum *lesbases.Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := harvest(t, context.Background(), s, srv.URL, func(o *lesbases.Options) { o.LeaseTTL = ttl; o.Holder = "first" })
		done <- result{sum, err}
	}()
	<-began
	first, _ := readLease(t, s, srv.URL)
	if first == nil || first.Holder != "first" {
		t.Fatalf("the running harvest holds no lease: %+v", first)
	}
	time.Sleep(2 * ttl) // without renewal its lease would have expired by now
	renewed, _ := readLease(t, s, srv.URL)
	if renewed == nil || renewed.Run != first.Run || !renewed.Expires.After(first.Expires) || renewed.Started != first.Started {
		t.Fatalf("the lease was not renewed by its run: %+v then %+v", first, renewed)
	}
	if !renewed.Expires.After(time.Now()) {
		t.Fatalf("the renewed lease is already expired: %+v", renewed)
	}
	sum, err := harvest(t, context.Background(), s, srv.URL, func(o *lesbases.Options) { o.LeaseTTL = ttl; o.Holder = "second" })
	if !domain.IsKind(err, domain.KindConflict) || sum.Lease == nil || sum.Lease.Run != first.Run || !strings.Contains(sum.Refused, "first") {
		t.Fatalf("a second run during the first must be refused naming it: %v %+v", err, sum)
	}
	r := <-done
	if r.err != nil || r.sum.New == 0 {
		t.Fatalf("the first run: %v %+v", r.err, r.sum)
	}
	if l, _ := readLease(t, s, srv.URL); l != nil {
		t.Errorf("the lease outlived the run: %+v", l)
	}
}

func TestRunThatLosesItsLeaseStopsWithoutWriting(t *testing.T) {
	t.Parallel()
	const ttl = 300 * time.Millisecond
	ctx := context.Background()
	srv := quickServer(t)
	s := newStack(t)
	seq, _ := s.store.LastSeq(ctx)
	began := slowAt(srv, 3, 4*ttl)
	done := make(chan error, 1)
	go func() {
		_, err := harvest(t, ctx, s, srv.URL, func(o *lesbases.Options) { o.LeaseTTL = ttl })
		done <- err
	}()
	<-began
	// Another run takes the lease over, as if this one had been paused for
	// longer than its time to live.
	thief := putLease(t, s, srv.URL, otherHolder(time.Now().Add(time.Hour)))
	err := <-done
	if !domain.IsKind(err, domain.KindConflict) || !strings.Contains(err.Error(), "lost its lease") {
		t.Fatalf("want the lost lease reported, got %v", err)
	}
	if now, _ := s.store.LastSeq(ctx); now != seq {
		t.Errorf("a run that lost its lease wrote %d changes", now-seq)
	}
	if _, b := readLease(t, s, srv.URL); !bytes.Equal(b, thief) {
		t.Errorf("a run that lost its lease touched the new holder's: %s", b)
	}
}

func TestOfHarvestsStartedTogetherExactlyOneRuns(t *testing.T) {
	t.Parallel()
	srv := quickServer(t)
	s := newStack(t)
	slowAt(srv, 1, 200*time.Millisecond) // the winner is still running when the others look
	const n = 4
	start := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = harvest(t, context.Background(), s, srv.URL, func(o *lesbases.Options) { o.Holder = fmt.Sprint("run ", i) })
		}()
	}
	close(start)
	wg.Wait()
	ran := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ran++
		case !domain.IsKind(err, domain.KindConflict) || !strings.Contains(err.Error(), "another harvest"):
			t.Errorf("run %d: want success or a refusal, got %v", i, err)
		}
	}
	if ran != 1 {
		t.Fatalf("%d of %d simultaneous harvests ran, want exactly 1", ran, n)
	}
}
