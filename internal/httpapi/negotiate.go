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
func supported() string {
	var parts []string
	for _, f := range Formats {
		parts = append(parts, f.Name+" ("+f.MediaType+")")
	}
	return strings.Join(parts, ", ")
}

// negotiate picks the representation: ?format= wins, then the Accept header
// (q-values honoured), then JSON-LD. It fails with KindNotAcceptable.
func negotiate(r *http.Request) (Format, error) {
	if name := r.URL.Query().Get("format"); name != "" {
		for _, f := range Formats {
			if f.Name == name || f.MediaType == name {
				return f, nil
			}
		}
		return Format{}, domain.Errorf("http.negotiate", domain.KindNotAcceptable, "unsupported format %q; supported: %s", name, supported())
	}
	accept := r.Header.Get("Accept")
	if strings.TrimSpace(accept) == "" {
		return Formats[0], nil
	}
	type choice struct {
		f    Format
		q    float64
		rank int
	}
	var best []choice
	for _, part := range strings.Split(accept, ",") {
		mt, q := parseMediaRange(part)
		if q <= 0 {
			continue
		}
		for i, f := range Formats {
			if matches(mt, f.MediaType) {
				rank := i
				if mt == "*/*" {
					rank += 100 // a wildcard never beats an explicit type
				}
				best = append(best, choice{f, q, rank})
			}
		}
	}
	if len(best) == 0 {
		return Format{}, domain.Errorf("http.negotiate", domain.KindNotAcceptable, "none of the media types in Accept %q is available; supported: %s", accept, supported())
	}
	sort.SliceStable(best, func(i, j int) bool {
		if best[i].q != best[j].q {
			return best[i].q > best[j].q
		}
		return best[i].rank < best[j].rank
	})
	return best[0].f, nil
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

func matches(rangeType, mediaType string) bool {
	if rangeType == "*/*" || rangeType == mediaType {
		return true
	}
	if major, ok := strings.CutSuffix(rangeType, "/*"); ok {
		return strings.HasPrefix(mediaType, major+"/")
	}
	return false
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
