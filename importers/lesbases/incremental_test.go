package lesbases_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// harvested returns a stack that has harvested srv once.
func harvested(t *testing.T) (*stack, *lesbasestest.Server, *lesbasestest.Catalogue) {
	t.Helper()
	s := newStack(t)
	cat := lesbasestest.Generate()
	srv := lesbasestest.NewServer(cat)
	t.Cleanup(srv.Close)
	if sum, err := harvest(t, context.Background(), s, srv.URL, nil); err != nil {
		t.Fatalf("first harvest: %v %+v", err, sum)
	}
	return s, srv, cat
}

func stored(t *testing.T, s *stack, iri string) bool {
	t.Helper()
	_, err := s.store.Get(context.Background(), iri)
	if err != nil && !domain.IsKind(err, domain.KindNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func TestIncrementalRunFetchesOnlyChangedItems(t *testing.T) {
	t.Parallel()
	s, srv, _ := harvested(t)
	var touched []int
	srv.Edit(func(c *lesbasestest.Catalogue) { touched = c.TouchShare(0.05) })
	srv.ResetCount()
	sum, err := harvest(t, context.Background(), s, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Updated != len(touched) || sum.New != 0 || sum.Removed != 0 {
		t.Errorf("%d touched; summary %+v", len(touched), sum)
	}
	// two lists, one markdown per touched item, one attempt per failing item
	if want := int64(2 + len(touched) + 3); srv.Requests() != want {
		t.Errorf("%d requests, want %d", srv.Requests(), want)
	}
}

func TestUpdatedDateAloneDoesNotRewriteTheEntity(t *testing.T) {
	t.Parallel()
	s, srv, _ := harvested(t)
	ctx := context.Background()
	srv.Edit(func(c *lesbasestest.Catalogue) { c.BumpOnly(3) })
	seq, _ := s.store.LastSeq(ctx)
	sum, err := harvest(t, ctx, s, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if now, _ := s.store.LastSeq(ctx); now != seq || sum.Updated != 0 {
		t.Errorf("same markdown, new updated date: %d changes written, %d updated", now-seq, sum.Updated)
	}
	srv.ResetCount()
	if _, err := harvest(t, ctx, s, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 2+3 {
		t.Errorf("the new updated date was not recorded: %d requests on the next run", srv.Requests())
	}
}

func TestItemsThatStopBeingVisibleAreRemovedEverywhere(t *testing.T) {
	t.Parallel()
	s, srv, cat := harvested(t)
	ctx := context.Background()
	iri := func(i int) string { return srv.URL + "/ressources/" + cat.Resources[i].Slug }
	gone := []string{iri(60), iri(61), iri(62), iri(63)}
	renamedFrom := iri(64)
	srv.Edit(func(c *lesbasestest.Catalogue) {
		c.Unpublish(60)
		c.MakePrivate(61)
		c.Delete(62)
		c.Rename(64, "nouveau-nom-de-la-ressource")
		c.Drop(63)
	})
	sum, err := harvest(t, ctx, s, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Removed != 4 || sum.Updated != 1 {
		t.Errorf("want 4 removed and 1 renamed (updated): %+v", sum)
	}
	for _, g := range append(gone, renamedFrom) {
		if stored(t, s, g) {
			t.Errorf("%s still stored", g)
		}
		if types := s.cat.Lookup().TypesOf(g); len(types) > 0 {
			t.Errorf("%s still in the graph view: %v", g, types)
		}
	}
	if !stored(t, s, srv.URL+"/ressources/nouveau-nom-de-la-ressource") {
		t.Error("the renamed resource is not stored under its new URL")
	}
}

func TestMassDeleteGuardRefusesAndChangesNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault lesbasestest.ListFault
		kind  string
	}{
		{"resources list shrinks", lesbasestest.ListShrink, "resources"},
		{"bases list is empty", lesbasestest.ListEmptyBases, "bases"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv, _ := harvested(t)
			ctx := context.Background()
			before := snapshot(t, s, srv.URL)
			srv.SetListFault(tc.fault)
			sum, err := harvest(t, ctx, s, srv.URL, nil)
			if !domain.IsKind(err, domain.KindConflict) || sum.Refused == "" {
				t.Fatalf("want a refusal, got %v %+v", err, sum)
			}
			if !strings.Contains(sum.Refused, tc.kind) || !strings.Contains(sum.Refused, "--allow-mass-delete") {
				t.Errorf("the refusal does not say why and what to do: %s", sum.Refused)
			}
			if !equalSnapshots(t, before, snapshot(t, s, srv.URL)) {
				t.Error("a refused run changed the store")
			}
			sum, err = harvest(t, ctx, s, srv.URL, func(o *lesbases.Options) { o.AllowMassDelete = true })
			if err != nil || sum.Removed == 0 {
				t.Errorf("--allow-mass-delete must apply the removals: %v %+v", err, sum)
			}
		})
	}
}

func TestBrokenListsFailTheRunAndChangeNothing(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault lesbasestest.ListFault
		want  string
	}{
		{"HTML error page (502)", lesbasestest.ListHTMLError, "502 Bad Gateway"},
		{"HTML page with 200", lesbasestest.ListHTML200, "instead of JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, srv, _ := harvested(t)
			srv.Edit(func(c *lesbasestest.Catalogue) { c.Touch(5, 6) })
			before := snapshot(t, s, srv.URL)
			srv.SetListFault(tc.fault)
			sum, err := harvest(t, context.Background(), s, srv.URL, nil)
			if err == nil || !strings.Contains(sum.Error, tc.want) {
				t.Fatalf("want a failure mentioning %q, got %v / %q", tc.want, err, sum.Error)
			}
			if !equalSnapshots(t, before, snapshot(t, s, srv.URL)) {
				t.Error("a failed run changed the store")
			}
		})
	}
}

func TestListAnswering429IsRetried(t *testing.T) {
	t.Parallel()
	s, srv, _ := harvested(t)
	srv.SetListFault(lesbasestest.ListTooManyOnce)
	sum, err := harvest(t, context.Background(), s, srv.URL, nil)
	if err != nil || sum.Retries < 2 {
		t.Fatalf("want success after retries: %v %+v", err, sum)
	}
}

func TestHarvestedResourceCarriesProvenance(t *testing.T) {
	t.Parallel()
	s, srv, cat := harvested(t)
	r := cat.Resources[0]
	iri := srv.URL + "/ressources/" + r.Slug
	got, err := s.sink.Get(context.Background(), []string{iri, base + lesbases.DatasetPath})
	if err != nil || got[iri] == nil {
		t.Fatal(err)
	}
	e := got[iri]
	for p, want := range map[string]string{
		ontology.WasDerivedFrom: iri, ontology.Identifier: r.ID, ontology.InDataset: base + lesbases.DatasetPath,
		ontology.GeneratedAtTime: fixedNow().Format("2006-01-02T15:04:05Z"),
	} {
		if v := e.First(p); v != want {
			t.Errorf("%s = %q, want %q", p, v, want)
		}
	}
	if got[base+lesbases.DatasetPath] == nil {
		t.Error("the dataset entity was not created")
	}
}

func TestFailedItemIsTriedAgainAndImportedOnceItRecovers(t *testing.T) {
	t.Parallel()
	s, srv, cat := harvested(t)
	i := 53 // answers 500 on every attempt
	if cat.Resources[i].Fault != lesbasestest.ServerErrorAlways {
		t.Fatalf("fixture changed: resource %d is %q", i, cat.Resources[i].Quirk)
	}
	srv.Edit(func(c *lesbasestest.Catalogue) { c.Resources[i].Fault = lesbasestest.NoFault })
	sum, err := harvest(t, context.Background(), s, srv.URL, nil)
	if err != nil || sum.New != 1 || len(sum.Failed) != 2 {
		t.Fatalf("want the recovered item imported: %v %+v", err, sum)
	}
	if !stored(t, s, srv.URL+"/ressources/"+cat.Resources[i].Slug) {
		t.Error("not stored")
	}
}
