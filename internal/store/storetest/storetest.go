// Package storetest is the conformance suite of domain.Store: every
// implementation (badger on disk, badger in memory, and any later one such as
// PostgreSQL) must pass Run.
package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
)

// Opener returns a new, empty store for one subtest. The suite closes it.
type Opener func(t *testing.T) domain.Store

func rec(iri string, c domain.Collection, doc string, draft bool) domain.Record {
	return domain.Record{IRI: iri, Collection: c, Doc: []byte(doc), Draft: draft}
}

func put(r domain.Record) domain.Mutation { return domain.Mutation{Record: r} }

// Run runs the conformance suite against stores made by open.
func Run(t *testing.T, open Opener) {
	cases := []struct {
		name string
		fn   func(t *testing.T, s domain.Store)
	}{
		{"a put entity reads back with version 1 and an ETag", testPutGet},
		{"a replacement bumps the version and changes the ETag", testReplace},
		{"a missing entity is KindNotFound", testMissing},
		{"If-Match must equal the current ETag", testIfMatch},
		{"If-None-Match star refuses an existing entity", testIfNoneMatch},
		{"a batch is all or nothing", testAtomicBatch},
		{"the change log is append-only and monotonic", testChanges},
		{"a deleted entity put again never reuses a version", testDeleteRecreate},
		{"list filters by collection and hides drafts unless asked", testList},
		{"list pages after an IRI", testListPaging},
		{"scan visits every record in IRI order", testScan},
		{"meta values round-trip", testMeta},
		{"a meta swap writes only over the expected value", testSwapMeta},
		{"of concurrent meta swaps from one value exactly one wins", testSwapMetaConcurrent},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			defer s.Close()
			c.fn(t, s)
		})
	}
}

func mustApply(t *testing.T, s domain.Store, ms ...domain.Mutation) []domain.Record {
	t.Helper()
	out, err := s.Apply(context.Background(), ms)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	return out
}

func testPutGet(t *testing.T, s domain.Store) {
	out := mustApply(t, s, put(rec("http://x/a", domain.Resources, `[{"@id":"http://x/a"}]`, false)))
	got, err := s.Get(context.Background(), "http://x/a")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.ETag == "" || got.ETag != out[0].ETag || string(got.Doc) != `[{"@id":"http://x/a"}]` || got.Seq != 1 {
		t.Fatalf("got %+v", got)
	}
	if got.Updated.IsZero() || got.Collection != domain.Resources {
		t.Fatalf("metadata missing: %+v", got)
	}
}

func testReplace(t *testing.T, s domain.Store) {
	a := mustApply(t, s, put(rec("http://x/a", domain.Resources, `[1]`, false)))[0]
	b := mustApply(t, s, put(rec("http://x/a", domain.Resources, `[2]`, false)))[0]
	if b.Version != 2 || b.ETag == a.ETag {
		t.Fatalf("replacement: %+v after %+v", b, a)
	}
	c := mustApply(t, s, put(rec("http://x/a", domain.Resources, `[2]`, true)))[0]
	if c.ETag == b.ETag {
		t.Fatal("publishing state is part of the ETag")
	}
}

func testMissing(t *testing.T, s domain.Store) {
	if _, err := s.Get(context.Background(), "http://x/none"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
	_, err := s.Apply(context.Background(), []domain.Mutation{{Record: domain.Record{IRI: "http://x/none"}, Delete: true}})
	if !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("delete of missing: want not found, got %v", err)
	}
}

func testIfMatch(t *testing.T, s domain.Store) {
	a := mustApply(t, s, put(rec("http://x/a", domain.Resources, `[1]`, false)))[0]
	m := put(rec("http://x/a", domain.Resources, `[2]`, false))
	m.IfMatch = `"0-stale"`
	if _, err := s.Apply(context.Background(), []domain.Mutation{m}); !domain.IsKind(err, domain.KindPrecondition) {
		t.Fatalf("want precondition failure, got %v", err)
	}
	m.IfMatch = a.ETag
	mustApply(t, s, m)
	m = put(rec("http://x/b", domain.Resources, `[2]`, false))
	m.IfMatch = "*"
	if _, err := s.Apply(context.Background(), []domain.Mutation{m}); !domain.IsKind(err, domain.KindPrecondition) {
		t.Fatalf("If-Match * on a missing entity: want precondition failure, got %v", err)
	}
}

