// Package httpapi is the owner of gorilla/mux: Trame's HTTP API. It maps
// requests to the catalog, negotiates representations, and answers every
// error as RFC 9457 problem+json (problem.go is the one place where error
// kinds become statuses).
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/web"
	"github.com/trame-commun/trame/ontology"
)

// Limits of the API, documented in the README.
const (
	DefaultMaxBody  = 1 << 20 // request body limit (bytes) unless Config.MaxBody is set
	DefaultPageSize = 50      // list endpoints' default page size
	MaxPageSize     = 500     // list endpoints' maximum page size
)

// Config configures the API.
type Config struct {
	Catalog    *catalog.Catalog
	AdminToken string // accepted as an admin bearer token (TRAME_ADMIN_TOKEN); may be empty
	MaxBody    int64  // request body limit in bytes; 0 means DefaultMaxBody
	Logger     *slog.Logger
	Version    string

	// Services of the other surfaces; a nil one answers 503 on its routes.
	Search     SearchService     // search.go
	Competency CompetencyService // competency.go
	OpenData   OpenDataService   // opendata.go
	Importer   ImportService     // importapi.go
	Web        *web.Pages        // web.go: the public web pages (nil: JSON only)
}

// Server is the HTTP API.
type Server struct {
	cfg     Config
	cat     *catalog.Catalog
	admin   string
	maxBody int64
	log     *slog.Logger
	version string
	router  *mux.Router
}

// New returns the API handler.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, cat: cfg.Catalog, admin: cfg.AdminToken, maxBody: cfg.MaxBody, log: cfg.Logger, version: cfg.Version}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBody
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.routes()
	return s
}

// Router exposes the router so other surfaces (search, web pages) can add
// their routes before the catch-all dereferencing route is used.
func (s *Server) Router() *mux.Router { return s.router }

func (s *Server) routes() {
	r := mux.NewRouter()
	r.Use(s.recoverer, s.limitBody)
	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/ns", s.ontology).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/"+ontology.ContextPath, s.staticJSONLD(ontology.Context)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/ns/shapes.jsonld", s.staticJSONLD(ontology.Shapes)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/resource", s.byURI).Methods(http.MethodGet, http.MethodHead)
	s.searchRoutes(r)
	s.competencyRoutes(r)
	s.openDataRoutes(r)
	s.importRoutes(r)
	s.webRoutes(r)
	for _, c := range domain.Collections {
		c := c
		r.HandleFunc("/"+string(c), s.list(c)).Methods(http.MethodGet, http.MethodHead)
		r.HandleFunc("/"+string(c), s.create(c)).Methods(http.MethodPost)
		r.HandleFunc("/"+string(c)+"/{rest:.+}", s.deref).Methods(http.MethodGet, http.MethodHead)
		r.HandleFunc("/"+string(c)+"/{rest:.+}", s.put).Methods(http.MethodPut)
		r.HandleFunc("/"+string(c)+"/{rest:.+}", s.delete).Methods(http.MethodDelete)
	}
	r.HandleFunc("/", s.home).Methods(http.MethodGet, http.MethodHead)
	r.NotFoundHandler = http.HandlerFunc(s.deref)
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		writeError(w, req, s.log, domain.Errorf("http", domain.KindInvalid, "method %s is not allowed on %s", req.Method, req.URL.Path))
	})
	s.router = r
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeError(w, r, s.log, domain.Errorf("http", domain.KindInternal, "panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.bodyLimit(r)) // importapi.go raises it for /admin/import
		}
		next.ServeHTTP(w, r)
	})
}

// principal authenticates the request's bearer token.
func (s *Server) principal(r *http.Request) (domain.Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return domain.Anonymous, nil
	}
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return domain.Anonymous, domain.Errorf("http", domain.KindUnauthorized, "the Authorization header must be \"Bearer <token>\"")
	}
	return s.cat.Authenticate(r.Context(), strings.TrimSpace(tok), s.admin)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2e9)
	defer cancel()
	seq, err := s.cat.Store().LastSeq(ctx)
	if err != nil {
		writeError(w, r, s.log, domain.Wrap("healthz", domain.KindUnavailable, err))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "version": s.version, "lastSeq": seq})
}

func (s *Server) ontology(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/turtle; charset=utf-8")
	w.Header().Set("Link", `</ns/context.jsonld>; rel="alternate"; type="application/ld+json"`)
	_, _ = w.Write(ontology.Turtle)
}

func (s *Server) staticJSONLD(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/ld+json")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		_, _ = w.Write(b)
	}
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	colls := map[string]string{}
	for _, c := range domain.Collections {
		colls[string(c)] = s.cat.BaseIRI() + string(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"name":        "Trame",
		"description": "Graphe de connaissances du Commun de formation professionnelle – Inclusion numérique",
		"version":     s.version,
		"collections": colls,
		"ontology":    s.cat.BaseIRI() + "ns",
		"context":     s.cat.BaseIRI() + ontology.ContextPath,
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
