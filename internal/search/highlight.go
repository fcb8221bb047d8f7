package search

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	index "github.com/blevesearch/bleve_index_api"
)

// Highlights are computed for the results of a page only, by analysing
// their stored fields again with the French analyzer: a token is marked when
// its term is a word of the query (or one edit away from a misspelt one).
// The offsets of the tokens are those of the original text (folding is a
// token filter), so the marks fall exactly on the words and the fragments
// stay valid UTF-8. Not storing term vectors makes indexing a quarter
// faster.

// Fragment sizes, in bytes of the original text.
const (
	fragmentSize   = 200 // a fragment of a long field (description, contents)
	fragmentBefore = 40  // context kept before the first mark of a fragment
)

// longFields are cut into one fragment around their best cluster of marks;
// the other fields are lists of short values (one per line), each line with
// a mark being a fragment.
var longFields = map[string]bool{FieldDescription: true, FieldText: true}

// marker decides which terms are marked.
type marker struct {
	exact map[string]bool
	fuzzy []string
}

func newMarker(ws words) marker {
	m := marker{exact: map[string]bool{}}
	for i, t := range ws.terms {
		m.exact[t] = true
		if i < len(ws.fuzzy) && ws.fuzzy[i] {
			m.fuzzy = append(m.fuzzy, t)
		}
	}
	return m
}

func (m marker) marks(term string) bool {
	if m.exact[term] {
		return true
	}
	for _, f := range m.fuzzy {
		if withinOneEdit(f, term) {
			return true
		}
	}
	return false
}

// withinOneEdit reports whether a and b differ by at most one inserted,
// deleted or replaced rune, their first rune being the same (as the fuzzy
// query asks).
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) == 0 || len(rb) == 0 || ra[0] != rb[0] {
		return false
	}
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	if i == len(ra) {
		return true
	}
	if len(ra) == len(rb) {
		return string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i:]) == string(rb[i+1:])
}

// span is a marked token's byte range in the field's text.
type span struct{ start, end int }

// highlight returns the fragments of one field's text, HTML-escaped with
// the marked words in <mark>, or nil when no word is marked.
func highlight(an analysis.Analyzer, m marker, field, text string) []string {
	var spans []span
	for _, tok := range an.Analyze([]byte(text)) {
		if m.marks(string(tok.Term)) {
			spans = append(spans, span{tok.Start, tok.End})
		}
	}
	if len(spans) == 0 {
		return nil
	}
	if longFields[field] {
		from, to := bestWindow(text, spans)
		return []string{fragment(text, spans, from, to)}
	}
	var out []string
	lineStart := 0
	for lineStart <= len(text) {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		for _, s := range spans {
			if s.start >= lineStart && s.end <= lineEnd {
				out = append(out, fragment(text, spans, lineStart, lineEnd))
				break
			}
		}
		lineStart = lineEnd + 1
	}
	return out
}

// bestWindow returns the fragmentSize bytes of text holding the most marks,
// starting a little before the first of them, on rune boundaries.
func bestWindow(text string, spans []span) (int, int) {
	best, bestCount := 0, 0
	for i, s := range spans {
		n := 0
		for _, t := range spans[i:] {
			if t.end-s.start > fragmentSize {
				break
			}
			n++
		}
		if n > bestCount {
			best, bestCount = i, n
		}
	}
	from := max(0, spans[best].start-fragmentBefore)
	if from > 0 {
		if sp := strings.IndexAny(text[from:spans[best].start], " \n"); sp >= 0 {
			from += sp + 1 // start on a word
		}
	}
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	to := min(len(text), from+fragmentSize)
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	if to < spans[best].end {
		to = spans[best].end
	}
	return from, to
}

// fragment renders text[from:to] escaped, with the spans inside it marked
// and an ellipsis where the text was cut.
func fragment(text string, spans []span, from, to int) string {
	var b strings.Builder
	if from > 0 && text[from-1] != '\n' {
		b.WriteString("…")
	}
	at := from
	for _, s := range spans {
		if s.start < at || s.end > to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) && text[to] != '\n' {
		b.WriteString("…")
	}
	return strings.TrimSpace(b.String())
}

// storedFields returns the stored text fields of a document.
func (ix *Index) storedFields(iri string) (map[string]string, error) {
	doc, err := ix.idx.Document(iri)
	if err != nil || doc == nil {
		return nil, err
	}
	out := map[string]string{}
	doc.VisitFields(func(f index.Field) {
		if f.Name() != fieldMeta {
			out[f.Name()] = string(f.Value())
		}
	})
	return out, nil
}
