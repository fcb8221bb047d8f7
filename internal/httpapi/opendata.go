package httpapi

import "github.com/gorilla/mux"

// OpenDataService is what the HTTP layer needs for the open-data surfaces (dumps, catalogue, graph queries, OpenAPI).
type OpenDataService interface{}

// openDataRoutes registers the routes of the open-data surfaces (dumps, catalogue, graph queries, OpenAPI).
func (s *Server) openDataRoutes(r *mux.Router) {}
