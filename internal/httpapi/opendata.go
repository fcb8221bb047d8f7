package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/trame-commun/trame/internal/domain"
)

// OpenDataService is what the HTTP layer needs for the open-data surfaces:
// dumps, the DCAT-AP catalogue and VoID, interop exports and read-only
// graph queries. cmd/trame provides it from internal/opendata and the
// graph view's querier.
type OpenDataService interface {
	// CheckDump validates a dump request without running it: KindNotFound
	// for an unknown dataset, KindNotAcceptable for an unknown format.
	CheckDump(dataset, format string) error
	// WriteDump streams the published data of dataset ("dump" for all) in
	// format (nq, nt, ttl, jsonld) to w, gzipped when gz.
	WriteDump(ctx context.Context, w io.Writer, dataset, format string, gz bool) error
	// Catalogue and VoID render the DCAT-AP and VoID descriptions in
	// format (ttl, jsonld, nt).
	Catalogue(ctx context.Context, format string) ([]byte, error)
	VoID(ctx context.Context, format string) ([]byte, error)
	// Export writes an interop export (ctdl-asn, moodle, open-badges,
	// schema-org) of iri to w; it writes nothing when it fails early.
	Export(ctx context.Context, w io.Writer, kind, iri string, anonymous bool) error
	// Ask runs a read-only graph query for p (anonymous callers see the
	// published graph only) and returns its results as JSON values, or as
	// JSON-LD values when jsonld is set.
	Ask(ctx context.Context, language, query string, p domain.Principal, jsonld bool) ([]any, error)
	// QueryLimits describes the limits of graph queries.
	QueryLimits() map[string]any
}

// dumpFormats are the representations of dumps, in preference order.
var dumpFormats = []Format{
	{"jsonld", "application/ld+json"},
	{"ttl", "text/turtle"},
	{"nt", "application/n-triples"},
	{"nq", "application/n-quads"},
}

// descriptionFormats are the representations of /catalog and
// /.well-known/void.
var descriptionFormats = []Format{
	{"jsonld", "application/ld+json"},
	{"ttl", "text/turtle"},
	{"nt", "application/n-triples"},
}

// exportTypes gives the media type of each interop export.
var exportTypes = map[string]string{
	"ctdl-asn":    "application/ld+json",
	"moodle":      "text/csv; charset=utf-8",
	"open-badges": "application/ld+json",
	"schema-org":  "application/ld+json",
}

// exportParams names the query parameter holding the IRI of each export.
var exportParams = map[string]string{"ctdl-asn": "framework", "moodle": "framework", "open-badges": "path", "schema-org": "resource"}

// MaxQueryBody is the size limit of a POSTed graph query.
const MaxQueryBody = 64 << 10

// openDataRoutes registers the routes of the open-data surfaces.
func (s *Server) openDataRoutes(r *mux.Router) {
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/data/{file}", s.dump).Methods(get...)
	r.HandleFunc("/catalog", s.description(func(o OpenDataService) describer { return o.Catalogue })).Methods(get...)
	r.HandleFunc("/.well-known/void", s.description(func(o OpenDataService) describer { return o.VoID })).Methods(get...)
	r.HandleFunc("/graph/query", s.graphQuery).Methods(http.MethodGet, http.MethodHead, http.MethodPost)
	r.HandleFunc("/export/{kind}", s.export).Methods(get...)
	r.HandleFunc("/openapi.json", s.openAPIDoc).Methods(get...)
}

// openData returns the service, or a 503 error when it is not wired.
func (s *Server) openData() (OpenDataService, error) {
	if s.cfg.OpenData == nil {
		return nil, domain.Errorf("http", domain.KindUnavailable, "the open-data service is not enabled on this server")
	}
	return s.cfg.OpenData, nil
}

