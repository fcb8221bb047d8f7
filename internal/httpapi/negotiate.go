package httpapi

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
)

// Format is one representation of an entity.
type Format struct {
	Name      string // the ?format= value
	MediaType string
}

// Formats an entity can be read in, in order of preference when the client
// accepts several equally.
var Formats = []Format{
	{"jsonld", "application/ld+json"},
	{"ttl", "text/turtle"},
	{"nt", "application/n-triples"},
	{"nq", "application/n-quads"},
	{"html", "text/html"},
	{"json", "application/json"},
}

// supported lists the format names and media types for error messages.
func supported(formats []Format) string {
	var parts []string
	for _, f := range formats {
		parts = append(parts, f.Name+" ("+f.MediaType+")")
	}
	return strings.Join(parts, ", ")
}

// negotiate picks the representation of an entity: ?format= wins, then
// the Accept header (q-values honoured), then JSON-LD. It fails with
// KindNotAcceptable, listing the supported formats.
func negotiate(r *http.Request) (Format, error) { return negotiateFrom(r, Formats) }

// negotiateFrom picks one of formats (the first is the default) the same way.
func negotiateFrom(r *http.Request, formats []Format) (Format, error) {
	if name := r.URL.Query().Get("format"); name != "" {
		for _, f := range formats {
			if f.Name == name || f.MediaType == name {
				return f, nil
			}
		}
		return Format{}, domain.Errorf("http.negotiate", domain.KindNotAcceptable, "unsupported format %q; supported: %s", name, supported(formats))
	}
	accept := r.Header.Get("Accept")
	if strings.TrimSpace(accept) == "" {
		return formats[0], nil
	}
	// Each format gets the q-value of the most specific media range that
	// matches it (RFC 9110 §12.5.1): "text/turtle;q=0, */*" excludes Turtle.
	type choice struct {
		f    Format
		q    float64
		spec int // 3 exact, 2 type/*, 1 */*
		rank int
	}
	var best []choice
	for i, f := range formats {
		c := choice{f: f, rank: i}
		for _, part := range strings.Split(accept, ",") {
			mt, q := parseMediaRange(part)
			if sp := specificity(mt, f.MediaType); sp > c.spec {
				c.spec, c.q = sp, q
			}
		}
		if c.spec > 0 && c.q > 0 {
			best = append(best, c)
		}
	}
	if len(best) == 0 {
		return Format{}, domain.Errorf("http.negotiate", domain.KindNotAcceptable, "none of the media types in Accept %q is available; supported: %s", accept, supported(formats))
	}
	sort.SliceStable(best, func(i, j int) bool {
		a, b := best[i], best[j]
		if a.q != b.q {
			return a.q > b.q
		}
		if (a.spec == 1) != (b.spec == 1) {
			return a.spec > b.spec // a wildcard never beats an explicit type of equal q
		}
		return a.rank < b.rank
	})
	return best[0].f, nil
}

// specificity is how precisely a media range names mediaType: 3 for the
// type itself, 2 for type/*, 1 for */*, 0 when it does not match.
func specificity(rangeType, mediaType string) int {
	switch {
	case rangeType == mediaType:
		return 3
	case rangeType == "*/*":
		return 1
	}
	if major, ok := strings.CutSuffix(rangeType, "/*"); ok && strings.HasPrefix(mediaType, major+"/") {
		return 2
	}
	return 0
}

func parseMediaRange(s string) (string, float64) {
	parts := strings.Split(s, ";")
	mt := strings.ToLower(strings.TrimSpace(parts[0]))
	q := 1.0
	for _, p := range parts[1:] {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(k, "q") {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
	}
	return mt, q
}

// language picks the language of messages: "en" when Accept-Language
// prefers English, "fr" otherwise.
func language(r *http.Request) string {
	al := strings.ToLower(r.Header.Get("Accept-Language"))
	if strings.HasPrefix(strings.TrimSpace(al), "en") {
		return "en"
	}
	return "fr"
}
