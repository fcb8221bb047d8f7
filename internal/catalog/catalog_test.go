package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/store"
)

const base = "http://localhost:8080/"

var editor = domain.Principal{TokenID: "t", Role: domain.RoleEditor}

func open(t *testing.T, st domain.Store) (*catalog.Catalog, *graph.Graph) {
	t.Helper()
	g := graph.New()
	cat, err := catalog.New(catalog.Config{Store: st, Codec: jsonld.New(base), Lookup: g, Views: []domain.View{g}, BaseIRI: base})
	if err != nil {
		t.Fatal(err)
	}
	return cat, g
}

func TestAViewThatIsBehindCatchesUpFromTheChangeLog(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cat, g := open(t, st)
	if _, err := bundled.Load(ctx, cat, bundled.Reference); err != nil {
		t.Fatal(err)
	}
	wantQuads, wantEnts := g.Size()
	// A new process: the graph starts empty and is rebuilt from the store.
	cat2, g2 := open(t, st)
	if q, _ := g2.Size(); q != 0 {
		t.Fatal("a fresh view is not empty")
	}
	if err := cat2.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if q, e := g2.Size(); q != wantQuads || e != wantEnts {
		t.Fatalf("caught up to %d quads/%d entities, want %d/%d", q, e, wantQuads, wantEnts)
	}
	seq, _ := st.LastSeq(ctx)
	if g2.LastSeq() != seq {
		t.Fatalf("view at %d, store at %d", g2.LastSeq(), seq)
	}
	if err := cat2.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	if q, _ := g2.Size(); q != wantQuads {
		t.Fatalf("rebuild gave %d quads", q)
	}
}

func TestImportBatchIsAtomicAndValidatedAsAWhole(t *testing.T) {
	ctx := context.Background()
	st, _ := store.Open(store.Options{InMemory: true})
	defer st.Close()
	cat, _ := open(t, st)
	codec := jsonld.New(base)
	ents, err := codec.Decode([]byte(`{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}, "@graph": [
		{"@id": "http://x.org/s", "@type": "skos:ConceptScheme", "skos:prefLabel": "S"},
		{"@id": "http://x.org/c", "@type": "skos:Concept", "skos:prefLabel": "C", "skos:inScheme": {"@id": "http://x.org/s"}}]}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	// The concept refers to a scheme of the same batch: accepted whatever the order.
	if err := cat.ImportBatch(ctx, catalog.ImportRequest{Puts: []*domain.Entity{ents[1], ents[0]}}); err != nil {
		t.Fatal(err)
	}
	// Deleting the scheme while putting a concept in it is refused as a whole.
	bad, _ := codec.Decode([]byte(`{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}, "@id": "http://x.org/c2", "@type": "skos:Concept", "skos:prefLabel": "C2", "skos:inScheme": {"@id": "http://x.org/s"}}`), nil)
	seq, _ := st.LastSeq(ctx)
	err = cat.ImportBatch(ctx, catalog.ImportRequest{Puts: bad, Deletes: []string{"http://x.org/s"}})
	if !domain.IsKind(err, domain.KindInvalid) || !strings.Contains(err.Error(), "http://x.org/s") {
		t.Fatalf("want a validation error naming the deleted scheme, got %v", err)
	}
	if after, _ := st.LastSeq(ctx); after != seq {
		t.Fatal("a refused batch changed the store")
	}
}

func TestWritesNeedAnEditorAndDraftsStayHidden(t *testing.T) {
	ctx := context.Background()
	st, _ := store.Open(store.Options{InMemory: true})
	defer st.Close()
	cat, _ := open(t, st)
	doc := []byte(`{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}, "@id": "http://x.org/s", "@type": "skos:ConceptScheme", "skos:prefLabel": "S"}`)
	if _, err := cat.Write(ctx, domain.Anonymous, catalog.WriteRequest{Body: doc, Collection: domain.Frameworks}); !domain.IsKind(err, domain.KindUnauthorized) {
		t.Fatalf("anonymous write: %v", err)
	}
	if _, err := cat.Write(ctx, editor, catalog.WriteRequest{Body: doc, Collection: domain.Frameworks, Draft: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.Get(ctx, domain.Anonymous, "http://x.org/s"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("anonymous read of a draft: %v", err)
	}
	if _, err := cat.Get(ctx, editor, "http://x.org/s"); err != nil {
		t.Fatalf("editor read of a draft: %v", err)
	}
}

func TestTokensAreStoredHashedAndChecked(t *testing.T) {
	ctx := context.Background()
	st, _ := store.Open(store.Options{InMemory: true})
	defer st.Close()
	cat, _ := open(t, st)
	secret, tok, err := cat.CreateToken(ctx, domain.RoleEditor, "test")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := st.GetMeta(ctx, "token/"+tok.ID)
	if strings.Contains(string(raw), secret[strings.LastIndex(secret, "_")+1:]) {
		t.Fatal("the secret is stored in clear")
	}
	p, err := cat.Authenticate(ctx, secret, "")
	if err != nil || p.Role != domain.RoleEditor {
		t.Fatalf("good token: %+v %v", p, err)
	}
	for _, bad := range []string{secret + "x", "trame_" + tok.ID + "_00", "nonsense", "trame__"} {
		if _, err := cat.Authenticate(ctx, bad, ""); !domain.IsKind(err, domain.KindUnauthorized) {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	if p, err := cat.Authenticate(ctx, "env-secret", "env-secret"); err != nil || p.Role != domain.RoleAdmin {
		t.Fatalf("admin token from the environment: %+v %v", p, err)
	}
}
