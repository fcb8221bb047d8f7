package lieux

import (
	"context"
	"encoding/csv"
	"io"
	"sort"
	"strings"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Export writes every lieu of the graph (the entities of the lieux dataset
// typed as places) as the standard's CSV, in the standard's column order,
// sorted by source and id; multi-values in the standard's order of
// allowed values (free values sorted). It returns the number of rows.
func Export(ctx context.Context, s sink.Sink, w io.Writer) (int, error) {
	m := newMapper(s.BaseIRI())
	partners := map[string]*domain.Entity{}
	var lieux []*domain.Entity
	err := sink.Each(ctx, s, domain.Partners, func(e *domain.Entity) error {
		partners[e.IRI] = e
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = sink.Each(ctx, s, domain.Places, func(e *domain.Entity) error {
		if isLieu(e, m.dataset()) {
			lieux = append(lieux, e)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	notation := map[string]string{}
	err = sink.Each(ctx, s, domain.Vocabulary, func(e *domain.Entity) error {
		if strings.HasPrefix(e.IRI, m.base+"vocab/lieux-") {
			notation[e.IRI] = e.First(ontology.Notation)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	rows := make([][]string, 0, len(lieux))
	for _, e := range lieux {
		rows = append(rows, row(e, partners, notation))
	}
	col := func(name string) int {
		for i, f := range V1.Fields {
			if f.Name == name {
				return i
			}
		}
		return -1
	}
	src, id := col("source"), col("id")
	sort.Slice(rows, func(i, j int) bool {
		if rows[i][src] != rows[j][src] {
			return rows[i][src] < rows[j][src]
		}
		return rows[i][id] < rows[j][id]
	})
	cw := csv.NewWriter(w)
	header := make([]string, len(V1.Fields))
	for i, f := range V1.Fields {
		header[i] = f.Name
	}
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return 0, err
		}
	}
	cw.Flush()
	return len(rows), cw.Error()
}

func isLieu(e *domain.Entity, dataset string) bool {
	in := false
	for _, v := range e.Values(ontology.InDataset) {
		in = in || v.Value == dataset
	}
	return in && e.HasType(ontology.Place)
}

// row renders one lieu as the standard's cells.
func row(e *domain.Entity, partners map[string]*domain.Entity, notation map[string]string) []string {
	v := map[string]string{}
	one := func(field string, t []domain.Term) {
		if len(t) > 0 {
			v[field] = t[0].Value
		}
	}
	one("id", e.Values(ontology.Identifier))
	one("nom", e.Values(ontology.Name))
	if org := partners[e.First(parentOrg)]; org != nil {
		v["pivot"] = firstNonEmpty(org.First(ontology.Siret), org.First(ontology.Identifier))
		if parent := partners[org.First(parentOrg)]; parent != nil {
			v["structure_parente"] = firstNonEmpty(parent.First(ontology.Siret), parent.First(ontology.Identifier))
		}
	}
	for _, a := range e.Values(address) {
		one("adresse", e.Objects(a, streetAddress))
		one("code_postal", e.Objects(a, postalCode))
		one("commune", e.Objects(a, addressLocality))
		one("complement_adresse", e.Objects(a, ontology.Description))
		one("code_insee", e.Objects(a, ontology.Identifier))
	}
	for _, g := range e.Values(geo) {
		one("latitude", e.Objects(g, latitude))
		one("longitude", e.Objects(g, longitude))
	}
	one("telephone", e.Values(telephone))
	one("horaires", e.Values(openingHours))
	one("presentation_resume", e.Values(ontology.Description))
	one("presentation_detail", e.Values(ontology.Text))
	one("source", e.Values(source))
	one("autres_formations_labels", e.Values(award))
	one("fiche_acces_libre", e.Values(seeAlso))
	one("date_maj", e.Values(ontology.DateModified))
	for _, pa := range e.Values(potentialAction) {
		one("prise_rdv", e.Objects(pa, target))
	}
	v["courriels"] = joinSorted(e.Values(emailProp))
	v["site_web"] = joinSorted(e.Values(ontology.URL))
	concepts := map[string][]string{} // field → values
	add := func(t domain.Term) {
		for field := range conceptFields {
			if prefix := "vocab/lieux-" + strings.ReplaceAll(field, "_", "-") + "/"; strings.Contains(t.Value, prefix) {
				concepts[field] = append(concepts[field], notation[t.Value])
			}
		}
	}
	for _, o := range e.Values(makesOffer) {
		for _, item := range e.Objects(o, itemOffered) {
			add(item)
		}
	}
	for _, p := range []string{ontology.Audience, category} {
		for _, t := range e.Values(p) {
			add(t)
		}
	}
	for field, vals := range concepts {
		v[field] = joinInOrder(V1.Field(field), vals)
	}
	out := make([]string, len(V1.Fields))
	for i, f := range V1.Fields {
		out[i] = v[f.Name]
	}
	return out
}

func joinSorted(ts []domain.Term) string {
	var vals []string
	for _, t := range ts {
		vals = append(vals, t.Value)
	}
	sort.Strings(vals)
	return strings.Join(vals, "|")
}

// joinInOrder joins values in the order of the field's allowed values
// (free values, sorted, after them).
func joinInOrder(f *Field, vals []string) string {
	rank := map[string]int{}
	for i, x := range f.Values {
		rank[x] = i + 1
	}
	sort.Slice(vals, func(i, j int) bool {
		ri, rj := rank[vals[i]], rank[vals[j]]
		if ri == 0 {
			ri = len(f.Values) + 1
		}
		if rj == 0 {
			rj = len(f.Values) + 1
		}
		if ri != rj {
			return ri < rj
		}
		return vals[i] < vals[j]
	})
	return strings.Join(vals, "|")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
