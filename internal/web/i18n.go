package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Languages of the pages: French first, English second.
const (
	French  = "fr"
	English = "en"
)

// Langs lists the page languages in order of preference.
var Langs = []string{French, English}

//go:embed messages/*.json
var messageFiles embed.FS

// Messages is a message catalogue: one map of key → text per language. A
// text may hold placeholders {0}, {1}… replaced by the arguments in order.
// A key whose count decides the wording has the forms key.one and key.other.
type Messages map[string]map[string]string

// LoadMessages reads the embedded catalogues messages/<lang>.json.
func LoadMessages() (Messages, error) {
	m := Messages{}
	for _, lang := range Langs {
		b, err := messageFiles.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		var cat map[string]string
		if err := json.Unmarshal(b, &cat); err != nil {
			return nil, fmt.Errorf("web: messages/%s.json: %w", lang, err)
		}
		m[lang] = cat
	}
	return m, nil
}

// T returns the text of key in lang with its placeholders filled; a key
// missing in lang falls back to French, then to the key itself (tests make
// sure that never happens).
func (m Messages) T(lang, key string, args ...any) string {
	s, ok := m[lang][key]
	if !ok {
		if s, ok = m[French][key]; !ok {
			return key
		}
	}
	if len(args) == 0 || !strings.Contains(s, "{") {
		return s
	}
	pairs := make([]string, 0, 2*len(args))
	for i, a := range args {
		pairs = append(pairs, "{"+strconv.Itoa(i)+"}", fmt.Sprint(a))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// N returns the plural form of key for count n (key.one or key.other, by
// the rules of lang: 0 and 1 are singular in French, only 1 in English),
// with n as the placeholder {0} and args after it.
func (m Messages) N(lang, key string, n int, args ...any) string {
	form := ".other"
	if n == 1 || (n == 0 && lang == French) {
		form = ".one"
	}
	return m.T(lang, key+form, append([]any{formatInt(lang, n)}, args...)...)
}

// Keys returns the keys of lang's catalogue, sorted.
func (m Messages) Keys(lang string) []string {
	out := make([]string, 0, len(m[lang]))
	for k := range m[lang] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// formatInt writes n with the thousands separator of lang (a narrow
// no-break space in French, a comma in English).
func formatInt(lang string, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "\u202f"
	if lang == English {
		sep = ","
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
