package search

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash/fnv"
	"math"
	"sort"
	"strings"
	"unicode/utf8"
)

// cursor is the position after the last result of a page: the sort key of
// that result (its score, date or sort name) and its IRI, which breaks ties.
// Hash ties it to the search that produced it. On the wire it is opaque:
// base64url of its JSON.
type cursor struct {
	Hash  uint64  `json:"h"`
	Score float64 `json:"s,omitempty"`
	Key   string  `json:"k,omitempty"`
	IRI   string  `json:"i"`
}

var errCursor = errors.New("malformed apres cursor: give back the apres value of a previous answer unchanged")

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	if len(s) > MaxCursorBytes {
		return c, errCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, errCursor
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil || dec.More() || c.IRI == "" || !utf8.ValidString(c.IRI) ||
		math.IsNaN(c.Score) || math.IsInf(c.Score, 0) {
		return cursor{}, errCursor
	}
	return c, nil
}

// requestHash identifies a search by what decides its order and its
// results: the words, the filters and the sort.
func requestHash(terms []string, filters map[string][]string, sortOrder string, withDrafts bool) uint64 {
	h := fnv.New64a()
	w := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	w(sortOrder)
	for _, t := range terms {
		w(t)
	}
	w("|")
	names := make([]string, 0, len(filters))
	for f := range filters {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		vals := append([]string(nil), filters[f]...)
		sort.Strings(vals)
		w(f)
		for _, v := range vals {
			w(v)
		}
	}
	if withDrafts {
		w("drafts")
	}
	return h.Sum64()
}
