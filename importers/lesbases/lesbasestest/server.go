// Package lesbasestest is a fake Les Bases for tests and benchmarks: an
// httptest server answering /api/v1/bases, /api/v1/resources and the
// markdown exports of a fixture catalogue with every quirk the harvester
// must survive, plus scenarios (edits, renames, removals, a list that
// shrinks, error pages) that tests switch on between runs.
package lesbasestest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ListFault is how the list endpoints misbehave.
type ListFault int

// List faults.
const (
	ListOK          ListFault = iota
	ListHTMLError             // 502 with an HTML error page, on every attempt
	ListHTML200               // 200 with an HTML page instead of JSON
	ListShrink                // the resources list suddenly holds a third of its items
	ListEmptyBases            // the bases list is empty
	ListTooManyOnce           // 429 with Retry-After: 1 on the first request of each list
)

// Server is the fake Les Bases.
type Server struct {
	*httptest.Server

	mu        sync.Mutex
	cat       *Catalogue
	listFault ListFault
	seen      map[string]int // requests per path, for the *Once faults
	requests  atomic.Int64
	agents    map[string]bool

	// RetryAfter is the Retry-After header of the 429 answers ("1" unless
	// set; "0" makes the harvester fall back on its own backoff).
	RetryAfter string

	// OnRequest, when set, is called with the request's number (from 1)
	// before it is answered: tests cancel a harvest from it.
	OnRequest func(n int64, r *http.Request)
}

// NewServer starts a fake Les Bases serving cat.
func NewServer(cat *Catalogue) *Server {
	s := &Server{cat: cat, seen: map[string]int{}, agents: map[string]bool{}, RetryAfter: "1"}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Requests is how many requests the server received.
func (s *Server) Requests() int64 { return s.requests.Load() }

// ResetCount sets the request counter back to zero.
func (s *Server) ResetCount() { s.requests.Store(0) }

// UserAgents returns the User-Agent headers seen.
func (s *Server) UserAgents() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for a := range s.agents {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// SetListFault switches the list endpoints' behaviour.
func (s *Server) SetListFault(f ListFault) {
	s.mu.Lock()
	s.listFault = f
	s.seen = map[string]int{}
	s.mu.Unlock()
}

// Edit changes the catalogue under the server's lock.
func (s *Server) Edit(fn func(c *Catalogue)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.cat)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	n := s.requests.Add(1)
	if s.OnRequest != nil {
		s.OnRequest(n, r)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.agents[r.Header.Get("User-Agent")] = true
	s.seen[r.URL.Path]++
	switch {
	case r.URL.Path == "/api/v1/bases":
		s.list(w, true)
	case r.URL.Path == "/api/v1/resources":
		s.list(w, false)
	case strings.HasPrefix(r.URL.Path, "/ressources/") && strings.HasSuffix(r.URL.Path, "/markdown"):
		s.markdown(w, r, false)
	case strings.HasPrefix(r.URL.Path, "/bases/") && strings.HasSuffix(r.URL.Path, "/markdown"):
		s.markdown(w, r, true)
	default:
		notFound(w)
	}
}

// notFound answers like Les Bases' markdown routes: body "not-found" with,
// oddly, Content-Type image/webp.
func notFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "image/webp")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("not-found"))
}

const htmlPage = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>Le service est momentanément indisponible.</p></body></html>"

func (s *Server) list(w http.ResponseWriter, bases bool) {
	switch s.listFault {
	case ListHTMLError:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(htmlPage))
		return
	case ListHTML200:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(htmlPage))
		return
	case ListTooManyOnce:
		path := "/api/v1/resources"
		if bases {
			path = "/api/v1/bases"
		}
		if s.seen[path] == 1 {
			w.Header().Set("Retry-After", s.RetryAfter)
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
	}
	entries := s.cat.Resources
	if bases {
		entries = s.cat.Bases
	}
	if bases && s.listFault == ListEmptyBases {
		entries = nil
	}
	if !bases && s.listFault == ListShrink {
		entries = entries[:len(entries)/3]
	}
	data := make([]map[string]any, 0, len(entries))
	for _, e := range entries {
		data = append(data, s.item(e, bases))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data})
}

