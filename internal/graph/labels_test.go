package graph_test

import (
	"context"
	"slices"
	"sort"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/ontology"
)

func labelled(iri string, draft bool, triples ...domain.Triple) domain.ViewEntity {
	return domain.ViewEntity{Entity: &domain.Entity{IRI: iri, Triples: triples}, Record: domain.Record{IRI: iri, Draft: draft}}
}

func stmt(s, p string, o domain.Term) domain.Triple {
	return domain.Triple{S: domain.NewIRI(s), P: domain.NewIRI(p), O: o}
}

// TestLabelsAnswerTheSearchIndex checks what the search index asks the
// graph: labels by language preference, property values and referrers.
func TestLabelsAnswerTheSearchIndex(t *testing.T) {
	g := graph.New()
	const c, org, lic = "http://x/c", "http://x/org", "http://x/lic"
	err := g.Apply(context.Background(), 1, []domain.ViewEntity{
		labelled(c, false,
			stmt(c, ontology.Type, domain.NewIRI(ontology.Competency)),
			stmt(c, ontology.PrefLabel, domain.NewLangString("Protéger les données", "fr")),
			stmt(c, ontology.PrefLabel, domain.NewLangString("Protecting data", "en")),
			stmt(c, ontology.AltLabel, domain.NewLangString("Vie privée", "fr")),
			stmt(c, ontology.InScheme, domain.NewIRI("http://x/scheme"))),
		labelled(org, true, stmt(org, ontology.Type, domain.NewIRI(ontology.Organization)), stmt(org, ontology.Name, domain.NewString("Médiathèque d'Évry"))),
		labelled(lic, false, stmt(lic, ontology.Type, domain.NewIRI(ontology.License)), stmt(lic, ontology.Identifier, domain.NewString("CC_BY_SA_4_0"))),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ iri, lang, want string }{
		{c, "fr", "Protéger les données"}, {c, "en", "Protecting data"}, {c, "de", "Protéger les données"},
		{org, "en", "Médiathèque d'Évry"}, {"http://x/unknown", "fr", ""}, {lic, "fr", ""},
	} {
		if got := g.Label(c.iri, c.lang); got != c.want {
			t.Errorf("Label(%s, %s) = %q, want %q", c.iri, c.lang, got, c.want)
		}
	}
	if got := g.Values(c, ontology.InScheme); !slices.Equal(got, []string{"http://x/scheme"}) {
		t.Errorf("Values(inScheme) = %v", got)
	}
	if got := g.Values(lic, ontology.Identifier); !slices.Equal(got, []string{"CC_BY_SA_4_0"}) {
		t.Errorf("Values(identifier) = %v", got)
	}
	if got := g.Values(c, ontology.AltLabel); !slices.Equal(got, []string{"Vie privée"}) {
		t.Errorf("Values(altLabel) = %v", got)
	}
	all := g.Referrers(ontology.Type, ontology.Organization, false)
	published := g.Referrers(ontology.Type, ontology.Organization, true)
	if !slices.Equal(all, []string{org}) || len(published) != 0 {
		t.Errorf("Referrers: all %v, published %v (the organisation is a draft)", all, published)
	}
	got := g.Referrers(ontology.InScheme, "http://x/scheme", true)
	sort.Strings(got)
	if !slices.Equal(got, []string{c}) {
		t.Errorf("Referrers(inScheme) = %v", got)
	}
}
