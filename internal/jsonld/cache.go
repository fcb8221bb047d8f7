package jsonld

import (
	"crypto/sha256"
	"sync"
)

// compactCacheSize bounds the compacted documents kept in memory. json-gold
// rebuilds the inverse context on every compaction, which costs far more
// than the compaction itself; stored documents change only with their
// version, so a compaction is keyed by the document's content.
const compactCacheSize = 4096

type cacheKey struct {
	doc [sha256.Size]byte
	ctx string
}

// compactCache is a fixed-size FIFO cache of compacted documents, safe for
// concurrent use.
type compactCache struct {
	mu    sync.Mutex
	items map[cacheKey][]byte
	order []cacheKey
	next  int
}

func newCompactCache() *compactCache {
	return &compactCache{items: make(map[cacheKey][]byte, compactCacheSize)}
}

func (c *compactCache) get(k cacheKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[k]
	return v, ok
}

func (c *compactCache) put(k cacheKey, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[k]; ok {
		return
	}
	if len(c.order) < compactCacheSize {
		c.order = append(c.order, k)
	} else {
		delete(c.items, c.order[c.next])
		c.order[c.next] = k
		c.next = (c.next + 1) % compactCacheSize
	}
	c.items[k] = v
}
