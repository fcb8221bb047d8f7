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
// absent); List a page of a collection in IRI order, drafts included.
// Meta keys live in the importers' own namespace; GetMeta answers
// KindNotFound for a missing key; SwapMeta is the store's compare-and-swap
// (domain.Store.SwapMeta: nil old means absent, nil new deletes,
// KindPrecondition when the value is not old).
type ImportService interface {
	Import(ctx context.Context, b ImportBatch) (ImportResult, error)
	Lookup(ctx context.Context, iris []string) ([]ImportEntity, error)
	List(ctx context.Context, c domain.Collection, after string, limit int) ([]ImportEntity, error)
	GetMeta(ctx context.Context, key string) ([]byte, error)
	PutMeta(ctx context.Context, key string, value []byte) error
	SwapMeta(ctx context.Context, key string, old, new []byte) error
}

// importRoutes registers the routes of imports through a running server.
func (s *Server) importRoutes(r *mux.Router) {
	r.HandleFunc("/admin/import", s.importInfo).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/admin/import", s.importBatch).Methods(http.MethodPost)
	r.HandleFunc("/admin/import/lookup", s.importLookup).Methods(http.MethodPost)
	r.HandleFunc("/admin/import/list", s.importList).Methods(http.MethodGet)
	r.HandleFunc("/admin/import/meta", s.importMeta).Methods(http.MethodGet, http.MethodPut, http.MethodDelete)
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

// importMeta answers GET, PUT and DELETE /admin/import/meta?key=K: the
// importers' own state (harvest progress and leases, framework versions).
// GET sends the value's entity tag (domain.MetaETag); PUT and DELETE honour
// If-Match and If-None-Match against it, atomically (see writeImportMeta).
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
	var err error
	switch r.Method {
	case http.MethodGet:
		var v []byte
		if v, err = svc.GetMeta(r.Context(), key); err == nil {
			w.Header().Set("Content-Type", "application/octet-stream")
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("ETag", domain.MetaETag(v))
			_, _ = w.Write(v)
			return
		}
	case http.MethodPut:
		var v []byte
		if v, err = io.ReadAll(r.Body); err == nil {
			err = writeImportMeta(r, svc, key, append([]byte{}, v...))
		}
	default:
		err = writeImportMeta(r, svc, key, nil)
	}
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeImportMeta sets key to value (deletes it when value is nil). With
// If-Match (entity tags or "*") or If-None-Match ("*" or entity tags) it
// reads the current value, checks the conditions, and swaps from exactly
// that value, so a concurrent write between the check and the write fails
// the request with 412 instead of being overwritten. Deleting an absent key
// without conditions succeeds.
func writeImportMeta(r *http.Request, svc ImportService, key string, value []byte) error {
	const op = "http.import.meta"
	ctx := r.Context()
	ifMatch, ifNone := r.Header.Get("If-Match"), r.Header.Get("If-None-Match")
	conditional := ifMatch != "" || ifNone != ""
	if !conditional && value != nil {
		return svc.PutMeta(ctx, key, value)
	}
	cur, err := svc.GetMeta(ctx, key)
	exists := err == nil
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		return err
	}
	if exists && cur == nil {
		cur = []byte{} // an empty value is present: swap from it, not from absence
	}
	tag := domain.MetaETag(cur)
	switch {
	case ifMatch != "" && (!exists || !strongMatch(ifMatch, tag)):
		return domain.Errorf(op, domain.KindPrecondition, "If-Match %s does not match the current value of meta key %q (%s)", ifMatch, key, describeTag(exists, tag))
	case ifNone != "" && exists && noneMatch(ifNone, tag):
		return domain.Errorf(op, domain.KindPrecondition, "If-None-Match %s: meta key %q has a value (%s)", ifNone, key, tag)
	case !exists && value == nil:
		return nil
	}
	err = svc.SwapMeta(ctx, key, cur, value)
	if !conditional && domain.IsKind(err, domain.KindPrecondition) {
		return domain.Errorf(op, domain.KindConflict, "meta key %q changed while it was being deleted: try again", key)
	}
	return err
}

// strongMatch reports whether an If-Match header ("*" or a list of entity
// tags) matches etag, by strong comparison (RFC 9110 §13.1.1): a weak tag
// never matches.
func strongMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || t == etag {
			return true
		}
	}
	return false
}

func describeTag(exists bool, tag string) string {
	if !exists {
		return "it is absent"
	}
	return "its tag is " + tag
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
