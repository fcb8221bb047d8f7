package main

import (
	"log/slog"

	"github.com/trame-commun/trame/internal/competency"
	"github.com/trame-commun/trame/internal/search"
	"github.com/trame-commun/trame/internal/web"
)

// wireWeb adds the public web pages: their directory view (labels and
// links of every published entity) and the pages, which call the same
// search index and competency view as the API (found among the views the
// earlier wirings added). It must come after wireSearch and wireCompetency.
func wireWeb(a *app, cfg *config, log *slog.Logger) error {
	dir := web.NewDirectory()
	wcfg := web.Config{Directory: dir, Logger: log}
	for _, v := range a.views {
		switch v := v.(type) {
		case *search.Index:
			wcfg.Search = v
		case *competency.View:
			wcfg.Coverage, wcfg.Paths = v, v
		}
	}
	a.views = append(a.views, dir)
	pages, err := web.New(wcfg)
	if err != nil {
		return err
	}
	a.api.Web = pages
	return nil
}