func testIfNoneMatch(t *testing.T, s domain.Store) {
	m := put(rec("http://x/a", domain.Resources, `[1]`, false))
	m.IfNoneMatch = "*"
	mustApply(t, s, m)
	if _, err := s.Apply(context.Background(), []domain.Mutation{m}); !domain.IsKind(err, domain.KindConflict) {
		t.Fatalf("want conflict, got %v", err)
	}
}

func testAtomicBatch(t *testing.T, s domain.Store) {
	ctx := context.Background()
	mustApply(t, s, put(rec("http://x/a", domain.Resources, `[1]`, false)))
	bad := put(rec("http://x/a", domain.Resources, `[3]`, false))
	bad.IfMatch = `"9-nope"`
	_, err := s.Apply(ctx, []domain.Mutation{put(rec("http://x/b", domain.Resources, `[2]`, false)), bad})
	if err == nil {
		t.Fatal("batch with a failing mutation succeeded")
	}
	if _, err := s.Get(ctx, "http://x/b"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatal("first mutation of a failed batch was written")
	}
	if seq, _ := s.LastSeq(ctx); seq != 1 {
		t.Fatalf("failed batch moved the sequence to %d", seq)
	}
}

func testChanges(t *testing.T, s domain.Store) {
	ctx := context.Background()
	mustApply(t, s, put(rec("http://x/a", domain.Resources, `[1]`, false)), put(rec("http://x/b", domain.Paths, `[1]`, false)))
	mustApply(t, s, domain.Mutation{Record: domain.Record{IRI: "http://x/a"}, Delete: true})
	chs, err := s.Changes(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 put http://x/a 1", "2 put http://x/b 1", "3 delete http://x/a 1"}
	if len(chs) != len(want) {
		t.Fatalf("got %d changes, want %d", len(chs), len(want))
	}
	for i, c := range chs {
		if got := fmt.Sprintf("%d %s %s %d", c.Seq, c.Op, c.IRI, c.Version); got != want[i] {
			t.Errorf("change %d: got %q want %q", i, got, want[i])
		}
	}
	if chs, _ := s.Changes(ctx, 2, 10); len(chs) != 1 || chs[0].Seq != 3 {
		t.Fatalf("since 2: %+v", chs)
	}
	if chs, _ := s.Changes(ctx, 0, 2); len(chs) != 2 {
		t.Fatalf("limit 2: %d changes", len(chs))
	}
	if seq, _ := s.LastSeq(ctx); seq != 3 {
		t.Fatalf("LastSeq %d", seq)
	}
}

func testDeleteRecreate(t *testing.T, s domain.Store) {
	a := mustApply(t, s, put(rec("http://x/a", domain.Resources, `[1]`, false)))[0]
	mustApply(t, s, domain.Mutation{Record: domain.Record{IRI: "http://x/a"}, Delete: true})
	if _, err := s.Get(context.Background(), "http://x/a"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatal("deleted entity still readable")
	}
	b := mustApply(t, s, put(rec("http://x/a", domain.Resources, `[1]`, false)))[0]
	if b.Version != 2 || b.ETag == a.ETag {
		t.Fatalf("recreated entity reuses a version: %+v", b)
	}
}

func testList(t *testing.T, s domain.Store) {
	ctx := context.Background()
	mustApply(t, s, put(rec("http://x/r1", domain.Resources, `[1]`, false)), put(rec("http://x/r2", domain.Resources, `[1]`, true)),
		put(rec("http://x/p1", domain.Paths, `[1]`, false)))
	pub, _ := s.List(ctx, domain.Resources, "", 10, false)
	all, _ := s.List(ctx, domain.Resources, "", 10, true)
	every, _ := s.List(ctx, "", "", 10, true)
	if len(pub) != 1 || pub[0].IRI != "http://x/r1" || len(all) != 2 || len(every) != 3 {
		t.Fatalf("published %d, with drafts %d, every %d", len(pub), len(all), len(every))
	}
	mustApply(t, s, put(rec("http://x/r2", domain.Paths, `[1]`, false)))
	if res, _ := s.List(ctx, domain.Resources, "", 10, true); len(res) != 1 {
		t.Fatalf("an entity that changed collection is still listed in the old one")
	}
}

func testListPaging(t *testing.T, s domain.Store) {
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		mustApply(t, s, put(rec(fmt.Sprintf("http://x/r%d", i), domain.Resources, `[1]`, false)))
	}
	page1, _ := s.List(ctx, domain.Resources, "", 2, false)
	page2, _ := s.List(ctx, domain.Resources, page1[1].IRI, 2, false)
	page3, _ := s.List(ctx, domain.Resources, page2[1].IRI, 2, false)
	if len(page1) != 2 || len(page2) != 2 || len(page3) != 1 || page2[0].IRI != "http://x/r2" || page3[0].IRI != "http://x/r4" {
		t.Fatalf("pages: %v %v %v", page1, page2, page3)
	}
}

