package extsort_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/trame-commun/trame/importers/rdf/extsort"
)

type rec struct{ key, val string }

// sortAll adds recs to a Sorter of the given budget and reads the result.
func sortAll(t *testing.T, recs []rec, budget int) (*extsort.Sorter, []rec) {
	t.Helper()
	dir := t.TempDir()
	s := extsort.NewSorter(dir, "t", budget)
	for _, r := range recs {
		if err := s.Add(r.key, []byte(r.val)); err != nil {
			t.Fatal(err)
		}
	}
	runs := s.Runs()
	f, err := s.Sort(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != int64(len(recs)) {
		t.Fatalf("Len = %d, want %d", f.Len(), len(recs))
	}
	var got []rec
	if err := f.Each(func(k string, v []byte) error { got = append(got, rec{k, string(v)}); return nil }); err != nil {
		t.Fatal(err)
	}
	// A File reads the same any number of times.
	n := 0
	if err := f.Each(func(k string, v []byte) error {
		if got[n] != (rec{k, string(v)}) {
			t.Fatalf("second reading differs at %d", n)
		}
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.Remove(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("%d files left after Sort and Remove (runs: %d)", len(left), runs)
	}
	return s, got
}

func randomRecords(n, keys int, seed int64) []rec {
	r := rand.New(rand.NewSource(seed))
	out := make([]rec, n)
	for i := range out {
		out[i] = rec{key: fmt.Sprintf("https://example.org/%d", r.Intn(keys)), val: fmt.Sprint(i)}
	}
	return out
}

// The result is the stable sort of the input whatever the budget: all in
// memory, a few runs, or more runs than one merge reads (several rounds).
func TestSortIsAStableSort(t *testing.T) {
	recs := randomRecords(20000, 3000, 1)
	want := append([]rec(nil), recs...)
	sort.SliceStable(want, func(i, j int) bool { return want[i].key < want[j].key })
	for _, budget := range []int{1 << 30, 200 << 10, 1 << 10} {
		t.Run(fmt.Sprintf("budget=%d", budget), func(t *testing.T) {
			_, got := sortAll(t, recs, budget)
			if len(got) != len(want) {
				t.Fatalf("%d records, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("record %d = %v, want %v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestSortOfNothing(t *testing.T) {
	_, got := sortAll(t, nil, 0)
	if len(got) != 0 {
		t.Fatalf("got %v", got)
	}
}

func TestAddAfterSortFails(t *testing.T) {
	s := extsort.NewSorter(t.TempDir(), "t", 0)
	f, err := s.Sort(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Remove()
	if err := s.Add("k", nil); err == nil {
		t.Fatal("Add after Sort succeeded")
	}
}

// A table holds one folded value per key, with the key's rank, and answers
// absent keys, including before the first and after the last.
func TestTableFoldsAndFinds(t *testing.T) {
	recs := randomRecords(50000, 8000, 2)
	dir := t.TempDir()
	s := extsort.NewSorter(dir, "t", 64<<10)
	for _, r := range recs {
		if err := s.Add(r.key, []byte(r.val+",")); err != nil {
			t.Fatal(err)
		}
	}
	f, err := s.Sort(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	concat := func(acc, val []byte) []byte { return append(acc, val...) }
	tab, err := extsort.BuildTable(f, filepath.Join(dir, "table"), concat)
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	want := map[string]string{}
	for _, r := range recs {
		want[r.key] += r.val + ","
	}
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if tab.Len() != len(keys) {
		t.Fatalf("Len = %d, want %d", tab.Len(), len(keys))
	}
	// Look up in a random order, more keys than the cache holds blocks.
	r := rand.New(rand.NewSource(3))
	for _, i := range r.Perm(len(keys)) {
		v, ord, ok, err := tab.Get(keys[i])
		if err != nil || !ok || string(v) != want[keys[i]] || ord != i {
			t.Fatalf("Get(%s) = %q, %d, %v, %v; want %q, %d", keys[i], v, ord, ok, err, want[keys[i]], i)
		}
	}
	for _, k := range []string{"", "a", "https://example.org/", "https://example.org/1x", "zzz"} {
		if _, _, ok, err := tab.Get(k); ok || err != nil {
			t.Errorf("Get(%q) found something (err %v)", k, err)
		}
	}
}

// A record longer than a block is a block of its own.
func TestTableLongValues(t *testing.T) {
	dir := t.TempDir()
	s := extsort.NewSorter(dir, "t", 0)
	long := make([]byte, 3*extsort.BlockSize)
	for i := range long {
		long[i] = byte('a' + i%26)
	}
	for _, k := range []string{"b", "a", "c"} {
		if err := s.Add(k, long); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := s.Sort(context.Background())
	tab, err := extsort.BuildTable(f, filepath.Join(dir, "table"), func(_, v []byte) []byte { return append([]byte(nil), v...) })
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	for i, k := range []string{"a", "b", "c"} {
		v, ord, ok, err := tab.Get(k)
		if err != nil || !ok || ord != i || string(v) != string(long) {
			t.Fatalf("Get(%s): ok %v ord %d err %v len %d", k, ok, ord, err, len(v))
		}
	}
}

// A damaged file is reported, not misread.
func TestCorruptFileIsAnError(t *testing.T) {
	dir := t.TempDir()
	s := extsort.NewSorter(dir, "t", 0)
	_ = s.Add("key", []byte("value"))
	f, _ := s.Sort(context.Background())
	entries, _ := os.ReadDir(dir)
	p := filepath.Join(dir, entries[0].Name())
	b, _ := os.ReadFile(p)
	if err := os.WriteFile(p, b[:len(b)-2], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := f.Each(func(string, []byte) error { return nil }); err != extsort.ErrCorrupt {
		t.Fatalf("Each on a truncated file: %v, want ErrCorrupt", err)
	}
}

func BenchmarkSort(b *testing.B) {
	recs := randomRecords(200000, 50000, 4)
	for i := 0; i < b.N; i++ {
		s := extsort.NewSorter(b.TempDir(), "b", 1<<20)
		for _, r := range recs {
			_ = s.Add(r.key, []byte(r.val))
		}
		f, err := s.Sort(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		f.Remove()
	}
}

// A cancelled sort stops merging and says why.
func TestSortStopsWhenCancelled(t *testing.T) {
	s := extsort.NewSorter(t.TempDir(), "t", 1<<10)
	for _, r := range randomRecords(3*extsort.CheckEvery, 1000, 5) {
		if err := s.Add(r.key, []byte(r.val)); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Sort(ctx); err != context.Canceled {
		t.Fatalf("Sort with a cancelled context: %v", err)
	}
}
