package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/trame-commun/trame/internal/domain"
)

// Limits of the import endpoints, documented in docs/importers.md.
const (
	// ImportMaxBody is the body limit of every /admin/import route: a batch
	// of a large import is far over the API's ordinary limit (DefaultMaxBody).
	ImportMaxBody = 64 << 20
	// ImportMaxLookup is how many IRIs one POST /admin/import/lookup may ask.
	ImportMaxLookup = 1000
	// ImportMaxMetaKey is the longest meta key the endpoints accept.
	ImportMaxMetaKey = 512
)

// ImportEntity is an entity as the import endpoints exchange it: its IRI and
// its stored (expanded, context-free) JSON-LD document.
type ImportEntity struct {
	IRI string          `json:"iri"`
	Doc json.RawMessage `json:"doc"`
}

// ImportBatch is the body of POST /admin/import: stored entities (as
// POST /admin/import/lookup returns them), and/or any JSON-LD document whose
// entities all carry an @id, plus IRIs to delete. Partial writes the valid
// entities and reports the others instead of refusing the batch.
type ImportBatch struct {
	Entities []ImportEntity  `json:"entities,omitempty"`
	Document json.RawMessage `json:"document,omitempty"`
	Deletes  []string        `json:"deletes,omitempty"`
	Partial  bool            `json:"partial,omitempty"`
}

// ImportRejection is an entity a partial batch refused, with every reason.
type ImportRejection struct {
	IRI    string              `json:"iri"`
	Errors []domain.FieldError `json:"errors"`
}

// ImportResult is the answer of POST /admin/import.
type ImportResult struct {
	Written  int               `json:"written"`
	Deleted  int               `json:"deleted"`
	Rejected []ImportRejection `json:"rejected,omitempty"`
}

// ImportService is what the HTTP layer needs for imports through a running
// server (cmd/trame wires the importers' catalog sink behind it). The
// handlers authenticate the caller; the service trusts them.
//
// Contract: Import validates every entity against the shapes and writes the
// batch atomically when it fits one store transaction (KindInvalid listing
// every problem, and nothing written, when an entity is invalid and Partial
// is not set). Lookup returns the stored entities among iris (missing ones
// absent); List a page of a collection in IRI order, drafts included. Meta keys live in the importers' own namespace; GetMeta answers
// KindNotFound for a missing key.
type ImportService interface {
	Import(ctx context.Context, b ImportBatch) (ImportResult, error)
	Lookup(ctx context.Context, iris []string) ([]ImportEntity, error)
	List(ctx context.Context, c domain.Collection, after string, limit int) ([]ImportEntity, error)
	GetMeta(ctx context.Context, key string) ([]byte, error)
	PutMeta(ctx context.Context, key string, value []byte) error
}

// importRoutes registers the routes of imports through a running server.
func (s *Server) importRoutes(r *mux.Router) {
	r.HandleFunc("/admin/import", s.importInfo).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/admin/import", s.importBatch).Methods(http.MethodPost)
	r.HandleFunc("/admin/import/lookup", s.importLookup).Methods(http.MethodPost)
	r.HandleFunc("/admin/import/list", s.importList).Methods(http.MethodGet)
	r.HandleFunc("/admin/import/meta", s.importMeta).Methods(http.MethodGet, http.MethodPut)
}

// bodyLimit is the request body limit of r: ImportMaxBody on the import
// routes, the configured limit everywhere else.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.URL.Path == "/admin/import" || strings.HasPrefix(r.URL.Path, "/admin/import/") {
		return max(ImportMaxBody, s.maxBody)
	}
	return s.maxBody
}

