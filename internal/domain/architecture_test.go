package domain_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/trame-commun/trame"

// engines maps each engine to the one package allowed to import it
// (DESIGN.md: "each engine has one owner package").
var engines = map[string]string{
	"github.com/dgraph-io/badger/v4":         module + "/internal/store",
	"github.com/cayleygraph/cayley":          module + "/internal/graph",
	"github.com/blevesearch/bleve/v2":        module + "/internal/search",
	"github.com/piprate/json-gold":           module + "/internal/jsonld",
	"github.com/gorilla/mux":                 module + "/internal/httpapi",
	"github.com/blevesearch/bleve_index_api": module + "/internal/search",
}

type goPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string
}

func packages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	var pkgs []goPackage
	dec := json.NewDecoder(out)
	for {
		var p goPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// TestEachEngineHasOneOwner enforces the architecture of DESIGN.md on the
// code itself: engines are imported by their owner only, the domain imports
// only the standard library and the ontology, and the catalog only the
// domain.
func TestEachEngineHasOneOwner(t *testing.T) {
	pkgs := packages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	used := map[string]bool{}
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			for engine := range engines {
				if imp == engine || strings.HasPrefix(imp, engine+"/") {
					used[engine] = true
				}
			}
		}
	}
	for engine := range engines {
		if !used[engine] {
			t.Errorf("no package imports %s: the import lists are not being read", engine)
		}
	}
	for _, p := range pkgs {
		owner := func(imp string) (string, bool) {
			for engine, o := range engines {
				if imp == engine || strings.HasPrefix(imp, engine+"/") {
					return o, true
				}
			}
			return "", false
		}
		for _, imp := range p.Imports {
			if o, ok := owner(imp); ok && p.ImportPath != o && !strings.HasPrefix(p.ImportPath, o+"/") {
				t.Errorf("%s imports %s, which only %s may import", p.ImportPath, imp, o)
			}
			switch p.ImportPath {
			case module + "/internal/domain":
				if strings.Contains(imp, ".") && imp != module+"/ontology" {
					t.Errorf("the domain imports %s: it may import only the standard library and ontology", imp)
				}
			case module + "/internal/catalog":
				if strings.Contains(imp, ".") && imp != module+"/internal/domain" && imp != module+"/ontology" {
					t.Errorf("the catalog imports %s: it may import only the domain", imp)
				}
			}
		}
	}
}