func testScan(t *testing.T, s domain.Store) {
	mustApply(t, s, put(rec("http://x/b", domain.Resources, `[1]`, false)), put(rec("http://x/a", domain.Paths, `[1]`, true)))
	var seen []string
	if err := s.Scan(context.Background(), func(r domain.Record) error { seen = append(seen, r.IRI); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[http://x/a http://x/b]" {
		t.Fatalf("scan order %v", seen)
	}
}

func testMeta(t *testing.T, s domain.Store) {
	ctx := context.Background()
	if _, err := s.GetMeta(ctx, "k"); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("missing meta: %v", err)
	}
	if err := s.PutMeta(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if v, err := s.GetMeta(ctx, "k"); err != nil || string(v) != "v" {
		t.Fatalf("meta: %q %v", v, err)
	}
}

func testSwapMeta(t *testing.T, s domain.Store) {
	ctx := context.Background()
	value := func() string {
		t.Helper()
		v, err := s.GetMeta(ctx, "k")
		if domain.IsKind(err, domain.KindNotFound) {
			return "<absent>"
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(v)
	}
	steps := []struct {
		name     string
		old, new []byte
		ok       bool
		after    string
	}{
		{"an absent key does not hold a value", []byte("x"), []byte("a"), false, "<absent>"},
		{"nil old creates an absent key", nil, []byte("a"), true, "a"},
		{"nil old refuses a present key", nil, []byte("b"), false, "a"},
		{"another old value is refused", []byte("z"), []byte("b"), false, "a"},
		{"the current value swaps", []byte("a"), []byte("b"), true, "b"},
		{"a stale value is refused", []byte("a"), []byte("c"), false, "b"},
		{"nil new with a stale old deletes nothing", []byte("a"), nil, false, "b"},
		{"nil new deletes", []byte("b"), nil, true, "<absent>"},
		{"deleting an absent key needs nil old", []byte("b"), nil, false, "<absent>"},
		{"an empty value is a value", nil, []byte{}, true, ""},
		{"an empty value is present", nil, []byte("d"), false, ""},
		{"an empty value swaps from empty", []byte{}, []byte("d"), true, "d"},
	}
	for _, st := range steps {
		err := s.SwapMeta(ctx, "k", st.old, st.new)
		if st.ok && err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !st.ok && !domain.IsKind(err, domain.KindPrecondition) {
			t.Fatalf("%s: want a precondition failure, got %v", st.name, err)
		}
		if got := value(); got != st.after {
			t.Fatalf("%s: the key holds %q, want %q", st.name, got, st.after)
		}
	}
	if err := s.PutMeta(ctx, "k", []byte("e")); err != nil {
		t.Fatal(err)
	}
	if err := s.SwapMeta(ctx, "k", []byte("d"), []byte("f")); !domain.IsKind(err, domain.KindPrecondition) {
		t.Fatalf("a swap after an unconditional put: want a precondition failure, got %v", err)
	}
}

func testSwapMetaConcurrent(t *testing.T, s domain.Store) {
	ctx := context.Background()
	const n = 24
	race := func(round int, old []byte) string {
		t.Helper()
		start := make(chan struct{})
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = s.SwapMeta(ctx, "lock", old, []byte(fmt.Sprint("round ", round, " holder ", i)))
			}()
		}
		close(start)
		wg.Wait()
		winner := ""
		for i, err := range errs {
			switch {
			case err == nil && winner != "":
				t.Fatalf("two swaps from %q won: %s and holder %d", old, winner, i)
			case err == nil:
				winner = fmt.Sprint("round ", round, " holder ", i)
			case !domain.IsKind(err, domain.KindPrecondition) && !domain.IsKind(err, domain.KindConflict):
				t.Fatalf("holder %d: want a precondition failure, got %v", i, err)
			}
		}
		if winner == "" {
			t.Fatalf("no swap from %q won", old)
		}
		if v, err := s.GetMeta(ctx, "lock"); err != nil || string(v) != winner {
			t.Fatalf("the key holds %q (%v), the winner was %s", v, err, winner)
		}
		return winner
	}
	first := race(1, nil)
	race(2, []byte(first)) // every new value differs from old: no swap is a no-op
}
