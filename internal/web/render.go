package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// assetVersion identifies the embedded assets, so their URLs can be cached
// for a year and change when the binary does.
var assetVersion = func() string {
	h := sha256.New()
	_ = fs.WalkDir(assetFiles, "assets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := assetFiles.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)[:6])
}()

// Link is a labelled hyperlink of a view model.
type Link struct {
	Href, Text string
	Note       string // a short qualifier shown after the link (notation, count…)
	Type       string // media type, for links to other serialisations
	Lang       string // hreflang / lang of the text, when it differs from the page
	Current    bool   // the link is the current page (aria-current)
}

// page is what the layout needs, around the page's own view model (Main).
type page struct {
	Lang       string
	Title      string
	Desc       string
	Section    string // the nav entry of this page
	Nav        []Link
	Switch     Link // this page in the other language
	Query      string
	JSONLD     template.JS
	Alternates []Link
	Crumbs     []Link
	Printable  bool // offer a print button
	// NoHeaderSearch hides the header's search box (the search page has
	// its own, which then carries the skip link's target).
	NoHeaderSearch bool
	Asset          func(name string) string
	Main           any
}

func parseTemplates(msgs Messages) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, lang := range Langs {
		base := template.New("layout").Funcs(funcs(msgs, lang))
		var pagesFiles []string
		for _, n := range names {
			if strings.HasPrefix(path.Base(n), "_") {
				if _, err := base.ParseFS(templateFiles, n); err != nil {
					return nil, err
				}
			} else {
				pagesFiles = append(pagesFiles, n)
			}
		}
		for _, n := range pagesFiles {
			t, err := base.Clone()
			if err != nil {
				return nil, err
			}
			if _, err := t.ParseFS(templateFiles, n); err != nil {
				return nil, err
			}
			out[lang+"/"+strings.TrimSuffix(path.Base(n), ".html")] = t
		}
	}
	return out, nil
}

func funcs(msgs Messages, lang string) template.FuncMap {
	return template.FuncMap{
		"t":      func(key string, args ...any) string { return msgs.T(lang, key, args...) },
		"n":      func(key string, n int, args ...any) string { return msgs.N(lang, key, n, args...) },
		"num":    func(n int) string { return formatInt(lang, n) },
		"add":    func(a, b int) int { return a + b },
		"mul":    func(a, b int) int { return a * b },
		"list":   func(v ...any) []any { return v },
		"lang":   func() string { return lang },
		"pathOf": func(name string) string { return pagePath(lang, name) },
	}
}

// navNames are the entries of the main navigation, in order.
var navNames = []string{"home", "search", "frameworks", "coverage", "pathfinder", "partners", "licences"}

// newPage returns the layout data of a page of section in lang, with the
// navigation and the language switch (other is the page's path in the
// other language; "" uses the section's).
func (s *Site) newPage(lang, section, title, other string) *page {
	pg := &page{Lang: lang, Title: title, Section: section, Asset: assetURL}
	for _, n := range navNames {
		pg.Nav = append(pg.Nav, Link{Href: pagePath(lang, n), Text: s.msgs.T(lang, "nav."+n), Current: n == section})
	}
	olang := otherLang(lang)
	if other == "" {
		other = pagePath(olang, section)
		if other == "" {
			other = pagePath(olang, "home")
		}
	}
	pg.Switch = Link{Href: other, Text: s.msgs.T(olang, "lang.name"), Lang: olang}
	return pg
}

func otherLang(lang string) string {
	if lang == English {
		return French
	}
	return English
}

func assetURL(name string) string { return AssetPrefix + name + "?v=" + assetVersion }

// render writes the page with status: HTML, compressed when the client
// accepts gzip.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, name string, pg *page) error {
	t := s.tmpls[pg.Lang+"/"+name]
	if t == nil {
		return domain.Errorf("web.render", domain.KindInternal, "no template %s/%s", pg.Lang, name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", pg); err != nil {
		return domain.Wrap("web.render", domain.KindInternal, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", pg.Lang)
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	writeBody(w, r, status, buf.Bytes())
	return nil
}

// writeBody writes b with status, gzip-compressed when it is worth it and
// the client accepts it.
func writeBody(w http.ResponseWriter, r *http.Request, status int, b []byte) {
	if len(b) >= gzipMin && acceptsGzip(r) {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.DefaultCompression)
		_, _ = zw.Write(b)
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		b = z.Bytes()
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q := mediaRange(part)
		if enc == "gzip" && q > 0 {
			return true
		}
	}
	return false
}

// asset serves the embedded styles and script.
func (s *Site) asset(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimPrefix(r.URL.Path, AssetPrefix)
	b, err := assetFiles.ReadFile("assets/" + name)
	if err != nil || strings.Contains(name, "/") {
		return domain.Errorf("web.asset", domain.KindNotFound, "no asset %q", name)
	}
	ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
		".svg": "image/svg+xml"}[path.Ext(name)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+assetVersion+`"`)
	h.Add("Vary", "Accept-Encoding")
	if r.URL.Query().Get("v") == assetVersion {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if r.Header.Get("If-None-Match") == `"`+assetVersion+`"` {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	writeBody(w, r, http.StatusOK, b)
	return nil
}

// errorView is the view model of an error page.
type errorView struct {
	Status  int
	Heading string
	Text    string
	Message string
	Fields  []domain.FieldError
	Search  bool   // offer the search box (404)
	Suggest string // words taken from the path, as a suggested query
	Path    string
}

// Error renders the error page for err with status (the HTTP layer maps
// the error's kind to the status). A 404 offers a search box with the words
// of the path; a 400 lists what was wrong; a 500 hides its cause.
func (p *Pages) Error(w http.ResponseWriter, r *http.Request, status int, err error) {
	lang := LangOf(r)
	s := &Site{Pages: p}
	v := errorView{Status: status, Path: r.URL.Path}
	key := fmt.Sprintf("error.%d", status)
	if _, ok := p.msgs[French][key+".title"]; !ok {
		key = "error.other"
	}
	v.Heading = p.msgs.T(lang, key+".title")
	v.Text = p.msgs.T(lang, key+".text")
	var de *domain.Error
	if status < 500 && errors.As(err, &de) {
		v.Message, v.Fields = de.Message, de.Fields
	}
	if status == http.StatusNotFound {
		v.Search, v.Suggest = true, wordsOf(r.URL.Path)
		v.Message = ""
	}
	pg := s.newPage(lang, "", v.Heading, "")
	pg.Main = v
	if rerr := s.render(w, r, status, "error", pg); rerr != nil {
		http.Error(w, http.StatusText(status), status)
	}
}

// LangOf returns the language of a request: English under /en/, French
// elsewhere.
func LangOf(r *http.Request) string {
	if r.URL.Path == "/en" || strings.HasPrefix(r.URL.Path, "/en/") {
		return English
	}
	return French
}

// wordsOf turns the last segments of a path into a search query:
// "/resources/atelier-courriel" → "atelier courriel".
func wordsOf(p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	last := segs[len(segs)-1]
	last = strings.TrimSuffix(last, path.Ext(last))
	f := strings.FieldsFunc(last, func(r rune) bool {
		return r == '-' || r == '_' || r == '+' || r == '.' || r == ' ' || r == '%'
	})
	if len(f) > 8 {
		f = f[:8]
	}
	out := strings.Join(f, " ")
	if len(out) > 80 {
		out = out[:80]
	}
	return strings.ToValidUTF8(out, "")
}
