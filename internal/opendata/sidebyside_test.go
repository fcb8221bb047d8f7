package opendata_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/opendata"
	"github.com/trame-commun/trame/ontology"
)

// ask runs a query on Trame's graph query engine as an anonymous caller.
func ask(t *testing.T, s *stack, lang, query string) []any {
	t.Helper()
	a, err := s.q.Query(context.Background(), graph.QueryRequest{Language: lang, Query: query, Published: true})
	if err != nil {
		t.Fatalf("%s query failed: %v\n%s", lang, err, query)
	}
	return a.Results
}

// linkedQL wraps a step in LinkedQL's vocabulary.
func linkedQL(step string) string {
	return `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, ` + step[1:]
}

func vertex(iri string) string {
	return fmt.Sprintf(`{"@type": "Vertex", "values": [{"@id": %q}]}`, iri)
}

func visitReverse(from, property string) string {
	return fmt.Sprintf(`{"@type": "VisitReverse", "properties": %q, "from": %s}`, property, from)
}

func count(t *testing.T, s *stack, from string) int {
	t.Helper()
	res := ask(t, s, graph.LinkedQL, linkedQL(fmt.Sprintf(`{"@type": "Count", "from": %s}`, from)))
	if len(res) != 1 {
		t.Fatalf("Count returned %v", res)
	}
	switch n := res[0].(type) {
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	t.Fatalf("Count returned %T %v", res[0], res[0])
	return 0
}

// sparqlCounts runs a SPARQL query whose rows are (key, count).
func sparqlCounts(t *testing.T, file, query string) map[string]int {
	t.Helper()
	_, rows := sparql(t, file, "application/n-quads", query)
	out := map[string]int{}
	for _, r := range rows {
		lex := strings.Trim(strings.SplitN(r[1], "^^", 2)[0], `"`)
		n, err := strconv.Atoi(lex)
		if err != nil {
			t.Fatalf("count %q: %v", r[1], err)
		}
		out[strings.Trim(r[0], "<>")] = n
	}
	return out
}

// TestOxigraphOverTheDumpAnswersLikeTrame loads the N-Quads dump into
// Oxigraph and asks it, in SPARQL, the questions Trame answers through its
// graph query engine: counts per type, resources per competency, and the
// crosswalk CRCN–DigComp. The answers must be equal.
func TestOxigraphOverTheDumpAnswersLikeTrame(t *testing.T) {
	s := shared(t)
	file, _ := filepath.Abs(writeTemp(t, "dump.nq", s.dump(t, opendata.DumpRequest{Format: "nq"})))

	t.Run("counts per type", func(t *testing.T) {
		want := sparqlCounts(t, file, `SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c`)
		classes := ask(t, s, graph.LinkedQL, linkedQL(`{"@type": "Unique", "from": {"@type": "Visit", "properties": "`+ontology.Type+`", "from": {"@type": "Vertex"}}}`))
		if len(classes) != len(want) || len(want) < 20 {
			t.Fatalf("Trame sees %d classes, Oxigraph %d", len(classes), len(want))
		}
		for _, c := range classes {
			iri := c.(string)
			if got := count(t, s, visitReverse(vertex(iri), ontology.Type)); got != want[iri] {
				t.Errorf("%s: Trame counts %d, Oxigraph %d", iri, got, want[iri])
			}
		}
	})

	t.Run("resources per competency", func(t *testing.T) {
		want := sparqlCounts(t, file, `SELECT ?c (COUNT(DISTINCT ?r) AS ?n) WHERE {
		  ?r <https://schema.org/educationalAlignment> ?a . ?a <https://schema.org/targetUrl> ?c } GROUP BY ?c`)
		concepts := ask(t, s, graph.LinkedQL, linkedQL(visitReverse(vertex(ontology.Concept), ontology.Type)))
		seen := 0
		for _, c := range concepts {
			iri := c.(string)
			resources := fmt.Sprintf(`{"@type": "Unique", "from": %s}`,
				visitReverse(visitReverse(vertex(iri), ontology.TargetURL), ontology.EducationalAlignment))
			if got := count(t, s, resources); got != want[iri] {
				t.Errorf("%s: Trame counts %d resources, Oxigraph %d", iri, got, want[iri])
			}
			if want[iri] > 0 {
				seen++
			}
		}
		if seen != len(want) || seen < 10 {
			t.Fatalf("%d competencies have resources in Oxigraph, %d of them found by Trame", len(want), seen)
		}
	})

	t.Run("crosswalk", func(t *testing.T) {
		_, rows := sparql(t, file, "application/n-quads", `SELECT ?s ?r ?t WHERE {
		  <`+base+`crosswalks/crcn-digcomp> <`+ontology.MappingProp+`> ?m .
		  ?m <`+ontology.AnnotatedSource+`> ?s ; <`+ontology.AnnotatedProp+`> ?r ; <`+ontology.AnnotatedTarget+`> ?t }`)
		var want []string
		for _, r := range rows {
			want = append(want, strings.Trim(r[0], "<>")+" "+strings.Trim(r[1], "<>")+" "+strings.Trim(r[2], "<>"))
		}
		res := ask(t, s, graph.GraphQL, `{ cw: nodes(id: <`+base+`crosswalks/crcn-digcomp>) {
		  mapping: <`+ontology.MappingProp+`> { source: <`+ontology.AnnotatedSource+`> relation: <`+ontology.AnnotatedProp+`> target: <`+ontology.AnnotatedTarget+`> } } }`)
		cw := res[0].(map[string]any)["cw"].(map[string]any)
		var got []string
		for _, m := range cw["mapping"].([]any) {
			m := m.(map[string]any)
			got = append(got, fmt.Sprint(m["source"], " ", m["relation"], " ", m["target"]))
		}
		sort.Strings(want)
		sort.Strings(got)
		if len(want) < 10 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("crosswalk differs:\nTrame:\n%s\nOxigraph:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
