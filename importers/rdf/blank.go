package rdf

import (
	"context"
	"path/filepath"

	"github.com/trame-commun/trame/importers/rdf/extsort"
)

// MaxBlankDepth bounds how many blank nodes may stand between a statement
// about a blank node and the entity it belongs to.
const MaxBlankDepth = 64

// blanks gathers, while the file is read, the statements about blank
// nodes (by label) and who refers to each blank node first (an entity IRI
// or another blank node); attach then hands each statement to the entity
// the blank node belongs to. Both live in sorted files on disk.
type blanks struct {
	stmts  *extsort.Sorter // label → statement
	owners *extsort.Sorter // label → "I"+IRI or "B"+label, first reference first
}

func newBlanks(dir string, budget int) *blanks {
	return &blanks{stmts: extsort.NewSorter(dir, "blank-statements", budget),
		owners: extsort.NewSorter(dir, "blank-owners", budget)}
}

// note records that st refers to a blank node, when it does.
func (b *blanks) note(st Statement) error {
	if !st.O.IsBlank() {
		return nil
	}
	owner := "I" + st.S.Value
	if st.S.IsBlank() {
		owner = "B" + st.S.Value
	}
	return b.owners.Add(st.O.Value, []byte(owner))
}

// firstOwner keeps the first reference to a blank node.
func firstOwner(acc, val []byte) []byte {
	if acc != nil {
		return acc
	}
	return append([]byte(nil), val...)
}

// attach calls add with the root entity of each statement about a blank
// node, or with "" when no entity refers to the node (directly or through
// other blank nodes). The statements come sorted by label, so lookups of
// the owners walk their table in order.
func (b *blanks) attach(ctx context.Context, dir string, add func(root string, st Statement, enc []byte) error) error {
	of, err := b.owners.Sort(ctx)
	if err != nil {
		return err
	}
	owners, err := extsort.BuildTable(of, filepath.Join(dir, "blank-owners.table"), firstOwner)
	of.Remove()
	if err != nil {
		return err
	}
	defer owners.Close()
	sf, err := b.stmts.Sort(ctx)
	if err != nil {
		return err
	}
	defer sf.Remove()
	var label, root string
	return sf.Each(func(key string, enc []byte) error {
		if key != label || label == "" {
			label = key
			if root, err = rootOf(owners, key); err != nil {
				return err
			}
		}
		st, err := parseStatement(enc)
		if err != nil {
			return err
		}
		return add(root, st, enc)
	})
}

// rootOf follows the owners of a blank node up to an IRI, or "".
func rootOf(owners *extsort.Table, label string) (string, error) {
	for depth := 0; depth < MaxBlankDepth; depth++ {
		o, _, ok, err := owners.Get(label)
		if err != nil || !ok {
			return "", err
		}
		if o[0] == 'I' {
			return string(o[1:]), nil
		}
		label = string(o[1:])
	}
	return "", nil
}

func (b *blanks) discard() {
	b.stmts.Discard()
	b.owners.Discard()
}
