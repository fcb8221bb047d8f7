package opendata

import (
	"io"
	"maps"
	"slices"

	"github.com/trame-commun/trame/internal/domain"
)

// WriteGraphs serialises graphs (graph name → triples; "" for the default
// graph) with the dump writer of format, for round-trip tests.
func WriteGraphs(w io.Writer, format string, graphs map[string][]domain.Triple) error {
	tw, err := newTripleWriter(format, w)
	if err != nil {
		return err
	}
	if err := tw.begin(); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(graphs)) {
		ts := append([]domain.Triple(nil), graphs[name]...)
		sortTriples(ts)
		if err := tw.entity(name, ts); err != nil {
			return err
		}
	}
	return tw.end()
}
