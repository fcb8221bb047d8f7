package httpapi_test

import (
	"net/http"
	"testing"
)

// Without a competency service (a server wired without the competency
// view), its routes answer 503 with a problem, never 404 or a panic.
// cmd/trame's wire_competency_test.go runs the surface end to end.
func TestCompetencyRoutesWithoutTheServiceAreUnavailable(t *testing.T) {
	s := newStack(t)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/coverage?referentiel=frameworks/crcn", ""},
		{"GET", "/coverage/diff?referentiel=frameworks/crcn", ""},
		{"POST", "/recommendations", `{"target": {"competencies/crcn-1.1": 3}}`},
		{"POST", "/recommendations/parcours", `{"name": "x", "request": {"target": {"competencies/crcn-1.1": 3}}}`},
	} {
		resp, body := s.do(t, c.method, c.path, c.body, auth())
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d %s", c.method, c.path, resp.StatusCode, body)
		}
	}
}
