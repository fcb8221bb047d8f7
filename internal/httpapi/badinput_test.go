package httpapi_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// badWrite is one case of testdata/bad-writes.json: a write that must be
// refused with a clear problem+json and change nothing.
type badWrite struct {
	Name    string            `json:"name"`
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Body    string            `json:"body"`
	BodyHex string            `json:"bodyHex"`
	Pad     int               `json:"pad"`
	Headers map[string]string `json:"headers"`
	NoAuth  bool              `json:"noAuth"`
	Status  int               `json:"status"`
	Expect  []string          `json:"expect"`
}

func TestBadWritesGetAClearProblemAndChangeNothing(t *testing.T) {
	raw, err := os.ReadFile("testdata/bad-writes.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []badWrite
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	s := newStack(t)
	ctx := context.Background()
	before, _ := s.st.LastSeq(ctx)
	base := s.srv.URL + "/"
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			body := strings.ReplaceAll(c.Body, "{base}", base)
			if c.Pad > 0 {
				body = strings.Replace(body, "PADDING", strings.Repeat("x", c.Pad), 1)
			}
			if c.BodyHex != "" {
				b, _ := hex.DecodeString(c.BodyHex)
				body = string(b)
			}
			headers := map[string]string{"Accept-Language": "en"}
			if !c.NoAuth {
				headers["Authorization"] = "Bearer " + adminToken
			}
			for k, v := range c.Headers {
				headers[k] = v
			}
			resp, got := s.do(t, c.Method, c.Path, body, headers)
			if resp.StatusCode != c.Status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.Status, got)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q, want application/problem+json", ct)
			}
			var p struct {
				Type   string
				Status int
			}
			if err := json.Unmarshal([]byte(got), &p); err != nil || p.Status != c.Status || !strings.HasPrefix(p.Type, "https://w3id.org/trame/problems/") {
				t.Fatalf("not an RFC 9457 problem: %s", got)
			}
			for _, want := range c.Expect {
				if !strings.Contains(got, want) {
					t.Errorf("problem does not mention %q: %s", want, got)
				}
			}
		})
	}
	if after, _ := s.st.LastSeq(ctx); after != before {
		t.Fatalf("bad writes changed the store: sequence %d → %d", before, after)
	}
}
