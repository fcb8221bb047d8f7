package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error by what the caller can do about it. The HTTP
// layer maps each kind to one status code, in one place.
type Kind uint8

// Error kinds.
const (
	KindInternal      Kind = iota // a bug or an engine failure: 500
	KindInvalid                   // bad input the caller can fix: 400 (or 422 for shape violations)
	KindNotFound                  // no such entity, or not visible to the caller: 404
	KindConflict                  // the entity already exists, or the write races another: 409
	KindPrecondition              // If-Match did not match: 412
	KindUnauthorized              // no or wrong credentials: 401
	KindForbidden                 // credentials lack the role: 403
	KindTooLarge                  // body or input over a documented limit: 413
	KindUnsupported               // media type or format not supported: 415 / 406
	KindUnavailable               // the service is shutting down or overloaded: 503
	KindNotAcceptable             // no representation matches Accept: 406
)

var kindNames = [...]string{"internal", "invalid", "not-found", "conflict", "precondition-failed",
	"unauthorized", "forbidden", "too-large", "unsupported-media-type", "unavailable", "not-acceptable"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// FieldError is one problem with one part of the input: Path says where
// (a JSON pointer, a property IRI, or "line N"), Message says what.
type FieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Error is the error every Trame package returns for conditions a caller may
// handle. Op names the operation ("catalog.Put"), Kind classifies it, Message
// is a sentence for the user, Fields lists every failed field at once, and
// Err is the underlying cause, if any.
type Error struct {
	Op      string
	Kind    Kind
	Message string
	Fields  []FieldError
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Kind.String())
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Path, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error of the given kind with a formatted message.
func Errorf(op string, kind Kind, format string, args ...any) *Error {
	return &Error{Op: op, Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns err as an *Error with op and kind, unless it already is one,
// in which case op is prefixed and its kind kept. A nil err gives nil.
func Wrap(op string, kind Kind, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Op: op, Kind: kind, Err: err}
}

// KindOf returns the kind of err: the kind of the first *Error in its chain,
// or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// IsKind reports whether err is an *Error of kind k.
func IsKind(err error, k Kind) bool { return err != nil && KindOf(err) == k }
