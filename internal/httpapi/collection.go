package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/trame-commun/trame/internal/domain"
)

// summary is how list and write answers describe an entity.
type summary struct {
	ID      string    `json:"id"`
	Name    string    `json:"name,omitempty"`
	Version uint64    `json:"version"`
	ETag    string    `json:"etag"`
	Draft   bool      `json:"draft,omitempty"`
	Updated time.Time `json:"updated"`
}

func summaries(recs []domain.Record) []summary {
	out := make([]summary, 0, len(recs))
	for _, r := range recs {
		out = append(out, summary{ID: r.IRI, Version: r.Version, ETag: r.ETag, Draft: r.Draft, Updated: r.Updated})
	}
	return out
}

// list answers GET /{collection}?limit=&after=: a page of the collection in
// IRI order with a cursor to the next page.
func (s *Server) list(c domain.Collection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.principal(r)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		limit, after, err := pageParams(r)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		recs, err := s.cat.List(r.Context(), p, c, after, limit+1)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		var next string
		if len(recs) > limit {
			recs = recs[:limit]
			q := url.Values{"limit": {strconv.Itoa(limit)}, "after": {base64.RawURLEncoding.EncodeToString([]byte(recs[limit-1].IRI))}}
			next = s.cat.BaseIRI() + string(c) + "?" + q.Encode()
		}
		items := summaries(recs)
		for i, rec := range recs {
			if e, err := s.cat.Entity(rec); err == nil {
				items[i].Name = e.Label(language(r))
			}
		}
		out := map[string]any{"collection": s.cat.BaseIRI() + string(c), "items": items, "limit": limit}
		if next != "" {
			out["next"] = next
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func pageParams(r *http.Request) (int, string, error) {
	q := r.URL.Query()
	limit := DefaultPageSize
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxPageSize {
			return 0, "", domain.Errorf("http", domain.KindInvalid, "limit must be an integer from 1 to %d, not %q", MaxPageSize, v)
		}
		limit = n
	}
	var after string
	if v := q.Get("after"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil {
			return 0, "", domain.Errorf("http", domain.KindInvalid, "the after cursor %q is malformed: use the next link of the previous page", v)
		}
		after = string(b)
	}
	return limit, after, nil
}
