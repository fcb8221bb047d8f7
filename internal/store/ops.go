package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/trame-commun/trame/internal/domain"
)

func notFound(op, iri string) error {
	return &domain.Error{Op: op, Kind: domain.KindNotFound, Message: "no entity " + iri}
}

// Get returns the record of iri.
func (s *Badger) Get(ctx context.Context, iri string) (domain.Record, error) {
	var rec domain.Record
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		rec, err = getRecord(txn, iri)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return rec, notFound("store.Get", iri)
	}
	return rec, domain.Wrap("store.Get", domain.KindInternal, err)
}

func getRecord(txn *badger.Txn, iri string) (domain.Record, error) {
	item, err := txn.Get([]byte(prefixEntity + iri))
	if err != nil {
		return domain.Record{}, err
	}
	var rec domain.Record
	err = item.Value(func(v []byte) error {
		var err error
		rec, err = decodeRecord(v)
		return err
	})
	return rec, err
}

// Apply writes batch atomically; see domain.Store.
func (s *Badger) Apply(ctx context.Context, batch []domain.Mutation) ([]domain.Record, error) {
	const op = "store.Apply"
	if err := ctx.Err(); err != nil {
		return nil, domain.Wrap(op, domain.KindUnavailable, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []domain.Record
	err := s.db.Update(func(txn *badger.Txn) error {
		out = out[:0]
		seq, err := lastSeq(txn)
		if err != nil {
			return err
		}
		now := s.now()
		for _, m := range batch {
			seq++
			rec, err := s.applyOne(txn, m, seq, now)
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], seq)
		return txn.Set(prefixLastSeq, b[:])
	})
	if errors.Is(err, badger.ErrTxnTooBig) {
		return nil, &domain.Error{Op: op, Kind: domain.KindTooLarge, Message: "batch too large for one transaction: split it"}
	}
	if err != nil {
		return nil, domain.Wrap(op, domain.KindInternal, err)
	}
	return out, nil
}

func (s *Badger) applyOne(txn *badger.Txn, m domain.Mutation, seq uint64, now time.Time) (domain.Record, error) {
	const op = "store.Apply"
	iri := m.Record.IRI
	old, err := getRecord(txn, iri)
	exists := err == nil
	if err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
		return domain.Record{}, err
	}
	switch {
	case m.IfMatch == "*" && !exists, m.IfMatch != "" && m.IfMatch != "*" && (!exists || old.ETag != m.IfMatch):
		return domain.Record{}, &domain.Error{Op: op, Kind: domain.KindPrecondition,
			Message: "If-Match " + m.IfMatch + " does not match the current version of " + iri}
	case m.IfNoneMatch == "*" && exists:
		return domain.Record{}, &domain.Error{Op: op, Kind: domain.KindConflict, Message: iri + " already exists"}
	}
	ch := changeJSON{Seq: seq, IRI: iri, At: now}
	if m.Delete {
		if !exists {
			return domain.Record{}, notFound(op, iri)
		}
		ch.Op, ch.Version = domain.OpDelete.String(), old.Version
		if err := deleteEntity(txn, old); err != nil {
			return domain.Record{}, err
		}
		return old, putChange(txn, ch)
	}
	rec := m.Record
	rec.Version = 1
	if exists {
		rec.Version = old.Version + 1
		if err := txn.Delete([]byte(prefixIndex + string(old.Collection) + "/" + iri)); err != nil {
			return rec, err
		}
	} else if v, err := tombVersion(txn, iri); err != nil {
		return rec, err
	} else {
		rec.Version = v + 1
	}
	rec.Seq, rec.Updated = seq, now
	rec.ETag = etag(rec)
	b, err := encodeRecord(rec)
	if err != nil {
		return rec, err
	}
	flag := []byte{'p'}
	if rec.Draft {
		flag[0] = 'd'
	}
	if err := txn.Set([]byte(prefixEntity+iri), b); err != nil {
		return rec, err
	}
	if err := txn.Set([]byte(prefixIndex+string(rec.Collection)+"/"+iri), flag); err != nil {
		return rec, err
	}
	ch.Op, ch.Version = domain.OpPut.String(), rec.Version
	return rec, putChange(txn, ch)
}

func deleteEntity(txn *badger.Txn, old domain.Record) error {
	if err := txn.Delete([]byte(prefixEntity + old.IRI)); err != nil {
		return err
	}
	if err := txn.Delete([]byte(prefixIndex + string(old.Collection) + "/" + old.IRI)); err != nil {
		return err
	}
	return txn.Set([]byte(prefixTomb+old.IRI), []byte(strconv.FormatUint(old.Version, 10)))
}

func tombVersion(txn *badger.Txn, iri string) (uint64, error) {
	item, err := txn.Get([]byte(prefixTomb + iri))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(string(v), 10, 64)
}

func putChange(txn *badger.Txn, ch changeJSON) error {
	b, err := json.Marshal(ch)
	if err != nil {
		return err
	}
	return txn.Set(seqKey(ch.Seq), b)
}