// importer authenticates an editor or admin and returns the service, or
// answers the error itself and returns nil.
func (s *Server) importer(w http.ResponseWriter, r *http.Request) ImportService {
	p, err := s.principal(r)
	if err == nil {
		switch {
		case p.IsAnonymous():
			err = domain.Errorf("http.import", domain.KindUnauthorized, "imports need an editor or admin token: Authorization: Bearer <token>")
		case !p.Role.Can(domain.RoleEditor):
			err = domain.Errorf("http.import", domain.KindForbidden, "this token's role %q cannot import", p.Role)
		case s.cfg.Importer == nil:
			err = domain.Errorf("http.import", domain.KindUnavailable, "imports through the server are not enabled in this build")
		}
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return nil
	}
	return s.cfg.Importer
}

// importInfo answers GET /admin/import: the base IRI and the limits a
// client must respect.
func (s *Server) importInfo(w http.ResponseWriter, r *http.Request) {
	if s.importer(w, r) == nil {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"baseIRI": s.cat.BaseIRI(), "maxBody": s.bodyLimit(r), "maxLookup": ImportMaxLookup,
	})
}

// importBatch answers POST /admin/import.
func (s *Server) importBatch(w http.ResponseWriter, r *http.Request) {
	svc := s.importer(w, r)
	if svc == nil {
		return
	}
	var b ImportBatch
	if err := decodeJSONBody(r, &b); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	res, err := svc.Import(r.Context(), b)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// importLookup answers POST /admin/import/lookup {"iris": [...]}.
func (s *Server) importLookup(w http.ResponseWriter, r *http.Request) {
	svc := s.importer(w, r)
	if svc == nil {
		return
	}
	var q struct {
		IRIs []string `json:"iris"`
	}
	if err := decodeJSONBody(r, &q); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if len(q.IRIs) > ImportMaxLookup {
		writeError(w, r, s.log, domain.Errorf("http.import", domain.KindTooLarge, "at most %d IRIs per lookup, not %d", ImportMaxLookup, len(q.IRIs)))
		return
	}
	ents, err := svc.Lookup(r.Context(), q.IRIs)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if ents == nil {
		ents = []ImportEntity{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": ents})
}

// importList answers GET /admin/import/list?collection=C&after=IRI&limit=N:
// stored entities of a collection, for exports through the server.
func (s *Server) importList(w http.ResponseWriter, r *http.Request) {
	svc := s.importer(w, r)
	if svc == nil {
		return
	}
	q := r.URL.Query()
	c, ok := domain.ParseCollection(q.Get("collection"))
	if !ok {
		writeError(w, r, s.log, domain.Errorf("http.import", domain.KindInvalid, "collection %q is not one of Trame's collections", q.Get("collection")))
		return
	}
	limit := ImportMaxLookup
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > ImportMaxLookup {
			writeError(w, r, s.log, domain.Errorf("http.import", domain.KindInvalid, "limit must be an integer from 1 to %d, not %q", ImportMaxLookup, v))
			return
		}
		limit = n
	}
	ents, err := svc.List(r.Context(), c, q.Get("after"), limit)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if ents == nil {
		ents = []ImportEntity{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": ents})
}

// importMeta answers GET and PUT /admin/import/meta?key=K: the importers'
// own state (harvest progress, framework versions).
func (s *Server) importMeta(w http.ResponseWriter, r *http.Request) {
	svc := s.importer(w, r)
	if svc == nil {
		return
	}
	key := r.URL.Query().Get("key")
	if key == "" || len(key) > ImportMaxMetaKey {
		writeError(w, r, s.log, domain.Errorf("http.import", domain.KindInvalid, "the key parameter is required (at most %d bytes)", ImportMaxMetaKey))
		return
	}
	if r.Method == http.MethodGet {
		v, err := svc.GetMeta(r.Context(), key)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(v)
		return
	}
	v, err := io.ReadAll(r.Body)
	if err == nil {
		err = svc.PutMeta(r.Context(), key, v)
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// decodeJSONBody reads a JSON request body into v.
func decodeJSONBody(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return domain.Errorf("http.import", domain.KindInvalid, "the body is not the expected JSON: %v", err)
	}
	return nil
}
