package httpapi

import "github.com/gorilla/mux"

// ImportService is what the HTTP layer needs for imports through a running server.
type ImportService interface{}

// importRoutes registers the routes of imports through a running server.
func (s *Server) importRoutes(r *mux.Router) {}
