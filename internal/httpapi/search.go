package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// SearchService is what the HTTP layer needs for the search API (/search,
// /suggest). cmd/trame implements it over the search index.
type SearchService interface {
	// Search parses the query parameters of a search (Les Bases compatible)
	// and runs it. Bad parameters fail with KindInvalid naming each one.
	Search(ctx context.Context, q SearchQuery) (*SearchPage, error)
	// Suggest proposes completions of prefix (at most limit; 0 means the
	// default). Bad input fails with KindInvalid.
	Suggest(ctx context.Context, prefix string, limit int, withDrafts bool, lang string) ([]Suggestion, error)
}

// SearchQuery is a search request as the HTTP layer received it.
type SearchQuery struct {
	Params     url.Values
	WithDrafts bool   // the caller holds a token: drafts are visible
	Lang       string // "fr" or "en", for labels
}

// SearchPage is the answer to a search.
type SearchPage struct {
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	PerPage int           `json:"parPage"`
	Results []SearchHit   `json:"results"`
	Facets  []SearchFacet `json:"-"`
	Next    string        `json:"apres,omitempty"`
}

// SearchHit is one result.
type SearchHit struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Description string              `json:"description,omitempty"`
	Highlights  map[string][]string `json:"highlights"`
}

// SearchFacet is one facet and the counts of its values.
type SearchFacet struct {
	Name   string
	Values []SearchFacetValue
}

// SearchFacetValue is one value of a facet; Value is the key its
// parameter takes.
type SearchFacetValue struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected,omitempty"`
	Category string `json:"category,omitempty"`
}

// Suggestion is one type-ahead proposal.
type Suggestion struct {
	Label string `json:"label"`
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Facet string `json:"facet,omitempty"`
	Value string `json:"value,omitempty"`
}

// MaxSuggestLimit is the largest limit /suggest accepts.
const MaxSuggestLimit = 20

// searchContext is the inline JSON-LD context of search answers: the JSON
// keys read as Hydra, schema.org and Trame terms. It is written inline, so
// no client ever has to fetch it.
var searchContext = map[string]any{
	"hydra":       "http://www.w3.org/ns/hydra/core#",
	"schema":      "https://schema.org/",
	"rdfs":        "http://www.w3.org/2000/01/rdf-schema#",
	"xsd":         "http://www.w3.org/2001/XMLSchema#",
	"trame":       ontology.NS,
	"id":          "@id",
	"total":       map[string]any{"@id": "hydra:totalItems", "@type": "xsd:integer"},
	"page":        map[string]any{"@id": "trame:page", "@type": "xsd:integer"},
	"parPage":     map[string]any{"@id": "trame:perPage", "@type": "xsd:integer"},
	"apres":       "trame:cursor",
	"results":     map[string]any{"@id": "hydra:member", "@container": "@list"},
	"name":        "schema:name",
	"description": "schema:description",
	"highlights":  map[string]any{"@id": "trame:highlight", "@container": "@index"},
	"facets":      map[string]any{"@id": "trame:facet", "@container": "@index"},
	"value":       "trame:facetValue",
	"label":       "rdfs:label",
	"count":       map[string]any{"@id": "trame:count", "@type": "xsd:integer"},
	"selected":    map[string]any{"@id": "trame:selected", "@type": "xsd:boolean"},
	"category":    "trame:category",
}

// searchRoutes registers the routes of the search API (/search, /suggest).
func (s *Server) searchRoutes(r *mux.Router) {
	r.HandleFunc("/search", s.search).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/suggest", s.suggest).Methods(http.MethodGet, http.MethodHead)
}

// search answers GET /search in JSON, or in JSON-LD when Accept asks for
// application/ld+json.
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Search == nil {
		writeError(w, r, s.log, domain.Errorf("http.search", domain.KindUnavailable, "search is not available on this server"))
		return
	}
	p, err := s.principal(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	ld := wantsJSONLD(r)
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, r, s.log, domain.Errorf("http.search", domain.KindInvalid, "malformed query string: %v", err))
		return
	}
	page, err := s.cfg.Search.Search(r.Context(), SearchQuery{Params: params, WithDrafts: !p.IsAnonymous(), Lang: language(r)})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if page.Results == nil {
		page.Results = []SearchHit{}
	}
	facets := map[string][]SearchFacetValue{}
	for _, f := range page.Facets {
		vals := f.Values
		if vals == nil {
			vals = []SearchFacetValue{}
		}
		facets[f.Name] = vals
	}
	body := struct {
		*SearchPage
		Facets map[string][]SearchFacetValue `json:"facets"`
	}{page, facets}
	if !p.IsAnonymous() {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	w.Header().Add("Vary", "Accept, Accept-Language, Authorization")
	if !ld {
		writeSearchJSON(w, "application/json; charset=utf-8", body)
		return
	}
	self := s.cat.BaseIRI() + "search"
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	writeSearchJSON(w, "application/ld+json", struct {
		Context any    `json:"@context"`
		ID      string `json:"@id"`
		Type    string `json:"@type"`
		*SearchPage
		Facets map[string][]SearchFacetValue `json:"facets"`
	}{searchContext, self, "hydra:Collection", page, facets})
}

// wantsJSONLD reports whether the client prefers JSON-LD to plain JSON.
func wantsJSONLD(r *http.Request) bool {
	if f := r.URL.Query().Get("format"); f == "jsonld" || f == "application/ld+json" {
		return true
	}
	for _, part := range splitAccept(r.Header.Get("Accept")) {
		mt, q := parseMediaRange(part)
		if mt == "application/ld+json" && q > 0 {
			return true
		}
	}
	return false
}

func splitAccept(h string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(h); i++ {
		if i == len(h) || h[i] == ',' {
			out = append(out, h[start:i])
			start = i + 1
		}
	}
	return out
}

// suggest answers GET /suggest?q=prefix&limit=n.
func (s *Server) suggest(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Search == nil {
		writeError(w, r, s.log, domain.Errorf("http.suggest", domain.KindUnavailable, "search is not available on this server"))
		return
	}
	p, err := s.principal(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	params, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, r, s.log, domain.Errorf("http.suggest", domain.KindInvalid, "malformed query string: %v", err))
		return
	}
	prefix := params.Get("q")
	if prefix == "" {
		prefix = params.Get("r")
	}
	if !utf8.ValidString(prefix) {
		writeError(w, r, s.log, &domain.Error{Op: "http.suggest", Kind: domain.KindInvalid, Message: "q is not valid UTF-8",
			Fields: []domain.FieldError{{Path: "q", Message: "not valid UTF-8"}}})
		return
	}
	limit := 0
	if v := params.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxSuggestLimit {
			writeError(w, r, s.log, &domain.Error{Op: "http.suggest", Kind: domain.KindInvalid,
				Message: "limit must be an integer from 1 to " + strconv.Itoa(MaxSuggestLimit),
				Fields:  []domain.FieldError{{Path: "limit", Message: "must be an integer from 1 to " + strconv.Itoa(MaxSuggestLimit)}}})
			return
		}
		limit = n
	}
	list, err := s.cfg.Search.Suggest(r.Context(), prefix, limit, !p.IsAnonymous(), language(r))
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if list == nil {
		list = []Suggestion{}
	}
	w.Header().Add("Vary", "Accept-Language, Authorization")
	writeSearchJSON(w, "application/json; charset=utf-8", map[string]any{"suggestions": list})
}

// writeSearchJSON writes v without escaping <, > and &, so highlights read
// as they are.
func writeSearchJSON(w http.ResponseWriter, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
