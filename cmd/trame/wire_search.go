package main

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/search"
)

// wireSearch opens the search index under the data directory, adds it to the
// views (after the graph, whose labels it reads) and serves it on /search and
// /suggest.
func wireSearch(a *app, cfg *config, log *slog.Logger) error {
	ix, err := search.Open(search.Options{Dir: filepath.Join(cfg.Data, "search"), BaseIRI: cfg.BaseIRI, Labels: a.graph})
	if err != nil {
		return err
	}
	a.views = append(a.views, ix)
	a.api.Search = searchService{ix}
	a.closers = append(a.closers, ix.Close)
	return nil
}

// searchService adapts the search index to the HTTP layer.
type searchService struct{ ix *search.Index }

var _ httpapi.SearchService = searchService{}

// Search implements httpapi.SearchService.
func (s searchService) Search(ctx context.Context, q httpapi.SearchQuery) (*httpapi.SearchPage, error) {
	req, err := search.ParseParams(q.Params, s.ix)
	if err != nil {
		return nil, err
	}
	req.WithDrafts, req.Lang = q.WithDrafts, q.Lang
	res, err := s.ix.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	page := &httpapi.SearchPage{Total: res.Total, Page: res.Page, PerPage: res.PerPage, Next: res.Next,
		Results: make([]httpapi.SearchHit, len(res.Results))}
	for i, h := range res.Results {
		page.Results[i] = httpapi.SearchHit(h)
	}
	for _, f := range res.Facets {
		vals := make([]httpapi.SearchFacetValue, len(f.Values))
		for i, v := range f.Values {
			vals[i] = httpapi.SearchFacetValue(v)
		}
		page.Facets = append(page.Facets, httpapi.SearchFacet{Name: f.Name, Values: vals})
	}
	return page, nil
}

// Suggest implements httpapi.SearchService.
func (s searchService) Suggest(ctx context.Context, prefix string, limit int, withDrafts bool, lang string) ([]httpapi.Suggestion, error) {
	list, err := s.ix.Suggest(ctx, prefix, limit, withDrafts, lang)
	if err != nil {
		return nil, err
	}
	out := make([]httpapi.Suggestion, len(list))
	for i, sg := range list {
		out[i] = httpapi.Suggestion(sg)
	}
	return out, nil
}
