package httpapi

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/rdfio"
)

// localIRI is the IRI a request path names under the base.
func (s *Server) localIRI(r *http.Request) string {
	return s.cat.BaseIRI() + strings.TrimPrefix(r.URL.EscapedPath(), "/")
}

// deref answers GET on any path under the base: the entity whose IRI it is.
func (s *Server) deref(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, r, s.log, domain.Errorf("http", domain.KindNotFound, "no route for %s %s", r.Method, r.URL.Path))
		return
	}
	s.serveEntity(w, r, s.localIRI(r))
}

// byURI answers GET /resource?uri=<IRI>, for entities with external IRIs.
func (s *Server) byURI(w http.ResponseWriter, r *http.Request) {
	iri := r.URL.Query().Get("uri")
	if iri == "" {
		writeError(w, r, s.log, domain.Errorf("http", domain.KindInvalid, "the uri parameter is required: /resource?uri=<IRI>"))
		return
	}
	if u, err := url.Parse(iri); err != nil || !u.IsAbs() {
		writeError(w, r, s.log, domain.Errorf("http", domain.KindInvalid, "uri %q is not an absolute IRI", iri))
		return
	}
	s.serveEntity(w, r, iri)
}

func (s *Server) serveEntity(w http.ResponseWriter, r *http.Request, iri string) {
	p, err := s.principal(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	f, err := negotiate(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if s.wantsPage(f) { // web.go: the entity's web page, or the 404 page
		s.entityPage(w, r, p, iri)
		return
	}
	rec, err := s.cat.Get(r.Context(), p, iri)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	tag := representationTag(rec.ETag, f)
	h := w.Header()
	h.Set("ETag", tag)
	h.Set("Last-Modified", rec.Updated.Format(http.TimeFormat))
	h.Set("Vary", "Accept, Authorization")
	h.Set("Link", s.alternates(iri))
	h.Set("Content-Location", s.representation(iri, f))
	if rec.Draft {
		h.Set("Cache-Control", "private, no-store")
	}
	if noneMatch(r.Header.Get("If-None-Match"), tag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, err := s.render(rec, f)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	ct := f.MediaType
	if strings.HasPrefix(ct, "text/") || f.Name == "json" {
		ct += "; charset=utf-8"
	}
	h.Set("Content-Type", ct)
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// representation is the URL of one serialisation of the entity iri: the
// entity's own URL (or /resource?uri= for an external IRI) with ?format=.
// It is sent as Content-Location, following the Cool URIs conventions for
// content negotiation, and listed in the Link header of the others.
func (s *Server) representation(iri string, f Format) string {
	if !s.cat.IsLocal(iri) {
		return s.cat.BaseIRI() + "resource?uri=" + url.QueryEscape(iri) + "&format=" + f.Name
	}
	return iri + "?format=" + f.Name
}

// alternates is the Link header listing the entity's serialisations.
func (s *Server) alternates(iri string) string {
	var links []string
	for _, f := range Formats {
		if f.Name == "json" {
			continue
		}
		links = append(links, "<"+s.representation(iri, f)+`>; rel="alternate"; type="`+f.MediaType+`"`)
	}
	return strings.Join(links, ", ")
}

func (s *Server) render(rec domain.Record, f Format) ([]byte, error) {
	switch f.Name {
	case "jsonld", "json":
		return s.cat.Codec().Compact(rec.Doc, "")
	case "html":
		return s.renderHTML(rec)
	}
	e, err := s.cat.Entity(rec)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	switch f.Name {
	case "ttl":
		err = rdfio.WriteTurtle(&buf, e.Triples)
	case "nt":
		err = rdfio.WriteNTriples(&buf, e.Triples)
	case "nq":
		err = rdfio.WriteNQuads(&buf, e.Triples, rec.IRI)
	}
	return buf.Bytes(), err
}

// readBody reads a request body of JSON (application/json or
// application/ld+json, or no type), within the body limit; what names the
// expected content in the error of an empty body.
func (s *Server) readBody(r *http.Request, what string) ([]byte, error) {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0]))
	if ct != "" && ct != "application/ld+json" && ct != "application/json" {
		return nil, domain.Errorf("http", domain.KindUnsupported, "Content-Type %q is not accepted: send application/ld+json or application/json", ct)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return nil, err
	}
	if buf.Len() == 0 {
		return nil, domain.Errorf("http", domain.KindInvalid, "the body is empty: send %s", what)
	}
	return buf.Bytes(), nil
}

func (s *Server) put(w http.ResponseWriter, r *http.Request) {
	s.write(w, r, catalog.WriteRequest{IRI: s.localIRI(r), IfMatch: recordTag(r.Header.Get("If-Match")), IfNoneMatch: r.Header.Get("If-None-Match")})
}

func (s *Server) create(c domain.Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.write(w, r, catalog.WriteRequest{Collection: c})
	}
}

// writeInput reads what every write needs: the caller, who must hold a
// token; the ?draft= flag; the JSON body, described by what when empty.
func (s *Server) writeInput(r *http.Request, what string) (domain.Principal, bool, []byte, error) {
	p, err := s.principal(r)
	if err == nil && p.IsAnonymous() {
		err = domain.Errorf("http", domain.KindUnauthorized, "writes need a token: Authorization: Bearer <token>")
	}
	if err != nil {
		return p, false, nil, err
	}
	draft, err := boolParam(r, "draft")
	if err != nil {
		return p, false, nil, err
	}
	body, err := s.readBody(r, what)
	return p, draft, body, err
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, req catalog.WriteRequest) {
	p, draft, body, err := s.writeInput(r, "a JSON-LD document")
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	req.Body, req.Draft, req.Lang = body, draft, language(r)
	recs, err := s.cat.Write(r.Context(), p, req)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	status := http.StatusOK
	if len(recs) > 0 && recs[0].Version == 1 || req.Collection != "" {
		status = http.StatusCreated
	}
	if len(recs) == 1 {
		w.Header().Set("ETag", recs[0].ETag)
		if status == http.StatusCreated {
			w.Header().Set("Location", locationOf(s, recs[0].IRI))
		}
	}
	writeJSON(w, status, map[string]any{"items": summaries(recs)})
}

func locationOf(s *Server, iri string) string {
	if s.cat.IsLocal(iri) {
		return iri
	}
	return s.cat.BaseIRI() + "resource?uri=" + url.QueryEscape(iri)
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	p, err := s.principal(r)
	if err == nil {
		err = s.cat.Delete(r.Context(), p, s.localIRI(r), recordTag(r.Header.Get("If-Match")))
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	default:
		return false, domain.Errorf("http", domain.KindInvalid, "parameter %s must be true or false, not %q", name, v)
	}
}
