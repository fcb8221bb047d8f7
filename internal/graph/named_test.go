package graph

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
	"github.com/trame-commun/trame/queries"
)

// queryCases is a file of queries/testdata: the input graph (N-Quads whose
// fourth term is the entity a statement belongs to), the entities that are
// drafts, and the cases.
type queryCases struct {
	Graph  string   `json:"graph"`
	Drafts []string `json:"drafts"`
	Cases  []struct {
		Name       string            `json:"name"`
		Params     map[string]string `json:"params"`
		WithDrafts bool              `json:"withDrafts"`
		Expect     []Row             `json:"expect"`
		Error      string            `json:"error"`
	} `json:"cases"`
}

// TestNamedQueries runs every case of queries/testdata against its query.
func TestNamedQueries(t *testing.T) {
	all, err := NamedQueries()
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	files, _ := fs.Glob(queries.FS, "testdata/*.json")
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "testdata/"), ".json")
		if all[name] == nil {
			t.Errorf("%s: no query %s", f, name)
			continue
		}
		tested[name] = true
		var tc queryCases
		b, _ := fs.ReadFile(queries.FS, f)
		if err := json.Unmarshal(b, &tc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		g := loadGraph(t, tc.Graph, tc.Drafts)
		for _, c := range tc.Cases {
			t.Run(name+"/"+c.Name, func(t *testing.T) {
				rows, err := g.RunNamed(context.Background(), name, c.Params, c.WithDrafts)
				if c.Error != "" {
					if err == nil || domain.KindOf(err).String() != c.Error {
						t.Fatalf("want a %s error, got %v (rows %v)", c.Error, err, rows)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				want := c.Expect
				if want == nil {
					want = []Row{}
				}
				if rows == nil {
					rows = []Row{}
				}
				sel := all[name].Select
				sort.Slice(want, func(i, j int) bool { return namedRowKey(sel, want[i]) < namedRowKey(sel, want[j]) })
				if !reflect.DeepEqual(rows, want) {
					t.Fatalf("got  %v\nwant %v", rows, want)
				}
			})
		}
	}
	for name := range all {
		if !tested[name] {
			t.Errorf("query %s has no test cases in queries/testdata/%s.json", name, name)
		}
	}
}

func TestUnknownNamedQuery(t *testing.T) {
	if _, err := New().RunNamed(context.Background(), "nope", nil, false); !domain.IsKind(err, domain.KindNotFound) {
		t.Fatalf("want not found, got %v", err)
	}
}

// loadGraph reads an N-Quads file of queries/testdata into a graph view,
// one entity per fourth term, through Apply like the catalog does.
func loadGraph(t *testing.T, file string, drafts []string) *Graph {
	t.Helper()
	f, err := queries.FS.Open("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := nquads.NewReader(f, false)
	byLabel := map[string]*domain.Entity{}
	var order []string
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		label := string(q.Label.(quad.IRI))
		e := byLabel[label]
		if e == nil {
			e = &domain.Entity{IRI: label}
			byLabel[label] = e
			order = append(order, label)
		}
		tr := domain.Triple{S: term(q.Subject), P: term(q.Predicate), O: term(q.Object)}
		e.Triples = append(e.Triples, tr)
		if tr.S.Value == label && tr.P.Value == ontology.Type {
			e.Types = append(e.Types, tr.O.Value)
		}
	}
	isDraft := map[string]bool{}
	for _, d := range drafts {
		isDraft[d] = true
	}
	var puts []domain.ViewEntity
	for _, l := range order {
		puts = append(puts, domain.ViewEntity{Entity: byLabel[l], Record: domain.Record{IRI: l, Draft: isDraft[l]}})
	}
	g := New()
	if err := g.Apply(context.Background(), 1, puts, nil); err != nil {
		t.Fatal(err)
	}
	return g
}

func term(v quad.Value) domain.Term {
	switch x := v.(type) {
	case quad.IRI:
		return domain.NewIRI(string(x))
	case quad.BNode:
		return domain.NewBlank(string(x))
	case quad.LangString:
		return domain.NewLangString(string(x.Value), x.Lang)
	case quad.TypedString:
		return domain.NewTyped(string(x.Value), string(x.Type))
	case quad.String:
		return domain.NewString(string(x))
	case quad.Int:
		return domain.NewTyped(strconv.FormatInt(int64(x), 10), ontology.XSDInteger)
	}
	panic("unexpected value in test graph: " + quad.StringOf(v))
}
