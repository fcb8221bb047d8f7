package search

import (
	"strconv"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Labels answers what the index needs to know about the entities a resource
// points to (its publisher, competencies, facet values): their labels and a
// few of their properties. cmd/trame satisfies it with the graph view, which
// is always applied before the search view.
type Labels interface {
	// Label returns the display label of iri in lang (schema:name or
	// skos:prefLabel, French as fallback), or "" when iri is unknown.
	Label(iri, lang string) string
	// Values returns the objects of (iri, predicate): IRIs or lexical forms.
	Values(iri, predicate string) []string
	// Referrers returns the subjects of every triple (?, predicate, object)
	// whose object is the IRI object; drafts are left out when published
	// is set.
	Referrers(predicate, object string, published bool) []string
	// IsDraft reports whether iri is held as a draft.
	IsDraft(iri string) bool
}

// source is what the index keeps of a resource's own description: its texts
// (stored in the bleve fields) and the IRIs it points to (stored in the
// _meta field), enough to rebuild its document when a label changes.
type source struct {
	IRI         string   `json:"-"`
	Draft       bool     `json:"d,omitempty"`
	Names       []string `json:"-"`
	Description string   `json:"-"`
	Text        string   `json:"-"`
	Keywords    string   `json:"-"`
	Types       []string `json:"ty,omitempty"`
	About       []string `json:"ab,omitempty"`
	Kinds       []string `json:"lt,omitempty"` // learningResourceType
	Audience    []string `json:"au,omitempty"`
	Sectors     []string `json:"se,omitempty"`
	Places      []string `json:"sp,omitempty"`
	Licences    []string `json:"li,omitempty"`
	Publishers  []string `json:"pu,omitempty"`
	Languages   []string `json:"la,omitempty"`
	Taught      []string `json:"co,omitempty"` // competencies taught or assessed
	Levels      []string `json:"le,omitempty"` // levels taught: numbers or level IRIs
	Date        string   `json:"dt,omitempty"` // most recent of modified, published, created, stored
}

// IsSearchable reports whether an entity with these types belongs in the
// search index: every learning resource, parcours included.
func IsSearchable(types []string) bool {
	for _, t := range types {
		if ontology.IsA(t, ontology.LearningResource) {
			return true
		}
	}
	return false
}

// extract reads a resource entity into a source.
func extract(e *domain.Entity, rec domain.Record) source {
	s := source{IRI: e.IRI, Draft: rec.Draft, Types: append([]string(nil), e.Types...)}
	s.Names = orderByLang(e.Values(ontology.Name))
	s.Description = strings.Join(literals(e.Values(ontology.Description)), "\n")
	s.Text = strings.Join(literals(e.Values(ontology.Text)), "\n")
	s.Keywords = strings.Join(literals(e.ListValues(ontology.Keywords)), ", ")
	s.About = iris(e.Values(ontology.About))
	s.Kinds = iris(e.Values(ontology.LearningResourceType))
	s.Audience = iris(e.Values(ontology.Audience))
	s.Sectors = iris(e.Values(ontology.ProfessionalSector))
	s.Places = iris(e.Values(ontology.SpatialCoverage))
	s.Licences = iris(e.Values(ontology.LicenseProp))
	s.Publishers = iris(e.Values(ontology.Publisher))
	for _, l := range e.Values(ontology.InLanguage) {
		if l.Value != "" {
			s.Languages = append(s.Languages, strings.ToLower(l.Value))
		}
	}
	for _, a := range e.Alignments(nil) {
		if a.Competency == "" || (a.Type != domain.Teaches && a.Type != domain.Assesses) {
			continue
		}
		s.Taught = appendUniq(s.Taught, a.Competency)
		if a.Type == domain.Teaches {
			switch {
			case a.LevelIRI != "":
				s.Levels = appendUniq(s.Levels, a.LevelIRI)
			case a.Level > 0:
				s.Levels = appendUniq(s.Levels, strconv.Itoa(a.Level))
			}
		}
	}
	for _, p := range []string{ontology.DateCreated, ontology.DatePublished, ontology.DateModified} {
		if d := datePart(e.First(p)); d > s.Date {
			s.Date = d
		}
	}
	if s.Date == "" && !rec.Updated.IsZero() {
		s.Date = rec.Updated.UTC().Format(time.DateOnly)
	}
	return s
}

// orderByLang returns the lexical forms of literal terms, French first,
// then untagged, then the others.
func orderByLang(ts []domain.Term) []string {
	var fr, plain, other []string
	for _, t := range ts {
		switch {
		case !t.IsLiteral() || t.Value == "":
		case t.Lang == "fr":
			fr = append(fr, t.Value)
		case t.Lang == "":
			plain = append(plain, t.Value)
		default:
			other = append(other, t.Value)
		}
	}
	return append(append(fr, plain...), other...)
}

// datePart returns the YYYY-MM-DD prefix of an xsd:date or xsd:dateTime, or
// "" when s is not one.
func datePart(s string) string {
	if len(s) < 10 {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
		return ""
	}
	return s[:10]
}

func literals(ts []domain.Term) []string {
	var out []string
	for _, t := range ts {
		if t.IsLiteral() && t.Value != "" {
			out = append(out, t.Value)
		}
	}
	return out
}

func iris(ts []domain.Term) []string {
	var out []string
	for _, t := range ts {
		if t.IsIRI() {
			out = appendUniq(out, t.Value)
		}
	}
	return out
}

func appendUniq(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// memoLabels remembers the answers of Labels during one Apply: resources
// share their publishers, competencies and vocabularies, and the graph
// answers each question with a path query.
type memoLabels struct {
	lab    Labels
	labels map[[2]string]string
	values map[[2]string][]string
	drafts map[string]bool
}

func newMemoLabels(lab Labels) Labels {
	if lab == nil {
		return nil
	}
	return &memoLabels{lab: lab, labels: map[[2]string]string{}, values: map[[2]string][]string{}, drafts: map[string]bool{}}
}

func (m *memoLabels) Label(iri, lang string) string {
	k := [2]string{iri, lang}
	v, ok := m.labels[k]
	if !ok {
		v = m.lab.Label(iri, lang)
		m.labels[k] = v
	}
	return v
}

func (m *memoLabels) Values(iri, predicate string) []string {
	k := [2]string{iri, predicate}
	v, ok := m.values[k]
	if !ok {
		v = m.lab.Values(iri, predicate)
		m.values[k] = v
	}
	return v
}

func (m *memoLabels) Referrers(predicate, object string, published bool) []string {
	return m.lab.Referrers(predicate, object, published)
}

func (m *memoLabels) IsDraft(iri string) bool {
	v, ok := m.drafts[iri]
	if !ok {
		v = m.lab.IsDraft(iri)
		m.drafts[iri] = v
	}
	return v
}
