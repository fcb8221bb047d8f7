package httpapi

import "github.com/gorilla/mux"

// SearchService is what the HTTP layer needs for the search API (/search, /suggest).
type SearchService interface{}

// searchRoutes registers the routes of the search API (/search, /suggest).
func (s *Server) searchRoutes(r *mux.Router) {}
