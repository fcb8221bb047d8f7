package httpapi

import "github.com/gorilla/mux"

// CompetencyService is what the HTTP layer needs for coverage and recommendations (/coverage, /recommendations).
type CompetencyService interface{}

// competencyRoutes registers the routes of coverage and recommendations (/coverage, /recommendations).
func (s *Server) competencyRoutes(r *mux.Router) {}
