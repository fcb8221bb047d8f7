package lesbases

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate is a politeness limit: at most N requests start in any window of
// length Per (the reference harvester uses 5 per 400 ms).
type Rate struct {
	N   int
	Per time.Duration
}

// DefaultRate is 5 requests per 400 ms, like the reference harvester.
var DefaultRate = Rate{N: 5, Per: 400 * time.Millisecond}

// String renders the rate as the --rate flag reads it ("5/400ms").
func (r Rate) String() string { return strconv.Itoa(r.N) + "/" + r.Per.String() }

// ParseRate reads "N/duration" ("5/400ms", "10/1s").
func ParseRate(s string) (Rate, error) {
	n, per, ok := strings.Cut(s, "/")
	count, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || count < 1 {
		return Rate{}, fmt.Errorf("rate %q must read N/duration with N ≥ 1, such as 5/400ms", s)
	}
	d, err := time.ParseDuration(strings.TrimSpace(per))
	if err != nil || d <= 0 {
		return Rate{}, fmt.Errorf("rate %q must read N/duration with a positive duration, such as 5/400ms", s)
	}
	return Rate{N: count, Per: d}, nil
}

// limiter enforces a Rate over a sliding window: a request waits until
// fewer than N requests started in the last Per.
type limiter struct {
	rate   Rate
	mu     sync.Mutex
	starts []time.Time // ring of the last N start times
	next   int
	now    func() time.Time
}

func newLimiter(r Rate) *limiter {
	return &limiter{rate: r, starts: make([]time.Time, r.N), now: time.Now}
}

// wait blocks until a request may start, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	for {
		l.mu.Lock()
		now := l.now()
		oldest := l.starts[l.next]
		if oldest.IsZero() || now.Sub(oldest) >= l.rate.Per {
			l.starts[l.next] = now
			l.next = (l.next + 1) % len(l.starts)
			l.mu.Unlock()
			return nil
		}
		d := l.rate.Per - now.Sub(oldest)
		l.mu.Unlock()
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
