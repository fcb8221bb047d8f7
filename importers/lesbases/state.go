package lesbases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
)

// stateFormat is the version of the state document's layout.
const stateFormat = 1

// itemState is what the harvester remembers of an item stored in the graph.
type itemState struct {
	Kind        Kind   `json:"kind"`
	ID          string `json:"id"`
	IRI         string `json:"iri"`
	Updated     string `json:"updated"`     // the list's "updated" when the item was last read
	Hash        string `json:"hash"`        // digest of the markdown and list fields it was built from
	GeneratedAt string `json:"generatedAt"` // the harvest that produced the stored content
}

// harvestState is the committed state of the harvest of one site: exactly
// the items stored in the graph. It is written once per run, after the
// run's batch is committed, so a run killed at any point leaves it
// describing what the graph holds (or a state the next run repairs by
// comparing with the graph).
type harvestState struct {
	Format int                   `json:"format"`
	Site   string                `json:"site"`
	Items  map[string]*itemState `json:"items"` // key: kind + ":" + id
	// Failed remembers the items that failed on the last run, at which
	// "updated": the next run tries such an item once, without retries,
	// unless it changed since.
	Failed map[string]string `json:"failed,omitempty"` // key → updated
}

// staged is the markdown of an item fetched by a run that has not been
// committed yet: a run killed after fetching does not fetch it again.
type staged struct {
	Updated  string `json:"updated"`
	Markdown string `json:"markdown"`
}

func itemKey(k Kind, id string) string { return string(k) + ":" + id }

// keys are the meta keys of one site's harvest (under sink.MetaPrefix).
type keys struct{ prefix string }

func keysFor(site string) keys {
	host := site
	if u, err := url.Parse(site); err == nil && u.Host != "" {
		host = u.Host
	}
	return keys{prefix: "lesbases/" + strings.ToLower(host) + "/"}
}

func (k keys) state() string                      { return k.prefix + "state" }
func (k keys) lease() string                      { return k.prefix + "lease" }
func (k keys) staged(kind Kind, id string) string { return k.prefix + "md/" + string(kind) + "/" + id }

func loadState(ctx context.Context, s sink.Sink, k keys, site string) (*harvestState, error) {
	st := &harvestState{Format: stateFormat, Site: site, Items: map[string]*itemState{}}
	b, err := s.GetMeta(ctx, k.state())
	if domain.IsKind(err, domain.KindNotFound) || (err == nil && len(b) == 0) {
		return st, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, st); err != nil || st.Items == nil {
		return nil, domain.Errorf("lesbases", domain.KindInternal, "the harvest state under %q is unreadable: %v", k.state(), err)
	}
	return st, nil
}

func saveState(ctx context.Context, s sink.Sink, k keys, st *harvestState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.PutMeta(ctx, k.state(), b)
}

func loadStaged(ctx context.Context, s sink.Sink, k keys, kind Kind, id string) (*staged, error) {
	b, err := s.GetMeta(ctx, k.staged(kind, id))
	if domain.IsKind(err, domain.KindNotFound) || (err == nil && len(b) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st staged
	if json.Unmarshal(b, &st) != nil {
		return nil, nil // unreadable: fetch again
	}
	return &st, nil
}

func putStaged(ctx context.Context, s sink.Sink, k keys, kind Kind, id string, st staged) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.PutMeta(ctx, k.staged(kind, id), b)
}

// contentHash digests everything an item's entity is built from.
func contentHash(parts ...string) string {
	h := sha256.New()
	h.Write([]byte(MappingVersion))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// StateKey is the meta key (under sink.MetaPrefix) of the harvest state of
// site, for tests and maintenance.
func StateKey(site string) string { return keysFor(site).state() }
