package main

import (
	"log/slog"

	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/opendata"
)

// wireOpenData adds the open-data surfaces to the app: dumps, the DCAT-AP
// catalogue and VoID, interop exports (internal/opendata, reading the store)
// and read-only graph queries (the graph view's querier, with the limits of
// graph.DefaultLimits).
func wireOpenData(a *app, cfg *config, log *slog.Logger) error {
	svc := opendata.New(opendata.Config{Store: a.store, Codec: jsonld.New(cfg.BaseIRI), BaseIRI: cfg.BaseIRI, Subjects: a.graph.Referrers})
	a.api.OpenData = openDataService{svc, graph.NewQuerier(a.graph, graph.DefaultLimits())}
	return nil
}

// openDataService joins the open-data service and the graph querier into
// the HTTP layer's OpenDataService.
type openDataService struct {
	*opendata.Service
	*graph.Querier
}

var _ httpapi.OpenDataService = openDataService{}
