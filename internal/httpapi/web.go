package httpapi

import (
	"context"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/web"
)

// webRoutes mounts the public web pages (internal/web) when Config.Web is
// set: the French pages at their paths, the English ones under /en/, the
// assets under /static/. Paths the JSON API also answers (/ and /licences)
// go to the pages only when the client prefers HTML. Entity IRIs get their
// page through serveEntity (entityPage below) when HTML is negotiated.
func (s *Server) webRoutes(r *mux.Router) {
	if s.cfg.Web == nil {
		return
	}
	site := s.site()
	for _, rt := range site.Routes() {
		h := s.page(rt.Handler)
		var route *mux.Route
		if rt.Prefix {
			route = r.PathPrefix(rt.Path).Handler(h)
		} else {
			route = r.Handle(rt.Path, h)
		}
		route.Methods(rt.Methods...)
		if rt.HTMLOnly {
			route.MatcherFunc(func(req *http.Request, _ *mux.RouteMatch) bool { return web.WantsHTML(req) })
		}
	}
}

// site binds the pages to the catalog and to the tokens the API accepts.
func (s *Server) site() *web.Site {
	return s.cfg.Web.Bind(s.cat, func(ctx context.Context, token string) (domain.Principal, error) {
		return s.cat.Authenticate(ctx, token, s.admin)
	})
}

// page adapts a page handler: an error becomes an error page whose status
// comes from the one mapping of error kinds (problem.go).
func (s *Server) page(h web.Handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	}
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	kind := domain.KindOf(err)
	if kind == domain.KindInternal {
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	s.cfg.Web.Error(w, r, statusOf[kind], err)
}

// entityPage answers a browser asking for an entity IRI with the entity's
// page (or the 404 page with a search box), in French; /en/<path> gives the
// English page.
func (s *Server) entityPage(w http.ResponseWriter, r *http.Request, p domain.Principal, iri string) {
	site := s.site()
	if err := site.Entity(w, r, p, iri); err != nil {
		s.pageError(w, r, err)
	}
}

// wantsPage reports whether an entity request should get the web page: the
// pages are wired, and the client negotiated HTML (a browser, or
// ?format=html).
func (s *Server) wantsPage(f Format) bool {
	return s.cfg.Web != nil && f.Name == "html"
}
