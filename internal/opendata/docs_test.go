package opendata_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/opendata"
	"github.com/trame-commun/trame/ontology"
)

// docExample is a query of docs/opendata.md: a fenced block whose info
// string is "<syntax> <language> <name>", e.g. ```json linkedql teaches-crcn-4.2.
type docExample struct{ lang, name, text string }

var fence = regexp.MustCompile("(?s)```[a-z]+ (linkedql|graphql|sparql) ([a-z0-9.-]+)\n(.*?)```")

// DocExamples reads the examples of docs/opendata.md.
func docExamples(t testing.TB) map[string]map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../docs/opendata.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
		if out[m[2]] == nil {
			out[m[2]] = map[string]string{}
		}
		out[m[2]][m[1]] = m[3]
	}
	return out
}

// answers turns any query result into the sorted set of IRIs it names.
func answers(v any) []string {
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if strings.HasPrefix(x, "http") {
				seen[strings.Trim(x, "<>")] = true
			}
		case map[string]any:
			for _, val := range x {
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(v)
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// fromStore computes the expected answer of each documented question
// directly from the published entities of the store.
var fromStore = map[string]func(e *domain.Entity) []string{
	"teaches-crcn-4.2": func(e *domain.Entity) []string {
		for _, a := range e.Alignments(nil) {
			if a.Type == domain.Teaches && a.Competency == base+"competencies/crcn-4.2" && a.Level >= 3 {
				return []string{e.IRI}
			}
		}
		return nil
	},
	"publishers-for-seniors": func(e *domain.Entity) []string {
		for _, a := range e.Values(ontology.Audience) {
			if a.Value == base+"vocab/beneficiaires/SeniorsPersonnesAgees" {
				var out []string
				for _, p := range e.Values(ontology.Publisher) {
					out = append(out, p.Value)
				}
				return out
			}
		}
		return nil
	},
}

// TestDocumentedQueriesAnswerTheirQuestions runs every example of
// docs/opendata.md on the bundled sample catalogue: the Trame query (LinkedQL
// and GraphQL), the SPARQL query over the N-Quads dump in Oxigraph, and a
// direct computation over the store must give the same answer.
func TestDocumentedQueriesAnswerTheirQuestions(t *testing.T) {
	s := shared(t)
	examples := docExamples(t)
	file, _ := filepath.Abs(writeTemp(t, "dump.nq", s.dump(t, opendata.DumpRequest{Format: "nq"})))
	for name, compute := range fromStore {
		t.Run(name, func(t *testing.T) {
			ex := examples[name]
			if ex["linkedql"] == "" || ex["sparql"] == "" {
				t.Fatalf("docs/opendata.md must give the %s example in LinkedQL and SPARQL, found %v", name, keys(ex))
			}
			seen := map[string]bool{}
			err := s.st.Scan(context.Background(), func(rec domain.Record) error {
				if rec.Draft {
					return nil
				}
				e, err := s.cat.Entity(rec)
				for _, iri := range compute(e) {
					seen[iri] = true
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for iri := range seen {
				want = append(want, iri)
			}
			sort.Strings(want)
			if len(want) < 3 {
				t.Fatalf("the sample catalogue answers %s with %v: too few to check anything", name, want)
			}
			for _, lang := range []string{graph.LinkedQL, graph.GraphQL} {
				if ex[lang] == "" {
					continue
				}
				if got := answers(ask(t, s, lang, ex[lang])); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("%s %s answers\n%v\nwant\n%v", lang, name, got, want)
				}
			}
			_, rows := sparql(t, file, "application/n-quads", ex["sparql"])
			var got []string
			for _, r := range rows {
				got = append(got, strings.Trim(r[0], "<>"))
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("SPARQL %s answers\n%v\nwant\n%v", name, got, want)
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