// item renders a list entry with the obfuscation of Les Bases: no title and
// no URL for an item that is not publicly visible.
func (s *Server) item(e *Entry, base bool) map[string]any {
	m := map[string]any{"id": e.ID, "slug": e.Slug, "title": nil, "created": iso(e.Created), "updated": iso(e.Updated),
		"deleted": isoPtr(e.Deleted), "is_public": e.IsPublic, "url": nil}
	if !base {
		m["published"] = isoPtr(e.Published)
	}
	if e.Visible(base) {
		m["title"] = e.Title
		m["url"] = s.URL + s.pagePath(e, base)
	}
	return m
}

func (s *Server) pagePath(e *Entry, base bool) string {
	if base {
		return "/bases/" + url.PathEscape(e.Slug)
	}
	return "/ressources/" + url.PathEscape(e.Slug)
}

func (s *Server) markdown(w http.ResponseWriter, r *http.Request, base bool) {
	slugPart := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, "/ressources/"), "/bases/"), "/markdown")
	entries := s.cat.Resources
	if base {
		entries = s.cat.Bases
	}
	var e *Entry
	for _, x := range entries {
		if x.Slug == slugPart {
			e = x
		}
	}
	if e == nil || !e.Visible(base) {
		notFound(w)
		return
	}
	switch e.Fault {
	case NotFoundWebp:
		notFound(w)
		return
	case TooManyOnce:
		if s.seen[r.URL.Path]%2 == 1 {
			w.Header().Set("Retry-After", s.RetryAfter)
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
	case ServerErrorOnce:
		if s.seen[r.URL.Path]%2 == 1 {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
	case ServerErrorAlways:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	case HTMLInstead:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(htmlPage))
		return
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	if base {
		_, _ = w.Write([]byte(RenderBase(e.Title, s.URL+s.pagePath(e, true), e.Description)))
		return
	}
	_, _ = w.Write([]byte(RenderResource(e.Title, e.Description, e.Facets, e.Contents)))
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func isoPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return iso(*t)
}

// Scenarios applied between runs. Each changes Updated like Les Bases does.

// Touch edits the description of the resources at the given indexes.
func (c *Catalogue) Touch(idx ...int) {
	for _, i := range idx {
		e := c.Resources[i]
		e.Updated = e.Updated.Add(24 * time.Hour)
		e.Description += fmt.Sprintf(" Mise à jour n° %d.", int(e.Updated.Sub(e.Created).Hours()))
	}
}

// TouchShare edits share (0–1) of the visible resources without faults,
// spread over the catalogue, and returns their indexes.
func (c *Catalogue) TouchShare(share float64) []int {
	var cand []int
	for i, e := range c.Resources {
		if e.Visible(false) && e.Fault == NoFault {
			cand = append(cand, i)
		}
	}
	n := int(share*float64(len(cand)) + 0.5)
	var idx []int
	for j := 0; j < n; j++ {
		idx = append(idx, cand[j*len(cand)/n])
	}
	c.Touch(idx...)
	return idx
}

// BumpOnly changes Updated of resource i without changing its markdown.
func (c *Catalogue) BumpOnly(i int) { c.Resources[i].Updated = c.Resources[i].Updated.Add(time.Hour) }

// Rename gives resource i a new slug (and so a new URL).
func (c *Catalogue) Rename(i int, slug string) {
	c.Resources[i].Slug = slug
	c.Resources[i].Updated = c.Resources[i].Updated.Add(time.Hour)
}

// Unpublish makes resource i a draft again.
func (c *Catalogue) Unpublish(i int) {
	c.Resources[i].Published = nil
	c.Resources[i].Updated = c.Resources[i].Updated.Add(time.Hour)
}

// MakePrivate makes resource i private.
func (c *Catalogue) MakePrivate(i int) {
	c.Resources[i].IsPublic = false
	c.Resources[i].Updated = c.Resources[i].Updated.Add(time.Hour)
}

// Delete marks resource i deleted.
func (c *Catalogue) Delete(i int) {
	d := c.Resources[i].Updated.Add(time.Hour)
	c.Resources[i].Deleted = &d
	c.Resources[i].Updated = d
}

// Drop removes resource i from the list altogether.
func (c *Catalogue) Drop(i int) { c.Resources = append(c.Resources[:i:i], c.Resources[i+1:]...) }

// Add appends a new visible resource copied from resource i with a new id
// and slug, and returns its index.
func (c *Catalogue) Add(i int, id, slug string) int {
	e := *c.Resources[i]
	e.ID, e.Slug, e.Fault, e.Quirk = id, slug, NoFault, "added"
	e.Updated = e.Updated.Add(72 * time.Hour)
	c.Resources = append(c.Resources, &e)
	return len(c.Resources) - 1
}
