package catalog_test

import (
	"context"
	"slices"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/domain"
)

// The store lookup answers what the graph view answers, for every entity
// of the bundled data (types, level numbers, prerequisites), and nothing
// for IRIs that are not stored.
func TestStoreLookupAnswersAsTheGraphViewDoes(t *testing.T) {
	ctx := context.Background()
	s := catalogtest.New(t, catalogtest.Options{Sets: []bundled.Set{bundled.Reference, bundled.Sample}})
	look, err := catalog.NewStoreLookup(ctx, s.Store, s.Codec)
	if err != nil {
		t.Fatal(err)
	}
	checked, withLevel, withPrereqs := 0, 0, 0
	for _, c := range domain.Collections {
		recs, err := s.Store.List(ctx, c, "", 100000, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			checked++
			if got, want := sorted(look.TypesOf(r.IRI)), sorted(s.Graph.TypesOf(r.IRI)); !slices.Equal(got, want) {
				t.Errorf("TypesOf(%s) = %v, graph says %v", r.IRI, got, want)
			}
			if got, want := look.LevelNumber(r.IRI), s.Graph.LevelNumber(r.IRI); got != want {
				t.Errorf("LevelNumber(%s) = %d, graph says %d", r.IRI, got, want)
			} else if got != 0 {
				withLevel++
			}
			if got, want := sorted(look.Prerequisites(r.IRI)), sorted(s.Graph.Prerequisites(r.IRI)); !slices.Equal(got, want) {
				t.Errorf("Prerequisites(%s) = %v, graph says %v", r.IRI, got, want)
			} else if len(got) > 0 {
				withPrereqs++
			}
		}
	}
	if checked < 500 || withLevel == 0 || withPrereqs == 0 {
		t.Fatalf("checked %d entities, %d with a level number, %d with prerequisites: the data does not exercise the lookup", checked, withLevel, withPrereqs)
	}
	if look.TypesOf(catalogtest.Base+"competencies/nowhere") != nil {
		t.Error("an IRI that is not stored has types")
	}
}

// Writes through a catalog whose lookup is the store's keep it current:
// an entity written is known at once, a deleted one is forgotten, even
// when the lookup had answered for it before.
func TestStoreLookupFollowsTheWrites(t *testing.T) {
	ctx := context.Background()
	s := catalogtest.New(t, catalogtest.Options{Lean: true, Sets: []bundled.Set{bundled.Reference}})
	look := s.Catalog.Lookup()
	iri := catalogtest.Base + "frameworks/essai"
	if look.TypesOf(iri) != nil {
		t.Fatal("known before it is written")
	}
	doc := `{"@context": "` + catalogtest.Base + `ns/context.jsonld", "@id": "` + iri + `", "type": "ConceptScheme", "prefLabel": {"fr": "Essai"}}`
	if _, err := s.Catalog.Write(ctx, editor, catalog.WriteRequest{IRI: iri, Body: []byte(doc)}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(look.TypesOf(iri), "http://www.w3.org/2004/02/skos/core#ConceptScheme") {
		t.Fatalf("after the write: %v", look.TypesOf(iri))
	}
	if err := s.Catalog.Delete(ctx, editor, iri, ""); err != nil {
		t.Fatal(err)
	}
	if look.TypesOf(iri) != nil {
		t.Fatalf("after the delete: %v", look.TypesOf(iri))
	}
}

func sorted(ss []string) []string {
	out := slices.Clone(ss)
	slices.Sort(out)
	return out
}
