package lesbases

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// HTTP limits and defaults of the harvester, documented in docs/importers.md.
const (
	DefaultMaxRetries     = 4 // retries after the first attempt, on 429, 5xx and network errors
	DefaultBackoff        = 500 * time.Millisecond
	MaxBackoff            = 30 * time.Second // longest wait between two attempts without Retry-After
	DefaultMaxRetryAfter  = 2 * time.Minute  // a longer Retry-After fails the request instead of waiting
	DefaultRequestTimeout = 30 * time.Second // one attempt, headers and body
	MaxList               = 64 << 20         // largest /api/v1 list read (bytes)
)

// UserAgent names Trame to Les Bases; %s is the version.
const UserAgent = "Trame/%s (+https://w3id.org/trame; harvester of the Commun de formation – Inclusion numérique)"

// ClientOptions configure a Client. Zero fields take the defaults above.
type ClientOptions struct {
	HTTP           *http.Client // injected; nil means a client with DefaultRequestTimeout
	Version        string       // written in the User-Agent
	Rate           Rate
	MaxRetries     int
	Backoff        time.Duration
	MaxRetryAfter  time.Duration
	RequestTimeout time.Duration
}

// Client fetches from Les Bases politely: every attempt waits for the rate
// limit, sends a User-Agent naming Trame, and failed attempts are retried
// with exponential backoff, honouring Retry-After on 429 and 5xx answers.
type Client struct {
	http     *http.Client
	ua       string
	lim      *limiter
	opts     ClientOptions
	requests atomic.Int64
	retries  atomic.Int64
}

// NewClient returns a client with opts.
func NewClient(opts ClientOptions) *Client {
	if opts.Rate.N == 0 {
		opts.Rate = DefaultRate
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = DefaultMaxRetries
	}
	if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	}
	if opts.Backoff == 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.MaxRetryAfter == 0 {
		opts.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.HTTP == nil {
		opts.HTTP = &http.Client{Timeout: opts.RequestTimeout}
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	return &Client{http: opts.HTTP, ua: fmt.Sprintf(UserAgent, opts.Version), lim: newLimiter(opts.Rate), opts: opts}
}

// Requests is how many HTTP requests the client made (retries included).
func (c *Client) Requests() int { return int(c.requests.Load()) }

// Retries is how many of those requests were retries.
func (c *Client) Retries() int { return int(c.retries.Load()) }

// Response is a successful answer.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// FetchError is a request that did not succeed, after retries when the
// failure was worth retrying.
type FetchError struct {
	URL         string
	Status      int // 0 for a network error
	ContentType string
	Snippet     string // the beginning of the body
	Attempts    int
	Err         error
}

func (e *FetchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s: ", e.URL)
	if e.Status == 0 {
		b.WriteString(e.Err.Error())
	} else {
		fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
		if e.ContentType != "" {
			fmt.Fprintf(&b, " (%s)", e.ContentType)
		}
		if e.Snippet != "" {
			fmt.Fprintf(&b, " %q", e.Snippet)
		}
		if e.Err != nil {
			fmt.Fprintf(&b, ": %v", e.Err)
		}
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

func (e *FetchError) Unwrap() error { return e.Err }

// Get fetches url, reading at most limit bytes of body. It returns a
// *FetchError for an answer other than 2xx (after retries on 429, 5xx and
// network errors) and for a body over limit.
func (c *Client) Get(ctx context.Context, url, accept string, limit int64) (*Response, error) {
	return c.get(ctx, url, accept, limit, c.opts.MaxRetries)
}

// GetOnce is Get without retries.
func (c *Client) GetOnce(ctx context.Context, url, accept string, limit int64) (*Response, error) {
	return c.get(ctx, url, accept, limit, 0)
}

func (c *Client) get(ctx context.Context, url, accept string, limit int64, retries int) (*Response, error) {
	var last *FetchError
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			c.retries.Add(1)
		}
		resp, ferr, retryAfter := c.attempt(ctx, url, accept, limit)
		if ferr == nil {
			return resp, nil
		}
		ferr.Attempts = attempt + 1
		last = ferr
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !retryable(ferr) || attempt >= retries {
			return nil, last
		}
		wait := c.backoff(attempt)
		if retryAfter > 0 {
			if retryAfter > c.opts.MaxRetryAfter {
				last.Err = fmt.Errorf("asked to retry after %s, over the limit of %s", retryAfter, c.opts.MaxRetryAfter)
				return nil, last
			}
			wait = max(wait, retryAfter)
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// attempt makes one request.
func (c *Client) attempt(ctx context.Context, url, accept string, limit int64) (*Response, *FetchError, time.Duration) {
	if err := c.lim.wait(ctx); err != nil {
		return nil, &FetchError{URL: url, Err: err}, 0
	}
	actx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, url, nil)
	if err != nil {
		return nil, &FetchError{URL: url, Err: err}, 0
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", accept)
	c.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &FetchError{URL: url, Err: err}, 0
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	ctype := resp.Header.Get("Content-Type")
	if err != nil {
		return nil, &FetchError{URL: url, Status: resp.StatusCode, ContentType: ctype, Err: fmt.Errorf("reading the body: %w", err)}, 0
	}
	if resp.StatusCode/100 != 2 {
		return nil, &FetchError{URL: url, Status: resp.StatusCode, ContentType: ctype, Snippet: snippet(body)}, retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	if int64(len(body)) > limit {
		return nil, &FetchError{URL: url, Status: resp.StatusCode, ContentType: ctype, Err: fmt.Errorf("the body is over the limit of %d bytes", limit)}, 0
	}
	return &Response{Status: resp.StatusCode, ContentType: ctype, Body: body}, nil, 0
}

// retryable reports whether a failed attempt is worth repeating.
func retryable(e *FetchError) bool {
	if e.Status == 0 {
		return !errors.Is(e.Err, context.Canceled)
	}
	if e.Err != nil { // a body over the limit will not shrink
		return false
	}
	switch e.Status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// backoff is the wait before retry number attempt+1: exponential, with
// ±20 % jitter, capped at MaxBackoff.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.opts.Backoff << attempt
	if d > MaxBackoff || d <= 0 {
		d = MaxBackoff
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

func snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "")
}
