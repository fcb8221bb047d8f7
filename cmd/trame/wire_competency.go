package main

import (
	"log/slog"
	"strings"

	"github.com/trame-commun/trame/internal/competency"
)

// wireCompetency adds the competency view (coverage and recommendations)
// after the graph, and serves it on /coverage and /recommendations. A
// Pix-style profile names CRCN competencies unless it says otherwise.
func wireCompetency(a *app, cfg *config, log *slog.Logger) error {
	base := cfg.BaseIRI
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	v := competency.New(competency.Config{BaseIRI: base, ProfileFramework: base + "frameworks/crcn"})
	a.views = append(a.views, v)
	a.api.Competency = v
	return nil
}
