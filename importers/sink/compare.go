package sink

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
)

// Canonical renders the description of e as sorted N-Triples lines in which
// every blank node is labelled by a digest of what it states (recursively),
// so two descriptions that state the same thing render the same text
// whatever their blank node labels. Triples for which skip returns true are
// left out (skip may be nil). Blank nodes are expected to form trees, as in
// every entity Trame stores; a cycle between blank nodes is cut.
func Canonical(e *domain.Entity, skip func(domain.Triple) bool) string {
	bySubject := map[string][]domain.Triple{}
	for _, t := range e.Triples {
		if t.S.IsBlank() {
			bySubject[t.S.Value] = append(bySubject[t.S.Value], t)
		}
	}
	sigs := map[string]string{}
	var sig func(label string, depth int) string
	sig = func(label string, depth int) string {
		if s, ok := sigs[label]; ok {
			return s
		}
		if depth > 32 {
			return "_:cycle"
		}
		sigs[label] = "_:cycle" // cut cycles while computing
		var lines []string
		for _, t := range bySubject[label] {
			lines = append(lines, t.P.String()+" "+term(t.O, sig, depth+1))
		}
		sort.Strings(lines)
		h := sha256.Sum256([]byte(strings.Join(lines, "\n")))
		s := "_:c" + hex.EncodeToString(h[:8])
		sigs[label] = s
		return s
	}
	lines := make([]string, 0, len(e.Triples))
	for _, t := range e.Triples {
		if skip != nil && skip(t) {
			continue
		}
		lines = append(lines, term(t.S, sig, 0)+" "+t.P.String()+" "+term(t.O, sig, 0)+" .")
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func term(t domain.Term, sig func(string, int) string, depth int) string {
	if t.IsBlank() {
		return sig(t.Value, depth)
	}
	return t.String()
}

// Digest is a short hex digest of Canonical(e, skip).
func Digest(e *domain.Entity, skip func(domain.Triple) bool) string {
	h := sha256.Sum256([]byte(Canonical(e, skip)))
	return hex.EncodeToString(h[:16])
}

// Same reports whether a and b state the same thing, ignoring the triples
// skip selects.
func Same(a, b *domain.Entity, skip func(domain.Triple) bool) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.IRI == b.IRI && Canonical(a, skip) == Canonical(b, skip)
}

// SkipRootPredicates returns a skip function that leaves out the triples of
// the entity's own node whose predicate is one of preds (for example the
// harvest time, which changes on every run without the content changing).
func SkipRootPredicates(iri string, preds ...string) func(domain.Triple) bool {
	set := map[string]bool{}
	for _, p := range preds {
		set[p] = true
	}
	return func(t domain.Triple) bool { return t.S.IsIRI() && t.S.Value == iri && set[t.P.Value] }
}
