package sink

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Limits of the remote sink's requests. The server's own limits (body size,
// lookup size) are read from GET /admin/import and win when smaller.
const (
	RemotePageIRIs     = 500              // IRIs per lookup request
	RemoteBatchBytes   = 8 << 20          // encoded entities per write request
	RemoteBatchCount   = 1000             // entities per write request
	remoteReplyLimit   = 256 << 20        // largest reply read from the server
	remoteLookupExpiry = 30 * time.Second // time limit of one lookup made for validation
)

// StoredEntity is an entity as the import endpoints exchange it: its IRI
// and the stored (expanded, context-free) JSON-LD document.
type StoredEntity struct {
	IRI string          `json:"iri"`
	Doc json.RawMessage `json:"doc"`
}

// WireBatch is the body of POST /admin/import.
type WireBatch struct {
	Entities []StoredEntity  `json:"entities,omitempty"`
	Document json.RawMessage `json:"document,omitempty"`
	Deletes  []string        `json:"deletes,omitempty"`
	Partial  bool            `json:"partial,omitempty"`
}

// WireInfo is the answer of GET /admin/import.
type WireInfo struct {
	BaseIRI   string `json:"baseIRI"`
	MaxBody   int64  `json:"maxBody"`
	MaxLookup int    `json:"maxLookup"`
}

// Remote writes through a running Trame server's import endpoints with a
// bearer token (editor or admin).
type Remote struct {
	server string
	token  string
	client *http.Client
	codec  domain.Codec
	info   WireInfo

	mu    sync.Mutex
	types map[string]*domain.Entity // lookup cache for validation
}

var _ Sink = (*Remote)(nil)

// NewRemote connects to the server at serverURL (its root, e.g.
// http://localhost:8080/) and reads its import limits. codec decodes the
// stored documents the server returns; client may be nil for
// http.DefaultClient.
func NewRemote(ctx context.Context, serverURL, token string, client *http.Client, codec domain.Codec) (*Remote, error) {
	if client == nil {
		client = http.DefaultClient
	}
	u, err := url.Parse(serverURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, domain.Errorf("sink.Remote", domain.KindInvalid, "--server %q is not an absolute URL such as http://localhost:8080/", serverURL)
	}
	r := &Remote{server: strings.TrimSuffix(serverURL, "/"), token: token, client: client, codec: codec, types: map[string]*domain.Entity{}}
	body, err := r.do(ctx, http.MethodGet, "/admin/import", nil, "")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &r.info); err != nil || r.info.BaseIRI == "" {
		return nil, domain.Errorf("sink.Remote", domain.KindInvalid, "%s does not answer like a Trame server with imports enabled (GET /admin/import)", serverURL)
	}
	return r, nil
}

// BaseIRI returns the server's base IRI.
func (r *Remote) BaseIRI() string { return r.info.BaseIRI }

// Get fetches stored entities, RemotePageIRIs at a time.
func (r *Remote) Get(ctx context.Context, iris []string) (map[string]*domain.Entity, error) {
	page := RemotePageIRIs
	if r.info.MaxLookup > 0 && r.info.MaxLookup < page {
		page = r.info.MaxLookup
	}
	out := map[string]*domain.Entity{}
	for len(iris) > 0 {
		n := min(page, len(iris))
		body, err := json.Marshal(map[string][]string{"iris": iris[:n]})
		if err != nil {
			return nil, err
		}
		reply, err := r.do(ctx, http.MethodPost, "/admin/import/lookup", body, "application/json")
		if err != nil {
			return nil, err
		}
		var got struct {
			Entities []StoredEntity `json:"entities"`
		}
		if err := json.Unmarshal(reply, &got); err != nil {
			return nil, domain.Wrap("sink.Remote.Get", domain.KindInternal, err)
		}
		for _, se := range got.Entities {
			e, err := r.codec.DecodeStored(se.IRI, se.Doc)
			if err != nil {
				return nil, err
			}
			out[se.IRI] = e
		}
		iris = iris[n:]
	}
	return out, nil
}

