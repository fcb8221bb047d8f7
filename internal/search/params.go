package search

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/trame-commun/trame/internal/domain"
)

// Limits of the search API, documented in docs/search.md.
const (
	MaxQueryRunes      = 200   // the longest query text, in characters
	MaxQueryTerms      = 16    // the most distinct words a query may search for
	DefaultPerPage     = 20    // results per page unless parPage says otherwise
	MaxPerPage         = 100   // the largest parPage
	MaxWindow          = 10000 // page × parPage may not go past this: page deeper with apres
	MaxFilterValues    = 64    // the most values one request may filter on, over all facets
	MaxCursorBytes     = 1024  // the longest apres cursor
	maxListedValues    = 150   // valid values listed in an "unknown value" error
	paramQuery         = "q"
	paramQueryLesBases = "r"
	paramSort          = "tri"
	paramPage          = "page"
	paramPerPage       = "parPage"
	paramAfter         = "apres"
)

// Sort orders (the values of tri).
const (
	SortRelevance = "pertinence" // best match first; most recent first when there is no text
	SortRecent    = "recent"     // most recent date first (modified, published or created)
	SortOldest    = "ancien"
	SortAZ        = "a-z" // title, accents and case ignored
	SortZA        = "z-a"
)

var sorts = []string{SortRelevance, SortRecent, SortOldest, SortAZ, SortZA}

// Request is a parsed search.
type Request struct {
	Text       string              // the words to look for; "" lists everything visible
	Filters    map[string][]string // facet → keys: OR within a facet, AND across facets
	Sort       string              // one of the Sort* constants
	Page       int                 // from 1
	PerPage    int                 // 1 to MaxPerPage
	After      string              // the apres cursor of a previous answer, or ""
	Lang       string              // language of the labels: "fr" or "en"
	WithDrafts bool                // the caller may see drafts (authenticated)
}

// Vocabulary says which keys each facet accepts.
type Vocabulary interface {
	// Known reports whether value is a key the facet accepts.
	Known(facet, value string) bool
	// Keys returns the keys the facet accepts, sorted, for error messages.
	Keys(facet string) []string
}

// ParseParams reads the query parameters of a search, compatible with Les
// Bases URLs: r or q for the text, thematiques, types, beneficiaires,
// secteurs and departements with Les Bases keys (repeated keys or
// comma-separated values), plus categories, licence, referentiel,
// competence, niveau, editeur, nature and langue; tri, page, parPage and
// apres. Unknown parameters are ignored. Every problem is reported at once
// in a KindInvalid error whose Fields name the parameters; nothing in the
// text is ever read as query syntax.
func ParseParams(values url.Values, voc Vocabulary) (Request, error) {
	req := Request{Sort: SortRelevance, Page: 1, PerPage: DefaultPerPage, Lang: "fr", Filters: map[string][]string{}}
	var errs []domain.FieldError
	fail := func(param, format string, args ...any) {
		errs = append(errs, domain.FieldError{Path: param, Message: fmt.Sprintf(format, args...)})
	}
	for k, vs := range values {
		if !utf8.ValidString(k) {
			fail("(name)", "a parameter name is not valid UTF-8")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				fail(safe(k), "the value is not valid UTF-8")
			}
		}
	}
	if len(errs) > 0 {
		return req, invalid(errs)
	}
	req.Text = parseText(values, fail)
	total := 0
	for _, d := range facetDefs {
		for _, raw := range values[d.Name] {
			for _, v := range splitValues(raw, d.IRIs) {
				if d.Kind == kindLangue {
					v = strings.ToLower(v)
				}
				total++
				if voc != nil && !voc.Known(d.Name, v) {
					fail(d.Name, "unknown value %q; valid values: %s", v, listValues(voc.Keys(d.Name)))
					continue
				}
				if !contains(req.Filters[d.Name], v) {
					req.Filters[d.Name] = append(req.Filters[d.Name], v)
				}
			}
		}
	}
	if total > MaxFilterValues {
		fail("filters", "%d filter values; at most %d are accepted", total, MaxFilterValues)
	}
	if v := values.Get(paramSort); v != "" {
		if !contains(sorts, v) {
			fail(paramSort, "unknown sort order %q; valid values: %s", v, strings.Join(sorts, ", "))
		} else {
			req.Sort = v
		}
	}
	req.Page = parseInt(values, paramPage, 1, 1, MaxWindow, fail)
	req.PerPage = parseInt(values, paramPerPage, DefaultPerPage, 1, MaxPerPage, fail)
	if req.Page*req.PerPage > MaxWindow {
		fail(paramPage, "page %d of %d results goes past the first %d results; follow the apres cursor to page deeper", req.Page, req.PerPage, MaxWindow)
	}
	if v := values.Get(paramAfter); v != "" {
		if req.Page != 1 {
			fail(paramAfter, "apres and page cannot be combined: the cursor already says where the page starts")
		}
		if _, err := decodeCursor(v); err != nil {
			fail(paramAfter, "%s", err.Error())
		}
		req.After = v
	}
	if len(errs) > 0 {
		return req, invalid(errs)
	}
	return req, nil
}

func parseText(values url.Values, fail func(string, string, ...any)) string {
	q, r := values.Get(paramQuery), values.Get(paramQueryLesBases)
	if q != "" && r != "" && q != r {
		fail(paramQuery, "q and r are the same parameter (r is Les Bases' name): give one of them")
	}
	text := q
	if text == "" {
		text = r
	}
	text = strings.TrimSpace(text)
	if n := utf8.RuneCountInString(text); n > MaxQueryRunes {
		fail(paramQuery, "the query is %d characters long; at most %d are accepted", n, MaxQueryRunes)
		return ""
	}
	return text
}

func parseInt(values url.Values, name string, def, lo, hi int, fail func(string, string, ...any)) int {
	v := values.Get(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		fail(name, "%s must be an integer from %d to %d, not %q", name, lo, hi, v)
		return def
	}
	return n
}

// splitValues splits a parameter value on commas (except for IRIs), trims
// spaces and drops empty parts.
func splitValues(raw string, iris bool) []string {
	parts := []string{raw}
	if !iris {
		parts = strings.Split(raw, ",")
	}
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func listValues(keys []string) string {
	if len(keys) == 0 {
		return "(none yet)"
	}
	keys = append([]string(nil), keys...)
	sort.Strings(keys)
	if len(keys) > maxListedValues {
		return strings.Join(keys[:maxListedValues], ", ") + fmt.Sprintf(", … (%d more)", len(keys)-maxListedValues)
	}
	return strings.Join(keys, ", ")
}

// safe returns s with invalid UTF-8 replaced, for error messages.
func safe(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }

func invalid(errs []domain.FieldError) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Path + ": " + e.Message
	}
	return &domain.Error{Op: "search", Kind: domain.KindInvalid, Message: "invalid search parameters: " + strings.Join(msgs, "; "), Fields: errs}
}
