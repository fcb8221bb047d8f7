package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/trame-commun/trame/internal/domain"
)

// Problem is an RFC 9457 problem details object, with the failed fields of
// the input in Errors.
type Problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Errors   []domain.FieldError `json:"errors,omitempty"`
}

// statusOf is the one place where error kinds become HTTP statuses.
var statusOf = map[domain.Kind]int{
	domain.KindInternal:      http.StatusInternalServerError,
	domain.KindInvalid:       http.StatusBadRequest,
	domain.KindNotFound:      http.StatusNotFound,
	domain.KindConflict:      http.StatusConflict,
	domain.KindPrecondition:  http.StatusPreconditionFailed,
	domain.KindUnauthorized:  http.StatusUnauthorized,
	domain.KindForbidden:     http.StatusForbidden,
	domain.KindTooLarge:      http.StatusRequestEntityTooLarge,
	domain.KindUnsupported:   http.StatusUnsupportedMediaType,
	domain.KindUnavailable:   http.StatusServiceUnavailable,
	domain.KindNotAcceptable: http.StatusNotAcceptable,
}

// ProblemTypeBase prefixes the problem type IRIs; the kind name follows.
const ProblemTypeBase = "https://w3id.org/trame/problems/"

// writeError answers err as problem+json. Internal errors are logged and
// their detail hidden from the client.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	kind := domain.KindOf(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		kind = domain.KindTooLarge
		err = domain.Errorf("http", kind, "the body is over the limit of %d bytes", mbe.Limit)
	}
	status := statusOf[kind]
	p := Problem{Type: ProblemTypeBase + kind.String(), Title: http.StatusText(status), Status: status, Instance: r.URL.Path}
	var de *domain.Error
	if errors.As(err, &de) && kind != domain.KindInternal {
		p.Detail = de.Message
		if p.Detail == "" && de.Err != nil {
			p.Detail = de.Err.Error()
		}
		p.Errors = de.Fields
	}
	if kind == domain.KindInternal {
		log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Detail = "an internal error occurred; it has been logged"
	}
	if kind == domain.KindUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="trame"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(p)
}
