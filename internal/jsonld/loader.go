// Package jsonld is the owner of json-gold: it turns JSON-LD documents into
// domain entities and back, offline. Contexts come only from an embedded,
// read-only set (Trame's own context and a schema.org context); any other
// @context, remote or local, is refused with a clear error and never fetched
// or read.
package jsonld

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/piprate/json-gold/ld"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// loader is a json-gold DocumentLoader over an immutable map of embedded
// contexts. It never touches the network or the file system, and is safe for
// concurrent use because the map is never written after construction.
type loader struct {
	docs map[string]any
}

func newLoader(baseIRI string) *loader {
	l := &loader{docs: map[string]any{}}
	add := func(data []byte, iris ...string) {
		doc, err := ld.DocumentFromReader(bytes.NewReader(data))
		if err != nil {
			panic("jsonld: embedded context does not parse: " + err.Error())
		}
		for _, iri := range iris {
			l.docs[iri] = doc
		}
	}
	add(ontology.Context, ontology.ContextIRI, strings.TrimSuffix(baseIRI, "/")+"/"+ontology.ContextPath)
	add(ontology.SchemaOrgContext, "https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/",
		"https://schema.org/docs/jsonldcontext.json", "https://schema.org/docs/jsonldcontext.jsonld",
		"http://schema.org/docs/jsonldcontext.json")
	return l
}

// LoadDocument answers from the embedded set or fails.
func (l *loader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if doc, ok := l.docs[u]; ok {
		return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
	}
	return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "context "+u+" is not one of the embedded contexts")
}

// known returns the IRIs the loader answers, sorted.
func (l *loader) known() []string {
	out := make([]string, 0, len(l.docs))
	for k := range l.docs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkContexts walks the parsed document and returns a FieldError for every
// @context reference (string) the loader cannot answer, so the client learns
// every bad context at once before any processing.
func (l *loader) checkContexts(v any, path string, errs *[]domain.FieldError) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			p := path + "/" + escapePointer(k)
			if k == "@context" {
				l.checkContextValue(val, p, errs)
				continue
			}
			l.checkContexts(val, p, errs)
		}
	case []any:
		for i, val := range x {
			l.checkContexts(val, path+"/"+itoa(i), errs)
		}
	}
}

func (l *loader) checkContextValue(v any, path string, errs *[]domain.FieldError) {
	switch x := v.(type) {
	case string:
		if _, ok := l.docs[x]; !ok {
			*errs = append(*errs, domain.FieldError{Path: path, Message: "the context " + quote(x) +
				" is not embedded in Trame and is never fetched: use an inline context or one of " + strings.Join(l.known(), ", ")})
		}
	case []any:
		for i, c := range x {
			l.checkContextValue(c, path+"/"+itoa(i), errs)
		}
	case map[string]any:
		// An inline context: its term definitions may hold scoped contexts.
		for k, def := range x {
			if m, ok := def.(map[string]any); ok {
				if c, ok := m["@context"]; ok {
					l.checkContextValue(c, path+"/"+escapePointer(k)+"/@context", errs)
				}
			}
			if k == "@import" {
				if s, ok := def.(string); ok {
					l.checkContextValue(s, path+"/@import", errs)
				}
			}
		}
	}
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
