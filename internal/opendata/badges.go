package opendata

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// OpenBadgesContext is the JSON-LD context of an Open Badges 3.0
// Achievement (Verifiable Credentials 2.0, then Open Badges 3.0.3).
var OpenBadgesContext = []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}

// Achievement returns a parcours (trame:LearningPath) as an Open Badges 3.0
// Achievement: its name, description and steps (as the criteria), its
// publisher as creator, and one Alignment per competency it teaches or
// assesses — its own alignments and those of its steps, at the highest
// level stated — whose targetUrl is the competency's IRI.
func (s *Service) Achievement(ctx context.Context, iri string, anonymous bool) (map[string]any, error) {
	e, _, err := s.entity(ctx, iri, anonymous)
	if err != nil {
		return nil, err
	}
	if !e.HasType(ontology.LearningPath) {
		return nil, domain.Errorf("opendata.Achievement", domain.KindInvalid, "%s is not a parcours (trame:LearningPath)", iri)
	}
	levels := map[string]int{}
	var order []string
	collect := func(from *domain.Entity) {
		for _, a := range from.Alignments(s.levelOf(ctx)) {
			if a.Type == domain.Requires || a.Competency == "" {
				continue
			}
			if _, ok := levels[a.Competency]; !ok {
				order = append(order, a.Competency)
			}
			levels[a.Competency] = max(levels[a.Competency], a.Level)
		}
	}
	collect(e)
	var steps []string
	for i, st := range e.ListValues(ontology.HasPart) {
		name := st.Value
		if se, _, err := s.entity(ctx, st.Value, anonymous); err == nil {
			name = se.Label("fr")
			collect(se)
		}
		steps = append(steps, fmt.Sprintf("%d. %s", i+1, name))
	}
	sort.Strings(order)
	var aligns []any
	for _, c := range order {
		if a := s.alignment(ctx, c, levels[c], anonymous); a != nil {
			aligns = append(aligns, a)
		}
	}
	desc := e.First(ontology.Description)
	if desc == "" {
		desc = e.Label("fr")
	}
	narrative := "Suivre le parcours « " + e.Label("fr") + " »."
	if len(steps) > 0 {
		narrative = "Suivre les étapes du parcours :\n" + strings.Join(steps, "\n")
	}
	out := map[string]any{
		"@context": OpenBadgesContext, "id": e.IRI, "type": []string{"Achievement"},
		"achievementType": "LearningProgram", "name": e.Label("fr"), "description": desc,
		"criteria":   map[string]any{"id": e.IRI, "narrative": narrative},
		"inLanguage": firstOr(e.First(ontology.InLanguage), "fr"),
	}
	if len(aligns) > 0 {
		out["alignment"] = aligns
	}
	if pub := e.First(ontology.Publisher); pub != "" {
		out["creator"] = s.profile(ctx, pub, anonymous)
	}
	var tags []string
	for _, k := range e.Values(ontology.Keywords) {
		tags = append(tags, k.Value)
	}
	if len(tags) > 0 {
		out["tag"] = tags
	}
	return out, nil
}

// alignment describes competency c for an Achievement, or nil when the
// caller may not see it.
func (s *Service) alignment(ctx context.Context, c string, level int, anonymous bool) map[string]any {
	ce, _, err := s.entity(ctx, c, anonymous)
	if err != nil {
		return nil
	}
	a := map[string]any{"type": []string{"Alignment"}, "targetUrl": c, "targetName": ce.Label("fr"), "targetType": "ceasn:Competency"}
	if n := ce.First(ontology.Notation); n != "" {
		a["targetCode"] = n
	}
	if scheme := ce.First(ontology.InScheme); scheme != "" {
		if se, _, err := s.entity(ctx, scheme, anonymous); err == nil {
			a["targetFramework"] = se.Label("fr")
		}
	}
	desc := langMap(ce, ontology.Definition)["fr"]
	if level > 0 {
		desc = strings.TrimSpace(fmt.Sprintf("Niveau de maîtrise visé : %d. %s", level, desc))
	}
	if desc != "" {
		a["targetDescription"] = desc
	}
	return a
}

// profile is an Open Badges Profile of an organisation.
func (s *Service) profile(ctx context.Context, iri string, anonymous bool) map[string]any {
	p := map[string]any{"id": iri, "type": []string{"Profile"}}
	if e, _, err := s.entity(ctx, iri, anonymous); err == nil {
		p["name"] = e.Label("fr")
		if u := e.First(ontology.URL); u != "" {
			p["url"] = u
		}
	}
	return p
}

// levelOf resolves a level concept IRI to its number.
func (s *Service) levelOf(ctx context.Context) func(string) int {
	return func(iri string) int {
		if e, _, err := s.entity(ctx, iri, false); err == nil {
			n, _ := strconv.Atoi(e.First(ontology.LevelNumber))
			return n
		}
		return 0
	}
}

func firstOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// SchemaOrgContext is the context the schema.org exports are compacted with
// (embedded in the codec, never fetched).
const SchemaOrgContext = "https://schema.org/"

// SchemaOrg returns a resource or parcours compacted with the schema.org
// context, as search engines and LRMI consumers read it.
func (s *Service) SchemaOrg(ctx context.Context, iri string, anonymous bool) ([]byte, error) {
	e, rec, err := s.entity(ctx, iri, anonymous)
	if err != nil {
		return nil, err
	}
	if !e.HasType(ontology.LearningResource) && !e.HasType(ontology.Course) {
		return nil, domain.Errorf("opendata.SchemaOrg", domain.KindInvalid, "%s is not a resource (schema:LearningResource)", iri)
	}
	return s.cfg.Codec.Compact(rec.Doc, SchemaOrgContext)
}

// SchemaOrgAll streams every published resource and parcours as a JSON
// array of schema.org documents, a page of the store at a time.
func (s *Service) SchemaOrgAll(ctx context.Context, w io.Writer) (int, error) {
	n := 0
	if _, err := io.WriteString(w, "["); err != nil {
		return 0, err
	}
	for _, coll := range []domain.Collection{domain.Resources, domain.Paths} {
		after := ""
		for {
			recs, err := s.cfg.Store.List(ctx, coll, after, 200, false)
			if err != nil {
				return n, err
			}
			for _, rec := range recs {
				b, err := s.cfg.Codec.Compact(rec.Doc, SchemaOrgContext)
				if err != nil {
					return n, err
				}
				sep := ",\n"
				if n == 0 {
					sep = "\n"
				}
				if _, err := io.WriteString(w, sep); err != nil {
					return n, err
				}
				if _, err := w.Write(b); err != nil {
					return n, err
				}
				n++
			}
			if len(recs) < 200 {
				break
			}
			after = recs[len(recs)-1].IRI
		}
	}
	_, err := io.WriteString(w, "\n]\n")
	return n, err
}
