package lesbases

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
)

// The lease is the lock of a site's harvest: a run takes it before its
// first request, renews it every third of its time to live while it runs,
// and releases it when it ends, whether it succeeded, failed or was
// cancelled. Another run of the same site (in the server's schedule, a
// command on the data directory, or a command through the server) is
// refused while the lease is live; a lease left by a run that died is taken
// over once it expires. Taking, renewing and releasing are compare-and-swap
// writes of importer meta (sink.Sink.SwapMeta), so of two runs that find
// the site free at the same moment exactly one gets it.
const (
	// DefaultLeaseTTL is how long a lease lasts without renewal: how long a
	// harvest that died without releasing its lease blocks the next one.
	DefaultLeaseTTL = 2 * time.Minute
	// leaseReleaseTimeout bounds the release of a lease when a run ends,
	// also after its context was cancelled.
	leaseReleaseTimeout = 10 * time.Second
	// leaseTakeAttempts bounds how often taking the lease starts again
	// after another run changed it between the read and the swap.
	leaseTakeAttempts = 3
)

// Lease is the lease document of a running harvest, stored under LeaseKey:
// who holds it, since when, and until when unless it is renewed.
type Lease struct {
	Holder  string    `json:"holder"` // what runs the harvest, e.g. "trame serve (scheduled harvest)"
	Host    string    `json:"host"`
	PID     int       `json:"pid"`
	Run     string    `json:"run"` // a random id of the run
	Started time.Time `json:"started"`
	Expires time.Time `json:"expires"`
}

// String describes the holder for people.
func (l Lease) String() string {
	return fmt.Sprintf("%s, pid %d on host %q (run %s), since %s; its lease is valid until %s unless renewed",
		l.Holder, l.PID, l.Host, l.Run, l.Started.Format(time.RFC3339), l.Expires.Format(time.RFC3339))
}

// LeaseKey is the meta key (under sink.MetaPrefix) of the lease of site's
// harvest, for tests and maintenance.
func LeaseKey(site string) string { return keysFor(site).lease() }

// held is a lease this run holds: the document and the exact bytes stored,
// which every later swap starts from.
type held struct {
	s   sink.Sink
	key string
	ttl time.Duration

	mu  sync.Mutex
	doc Lease
	cur []byte
}

// newLease describes a lease for this process, starting now.
func newLease(holder string, ttl time.Duration) (Lease, error) {
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return Lease{}, err
	}
	if holder == "" {
		holder = filepath.Base(os.Args[0])
	}
	host, _ := os.Hostname()
	now := time.Now().UTC()
	return Lease{Holder: holder, Host: host, PID: os.Getpid(), Run: hex.EncodeToString(id), Started: now, Expires: now.Add(ttl)}, nil
}

// takeLease takes the lease of key for mine. When another run holds a live
// lease it returns that lease and no error; errors are failures to read or
// write.
func takeLease(ctx context.Context, s sink.Sink, key string, mine Lease, ttl time.Duration) (*held, *Lease, error) {
	next, err := json.Marshal(mine)
	if err != nil {
		return nil, nil, err
	}
	for range leaseTakeAttempts {
		cur, err := s.GetMeta(ctx, key)
		switch {
		case domain.IsKind(err, domain.KindNotFound):
			cur = nil
		case err != nil:
			return nil, nil, err
		default:
			if cur == nil {
				cur = []byte{} // an empty value is present: swap from it
			}
			var l Lease
			if json.Unmarshal(cur, &l) == nil && time.Now().Before(l.Expires) {
				return nil, &l, nil
			}
			// expired, or unreadable: taken over
		}
		err = s.SwapMeta(ctx, key, cur, next)
		if err == nil {
			return &held{s: s, key: key, ttl: ttl, doc: mine, cur: next}, nil, nil
		}
		if !domain.IsKind(err, domain.KindPrecondition) {
			return nil, nil, err
		}
		// another run wrote the lease meanwhile: read it again
	}
	return nil, nil, domain.Errorf("lesbases", domain.KindConflict, "the lease %s kept changing while this run tried to take it: try again", key)
}

// renew extends the lease by its time to live from now. When the stored
// lease is not the one this run last wrote (a renewal whose answer was
// lost), it adopts the stored one if it is still this run's.
func (h *held) renew(ctx context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	next := h.doc
	next.Expires = time.Now().UTC().Add(h.ttl)
	b, err := json.Marshal(next)
	if err != nil {
		return err
	}
	err = h.s.SwapMeta(ctx, h.key, h.cur, b)
	if domain.IsKind(err, domain.KindPrecondition) && h.adopt(ctx) {
		err = h.s.SwapMeta(ctx, h.key, h.cur, b)
	}
	if err != nil {
		return err
	}
	h.doc, h.cur = next, b
	return nil
}

// adopt reads the stored lease and makes it the one to swap from if it is
// still this run's. Called with h.mu held.
func (h *held) adopt(ctx context.Context) bool {
	cur, err := h.s.GetMeta(ctx, h.key)
	var l Lease
	if err != nil || json.Unmarshal(cur, &l) != nil || l.Run != h.doc.Run {
		return false
	}
	h.doc, h.cur = l, cur
	return true
}

// expires is when the lease ends unless renewed.
func (h *held) expires() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.doc.Expires
}

// keep renews the lease every third of its time to live until the returned
// stop is called. When the lease is lost (another run took it over, or it
// could not be renewed before it expired) it cancels the run with lost.
func (h *held) keep(ctx context.Context, lost context.CancelCauseFunc) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(h.ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			rctx, cancel := context.WithTimeout(ctx, h.ttl/3)
			err := h.renew(rctx)
			cancel()
			switch {
			case err == nil, ctx.Err() != nil:
			case domain.IsKind(err, domain.KindPrecondition):
				lost(h.lostError("another run took it over", err))
				return
			case !time.Now().Before(h.expires()):
				lost(h.lostError("it could not be renewed before it expired", err))
				return
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

func (h *held) lostError(why string, err error) error {
	return &domain.Error{Op: "lesbases", Kind: domain.KindConflict, Err: err, Message: fmt.Sprintf(
		"this run lost its lease %s (%s) and stopped before writing its batch", h.key, why)}
}

// release deletes the lease if it is still this run's. It runs when the run
// ends, with its own time limit even if ctx was cancelled; a lease it
// cannot delete expires by itself.
func (h *held) release(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), leaseReleaseTimeout)
	defer cancel()
	h.mu.Lock()
	defer h.mu.Unlock()
	err := h.s.SwapMeta(ctx, h.key, h.cur, nil)
	if domain.IsKind(err, domain.KindPrecondition) && h.adopt(ctx) {
		err = h.s.SwapMeta(ctx, h.key, h.cur, nil)
	}
	if domain.IsKind(err, domain.KindPrecondition) {
		return nil // no longer ours: nothing to release
	}
	return err
}

// refusal is the summary's explanation of a run refused by a live lease.
func refusal(site string, l *Lease) string {
	return fmt.Sprintf("another harvest of %s is running: %s. "+
		"Two harvests of one site never run at once; wait until it ends (a run that stopped without releasing its lease is taken over after %s)",
		site, l, l.Expires.Format(time.RFC3339))
}
