package competency

import (
	"context"
	"sync"

	"github.com/trame-commun/trame/internal/domain"
)

// Config configures the view.
type Config struct {
	// BaseIRI resolves the relative IRIs of requests ("competencies/crcn-1.1").
	BaseIRI string
	// ProfileFramework is the framework whose notations a Pix-style profile
	// uses when the request names none (the CRCN: base + "frameworks/crcn").
	ProfileFramework string
}

// View is the competency view. It implements domain.View; its queries
// (Coverage, CoverageDiff, Recommend) are safe for concurrent use and read
// an immutable index rebuilt, on the first query after a change, from the
// facts the view keeps. A query never sees half of an Apply.
type View struct {
	cfg Config

	mu      sync.Mutex
	entries map[string]*entry
	last    uint64
	gen     uint64 // bumped by every Apply and Reset
	pub     *index // published content only, built at generation pubGen
	all     *index // drafts included
	pubGen  uint64
	allGen  uint64
}

var _ domain.View = (*View)(nil)

// New returns an empty view.
func New(cfg Config) *View {
	return &View{cfg: cfg, entries: map[string]*entry{}, gen: 1}
}

// Name implements domain.View.
func (v *View) Name() string { return "competency" }

// LastSeq implements domain.View.
func (v *View) LastSeq() uint64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.last
}

// Apply implements domain.View.
func (v *View) Apply(ctx context.Context, seq uint64, puts []domain.ViewEntity, deletes []string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, iri := range deletes {
		delete(v.entries, iri)
	}
	for _, p := range puts {
		if en := parse(p.Entity, p.Record.Draft); en != nil {
			v.entries[p.Entity.IRI] = en
		} else {
			delete(v.entries, p.Entity.IRI)
		}
	}
	v.last = seq
	v.gen++
	return nil
}

// Reset implements domain.View.
func (v *View) Reset(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.entries = map[string]*entry{}
	v.last = 0
	v.gen++
	v.pub, v.all = nil, nil
	return nil
}

// snapshot returns the index of what a caller sees: published content, or
// drafts too. It is rebuilt when the view changed since it was built.
func (v *View) snapshot(withDrafts bool) *index {
	v.mu.Lock()
	defer v.mu.Unlock()
	if withDrafts {
		if v.all == nil || v.allGen != v.gen {
			v.all, v.allGen = build(v.entries, true), v.gen
		}
		return v.all
	}
	if v.pub == nil || v.pubGen != v.gen {
		v.pub, v.pubGen = build(v.entries, false), v.gen
	}
	return v.pub
}
