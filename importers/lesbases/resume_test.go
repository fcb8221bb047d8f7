package lesbases_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
	"github.com/trame-commun/trame/importers/sink"
)

// The resume property: a run interrupted at any point, followed by a normal
// run, ends in exactly the state of one uninterrupted run. Each test builds
// the reference state with one uninterrupted run on its own store, against
// the same fake server, with the same harvest clock.

func quickServer(t *testing.T) *lesbasestest.Server {
	srv := lesbasestest.NewServer(lesbasestest.Generate())
	srv.RetryAfter = "0" // keep the 429 quirk without waiting a second per run
	t.Cleanup(srv.Close)
	return srv
}

func reference(t *testing.T, srv *lesbasestest.Server) (map[string]string, int64) {
	t.Helper()
	s := newStack(t)
	srv.ResetCount()
	if _, err := harvest(t, context.Background(), s, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	return snapshot(t, s, srv.URL), srv.Requests()
}

func TestRunCancelledAtAnyRequestResumesToTheSameState(t *testing.T) {
	t.Parallel()
	srv := quickServer(t)
	want, total := reference(t, srv)
	cuts := []int64{1, 2, 3, 4, 7, 20, 60, 100, 140, total - 10, total - 2, total - 1, total}
	for _, cut := range cuts {
		t.Run(fmt.Sprint("after request ", cut), func(t *testing.T) {
			s := newStack(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv.ResetCount()
			srv.OnRequest = func(n int64, _ *http.Request) {
				if n == cut {
					cancel()
				}
			}
			_, err := harvest(t, ctx, s, srv.URL, nil)
			srv.OnRequest = nil
			first := srv.Requests()
			if err == nil && cut < total {
				t.Fatalf("the run cancelled after request %d of %d did not report it", cut, total)
			}
			srv.ResetCount()
			if _, err := harvest(t, context.Background(), s, srv.URL, nil); err != nil {
				t.Fatalf("resuming: %v", err)
			}
			if !equalSnapshots(t, want, snapshot(t, s, srv.URL)) {
				t.Fatal("resumed state differs from the uninterrupted run's")
			}
			// Resuming does not fetch again what the interrupted run staged:
			// both runs together make at most one full run, the second run's
			// two lists, and what was in flight when the first was cancelled.
			if both := first + srv.Requests(); both > total+2+lesbases.Workers+9 {
				t.Errorf("interrupted + resumed runs made %d requests; one run makes %d", both, total)
			}
		})
	}
}

// crashingSink fails every write from the n-th on, as if the process died
// just before it: nothing of that write or of any later one happens.
type crashingSink struct {
	sink.Sink
	mu     sync.Mutex
	at     int
	writes int
}

var errCrash = errors.New("simulated crash")

func (c *crashingSink) write() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	if c.at > 0 && c.writes >= c.at {
		return errCrash
	}
	return nil
}

func (c *crashingSink) Apply(ctx context.Context, b sink.Batch) (sink.Result, error) {
	if err := c.write(); err != nil {
		return sink.Result{}, err
	}
	return c.Sink.Apply(ctx, b)
}

func (c *crashingSink) PutMeta(ctx context.Context, key string, v []byte) error {
	if err := c.write(); err != nil {
		return err
	}
	return c.Sink.PutMeta(ctx, key, v)
}

func TestRunCrashingAtAnyWriteResumesToTheSameState(t *testing.T) {
	t.Parallel()
	srv := quickServer(t)
	want, _ := reference(t, srv)
	// Count the writes of a whole run: staging, the batch, the state, the
	// clean-up of staged documents.
	probe := &crashingSink{}
	{
		s := newStack(t)
		probe.Sink = s.sink
		if _, err := lesbases.Harvest(context.Background(), lesbases.Options{Site: srv.URL, Client: fastClient(), Sink: probe, Now: fixedNow}); err != nil {
			t.Fatal(err)
		}
	}
	w := probe.writes
	points := []int{1, 2, w / 3, w/2 - 1, w / 2, w/2 + 1, w/2 + 2, w/2 + 3, w - 1, w}
	for _, at := range points {
		t.Run(fmt.Sprintf("write %d of %d", at, w), func(t *testing.T) {
			s := newStack(t)
			crash := &crashingSink{Sink: s.sink, at: at}
			_, err := lesbases.Harvest(context.Background(), lesbases.Options{Site: srv.URL, Client: fastClient(), Sink: crash, Now: fixedNow})
			if !errors.Is(err, errCrash) {
				t.Logf("run with a crash at write %d: %v", at, err) // a crash while staging only fails items
			}
			if _, err := harvest(t, context.Background(), s, srv.URL, nil); err != nil {
				t.Fatalf("resuming: %v", err)
			}
			if !equalSnapshots(t, want, snapshot(t, s, srv.URL)) {
				t.Fatal("resumed state differs from the uninterrupted run's")
			}
		})
	}
}

// TestKill9ResumesToTheSameState kills a real harvesting process with
// SIGKILL in the middle of its run, then resumes on the same data
// directory. The child is this test binary re-run with TRAME_HARVEST_CHILD.
func TestKill9ResumesToTheSameState(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts child processes")
	}
	srv := quickServer(t)
	want, total := reference(t, srv)
	for _, cut := range []int64{5, total / 2, total - 3} {
		t.Run(fmt.Sprint("SIGKILL at request ", cut), func(t *testing.T) {
			dir := t.TempDir()
			openStack(t, dir).store.Close() // load the reference data first
			cmd := exec.Command(os.Args[0], "-test.run=^TestHarvestChild$")
			cmd.Env = append(os.Environ(), "TRAME_HARVEST_CHILD="+dir, "TRAME_HARVEST_SITE="+srv.URL)
			killed := make(chan struct{})
			var once sync.Once
			srv.ResetCount()
			srv.OnRequest = func(n int64, _ *http.Request) {
				if n == cut {
					once.Do(func() { close(killed); _ = cmd.Process.Kill() }) // closed first: Wait may return as soon as the child dies
				}
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			srv.OnRequest = nil
			select {
			case <-killed:
			default:
				t.Fatalf("the child finished before request %d: %v", cut, err)
			}
			s := openStack(t, dir)
			defer s.store.Close()
			// The killed child still holds its lease: a run is refused until
			// the lease expires, then takes it over and resumes.
			left, _ := readLease(t, s, srv.URL)
			if left == nil || left.PID != cmd.Process.Pid || left.Holder != "kill -9 child" {
				t.Fatalf("the killed child (pid %d) left no lease of its own: %v", cmd.Process.Pid, left)
			}
			sum, err := harvest(t, context.Background(), s, srv.URL, nil)
			switch {
			case sum.Refused != "":
				if !strings.Contains(sum.Refused, fmt.Sprint("pid ", cmd.Process.Pid)) {
					t.Errorf("the refusal does not name the dead holder: %s", sum.Refused)
				}
				time.Sleep(time.Until(left.Expires))
				_, err = harvest(t, context.Background(), s, srv.URL, nil)
			case time.Now().Before(left.Expires):
				t.Fatalf("a run started while the killed child's lease was live (until %s)", left.Expires)
			}
			if err != nil {
				t.Fatalf("resuming after SIGKILL: %v", err)
			}
			if !equalSnapshots(t, want, snapshot(t, s, srv.URL)) {
				t.Fatal("state after SIGKILL and resume differs from the uninterrupted run's")
			}
		})
	}
}

// childLeaseTTL is the lease of the killed child: short, so that the
// resuming run waits little for it to expire.
const childLeaseTTL = 2 * time.Second

// TestHarvestChild is the child process of TestKill9ResumesToTheSameState.
func TestHarvestChild(t *testing.T) {
	dir := os.Getenv("TRAME_HARVEST_CHILD")
	if dir == "" {
		t.Skip("only runs as the child of TestKill9ResumesToTheSameState")
	}
	s := openStack(t, dir)
	_, _ = harvest(t, context.Background(), s, os.Getenv("TRAME_HARVEST_SITE"), func(o *lesbases.Options) {
		o.LeaseTTL, o.Holder = childLeaseTTL, "kill -9 child"
	})
	time.Sleep(time.Minute) // finishing is a failure of the parent's test: wait to be killed
}
