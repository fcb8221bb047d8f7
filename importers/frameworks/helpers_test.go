package frameworks_test

import (
	"os"
	"strings"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
)

func readAll(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

func canonicalLines(e *domain.Entity) []string {
	c := sink.Canonical(e, nil)
	if c == "" {
		return nil
	}
	return strings.Split(c, "\n")
}

// diff lists the lines of want missing from got and the lines of got that
// are neither in want nor allowed as extra.
func diff(want, got []string, extra map[string]bool) string {
	in := func(list []string) map[string]bool {
		m := map[string]bool{}
		for _, l := range list {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range want {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range got {
		if !w[l] && !extra[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