// List reads a page of stored entities of collection c from the server.
func (r *Remote) List(ctx context.Context, c domain.Collection, after string, limit int) ([]*domain.Entity, error) {
	q := url.Values{"collection": {string(c)}, "after": {after}, "limit": {strconv.Itoa(limit)}}
	reply, err := r.do(ctx, http.MethodGet, "/admin/import/list?"+q.Encode(), nil, "")
	if err != nil {
		return nil, err
	}
	var got struct {
		Entities []StoredEntity `json:"entities"`
	}
	if err := json.Unmarshal(reply, &got); err != nil {
		return nil, domain.Wrap("sink.Remote.List", domain.KindInternal, err)
	}
	out := make([]*domain.Entity, 0, len(got.Entities))
	for _, se := range got.Entities {
		e, err := r.codec.DecodeStored(se.IRI, se.Doc)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// Apply sends b in requests of at most RemoteBatchCount entities and
// RemoteBatchBytes bytes; each request is applied atomically by the server.
func (r *Remote) Apply(ctx context.Context, b Batch) (Result, error) {
	var total Result
	limit := int64(RemoteBatchBytes)
	if r.info.MaxBody > 0 && r.info.MaxBody/2 < limit {
		limit = r.info.MaxBody / 2
	}
	send := func(wb WireBatch) error {
		body, err := json.Marshal(wb)
		if err != nil {
			return err
		}
		reply, err := r.do(ctx, http.MethodPost, "/admin/import", body, "application/json")
		if err != nil {
			return err
		}
		var res Result
		if err := json.Unmarshal(reply, &res); err != nil {
			return domain.Wrap("sink.Remote.Apply", domain.KindInternal, err)
		}
		total.Written += res.Written
		total.Deleted += res.Deleted
		total.Rejected = append(total.Rejected, res.Rejected...)
		return nil
	}
	wb := WireBatch{Deletes: b.Deletes, Partial: b.Partial}
	var size int64
	for _, e := range b.Puts {
		doc, err := r.codec.Encode(e)
		if err != nil {
			return total, err
		}
		if len(wb.Entities) > 0 && (len(wb.Entities) >= RemoteBatchCount || size+int64(len(doc)) > limit) {
			if err := send(wb); err != nil {
				return total, err
			}
			wb, size = WireBatch{Partial: b.Partial}, 0
		}
		wb.Entities = append(wb.Entities, StoredEntity{IRI: e.IRI, Doc: doc})
		size += int64(len(doc))
	}
	if len(wb.Entities) > 0 || len(wb.Deletes) > 0 {
		if err := send(wb); err != nil {
			return total, err
		}
	}
	r.mu.Lock()
	r.types = map[string]*domain.Entity{}
	r.mu.Unlock()
	return total, nil
}

// GetMeta reads an importer meta key from the server.
func (r *Remote) GetMeta(ctx context.Context, key string) ([]byte, error) {
	return r.do(ctx, http.MethodGet, "/admin/import/meta?key="+url.QueryEscape(key), nil, "")
}

// PutMeta writes an importer meta key on the server.
func (r *Remote) PutMeta(ctx context.Context, key string, value []byte) error {
	_, err := r.do(ctx, http.MethodPut, "/admin/import/meta?key="+url.QueryEscape(key), value, "application/octet-stream")
	return err
}

// SwapMeta sets an importer meta key on the server to new if its value is
// old: a PUT (a DELETE when new is nil) with If-None-Match: * when old is
// nil, else If-Match with old's entity tag (domain.MetaETag). The server
// answers 412, a KindPrecondition error, when the value is not old.
func (r *Remote) SwapMeta(ctx context.Context, key string, old, new []byte) error {
	method, ctype := http.MethodPut, "application/octet-stream"
	if new == nil {
		method, ctype = http.MethodDelete, ""
	}
	cond := http.Header{}
	if old == nil {
		cond.Set("If-None-Match", "*")
	} else {
		cond.Set("If-Match", domain.MetaETag(old))
	}
	_, err := r.doWith(ctx, method, "/admin/import/meta?key="+url.QueryEscape(key), new, ctype, cond)
	return err
}

// Lookup answers validation questions from the server's stored entities,
// caching answers until the next Apply.
func (r *Remote) Lookup() domain.Lookup { return remoteLookup{r} }

type remoteLookup struct{ r *Remote }

func (l remoteLookup) entity(iri string) *domain.Entity {
	l.r.mu.Lock()
	e, ok := l.r.types[iri]
	l.r.mu.Unlock()
	if ok {
		return e
	}
	ctx, cancel := context.WithTimeout(context.Background(), remoteLookupExpiry)
	defer cancel()
	got, err := l.r.Get(ctx, []string{iri})
	if err != nil {
		return nil // unknown: the server validates again and reports it
	}
	l.r.mu.Lock()
	l.r.types[iri] = got[iri]
	l.r.mu.Unlock()
	return got[iri]
}

func (l remoteLookup) TypesOf(iri string) []string {
	if e := l.entity(iri); e != nil {
		return e.Types
	}
	return nil
}

func (l remoteLookup) LevelNumber(iri string) int {
	if e := l.entity(iri); e != nil {
		n, _ := strconv.Atoi(e.First(ontology.LevelNumber))
		return n
	}
	return 0
}

func (l remoteLookup) Prerequisites(iri string) []string {
	var out []string
	if e := l.entity(iri); e != nil {
		for _, t := range e.Values(ontology.Prerequisite) {
			out = append(out, t.Value)
		}
	}
	return out
}

// do sends one request and returns the body of a 2xx answer; other answers
// become *domain.Error from their problem+json.
func (r *Remote) do(ctx context.Context, method, path string, body []byte, ctype string) ([]byte, error) {
	return r.doWith(ctx, method, path, body, ctype, nil)
}

// doWith is do with extra request headers.
func (r *Remote) doWith(ctx context.Context, method, path string, body []byte, ctype string, header http.Header) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.server+path, rd)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	if r.token != "" {
		req.Header.Set("Authorization", "Bearer "+r.token)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, domain.Wrap("sink.Remote", domain.KindUnavailable, fmt.Errorf("%s %s: %w", method, r.server+path, err))
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, remoteReplyLimit))
	if err != nil {
		return nil, domain.Wrap("sink.Remote", domain.KindUnavailable, err)
	}
	if resp.StatusCode/100 == 2 {
		return reply, nil
	}
	return nil, problemError(method, path, resp.StatusCode, reply)
}

// kindOfStatus reverses the server's mapping of error kinds to statuses.
var kindOfStatus = map[int]domain.Kind{
	400: domain.KindInvalid, 401: domain.KindUnauthorized, 403: domain.KindForbidden,
	404: domain.KindNotFound, 406: domain.KindNotAcceptable, 409: domain.KindConflict,
	412: domain.KindPrecondition, 413: domain.KindTooLarge, 415: domain.KindUnsupported,
	422: domain.KindInvalid, 503: domain.KindUnavailable,
}

func problemError(method, path string, status int, body []byte) error {
	var p struct {
		Title  string              `json:"title"`
		Detail string              `json:"detail"`
		Errors []domain.FieldError `json:"errors"`
	}
	_ = json.Unmarshal(body, &p)
	kind, ok := kindOfStatus[status]
	if !ok {
		kind = domain.KindInternal
	}
	msg := p.Detail
	if msg == "" {
		msg = fmt.Sprintf("the server answered %d %s", status, http.StatusText(status))
	}
	return &domain.Error{Op: "server " + method + " " + strings.SplitN(path, "?", 2)[0], Kind: kind, Message: msg, Fields: p.Errors}
}