func lastSeq(txn *badger.Txn) (uint64, error) {
	item, err := txn.Get(prefixLastSeq)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var seq uint64
	err = item.Value(func(v []byte) error {
		seq = binary.BigEndian.Uint64(v)
		return nil
	})
	return seq, err
}

// LastSeq returns the sequence of the last change, 0 for an empty store.
func (s *Badger) LastSeq(ctx context.Context) (uint64, error) {
	var seq uint64
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		seq, err = lastSeq(txn)
		return err
	})
	return seq, domain.Wrap("store.LastSeq", domain.KindInternal, err)
}

// Changes returns up to limit changes with Seq > since, in order.
func (s *Badger) Changes(ctx context.Context, since uint64, limit int) ([]domain.Change, error) {
	var out []domain.Change
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixChange), PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Seek(seqKey(since + 1)); it.Valid() && len(out) < limit; it.Next() {
			var j changeJSON
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &j) }); err != nil {
				return err
			}
			o := domain.OpPut
			if j.Op == domain.OpDelete.String() {
				o = domain.OpDelete
			}
			out = append(out, domain.Change{Seq: j.Seq, Op: o, IRI: j.IRI, Version: j.Version, At: j.At})
		}
		return nil
	})
	return out, domain.Wrap("store.Changes", domain.KindInternal, err)
}

// List returns up to limit records of collection c after the IRI after.
func (s *Badger) List(ctx context.Context, c domain.Collection, after string, limit int, withDrafts bool) ([]domain.Record, error) {
	var out []domain.Record
	err := s.db.View(func(txn *badger.Txn) error {
		prefix := prefixIndex
		if c != "" {
			prefix += string(c) + "/"
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: true})
		defer it.Close()
		start := []byte(prefix)
		if after != "" && c != "" {
			start = append([]byte(prefix+after), 0)
		}
		for it.Seek(start); it.Valid() && len(out) < limit; it.Next() {
			key := string(it.Item().Key())
			iri := key[len(prefix):]
			if c == "" {
				_, iri, _ = strings.Cut(iri, "/")
				if after != "" && iri <= after {
					continue
				}
			}
			var draft bool
			if err := it.Item().Value(func(v []byte) error { draft = len(v) > 0 && v[0] == 'd'; return nil }); err != nil {
				return err
			}
			if draft && !withDrafts {
				continue
			}
			rec, err := getRecord(txn, iri)
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, domain.Wrap("store.List", domain.KindInternal, err)
}

// Scan calls fn for every record in IRI order.
func (s *Badger) Scan(ctx context.Context, fn func(domain.Record) error) error {
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefixEntity), PrefetchValues: true, PrefetchSize: 100})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			var rec domain.Record
			if err := it.Item().Value(func(v []byte) error {
				var err error
				rec, err = decodeRecord(v)
				return err
			}); err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// GetMeta returns the value stored under key.
func (s *Badger) GetMeta(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(prefixMeta + key))
		if err != nil {
			return err
		}
		v, err = item.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, &domain.Error{Op: "store.GetMeta", Kind: domain.KindNotFound, Message: "no meta key " + key}
	}
	return v, domain.Wrap("store.GetMeta", domain.KindInternal, err)
}

// PutMeta stores value under key.
func (s *Badger) PutMeta(ctx context.Context, key string, value []byte) error {
	return domain.Wrap("store.PutMeta", domain.KindInternal, s.db.Update(func(txn *badger.Txn) error {
		return txn.Set([]byte(prefixMeta+key), value)
	}))
}

// swapAttempts bounds how often SwapMeta retries a transaction that badger
// aborted because another transaction wrote the key meanwhile; each retry
// reads the value again, so a lost race ends as a precondition failure.
const swapAttempts = 16

// SwapMeta sets key to new if its value is old (see domain.Store), reading
// and writing in one transaction.
func (s *Badger) SwapMeta(ctx context.Context, key string, old, new []byte) error {
	const op = "store.SwapMeta"
	k := []byte(prefixMeta + key)
	var err error
	for attempt := 0; attempt < swapAttempts; attempt++ {
		if err := ctx.Err(); err != nil {
			return domain.Wrap(op, domain.KindUnavailable, err)
		}
		err = s.db.Update(func(txn *badger.Txn) error { return swapInTxn(txn, key, k, old, new) })
		if !errors.Is(err, badger.ErrConflict) {
			return domain.Wrap(op, domain.KindInternal, err)
		}
	}
	return &domain.Error{Op: op, Kind: domain.KindConflict, Message: "meta key " + key + " is being written by others: try again", Err: err}
}

func swapInTxn(txn *badger.Txn, key string, k, old, new []byte) error {
	item, err := txn.Get(k)
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		if old != nil {
			return &domain.Error{Op: "store.SwapMeta", Kind: domain.KindPrecondition, Message: "meta key " + key + " is absent, not the expected value"}
		}
	case err != nil:
		return err
	default:
		cur, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if old == nil || !bytes.Equal(cur, old) {
			return &domain.Error{Op: "store.SwapMeta", Kind: domain.KindPrecondition, Message: "meta key " + key + " does not hold the expected value"}
		}
	}
	if new == nil {
		return txn.Delete(k)
	}
	return txn.Set(k, new)
}
