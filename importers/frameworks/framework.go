// Package frameworks imports competency frameworks into Trame and exports
// them again: SKOS (Turtle or JSON-LD), ESCO's CSV (skills and
// collections), Moodle's competency framework CSV (tool_lpimportcsv) and
// the Pix/CRCN JSON. Every import is a version: a new concept scheme
// linked to the framework with dcterms:isVersionOf, while the versions
// imported before stay. Concepts keep the IRIs they come with, so the
// resources aligned to them stay aligned from one version to the next.
// See docs/importers.md.
package frameworks

import (
	"sort"
	"strings"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Format names an input format.
type Format string

// Input formats.
const (
	SKOS      Format = "skos"       // Turtle or JSON-LD
	ESCOCSV   Format = "esco-csv"   // ESCO skills or skills-collection CSV
	MoodleCSV Format = "moodle-csv" // Moodle tool_lpimportcsv
	PixJSON   Format = "pix-json"   // Pix/CRCN referential JSON
)

// Framework is a framework as a reader found it, before versioning: what
// the source says about the framework and about each concept. Readers do
// not type concepts nor place them in schemes: Import does.
type Framework struct {
	IRI      string           // the framework: the scheme IRI of the source, or one minted under the base
	Version  string           // the version the source declares, or ""
	Scheme   *domain.Entity   // the source's statements about the framework (subject IRI)
	Concepts []*domain.Entity // the source's statements about each concept
	Areas    map[string]bool  // concepts that group others (typed trame:CompetencyArea)
	Tops     []string         // top concepts, in order
	Format   Format
}

// newFramework starts a framework with its scheme entity.
func newFramework(iri string, f Format) *Framework {
	return &Framework{IRI: iri, Scheme: &domain.Entity{IRI: iri}, Areas: map[string]bool{}, Format: f}
}

// concept returns the concept iri, creating it.
func (fw *Framework) concept(iri string) *build.Node {
	b := build.New(iri)
	fw.Concepts = append(fw.Concepts, b.Entity())
	return b.Root()
}

// schemeNode returns a builder over the scheme entity.
func (fw *Framework) schemeNode() *build.Node { return build.From(fw.Scheme).Root() }

// finish sorts concepts by IRI and derives the top concepts and areas when
// the reader did not: a concept with no skos:broader inside the framework
// is a top concept, and a top concept that others are narrower than is an
// area.
func (fw *Framework) finish() {
	sort.Slice(fw.Concepts, func(i, j int) bool { return fw.Concepts[i].IRI < fw.Concepts[j].IRI })
	in := map[string]bool{}
	for _, c := range fw.Concepts {
		in[c.IRI] = true
	}
	hasChild := map[string]bool{}
	for _, c := range fw.Concepts {
		for _, b := range c.Values(ontology.Broader) {
			if in[b.Value] {
				hasChild[b.Value] = true
			}
		}
	}
	if len(fw.Tops) == 0 {
		for _, c := range fw.Concepts {
			top := true
			for _, b := range c.Values(ontology.Broader) {
				if in[b.Value] {
					top = false
				}
			}
			if top {
				fw.Tops = append(fw.Tops, c.IRI)
			}
		}
	}
	if len(fw.Areas) == 0 {
		for _, t := range fw.Tops {
			if hasChild[t] {
				fw.Areas[t] = true
			}
		}
	}
}

// slug makes an IRI path segment of s: lower-case ASCII letters, digits,
// "." and "-".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.':
			b.WriteRune(r)
			dash = false
		default:
			if f, ok := accents[r]; ok {
				b.WriteString(f)
				dash = false
				continue
			}
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-.")
}

var accents = map[rune]string{'à': "a", 'â': "a", 'ä': "a", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'ô': "o", 'ö': "o", 'ù': "u", 'û': "u", 'ü': "u", 'ç': "c", 'œ': "oe", 'æ': "ae"}

// resolve makes iri absolute against base: a relative IRI such as
// "frameworks/crcn" names an entity under the server's base.
func resolve(base, iri string) string {
	if iri == "" || strings.Contains(iri, "://") {
		return iri
	}
	return base + strings.TrimPrefix(iri, "/")
}

// lastSegment is the last path segment of an IRI.
func lastSegment(iri string) string {
	iri = strings.TrimRight(iri, "/#")
	if i := strings.LastIndexAny(iri, "/#"); i >= 0 {
		return iri[i+1:]
	}
	return iri
}
