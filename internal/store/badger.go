package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/trame-commun/trame/internal/domain"
)

// Options configure a Badger store.
type Options struct {
	// Dir is the data directory; empty with InMemory for a volatile store.
	Dir      string
	InMemory bool
	// SyncWrites makes every acknowledged write survive a power loss, at a
	// cost in write latency. Without it writes survive a process crash.
	SyncWrites bool
	// Logger receives badger's messages; nil silences them.
	Logger badger.Logger
}

// Badger is the badger implementation of domain.Store.
type Badger struct {
	db    *badger.DB
	mu    sync.Mutex // serialises Apply so sequences are assigned in order
	now   func() time.Time
	stopc chan struct{}
	wg    sync.WaitGroup
}

var _ domain.Store = (*Badger)(nil)

// Open opens (creating if needed) the store in opts.Dir. It refuses a store
// whose layout schema version differs from this build's, and a directory
// another process holds, with a KindUnavailable error that says so.
func Open(opts Options) (*Badger, error) {
	const op = "store.Open"
	bo := badger.DefaultOptions(opts.Dir).
		WithInMemory(opts.InMemory).
		WithSyncWrites(opts.SyncWrites).
		WithLogger(opts.Logger).
		WithMemTableSize(64 << 20).
		WithNumMemtables(2).
		WithBlockCacheSize(64 << 20).
		WithIndexCacheSize(32 << 20).
		WithNumCompactors(2).
		WithValueThreshold(1 << 10)
	if opts.InMemory {
		bo.Dir, bo.ValueDir = "", ""
	}
	db, err := badger.Open(bo)
	if err != nil {
		return nil, &domain.Error{Op: op, Kind: domain.KindUnavailable,
			Message: fmt.Sprintf("cannot open the store in %q (is another trame process using it?)", opts.Dir), Err: err}
	}
	s := &Badger{db: db, now: func() time.Time { return time.Now().UTC() }, stopc: make(chan struct{})}
	if err := s.checkLayout(); err != nil {
		db.Close()
		return nil, err
	}
	if !opts.InMemory {
		s.wg.Add(1)
		go s.gcLoop()
	}
	return s, nil
}

func (s *Badger) checkLayout() error {
	want := strconv.Itoa(layout.SchemaVersion)
	return s.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(prefixLayout)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return txn.Set(prefixLayout, []byte(want))
		}
		if err != nil {
			return err
		}
		got, _ := item.ValueCopy(nil)
		if string(got) != want {
			return &domain.Error{Op: "store.Open", Kind: domain.KindUnavailable, Message: fmt.Sprintf(
				"this store has key layout version %s but this trame reads version %s: export it with the trame that wrote it (trame export) and import it into a new data directory", got, want)}
		}
		return nil
	})
}

// gcLoop runs badger's value-log garbage collection every ten minutes.
func (s *Badger) gcLoop() {
	defer s.wg.Done()
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-s.stopc:
			return
		case <-t.C:
			for s.db.RunValueLogGC(0.7) == nil {
			}
		}
	}
}

// Close stops background work and closes the database.
func (s *Badger) Close() error {
	select {
	case <-s.stopc:
		return nil
	default:
	}
	close(s.stopc)
	s.wg.Wait()
	return s.db.Close()
}

// Sync flushes every write to disk (for checkpoints when SyncWrites is off).
func (s *Badger) Sync() error { return s.db.Sync() }

// Backup writes a full backup of the store to w (badger's backup format).
func (s *Badger) Backup(w io.Writer) error {
	_, err := s.db.Backup(w, 0)
	return domain.Wrap("store.Backup", domain.KindInternal, err)
}

// Restore loads a backup written by Backup into the store, which should be
// empty.
func (s *Badger) Restore(r io.Reader) error {
	return domain.Wrap("store.Restore", domain.KindInternal, s.db.Load(r, 256))
}

type recordJSON struct {
	IRI        string          `json:"iri"`
	Collection string          `json:"collection"`
	Doc        json.RawMessage `json:"doc"`
	Draft      bool            `json:"draft"`
	Version    uint64          `json:"version"`
	ETag       string          `json:"etag"`
	Updated    time.Time       `json:"updated"`
	Seq        uint64          `json:"seq"`
}

type changeJSON struct {
	Seq     uint64    `json:"seq"`
	Op      string    `json:"op"`
	IRI     string    `json:"iri"`
	Version uint64    `json:"version"`
	At      time.Time `json:"at"`
}

func encodeRecord(r domain.Record) ([]byte, error) {
	return json.Marshal(recordJSON{r.IRI, string(r.Collection), r.Doc, r.Draft, r.Version, r.ETag, r.Updated, r.Seq})
}

func decodeRecord(b []byte) (domain.Record, error) {
	var j recordJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return domain.Record{}, err
	}
	return domain.Record{IRI: j.IRI, Collection: domain.Collection(j.Collection), Doc: j.Doc, Draft: j.Draft,
		Version: j.Version, ETag: j.ETag, Updated: j.Updated, Seq: j.Seq}, nil
}

func seqKey(seq uint64) []byte {
	k := make([]byte, len(prefixChange)+8)
	copy(k, prefixChange)
	binary.BigEndian.PutUint64(k[len(prefixChange):], seq)
	return k
}

// etag is a strong validator of a version's content and visibility.
func etag(r domain.Record) string {
	h := sha256.New()
	h.Write(r.Doc)
	if r.Draft {
		h.Write([]byte{0})
	}
	return fmt.Sprintf(`"%d-%s"`, r.Version, hex.EncodeToString(h.Sum(nil)[:8]))
}
