package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Names of the analysis components registered with bleve.
const (
	// FoldFilter is the accent and ligature folding token filter.
	FoldFilter = "trame_fold"
	// WordTokenizer splits text into words: runs of letters, digits and
	// combining marks. An apostrophe between two letters stays in the word
	// ("aujourd'hui") unless what precedes it is an elided article or
	// pronoun (l', d', qu', jusqu'…), which is dropped: the word's offsets
	// then start after the apostrophe, so highlights mark "Évry" in
	// "d'Évry".
	WordTokenizer = "trame_words"
	// LightStemmer is bleve's stemmer_fr_light with a memory of the words
	// it has stemmed (the same few thousand words come back in every
	// document, and the stemmer converts strings to runes for every suffix
	// it tries).
	LightStemmer = "trame_stemmer_fr_light"
	// MinimalStemmer is bleve's stemmer_fr_min with the same memory.
	MinimalStemmer = "trame_stemmer_fr_min"
	// FrenchAnalyzer is the analyzer of every searchable field: unicode
	// words, lower case, elision (l', d', qu'…), French stop words, folding,
	// light French stemming.
	FrenchAnalyzer = "trame_fr"
	// PreciseAnalyzer is FrenchAnalyzer with the minimal French stemmer
	// (plurals only) instead of the light one, for the title and description
	// twins that reward a document using the very words of the query: the
	// light stemmer reduces "médiateurs", "médiation" and "médias" to close
	// stems, the minimal one keeps them apart.
	PreciseAnalyzer = "trame_fr_precise"
)

func init() {
	registry.RegisterTokenFilter(FoldFilter, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	})
	registry.RegisterTokenFilter(LightStemmer, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return &memoStemmer{stem: fr.NewFrenchLightStemmerFilter()}, nil
	})
	registry.RegisterTokenFilter(MinimalStemmer, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return &memoStemmer{stem: fr.NewFrenchMinimalStemmerFilter()}, nil
	})
	registry.RegisterTokenizer(WordTokenizer, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	})
	for r := rune(0xC0); r < 0x250; r++ {
		folded[r-0xC0] = foldSlow(string(r))
	}
}

// folded holds the folding of the Latin-1 and Latin Extended letters, the
// ones French text is made of.
var folded [0x250 - 0xC0]string

// elided are the French articles and pronouns written with an apostrophe
// before a vowel.
var elided = map[string]bool{"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true}

// memoStemmers remember at most this many words each.
const memoStemmerWords = 1 << 18

// memoStemmer runs a stemmer once per distinct word. It is safe for the
// concurrent analysis workers of bleve.
type memoStemmer struct {
	stem  analysis.TokenFilter
	mu    sync.RWMutex
	known map[string][]byte
}

func (m *memoStemmer) Filter(in analysis.TokenStream) analysis.TokenStream {
	var one [1]*analysis.Token
	for _, tok := range in {
		m.mu.RLock()
		stem, ok := m.known[string(tok.Term)]
		m.mu.RUnlock()
		if ok {
			tok.Term = stem
			continue
		}
		word := string(tok.Term)
		one[0] = tok
		m.stem.Filter(one[:])
		m.mu.Lock()
		if m.known == nil {
			m.known = map[string][]byte{}
		}
		if len(m.known) < memoStemmerWords {
			m.known[word] = append([]byte(nil), tok.Term...)
		}
		m.mu.Unlock()
	}
	return in
}

// wordTokenizer implements WordTokenizer.
type wordTokenizer struct{}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	// tokens live in one slab, allocated once at the right size
	slab := make([]analysis.Token, 0, countWords(input))
	out := make(analysis.TokenStream, 0, cap(slab))
	start, pos := -1, 0
	var prev rune
	emit := func(end int) {
		if start >= 0 && end > start && len(slab) < cap(slab) {
			pos++
			slab = append(slab, analysis.Token{Term: input[start:end], Start: start, End: end, Position: pos, Type: analysis.AlphaNumeric})
			out = append(out, &slab[len(slab)-1])
		}
		start = -1
	}
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			emit(i)
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		case isApostrophe(r) && start >= 0 && unicode.IsLetter(prev) && i+size < len(input):
			next, _ := utf8.DecodeRune(input[i+size:])
			switch {
			case !unicode.IsLetter(next):
				emit(i)
			case elided[strings.ToLower(string(input[start:i]))]:
				start = i + size
			}
		default:
			emit(i)
		}
		prev = r
		i += size
	}
	emit(len(input))
	return out
}

// countWords returns an upper bound of the number of tokens of input: the
// runs of word runes (every token begins one).
func countWords(input []byte) int {
	n, in := 0, false
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		w := isWordRune(r)
		if w && !in {
			n++
		}
		in = w
		i += size
	}
	return n
}

