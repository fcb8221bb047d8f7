// Package bundled embeds the data Trame loads on first start: the reference
// frameworks, licences, vocabularies and partners (always), and the sample
// catalogue (unless disabled). See README.md in this folder for the format
// and the IRIs.
package bundled

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
)

//go:embed data
var files embed.FS

// Set names a group of bundled files.
type Set string

// The bundled sets, in load order.
const (
	Reference Set = "reference"
	Sample    Set = "sample"
)

// importBatch is how many entities one store transaction holds.
const importBatch = 200

// Report says what Load did for one set.
type Report struct {
	Set      Set
	Files    int
	Entities int
	Skipped  bool // already loaded on an earlier start
}

// Entities decodes every file of set with codec, in file-name order.
func Entities(codec domain.Codec, set Set) ([]*domain.Entity, int, error) {
	dir := "data/" + string(set)
	names, err := fs.Glob(files, dir+"/*.jsonld")
	if err != nil {
		return nil, 0, err
	}
	sort.Strings(names)
	var out []*domain.Entity
	for _, name := range names {
		b, err := files.ReadFile(name)
		if err != nil {
			return nil, 0, err
		}
		ents, err := codec.Decode(b, nil)
		if err != nil {
			return nil, 0, fmt.Errorf("bundled: %s: %w", name, err)
		}
		out = append(out, ents...)
	}
	return out, len(names), nil
}

// Digest identifies the content of set, so a store records which version of
// the bundled data it holds.
func Digest(set Set) string {
	h := sha256.New()
	names, _ := fs.Glob(files, "data/"+string(set)+"/*.jsonld")
	sort.Strings(names)
	for _, n := range names {
		b, _ := files.ReadFile(n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Load writes set to the catalog unless the store records it was loaded
// before (first start only: later edits through the API are never
// overwritten). Entities are validated like any write.
func Load(ctx context.Context, cat *catalog.Catalog, set Set) (Report, error) {
	rep := Report{Set: set}
	key := "bundled/" + string(set)
	if _, err := cat.Store().GetMeta(ctx, key); err == nil {
		rep.Skipped = true
		return rep, nil
	} else if !domain.IsKind(err, domain.KindNotFound) {
		return rep, err
	}
	ents, n, err := Entities(cat.Codec(), set)
	if err != nil {
		return rep, err
	}
	rep.Files, rep.Entities = n, len(ents)
	if err := cat.Import(ctx, ents, false, importBatch); err != nil {
		return rep, fmt.Errorf("bundled: loading %s: %w", set, err)
	}
	return rep, cat.Store().PutMeta(ctx, key, []byte(Digest(set)))
}
