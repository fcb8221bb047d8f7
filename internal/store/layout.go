// Package store is the owner of badger: Trame's canonical store, one JSON-LD
// document per entity keyed by IRI with its version and ETag, and an
// append-only change log. It implements domain.Store.
//
// The key layout is data (layout.json, embedded) with a schema version; a
// store written with another version is refused at open with a message that
// says how to migrate.
package store

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed layout.json
var layoutJSON []byte

// Layout is the key layout of the store, read from layout.json.
type Layout struct {
	SchemaVersion int `json:"schemaVersion"`
	Keys          map[string]struct {
		Prefix string `json:"prefix"`
		Key    string `json:"key"`
		Value  string `json:"value"`
	} `json:"keys"`
}

// CurrentLayout returns the layout this build writes and reads.
func CurrentLayout() Layout {
	var l Layout
	if err := json.Unmarshal(layoutJSON, &l); err != nil {
		panic(fmt.Sprintf("store: embedded layout.json: %v", err))
	}
	return l
}

// prefixes resolved once from the layout.
var (
	layout        = CurrentLayout()
	prefixLayout  = []byte(layout.Keys["layout"].Prefix)
	prefixEntity  = layout.Keys["entity"].Prefix
	prefixIndex   = layout.Keys["index"].Prefix
	prefixTomb    = layout.Keys["tomb"].Prefix
	prefixChange  = layout.Keys["change"].Prefix
	prefixLastSeq = []byte(layout.Keys["lastSeq"].Prefix)
	prefixMeta    = layout.Keys["meta"].Prefix
)
