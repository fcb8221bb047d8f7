package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/store"
	"github.com/trame-commun/trame/internal/store/storetest"
)

func TestBadgerOnDiskConforms(t *testing.T) {
	storetest.Run(t, func(t *testing.T) domain.Store {
		s, err := store.Open(store.Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestBadgerInMemoryConforms(t *testing.T) {
	storetest.Run(t, func(t *testing.T) domain.Store {
		s, err := store.Open(store.Options{InMemory: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestWritesSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Apply(context.Background(), []domain.Mutation{{Record: domain.Record{IRI: "http://x/a", Collection: domain.Resources, Doc: []byte(`[]`)}}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r, err := s.Get(context.Background(), "http://x/a"); err != nil || r.Version != 1 {
		t.Fatalf("after reopen: %+v %v", r, err)
	}
}

func TestRefusesAnotherLayoutVersion(t *testing.T) {
	dir := t.TempDir()
	db, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(txn *badger.Txn) error { return txn.Set([]byte("!layout"), []byte("99")) })
	db.Close()
	_, err = store.Open(store.Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "layout version 99") {
		t.Fatalf("want a clear layout error, got %v", err)
	}
}

func TestRefusesADirectoryInUse(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := store.Open(store.Options{Dir: dir}); !domain.IsKind(err, domain.KindUnavailable) {
		t.Fatalf("second open: want unavailable, got %v", err)
	}
}

func TestLayoutNamesEveryPrefixOnce(t *testing.T) {
	l := store.CurrentLayout()
	seen := map[string]string{}
	for name, k := range l.Keys {
		if k.Prefix == "" {
			t.Errorf("%s has no prefix", name)
		}
		for other, p := range seen {
			if strings.HasPrefix(k.Prefix, p) || strings.HasPrefix(p, k.Prefix) {
				t.Errorf("prefixes of %s and %s overlap", name, other)
			}
		}
		seen[name] = k.Prefix
	}
}
