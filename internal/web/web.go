// Package web renders Trame's public web pages: home, faceted search,
// resource and entity pages, the framework browser, coverage, the path
// finder, partner and licence pages, in French first and in English under
// /en/. Pages are server-rendered with html/template; styles, script and
// message catalogues are embedded in the binary (no build step); every page
// works without JavaScript, which only enhances.
//
// The package has no router: it exposes its pages as Routes (paths and
// handlers over net/http) and an Entity handler for the IRIs the HTTP API
// dereferences; internal/httpapi mounts them and turns a returned error into
// an error page through Pages.Error, with the status its one mapping of
// error kinds gives. Pages read the catalog as an anonymous user: published
// content only.
package web

import (
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
)

// Limits of the pages, documented in docs/web.md.
const (
	// ListLimit is how many items a partner, licence, competency or
	// thématique page lists before linking to the search for the rest.
	ListLimit = 50
	// RelatedLimit is how many related resources a resource page shows.
	RelatedLimit = 6
	// MaxQueryBytes is the longest query string a page reads; longer ones
	// are refused with an explanation.
	MaxQueryBytes = 4096
	// gzipMin is the smallest response worth compressing.
	gzipMin = 1024
)

// Config gathers what the pages need. Directory is required; a nil Search,
// Coverage or Paths makes the pages that need it say the service is not
// available (503) instead of failing.
type Config struct {
	Directory *Directory
	Search    Searcher
	Coverage  Coverager
	Paths     PathFinder
	Logger    *slog.Logger
}

// Pages holds the parsed templates, catalogues and services. It is safe for
// concurrent use; Bind gives the handlers over one catalog.
type Pages struct {
	cfg   Config
	msgs  Messages
	tmpls map[string]*template.Template // lang → templates
	log   *slog.Logger
}

// New parses the templates and catalogues (embedded; an error here is a bug
// the tests catch).
func New(cfg Config) (*Pages, error) {
	msgs, err := LoadMessages()
	if err != nil {
		return nil, err
	}
	p := &Pages{cfg: cfg, msgs: msgs, log: cfg.Logger}
	if p.log == nil {
		p.log = slog.Default()
	}
	if cfg.Directory == nil {
		p.cfg.Directory = NewDirectory()
	}
	if p.tmpls, err = parseTemplates(msgs); err != nil {
		return nil, err
	}
	return p, nil
}

// Directory returns the directory view the pages read.
func (p *Pages) Directory() *Directory { return p.cfg.Directory }

// Site is the pages bound to the catalog they show.
type Site struct {
	*Pages
	cat  *catalog.Catalog
	auth Authenticator
}

// Bind returns the pages reading cat; auth checks the token of the one
// page that writes (saving a parcours). It is cheap: call it once per
// router.
func (p *Pages) Bind(cat *catalog.Catalog, auth Authenticator) *Site {
	return &Site{Pages: p, cat: cat, auth: auth}
}

// Handler writes a page, or returns the error the router renders with
// Pages.Error.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Route is one page: its path, the methods it answers, and whether it
// answers only clients that ask for HTML (paths shared with the JSON API).
type Route struct {
	Path     string
	Prefix   bool // Path is a prefix (assets, English entity pages)
	Methods  []string
	HTMLOnly bool
	Handler  Handler
}

var getHead = []string{http.MethodGet, http.MethodHead}

// paths of the pages in each language.
var paths = map[string]map[string]string{
	French: {"home": "/", "search": "/recherche", "frameworks": "/referentiels", "coverage": "/couverture",
		"coverageCSV": "/couverture.csv", "pathfinder": "/parcours/trouver", "partners": "/partenaires",
		"licences": "/licences", "about": "/a-propos"},
	English: {"home": "/en/", "search": "/en/search", "frameworks": "/en/frameworks", "coverage": "/en/coverage",
		"coverageCSV": "/en/coverage.csv", "pathfinder": "/en/path-finder", "partners": "/en/partners",
		"licences": "/en/licences", "about": "/en/about"},
}

// AssetPrefix is where the embedded styles and script are served.
const AssetPrefix = "/static/"

// Routes returns every page route, French and English. The English entity
// pages (/en/<path of an IRI>) come last: they catch what is left under /en/.
func (s *Site) Routes() []Route {
	var out []Route
	for _, lang := range Langs {
		lang := lang
		ps := paths[lang]
		add := func(name string, h func(w http.ResponseWriter, r *http.Request, lang string) error, htmlOnly bool, methods ...string) {
			if len(methods) == 0 {
				methods = getHead
			}
			out = append(out, Route{Path: ps[name], Methods: methods, HTMLOnly: htmlOnly,
				Handler: func(w http.ResponseWriter, r *http.Request) error { return h(w, r, lang) }})
		}
		add("home", s.home, lang == French)
		add("search", s.search, false)
		add("frameworks", s.frameworks, false)
		add("coverage", s.coverage, false)
		add("coverageCSV", s.coverageCSV, false)
		add("pathfinder", s.pathfinder, false)
		add("pathfinder", s.savePath, false, http.MethodPost)
		add("partners", s.partners, false)
		add("licences", s.licences, lang == French)
		add("about", s.about, false)
	}
	out = append(out,
		Route{Path: "/en", Methods: getHead, Handler: redirectTo("/en/")},
		Route{Path: AssetPrefix, Prefix: true, Methods: getHead, Handler: s.asset},
		Route{Path: "/en/resource", Methods: getHead, Handler: s.byURI},
		Route{Path: "/en/", Prefix: true, Methods: getHead, Handler: s.englishEntity},
	)
	return out
}

func redirectTo(target string) Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return nil
	}
}

// WantsHTML reports whether the request's Accept header prefers HTML to
// JSON (a browser), so shared paths such as / and /licences can answer
// browsers with a page and API clients with JSON.
func WantsHTML(r *http.Request) bool {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, q := mediaRange(part)
		if q <= bestQ || q <= 0 {
			continue
		}
		switch mt {
		case "text/html", "application/xhtml+xml":
			best, bestQ = "html", q
		case "application/json", "application/ld+json", "text/turtle", "application/n-triples", "application/n-quads":
			best, bestQ = "data", q
		}
	}
	return best == "html"
}

func mediaRange(s string) (string, float64) {
	parts := strings.Split(s, ";")
	q := 1.0
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(k, "q") {
			q = parseQ(v)
		}
	}
	return strings.ToLower(strings.TrimSpace(parts[0])), q
}

func parseQ(v string) float64 {
	var f float64
	var seenDot bool
	scale := 1.0
	for _, r := range v {
		switch {
		case r == '.' && !seenDot:
			seenDot = true
		case r >= '0' && r <= '9':
			if seenDot {
				scale /= 10
				f += float64(r-'0') * scale
			} else {
				f = f*10 + float64(r-'0')
			}
		default:
			return 0
		}
	}
	return f
}

// href is the page of iri in lang: local IRIs by their path (under /en/ in
// English), external ones through /resource?uri=.
func (s *Site) href(lang, iri string) string {
	prefix := ""
	if lang == English {
		prefix = "/en"
	}
	if s.cat.IsLocal(iri) {
		return prefix + "/" + strings.TrimPrefix(iri, s.cat.BaseIRI())
	}
	return prefix + "/resource?uri=" + url.QueryEscape(iri)
}

// pagePath returns the path of page name in lang.
func pagePath(lang, name string) string { return paths[lang][name] }

// anonymous is who the pages read as.
var anonymous = domain.Anonymous
