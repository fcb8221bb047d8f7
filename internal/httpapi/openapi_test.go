package httpapi_test

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/trame-commun/trame/internal/graph"
)

var muxVar = regexp.MustCompile(`\{([A-Za-z0-9_]+):[^}]*\}`)

// TestOpenAPIDescribesExactlyTheRegisteredRoutes walks the router and
// checks that every route and method is described in /openapi.json, and
// that everything described is registered. HEAD is implied by GET. A route
// of a new surface is described in internal/httpapi/openapi/<surface>.json.
func TestOpenAPIDescribesExactlyTheRegisteredRoutes(t *testing.T) {
	s := newOpenDataStack(t, graph.DefaultLimits())
	registered := map[string]bool{}
	err := s.api.Router().Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, err := route.GetPathTemplate()
		if err != nil {
			return nil // a route without a path (matchers only)
		}
		methods, err := route.GetMethods()
		if err != nil {
			t.Errorf("route %s registers no methods", tpl)
			return nil
		}
		tpl = muxVar.ReplaceAllString(tpl, "{$1}")
		for _, m := range methods {
			if m != http.MethodHead {
				registered[strings.ToLower(m)+" "+tpl] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := s.api.OpenAPIJSON()
	if err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi %v", doc["openapi"])
	}
	described := map[string]bool{}
	params := regexp.MustCompile(`\{([^}]+)\}`)
	for path, item := range doc["paths"].(map[string]any) {
		for method, o := range item.(map[string]any) {
			described[method+" "+path] = true
			op := o.(map[string]any)
			if op["responses"] == nil || op["summary"] == nil {
				t.Errorf("%s %s has no summary or responses", method, path)
			}
			for _, m := range params.FindAllStringSubmatch(path, -1) {
				if !declaresPathParam(doc, op, m[1]) {
					t.Errorf("%s %s does not declare its path parameter %q", method, path, m[1])
				}
			}
		}
	}
	var missing, extra []string
	for k := range registered {
		if !described[k] {
			missing = append(missing, k)
		}
	}
	for k := range described {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("routes registered but not described in /openapi.json (add them to internal/httpapi/openapi/<surface>.json):\n  %s", strings.Join(missing, "\n  "))
	}
	if len(extra) > 0 {
		t.Errorf("operations described in /openapi.json but not registered:\n  %s", strings.Join(extra, "\n  "))
	}
	resp, b := s.send(t, "GET", "/openapi.json", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(string(b), `"/graph/query"`) {
		t.Fatalf("GET /openapi.json: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// declaresPathParam reports whether op declares the path parameter name,
// directly or through a $ref to the components.
func declaresPathParam(doc map[string]any, op map[string]any, name string) bool {
	list, _ := op["parameters"].([]any)
	for _, p := range list {
		pm := p.(map[string]any)
		if ref, ok := pm["$ref"].(string); ok {
			pm = doc["components"].(map[string]any)["parameters"].(map[string]any)[strings.TrimPrefix(ref, "#/components/parameters/")].(map[string]any)
		}
		if pm["name"] == name && pm["in"] == "path" && pm["required"] == true {
			return true
		}
	}
	return false
}
