package lesbases_test

import (
	"context"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/lesbases/lesbasestest"
	"github.com/trame-commun/trame/ontology"
)

func TestFirstHarvestImportsVisibleItemsAndReportsTheBrokenOnes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStack(t)
	srv := lesbasestest.NewServer(lesbasestest.Generate())
	defer srv.Close()

	sum, err := harvest(t, ctx, s, srv.URL, nil)
	if err != nil {
		t.Fatalf("harvest: %v\n%+v", err, sum)
	}
	// 20 bases + 160 visible resources, of which 3 fail: the 404 served as
	// image/webp, the 500 on every attempt, the HTML page instead of markdown.
	if sum.New != 20+160-3 || sum.Updated != 0 || sum.Removed != 0 || len(sum.Failed) != 3 {
		t.Fatalf("first run: %d new, %d updated, %d removed, failures %+v", sum.New, sum.Updated, sum.Removed, sum.Failed)
	}
	for _, f := range sum.Failed {
		t.Logf("failed as expected: %s", f.Reason)
	}
	wantIn := []string{"404 Not Found (image/webp)", "500 Internal Server Error", "text/html"}
	for _, w := range wantIn {
		found := false
		for _, f := range sum.Failed {
			found = found || strings.Contains(f.Reason, w)
		}
		if !found {
			t.Errorf("no failure mentions %q: %+v", w, sum.Failed)
		}
	}
	if sum.Retries < 2 {
		t.Errorf("the 429 and the 500-once items must have been retried: %d retries", sum.Retries)
	}
	if len(sum.Notes) < 2 {
		t.Errorf("the unknown value and the removed theme must be noted: %+v", sum.Notes)
	}
	for _, a := range srv.UserAgents() {
		if !strings.HasPrefix(a, "Trame/") {
			t.Errorf("User-Agent %q does not name Trame", a)
		}
	}
}

func TestSecondRunWithNothingChangedChangesNothingAndFetchesNoMarkdown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStack(t)
	srv := lesbasestest.NewServer(lesbasestest.Generate())
	defer srv.Close()
	if _, err := harvest(t, ctx, s, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	seq, _ := s.store.LastSeq(ctx)
	before := snapshot(t, s, srv.URL)
	srv.ResetCount()

	sum, err := harvest(t, ctx, s, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.store.LastSeq(ctx)
	if after != seq {
		t.Errorf("a run with nothing changed wrote %d changes", after-seq)
	}
	if sum.New != 0 || sum.Updated != 0 || sum.Removed != 0 {
		t.Errorf("second run: %+v", sum)
	}
	// Two lists, and one attempt at each of the three items that failed
	// the first time (failed items are tried again once on every run).
	if n := srv.Requests(); n != 2+3 {
		t.Errorf("second run made %d requests", n)
	}
	if !equalSnapshots(t, before, snapshot(t, s, srv.URL)) {
		t.Error("the second run changed the store")
	}
}

func TestResourceMappingOfQuirkyItems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStack(t)
	cat := lesbasestest.Generate()
	srv := lesbasestest.NewServer(cat)
	defer srv.Close()
	if _, err := harvest(t, ctx, s, srv.URL, nil); err != nil {
		t.Fatal(err)
	}
	get := func(i int) string {
		iri := srv.URL + "/ressources/" + cat.Resources[i].Slug
		got, err := s.sink.Get(ctx, []string{iri})
		if err != nil || got[iri] == nil {
			t.Fatalf("resource %d (%s) not stored: %v", i, cat.Resources[i].Quirk, err)
		}
		return canonical(got[iri])
	}
	// pre-2025 labels map to today's keys, across facets for old audiences
	legacy := get(10)
	for _, want := range []string{"vocab/thematiques/MaitriseDesOutilsNumeriques", "vocab/types/ResourcePedagogique",
		"vocab/secteurs/AidantsEtMediateursNumeriques", "vocab/beneficiaires/TousPublics"} {
		if !strings.Contains(legacy, base+want) {
			t.Errorf("legacy resource lacks %s:\n%s", want, legacy)
		}
	}
	if l := get(11); !strings.Contains(l, base+"vocab/beneficiaires/EnfantsMineurs") || !strings.Contains(l, base+"vocab/secteurs/ActeursPublics") {
		t.Errorf("old audiences \"Jeunes enfants (-6 ans)\" and \"Élus\" not mapped:\n%s", l)
	}
	// "false" on every facet line means no facet at all
	if e := get(26); strings.Contains(e, ontology.About) || strings.Contains(e, ontology.Audience) {
		t.Errorf("empty facet lines produced values:\n%s", e)
	}
	// unicode survives
	if e := get(31); !strings.Contains(e, "مرحبا") {
		t.Errorf("arabic text lost:\n%.400s", e)
	}
	// very long text is stored whole
	if e := get(40); len(e) < 250_000 {
		t.Errorf("long text truncated: %d bytes", len(e))
	}
}

func equalSnapshots(t testing.TB, a, b map[string]string) bool {
	t.Helper()
	ok := true
	for k, v := range a {
		if b[k] != v {
			t.Errorf("%s differs:\n--- want\n%.600s\n--- got\n%.600s", k, v, b[k])
			ok = false
		}
	}
	for k := range b {
		if _, found := a[k]; !found {
			t.Errorf("%s is extra", k)
			ok = false
		}
	}
	return ok
}

var _ = lesbases.DefaultRate