// Fold returns s with its accents and diacritics removed (Unicode NFD, then
// every nonspacing mark dropped), the ligatures œ and æ spelled out and
// typographic apostrophes made plain, so that "Œuvres", "Évry" and
// "naïveté" become "Oeuvres", "Evry" and "naivete". Case is kept. ASCII
// input is returned as is.
func Fold(s string) string {
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case r >= 0xC0 && r < 0x250:
			b.WriteString(folded[r-0xC0])
		case isApostrophe(r):
			b.WriteByte('\'')
		case unicode.Is(unicode.Mn, r):
		default:
			return foldSlow(s)
		}
	}
	return b.String()
}

// foldSlow folds any text through Unicode NFD.
func foldSlow(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case isApostrophe(r):
			b.WriteByte('\'')
		case r == 'œ':
			b.WriteString("oe")
		case r == 'Œ':
			b.WriteString("Oe")
		case r == 'æ':
			b.WriteString("ae")
		case r == 'Æ':
			b.WriteString("Ae")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// foldFilter applies Fold to each token's term. It is a token filter, not a
// char filter: token offsets keep pointing at the original bytes, so
// highlights stay exact and valid UTF-8.
type foldFilter struct{}

func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tok := range in {
		if !isASCII(string(tok.Term)) {
			tok.Term = []byte(Fold(string(tok.Term)))
		}
	}
	return in
}

// Field names of the index and the weight (boost) a match in each brings.
// The title weighs most; then the labels of the competencies the resource
// teaches, its keywords and its publisher; then its description; its
// contents weigh least because they are long.
const (
	FieldName        = "name"
	FieldDescription = "description"
	FieldText        = "text"
	FieldKeywords    = "keywords"
	FieldPublisher   = "publisher"
	FieldCompetency  = "competencies"
	fieldMeta        = "_meta"
	// precise twins of the title and the description (PreciseAnalyzer;
	// indexed only, neither stored nor highlighted)
	fieldNameExact        = "name_exact"
	fieldDescriptionExact = "description_exact"
	// fieldAll holds the terms of every searchable field in one posting
	// list (a composite field: no second analysis), for the membership of
	// common words
	fieldAll = "all"
)

// preciseWeights gives the precise twins their boost: a match there comes on
// top of the match of the light-stemmed field.
var preciseWeights = []struct {
	Field, Of string
	Weight    float64
}{
	{fieldNameExact, FieldName, 4},
	{fieldDescriptionExact, FieldDescription, 1},
}

// fieldWeights gives each searchable field its boost; docs/search.md
// documents them.
var fieldWeights = []struct {
	Field  string
	Weight float64
}{
	{FieldName, 6},
	{FieldCompetency, 3},
	{FieldKeywords, 3},
	{FieldPublisher, 3},
	{FieldDescription, 2},
	{FieldText, 1},
}

// rankingFields are the fields that still rank a common word (one found in
// more than commonShare of the documents): it then matches through
// fieldAll, and only its occurrences in titles, keywords and competency
// labels weigh. Iterating the long posting lists of descriptions and
// contents for a word most documents hold would cost a lot and rank
// little.
var rankingFields = map[string]bool{FieldName: true, FieldKeywords: true, FieldCompetency: true, fieldNameExact: true}

// commonShare is the share of documents above which a word is common.
const commonShare = 0.2

// highlightFields are the fields whose matches are returned as highlights.
var highlightFields = []string{FieldName, FieldDescription, FieldText, FieldCompetency, FieldPublisher, FieldKeywords}

// newMapping returns the index mapping: one document type with the French
// analyzer on every searchable field (stored, for excerpts and highlights;
// no term vectors), no _all field, nothing dynamic, and BM25 scoring.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	if err := im.AddCustomAnalyzer(FrenchAnalyzer, map[string]interface{}{
		"type":      custom.Name,
		"tokenizer": WordTokenizer,
		"token_filters": []interface{}{
			lowercase.Name, fr.ElisionName, fr.StopName, FoldFilter, LightStemmer,
		},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(PreciseAnalyzer, map[string]interface{}{
		"type":      custom.Name,
		"tokenizer": WordTokenizer,
		"token_filters": []interface{}{
			lowercase.Name, fr.ElisionName, fr.StopName, FoldFilter, MinimalStemmer,
		},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = FrenchAnalyzer
	im.ScoringModel = "bm25"
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	dm := mapping.NewDocumentStaticMapping()
	for _, fw := range fieldWeights {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = FrenchAnalyzer
		fm.Store = true
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = false
		dm.AddFieldMappingsAt(fw.Field, fm)
	}
	for _, pw := range preciseWeights {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = PreciseAnalyzer
		fm.Store, fm.IncludeTermVectors, fm.IncludeInAll, fm.DocValues = false, false, false, false
		dm.AddFieldMappingsAt(pw.Field, fm)
	}
	meta := mapping.NewTextFieldMapping()
	meta.Index = false
	meta.Store = true
	meta.IncludeInAll = false
	meta.IncludeTermVectors = false
	meta.DocValues = false
	dm.AddFieldMappingsAt(fieldMeta, meta)
	im.DefaultMapping = dm
	return im, nil
}