// dump answers GET /data/{dataset}.{format}[.gz], and GET /data/{dataset}
// (the dataset's IRI) with a 303 to the dump in the negotiated format.
func (s *Server) dump(w http.ResponseWriter, r *http.Request) {
	od, err := s.openData()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	file := mux.Vars(r)["file"]
	name, ext, hasExt := strings.Cut(file, ".")
	format, gz := strings.CutSuffix(ext, ".gz")
	if !hasExt {
		f, err := negotiateFrom(r, dumpFormats)
		if err == nil {
			err = od.CheckDump(name, f.Name)
		}
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		w.Header().Set("Vary", "Accept")
		http.Redirect(w, r, "/data/"+name+"."+f.Name, http.StatusSeeOther)
		return
	}
	if err := od.CheckDump(name, format); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": file}))
	h.Set("Link", `<`+s.cat.BaseIRI()+`catalog>; rel="describedby"; type="text/turtle"`)
	if gz {
		h.Set("Content-Type", "application/gzip")
	} else {
		h.Set("Content-Type", mediaTypeOf(dumpFormats, format))
	}
	if r.Method == http.MethodHead {
		return
	}
	bw := bufio.NewWriterSize(&flowingWriter{w: w, rc: http.NewResponseController(w)}, 32<<10)
	if err := od.WriteDump(r.Context(), bw, name, format, gz); err != nil {
		// The status is sent: cut the response so the client sees a
		// truncated transfer, never a complete-looking file.
		s.log.Error("dump interrupted", "file", file, "err", err)
		panic(http.ErrAbortHandler)
	}
	_ = bw.Flush()
}

func mediaTypeOf(formats []Format, name string) string {
	for _, f := range formats {
		if f.Name == name {
			if strings.HasPrefix(f.MediaType, "text/") {
				return f.MediaType + "; charset=utf-8"
			}
			return f.MediaType
		}
	}
	return "application/octet-stream"
}

type describer func(ctx context.Context, format string) ([]byte, error)

// description answers /catalog and /.well-known/void in the negotiated
// format (JSON-LD, Turtle or N-Triples; ?format= overrides Accept).
func (s *Server) description(pick func(OpenDataService) describer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		od, err := s.openData()
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		f, err := negotiateFrom(r, descriptionFormats)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		body, err := pick(od)(r.Context(), f.Name)
		if err != nil {
			writeError(w, r, s.log, err)
			return
		}
		h := w.Header()
		h.Set("Content-Type", mediaTypeOf(descriptionFormats, f.Name))
		h.Set("Vary", "Accept")
		h.Set("Access-Control-Allow-Origin", "*")
		var links []string
		for _, alt := range descriptionFormats {
			links = append(links, "<"+s.cat.BaseIRI()+strings.TrimPrefix(r.URL.Path, "/")+"?format="+alt.Name+`>; rel="alternate"; type="`+alt.MediaType+`"`)
		}
		h.Set("Link", strings.Join(links, ", "))
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	}
}

// queryLanguages maps the Content-Type of a POSTed query to its language.
var queryLanguages = map[string]string{
	"application/ld+json":    "linkedql",
	"application/graphql":    "graphql",
	"application/javascript": "gizmo",
	"text/javascript":        "gizmo",
}

