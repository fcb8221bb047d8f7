package opendata_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
)

// quad is one RDF statement of a dataset; G is the graph (a zero Term for
// the default graph).
type quad struct{ S, P, O, G domain.Term }

func (q quad) String() string {
	s := q.S.String() + " " + q.P.String() + " " + q.O.String()
	if q.G.Kind != 0 {
		s += " " + q.G.String()
	}
	return s + " ."
}

// parseNQuads reads N-Quads (or N-Triples) as Oxigraph writes them: one
// statement per line, terms in canonical form.
func parseNQuads(r io.Reader) ([]quad, error) {
	var out []quad
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		var terms []domain.Term
		rest := line
		for len(terms) < 4 {
			rest = strings.TrimLeft(rest, " \t")
			if rest == "" || rest[0] == '.' {
				break
			}
			t, tail, err := parseTerm(rest)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v: %s", n, err, line)
			}
			terms, rest = append(terms, t), tail
		}
		if len(terms) < 3 || strings.TrimSpace(rest) != "." {
			return nil, fmt.Errorf("line %d: not a statement: %s", n, line)
		}
		q := quad{S: terms[0], P: terms[1], O: terms[2]}
		if len(terms) == 4 {
			q.G = terms[3]
		}
		out = append(out, q)
	}
	return out, sc.Err()
}

func parseTerm(s string) (domain.Term, string, error) {
	switch {
	case s[0] == '<':
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return domain.Term{}, "", fmt.Errorf("unterminated IRI")
		}
		return domain.NewIRI(unescape(s[1:end])), s[end+1:], nil
	case strings.HasPrefix(s, "_:"):
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		return domain.NewBlank(s[2:end]), s[end:], nil
	case s[0] == '"':
		var b strings.Builder
		i := 1
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				switch s[i] {
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				case 't':
					b.WriteByte('\t')
				case 'b':
					b.WriteByte('\b')
				case 'f':
					b.WriteByte('\f')
				case 'u', 'U':
					w := 4
					if s[i] == 'U' {
						w = 8
					}
					var r rune
					fmt.Sscanf(s[i+1:i+1+w], "%x", &r)
					b.WriteRune(r)
					i += w
				default:
					b.WriteByte(s[i])
				}
				continue
			}
			b.WriteByte(s[i])
		}
		rest := s[i+1:]
		switch {
		case strings.HasPrefix(rest, "@"):
			end := strings.IndexAny(rest, " \t")
			return domain.NewLangString(b.String(), rest[1:end]), rest[end:], nil
		case strings.HasPrefix(rest, "^^<"):
			end := strings.IndexByte(rest, '>')
			return domain.NewTyped(b.String(), rest[3:end]), rest[end+1:], nil
		}
		return domain.NewString(b.String()), rest, nil
	}
	return domain.Term{}, "", fmt.Errorf("unexpected %q", s[:min(10, len(s))])
}

// unescape decodes \uXXXX and \UXXXXXXXX escapes inside IRIs.
func unescape(s string) string {
	if !strings.Contains(s, `\u`) && !strings.Contains(s, `\U`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == 'u' || s[i+1] == 'U') {
			w := 4
			if s[i+1] == 'U' {
				w = 8
			}
			var r rune
			fmt.Sscanf(s[i+2:i+2+w], "%x", &r)
			b.WriteRune(r)
			i += 1 + w
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// isomorphic reports whether two datasets are equal up to a renaming of
// blank nodes, and describes the first difference when they are not.
// Blank nodes are matched by iterated neighbourhood hashes; nodes left
// indistinguishable are matched by backtracking.
func isomorphic(a, b []quad) (bool, string) {
	a, b = dedup(a), dedup(b)
	if len(a) != len(b) {
		return false, fmt.Sprintf("%d statements against %d", len(a), len(b))
	}
	ha, hb := blankHashes(a), blankHashes(b)
	if len(ha) != len(hb) {
		return false, fmt.Sprintf("%d blank nodes against %d", len(ha), len(hb))
	}
	groupsA, groupsB := byHash(ha), byHash(hb)
	var keys []string
	for h, as := range groupsA {
		if len(groupsB[h]) != len(as) {
			return false, "no blank node of the second dataset matches the neighbourhood " + h[:8] + " of the first: " + firstWith(a, as[0])
		}
		keys = append(keys, h)
	}
	sort.Strings(keys)
	setB := map[quad]bool{}
	for _, q := range b {
		setB[q] = true
	}
	mapping := map[string]string{}
	used := map[string]bool{}
	var try func(k, i int) bool
	try = func(k, i int) bool {
		if k == len(keys) {
			for _, q := range a {
				if !setB[rename(q, mapping)] {
					return false
				}
			}
			return true
		}
		as, bs := groupsA[keys[k]], groupsB[keys[k]]
		if i == len(as) {
			return try(k+1, 0)
		}
		for _, cand := range bs {
			if used[cand] {
				continue
			}
			mapping[as[i]], used[cand] = cand, true
			if try(k, i+1) {
				return true
			}
			delete(mapping, as[i])
			used[cand] = false
		}
		return false
	}
	if try(0, 0) {
		return true, ""
	}
	identity := map[string]string{}
	for _, q := range a {
		if !setB[rename(q, identity)] && !hasBlank(q) {
			return false, "only in the first: " + q.String()
		}
	}
	return false, "the blank nodes cannot be matched"
}

func dedup(qs []quad) []quad {
	seen := map[quad]bool{}
	var out []quad
	for _, q := range qs {
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

func hasBlank(q quad) bool { return q.S.IsBlank() || q.O.IsBlank() || q.G.IsBlank() }

func rename(q quad, m map[string]string) quad {
	r := func(t domain.Term) domain.Term {
		if t.IsBlank() {
			if v, ok := m[t.Value]; ok {
				t.Value = v
			}
		}
		return t
	}
	return quad{r(q.S), q.P, r(q.O), r(q.G)}
}

// blankHashes computes a hash of each blank node's neighbourhood, refined
// over a few rounds with the hashes of the blank nodes next to it.
func blankHashes(qs []quad) map[string]string {
	h := map[string]string{}
	for _, q := range qs {
		for _, t := range []domain.Term{q.S, q.O, q.G} {
			if t.IsBlank() {
				h[t.Value] = ""
			}
		}
	}
	for round := 0; round < 6; round++ {
		sigs := map[string][]string{}
		for _, q := range qs {
			for pos, t := range []domain.Term{q.S, q.O, q.G} {
				if !t.IsBlank() {
					continue
				}
				show := func(x domain.Term) string {
					if x == t {
						return "@self"
					}
					if x.IsBlank() {
						return "_:" + h[x.Value]
					}
					return x.String()
				}
				sigs[t.Value] = append(sigs[t.Value], fmt.Sprintf("%d|%s|%s|%s|%s", pos, show(q.S), q.P.String(), show(q.O), show(q.G)))
			}
		}
		next := map[string]string{}
		for k, s := range sigs {
			sort.Strings(s)
			sum := sha256.Sum256([]byte(strings.Join(s, "\n")))
			next[k] = hex.EncodeToString(sum[:])
		}
		h = next
	}
	return h
}

func byHash(h map[string]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range h {
		out[v] = append(out[v], k)
	}
	return out
}

func firstWith(qs []quad, blank string) string {
	for _, q := range qs {
		if (q.S.IsBlank() && q.S.Value == blank) || (q.O.IsBlank() && q.O.Value == blank) {
			return q.String()
		}
	}
	return ""
}
