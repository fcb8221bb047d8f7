package lesbases

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/rdfio"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// TestGoldenMapping reads each testdata/golden/NAME.md with its list entry
// NAME.item.json, and compares what the parser reads (NAME.parsed.json) and
// the entity the mapping builds (NAME.nt) with the golden files. Run with
// -update to rewrite them after a deliberate change, and review the diff.
func TestGoldenMapping(t *testing.T) {
	cases, _ := filepath.Glob("testdata/golden/*.md")
	if len(cases) < 6 {
		t.Fatalf("only %d golden cases", len(cases))
	}
	m := Mapper{BaseIRI: "http://localhost:8080/", Vocab: DefaultVocab}
	at := time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	for _, md := range cases {
		name := strings.TrimSuffix(md, ".md")
		t.Run(filepath.Base(name), func(t *testing.T) {
			src, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			var it Item
			raw, err := os.ReadFile(name + ".item.json")
			if err != nil || json.Unmarshal(raw, &it) != nil {
				t.Fatalf("%s.item.json: %v", name, err)
			}
			kind := ResourceKind
			if filepath.Base(name) == "base" {
				kind = BaseKind
			}
			iri := pageURL(DefaultSite, kind, it)
			var parsed any
			var e *domain.Entity
			if kind == BaseKind {
				title, desc, err := ParseBase(string(src))
				if err != nil {
					t.Fatal(err)
				}
				parsed = map[string]string{"title": title, "description": desc}
				e = m.Base(it, iri, title, desc, at)
			} else {
				doc, err := ParseResource(string(src), DefaultVocab)
				if err != nil {
					t.Fatal(err)
				}
				parsed = doc
				e = m.Resource(it, iri, doc, at, "")
			}
			pj, _ := json.MarshalIndent(parsed, "", "  ")
			var nt bytes.Buffer
			if err := rdfio.WriteNTriples(&nt, e.Triples); err != nil {
				t.Fatal(err)
			}
			golden(t, name+".parsed.json", append(pj, '\n'))
			golden(t, name+".nt", nt.Bytes())
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s", path, got)
	}
}
