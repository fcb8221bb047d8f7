package sink_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/importers/sink/sinktest"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/store"
	"github.com/trame-commun/trame/ontology"
)

const base = "http://localhost:8080/"

func newLocal(t *testing.T) (*sink.Local, *store.Badger) {
	t.Helper()
	c := sinktest.New(t, catalogtest.Options{})
	return c.Sink, c.Store
}

func resource(iri, name, text string) *domain.Entity {
	b := build.New(iri, ontology.LearningResource)
	n := b.Root().Str(ontology.Name, name).Raw(ontology.Text, text)
	n.Blank(ontology.Schema+"citation", ontology.Schema+"CreativeWork").Str(ontology.Name, "lien")
	return b.Entity()
}

func TestCanonicalIgnoresBlankNodeLabels(t *testing.T) {
	a := resource("http://e/r", "R", "t")
	b := resource("http://e/r", "R", "t")
	for i := range b.Triples {
		for _, x := range []*domain.Term{&b.Triples[i].S, &b.Triples[i].O} {
			if x.IsBlank() {
				x.Value = "autre"
			}
		}
	}
	if !sink.Same(a, b, nil) {
		t.Error("same content with other blank labels must compare equal")
	}
	c := resource("http://e/r", "R", "changed")
	if sink.Same(a, c, nil) || sink.Digest(a, nil) == sink.Digest(c, nil) {
		t.Error("different content compared equal")
	}
	if !sink.Same(a, c, sink.SkipRootPredicates("http://e/r", ontology.Text)) {
		t.Error("skipped predicates must not count")
	}
}

func TestStoredEntityComparesEqualToWhatWasWritten(t *testing.T) {
	l, _ := newLocal(t)
	e := resource("http://e/r", "Réseau « social »", "ligne 1\nligne 2")
	if _, err := l.Apply(context.Background(), sink.Batch{Puts: []*domain.Entity{e}}); err != nil {
		t.Fatal(err)
	}
	got, err := l.Get(context.Background(), []string{"http://e/r", "http://e/none"})
	if err != nil || len(got) != 1 || !sink.Same(got["http://e/r"], e, nil) {
		t.Fatalf("%v %+v", err, got)
	}
}

func TestInvalidBatchWritesNothingAndPartialBatchWritesTheValid(t *testing.T) {
	l, st := newLocal(t)
	ctx := context.Background()
	good := resource("http://e/good", "Bon", "")
	bad := build.New("http://e/bad", ontology.LearningResource).Entity() // no name
	before, _ := st.LastSeq(ctx)
	_, err := l.Apply(ctx, sink.Batch{Puts: []*domain.Entity{good, bad}})
	if !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("want invalid, got %v", err)
	}
	if now, _ := st.LastSeq(ctx); now != before {
		t.Fatal("an invalid batch wrote something")
	}
	res, err := l.Apply(ctx, sink.Batch{Puts: []*domain.Entity{good, bad}, Partial: true})
	if err != nil || res.Written != 1 || len(res.Rejected) != 1 || res.Rejected[0].IRI != "http://e/bad" {
		t.Fatalf("%v %+v", err, res)
	}
}

func TestSiftRejectsWhatDependsOnARejectedEntity(t *testing.T) {
	l, _ := newLocal(t)
	scheme := build.New("http://e/s", ontology.ConceptScheme).Entity() // no label: invalid
	concept := build.New("http://e/c", ontology.Concept)
	concept.Root().IRI(ontology.InScheme, "http://e/s").Lang(ontology.PrefLabel, "C", "fr")
	v, _ := domain.NewValidator()
	kept, rejected := sink.Sift(v, l.Lookup(), []*domain.Entity{scheme, concept.Entity()}, nil)
	if len(kept) != 0 || len(rejected) != 2 {
		t.Fatalf("kept %d, rejected %+v", len(kept), rejected)
	}
}

func TestBatchOverOneTransactionIsWrittenInChunks(t *testing.T) {
	l, _ := newLocal(t)
	var puts []*domain.Entity
	text := strings.Repeat("x", 200_000)
	for i := 0; i < 80; i++ { // 16 MB: over the store's transaction limit
		puts = append(puts, resource("http://e/r"+strings.Repeat("i", i+1), "R", text))
	}
	res, err := l.Apply(context.Background(), sink.Batch{Puts: puts})
	if err != nil || res.Written != 80 {
		t.Fatalf("%v %+v", err, res)
	}
}

func TestMetaKeysAreNamespaced(t *testing.T) {
	l, st := newLocal(t)
	ctx := context.Background()
	if err := l.PutMeta(ctx, "x", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if v, err := st.GetMeta(ctx, sink.MetaPrefix+"x"); err != nil || string(v) != "1" {
		t.Fatalf("%q %v", v, err)
	}
	if _, err := l.GetMeta(ctx, "missing"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("%v", err)
	}
	if err := l.SwapMeta(ctx, "lease", nil, []byte("a")); err != nil {
		t.Fatal(err)
	}
	if v, err := st.GetMeta(ctx, sink.MetaPrefix+"lease"); err != nil || string(v) != "a" {
		t.Fatalf("a swap writes under the prefix: %q %v", v, err)
	}
	if err := l.SwapMeta(ctx, "lease", []byte("b"), nil); !domain.IsKind(err, domain.KindPrecondition) {
		t.Fatalf("a swap from a stale value: %v", err)
	}
}

func TestEachPagesThroughACollection(t *testing.T) {
	l, _ := newLocal(t)
	var puts []*domain.Entity
	for i := 0; i < sink.ListPage+7; i++ {
		puts = append(puts, resource("http://e/p/"+strconv.Itoa(i), "R", ""))
	}
	if _, err := l.Apply(context.Background(), sink.Batch{Puts: puts}); err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := sink.Each(context.Background(), l, domain.Resources, func(*domain.Entity) error { n++; return nil }); err != nil || n != len(puts) {
		t.Fatalf("%d of %d, %v", n, len(puts), err)
	}
}