// graphQuery answers GET /graph/query?language=&query= and POST
// /graph/query (the query as the body; its language from ?language= or
// from the Content-Type). Answers are JSON, or JSON-LD when Accept asks.
func (s *Server) graphQuery(w http.ResponseWriter, r *http.Request) {
	od, err := s.openData()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	p, err := s.principal(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	lang, query, err := readQuery(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	f, err := negotiateFrom(r, []Format{{"json", "application/json"}, {"jsonld", "application/ld+json"}})
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	results, err := od.Ask(r.Context(), lang, query, p, f.Name == "jsonld")
	if err != nil {
		if domain.KindOf(err) == domain.KindUnavailable {
			w.Header().Set("Retry-After", "1")
		}
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Vary", "Accept, Authorization")
	if !p.IsAnonymous() {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	if f.Name == "jsonld" {
		w.Header().Set("Content-Type", "application/ld+json")
		w.WriteHeader(http.StatusOK)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(map[string]any{
			"@context": map[string]any{"rdfs": "http://www.w3.org/2000/01/rdf-schema#",
				"results": map[string]any{"@id": "rdfs:member", "@container": "@list"}},
			"results": results,
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"language": lang, "count": len(results), "results": results, "limits": od.QueryLimits()})
}

// readQuery extracts the language and text of a graph query.
func readQuery(r *http.Request) (string, string, error) {
	lang := r.URL.Query().Get("language")
	if r.Method != http.MethodPost {
		q := r.URL.Query().Get("query")
		if lang == "" || q == "" {
			return "", "", domain.Errorf("http", domain.KindInvalid, "give the query as ?language=linkedql|graphql&query=…, or POST it")
		}
		return lang, q, nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if lang == "" {
		lang = queryLanguages[ct]
	}
	if lang == "" {
		return "", "", domain.Errorf("http", domain.KindUnsupported, "say the query language with ?language= or a Content-Type: application/ld+json (LinkedQL), application/graphql (GraphQL) or application/javascript (Gizmo)")
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxQueryBody+1))
	if err != nil {
		return "", "", err
	}
	if len(body) > MaxQueryBody {
		return "", "", domain.Errorf("http", domain.KindTooLarge, "the query is over the limit of %d bytes", MaxQueryBody)
	}
	return lang, string(body), nil
}

// export answers GET /export/{kind}?framework=|path=|resource=<IRI>: the
// interop exports. A relative IRI is resolved against the base.
func (s *Server) export(w http.ResponseWriter, r *http.Request) {
	od, err := s.openData()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	kind := mux.Vars(r)["kind"]
	param, ok := exportParams[kind]
	if !ok {
		writeError(w, r, s.log, domain.Errorf("http", domain.KindNotFound, "no export %q: use ctdl-asn, moodle, open-badges or schema-org", kind))
		return
	}
	p, err := s.principal(r)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	iri := r.URL.Query().Get(param)
	if iri == "" && kind != "schema-org" {
		writeError(w, r, s.log, domain.Errorf("http", domain.KindInvalid, "the %s parameter is required: /export/%s?%s=<IRI>", param, kind, param))
		return
	}
	if iri != "" {
		if iri, err = s.resolve(iri); err != nil {
			writeError(w, r, s.log, err)
			return
		}
	}
	lw := &lazyWriter{w: &flowingWriter{w: w, rc: http.NewResponseController(w)}, start: func() {
		w.Header().Set("Content-Type", exportTypes[kind])
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if kind == "moodle" {
			w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "competences-moodle.csv"}))
		}
	}}
	if err := od.Export(r.Context(), lw, kind, iri, p.IsAnonymous()); err != nil {
		if !lw.started {
			writeError(w, r, s.log, err)
			return
		}
		s.log.Error("export interrupted", "kind", kind, "err", err)
		panic(http.ErrAbortHandler)
	}
	if !lw.started {
		lw.start()
	}
}

// resolve turns a parameter into an absolute IRI (relative ones are
// resolved against the base IRI).
func (s *Server) resolve(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil {
		return "", domain.Errorf("http", domain.KindInvalid, "%q is not an IRI", v)
	}
	if !u.IsAbs() {
		return s.cat.BaseIRI() + strings.TrimPrefix(v, "/"), nil
	}
	return v, nil
}

// DumpIdleTimeout is how long a dump or bulk export may go without being
// able to write to the client; the server's write timeout does not cut a
// long download that keeps flowing.
const DumpIdleTimeout = 60 * time.Second

// flowingWriter pushes the connection's write deadline forward while data
// flows, so that a large dump outlives the server's write timeout.
type flowingWriter struct {
	w        io.Writer
	rc       *http.ResponseController
	extended time.Time
}

func (f *flowingWriter) Write(p []byte) (int, error) {
	if now := time.Now(); now.Sub(f.extended) > DumpIdleTimeout/6 {
		f.extended = now
		_ = f.rc.SetWriteDeadline(now.Add(DumpIdleTimeout)) // unsupported by some writers: ignore
	}
	return f.w.Write(p)
}

// lazyWriter sets the headers on the first write, so that a failure before
// any output can still be answered as problem+json.
type lazyWriter struct {
	w       io.Writer
	start   func()
	started bool
}

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(p)
}

// openAPIDoc answers GET /openapi.json.
func (s *Server) openAPIDoc(w http.ResponseWriter, r *http.Request) {
	doc, err := s.OpenAPI()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(doc)
	}
}

// OpenAPIJSON is a helper for tests and tools: the document as a map.
func (s *Server) OpenAPIJSON() (map[string]any, error) {
	b, err := s.OpenAPI()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}
