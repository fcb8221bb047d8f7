package search

import (
	"encoding/binary"
	"errors"
	"sort"
)

// The _meta field holds a document's docMeta in a compact binary form:
// reading 100,000 of them back is what opening the index costs, and JSON
// took four times longer. Layout: a version byte, the draft flag, then
// strings (uvarint length + bytes) and lists of strings (uvarint count +
// strings) in a fixed order.
const metaVersion = 1

var errMeta = errors.New("bad _meta encoding")

func encodeMeta(m *docMeta) []byte {
	b := make([]byte, 0, 256)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	list := func(l []string) {
		b = binary.AppendUvarint(b, uint64(len(l)))
		for _, s := range l {
			str(s)
		}
	}
	draft := byte(0)
	if m.Src.Draft {
		draft = 1
	}
	b = append(b, metaVersion, draft)
	str(m.Name)
	str(m.Src.Date)
	for _, l := range srcLists(&m.Src) {
		list(*l)
	}
	list(m.Refs)
	names := make([]string, 0, len(m.Facets))
	for f := range m.Facets {
		names = append(names, f)
	}
	sort.Strings(names)
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, f := range names {
		str(f)
		b = binary.AppendUvarint(b, uint64(len(m.Facets[f])))
		for _, v := range m.Facets[f] {
			str(v.K)
			str(v.I)
		}
	}
	return b
}

// srcLists returns the source's lists of IRIs in encoding order.
func srcLists(s *source) []*[]string {
	return []*[]string{&s.Types, &s.About, &s.Kinds, &s.Audience, &s.Sectors, &s.Places, &s.Licences,
		&s.Publishers, &s.Languages, &s.Taught, &s.Levels}
}

// metaDecoder decodes _meta fields, sharing one copy of each repeated
// string (IRIs of facet values, publishers, competencies).
type metaDecoder struct {
	intern map[string]string
}

func newMetaDecoder() *metaDecoder { return &metaDecoder{intern: map[string]string{}} }

func (d *metaDecoder) decode(b []byte) (*docMeta, error) {
	if len(b) < 2 || b[0] != metaVersion {
		return nil, errMeta
	}
	m := &docMeta{}
	m.Src.Draft = b[1] == 1
	b = b[2:]
	var bad bool
	uv := func() int {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)) {
			bad = true
			return 0
		}
		b = b[k:]
		return int(n)
	}
	str := func(shared bool) string {
		n := uv()
		if bad || n > len(b) {
			bad = true
			return ""
		}
		raw := b[:n]
		b = b[n:]
		if !shared {
			return string(raw)
		}
		if s, ok := d.intern[string(raw)]; ok {
			return s
		}
		s := string(raw)
		d.intern[s] = s
		return s
	}
	list := func() []string {
		n := uv()
		if n == 0 || bad {
			return nil
		}
		out := make([]string, 0, min(n, 64))
		for i := 0; i < n && !bad; i++ {
			out = append(out, str(true))
		}
		return out
	}
	m.Name = str(false)
	m.SortName = sortName(m.Name)
	m.Src.Date = str(true)
	for _, l := range srcLists(&m.Src) {
		*l = list()
	}
	m.Refs = list()
	nf := uv()
	if nf > 0 {
		m.Facets = make(map[string][]fv, nf)
	}
	for i := 0; i < nf && !bad; i++ {
		f := str(true)
		nv := uv()
		vals := make([]fv, 0, min(nv, 64))
		for j := 0; j < nv && !bad; j++ {
			vals = append(vals, fv{K: str(true), I: str(true)})
		}
		m.Facets[f] = vals
	}
	if bad || len(b) != 0 {
		return nil, errMeta
	}
	return m, nil
}
