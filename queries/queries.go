// Package queries holds Trame's named graph queries: one JSON file per
// query (name, description, parameters, the query as steps of cayley's path
// API) and, under testdata/, their data-driven test cases (a small input
// graph in N-Quads, parameters, expected rows), all run by one test in
// internal/graph. README.md documents the format. The graph package loads
// and runs them (internal/graph/named.go).
package queries

import "embed"

// FS holds the query files (*.json) and their test cases (testdata/).
//
//go:embed *.json testdata
var FS embed.FS
