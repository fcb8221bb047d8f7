package search

import (
	"sort"
	"strings"
	"unicode"

	"github.com/RoaringBitmap/roaring/v2"
)

// Limits of suggest, documented in docs/search.md.
const (
	DefaultSuggestions = 8   // suggestions returned unless the caller asks for fewer or more
	MaxSuggestions     = 20  // the most suggestions one call returns
	MaxSuggestRunes    = 100 // the longest prefix accepted
	maxPrefixWords     = 512 // words of the title vocabulary one query word may expand to
)

// Suggestion kinds.
const (
	SuggestResource   = "ressource"
	SuggestCompetence = FacetCompetence
	SuggestEditeur    = FacetEditeur
)

// Suggestion is one type-ahead proposal: a resource title (ID is the
// resource), a competency label or a publisher name (Facet and Value say how
// to filter on it).
type Suggestion struct {
	Label string `json:"label"`
	Kind  string `json:"kind"`
	ID    string `json:"id"`
	Facet string `json:"facet,omitempty"`
	Value string `json:"value,omitempty"`
}

// foldWords splits s into lower-case folded words (letters and digits).
func foldWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(Fold(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// wordIndex maps the folded words of document titles to the documents, with
// the vocabulary kept sorted for prefix look-ups.
type wordIndex struct {
	docs  map[string]*roaring.Bitmap
	vocab []string // sorted; may hold words no longer used
}

func newWordIndex() *wordIndex { return &wordIndex{docs: map[string]*roaring.Bitmap{}} }

func (w *wordIndex) add(o uint32, title string) {
	for _, word := range foldWords(title) {
		b := w.docs[word]
		if b == nil {
			b = roaring.New()
			w.docs[word] = b
			i := sort.SearchStrings(w.vocab, word)
			if i == len(w.vocab) || w.vocab[i] != word {
				w.vocab = append(w.vocab, "")
				copy(w.vocab[i+1:], w.vocab[i:])
				w.vocab[i] = word
			}
		}
		b.Add(o)
	}
}

func (w *wordIndex) remove(o uint32, title string) {
	for _, word := range foldWords(title) {
		if b := w.docs[word]; b != nil {
			b.Remove(o)
		}
	}
}

// prefixed returns the documents having a word that starts with p.
func (w *wordIndex) prefixed(p string) *roaring.Bitmap {
	i := sort.SearchStrings(w.vocab, p)
	var sets []*roaring.Bitmap
	for ; i < len(w.vocab) && strings.HasPrefix(w.vocab[i], p) && len(sets) < maxPrefixWords; i++ {
		if b := w.docs[w.vocab[i]]; b != nil && !b.IsEmpty() {
			sets = append(sets, b)
		}
	}
	return roaring.FastOr(sets...)
}

// matchesWords reports whether every query word is a prefix of a word of
// label.
func matchesWords(query []string, label string) bool {
	words := foldWords(label)
	for _, q := range query {
		found := false
		for _, w := range words {
			if strings.HasPrefix(w, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// rankLabel orders suggestions: labels that start with the query first, then
// shorter labels, then alphabetical order.
func rankLabel(folded, label string) (int, int, string) {
	l := strings.Join(foldWords(label), " ")
	first := 1
	if strings.HasPrefix(l, folded) {
		first = 0
	}
	return first, len(l), l
}

type rankedSuggestion struct {
	s     Suggestion
	first int
	size  int
	key   string
}

func sortSuggestions(list []rankedSuggestion) {
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.first != b.first {
			return a.first < b.first
		}
		if a.size != b.size {
			return a.size < b.size
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.s.ID < b.s.ID
	})
}
