package graph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/ontology"
)

const ex = "http://example.org/"

// queryGraph holds three published resources aligned on two competencies,
// and one draft resource whose name must never reach anonymous queries.
func queryGraph(t testing.TB) *graph.Graph {
	t.Helper()
	g := graph.New()
	res := func(slug, competency string, level int, draft bool) domain.ViewEntity {
		iri := ex + "resources/" + slug
		al := domain.NewBlank("b0")
		e := &domain.Entity{IRI: iri, Types: []string{ontology.LearningResource}, Triples: []domain.Triple{
			{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Type), O: domain.NewIRI(ontology.LearningResource)},
			{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Name), O: domain.NewLangString("Ressource "+slug, "fr")},
			{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.EducationalAlignment), O: al},
			{S: al, P: domain.NewIRI(ontology.AlignmentType), O: domain.NewString("teaches")},
			{S: al, P: domain.NewIRI(ontology.TargetURL), O: domain.NewIRI(ex + competency)},
			{S: al, P: domain.NewIRI(ontology.EducationalLevel), O: domain.NewTyped(fmt.Sprint(level), ontology.XSDInteger)},
		}}
		return domain.ViewEntity{Entity: e, Record: domain.Record{IRI: iri, Draft: draft}}
	}
	puts := []domain.ViewEntity{res("a", "c1", 2, false), res("b", "c1", 4, false), res("c", "c2", 5, false), res("secret", "c1", 6, true)}
	if err := g.Apply(context.Background(), 1, puts, nil); err != nil {
		t.Fatal(err)
	}
	return g
}

// teachingC1AtLeast is the LinkedQL question "which resources teach c1 at
// level n or more?".
func teachingC1AtLeast(n int) string {
	return fmt.Sprintf(`{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Unique", "from": {
	  "@type": "VisitReverse", "properties": %q, "from": {
	    "@type": "Where",
	    "from": {"@type": "VisitReverse", "properties": %q, "from": {"@type": "Vertex", "values": [{"@id": %q}]}},
	    "condition": {"@type": "GreaterThanEquals", "value": %d,
	      "from": {"@type": "Visit", "properties": %q, "from": {"@type": "Placeholder"}}}}}}`,
		ontology.EducationalAlignment, ontology.TargetURL, ex+"c1", n, ontology.EducationalLevel)
}

func run(t *testing.T, q *graph.Querier, req graph.QueryRequest) []string {
	t.Helper()
	a, err := q.Query(context.Background(), req)
	if err != nil {
		t.Fatalf("%s: %v", req.Language, err)
	}
	var out []string
	for _, r := range a.Results {
		b, _ := json.Marshal(r)
		out = append(out, string(b))
	}
	return out
}

func TestLinkedQLAnswersWithNumericComparisons(t *testing.T) {
	q := graph.NewQuerier(queryGraph(t), graph.DefaultLimits())
	got := run(t, q, graph.QueryRequest{Language: graph.LinkedQL, Query: teachingC1AtLeast(3), Published: true})
	if strings.Join(got, " ") != `"`+ex+`resources/b"` {
		t.Fatalf("resources teaching c1 at level 3 or more: %v", got)
	}
	ld := run(t, q, graph.QueryRequest{Language: graph.LinkedQL, Query: teachingC1AtLeast(3), Published: true, JSONLD: true})
	if strings.Join(ld, " ") != `{"@id":"`+ex+`resources/b"}` {
		t.Fatalf("as JSON-LD: %v", ld)
	}
}

func TestAnonymousQueriesNeverSeeDrafts(t *testing.T) {
	q := graph.NewQuerier(queryGraph(t), graph.DefaultLimits())
	cases := []struct {
		name, lang, query string
	}{
		{"comparison", graph.LinkedQL, teachingC1AtLeast(5)},
		{"every node", graph.LinkedQL, `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Vertex"}`},
		{"the draft's IRI", graph.LinkedQL, `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Vertex", "values": [{"@id": "` + ex + `resources/secret"}]}`},
		{"graphql by id", graph.GraphQL, `{ r: nodes(id: <` + ex + `resources/secret>) { id name: <` + ontology.Name + `> } }`},
		{"graphql every named node", graph.GraphQL, `{ r: nodes { id name: <` + ontology.Name + `> } }`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			anon := strings.Join(run(t, q, graph.QueryRequest{Language: c.lang, Query: c.query, Published: true}), " ")
			if strings.Contains(anon, "secret") {
				t.Fatalf("an anonymous query sees the draft: %s", anon)
			}
			editor := strings.Join(run(t, q, graph.QueryRequest{Language: c.lang, Query: c.query, Authenticated: true}), " ")
			if !strings.Contains(editor, "secret") {
				t.Fatalf("an authenticated query must see the draft: %s", editor)
			}
		})
	}
}

func TestLimitsStopRunawayQueriesWithTheLimitInTheMessage(t *testing.T) {
	g := queryGraph(t)
	every := `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Vertex"}`
	lim := func(change func(*graph.Limits)) *graph.Querier {
		l := graph.DefaultLimits()
		change(&l)
		return graph.NewQuerier(g, l)
	}
	cases := []struct {
		name string
		q    *graph.Querier
		req  graph.QueryRequest
		kind domain.Kind
		want string
	}{
		{"result cap", lim(func(l *graph.Limits) { l.Results = 3 }), graph.QueryRequest{Language: graph.LinkedQL, Query: every}, domain.KindInvalid, "more than 3 results"},
		{"graphql result cap", lim(func(l *graph.Limits) { l.Results = 3 }), graph.QueryRequest{Language: graph.GraphQL, Query: `{ r: nodes { id } }`}, domain.KindInvalid, "more than 3 results"},
		{"work limit", lim(func(l *graph.Limits) { l.Steps = 5 }), graph.QueryRequest{Language: graph.LinkedQL, Query: every}, domain.KindInvalid, "more than 5 quads and nodes"},
		{"time limit", lim(func(l *graph.Limits) { l.Timeout = time.Nanosecond }), graph.QueryRequest{Language: graph.LinkedQL, Query: every}, domain.KindInvalid, "time limit of 1ns"},
		{"graphql time limit", lim(func(l *graph.Limits) { l.Timeout = time.Nanosecond }), graph.QueryRequest{Language: graph.GraphQL, Query: `{ r: nodes { id } }`}, domain.KindInvalid, "time limit"},
		{"gizmo time limit", lim(func(l *graph.Limits) { l.Timeout = 200 * time.Millisecond }), graph.QueryRequest{Language: graph.Gizmo, Query: `while (true) {}`, Authenticated: true}, domain.KindInvalid, "time limit of 200ms"},
		{"gizmo memory", lim(func(l *graph.Limits) { l.GizmoHeap = 16 << 20 }), graph.QueryRequest{Language: graph.Gizmo, Query: `var s = "x"; while (true) { s = s + s; }`, Authenticated: true}, domain.KindInvalid, "more than 16 MiB"},
		{"query size", lim(func(l *graph.Limits) { l.QueryBytes = 10 }), graph.QueryRequest{Language: graph.LinkedQL, Query: every}, domain.KindTooLarge, "limit of 10 bytes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.q.Query(context.Background(), c.req)
			if domain.KindOf(err) != c.kind || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a %s error saying %q", err, c.kind, c.want)
			}
		})
	}
}

func TestConcurrencyLimitAnswersUnavailable(t *testing.T) {
	l := graph.DefaultLimits()
	l.Concurrent, l.QueueWait, l.Timeout = 1, 50*time.Millisecond, 2*time.Second
	q := graph.NewQuerier(queryGraph(t), l)
	started := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		close(started)
		q.Query(context.Background(), graph.QueryRequest{Language: graph.Gizmo, Query: `var t = Date.now(); while (Date.now() - t < 500) {}`, Authenticated: true})
	}()
	<-started
	time.Sleep(100 * time.Millisecond)
	_, err := q.Query(context.Background(), graph.QueryRequest{Language: graph.GraphQL, Query: `{ r: nodes { id } }`})
	wg.Wait()
	if domain.KindOf(err) != domain.KindUnavailable || !strings.Contains(err.Error(), "1 graph queries are already running") {
		t.Fatalf("got %v, want unavailable naming the concurrency limit", err)
	}
}

func TestMalformedQueriesGetAClearError(t *testing.T) {
	q := graph.NewQuerier(queryGraph(t), graph.DefaultLimits())
	cases := []struct {
		name  string
		req   graph.QueryRequest
		kind  domain.Kind
		words string
	}{
		{"not JSON", graph.QueryRequest{Language: graph.LinkedQL, Query: `{"@type": `}, domain.KindInvalid, "not JSON"},
		{"unknown step", graph.QueryRequest{Language: graph.LinkedQL, Query: `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Teleport"}`}, domain.KindInvalid, "Teleport"},
		{"remote context", graph.QueryRequest{Language: graph.LinkedQL, Query: `{"@context": "http://example.org/ctx.jsonld", "@type": "Vertex"}`}, domain.KindInvalid, "only inline @context"},
		{"nested remote context", graph.QueryRequest{Language: graph.LinkedQL, Query: `{"@context": [{"@vocab": "http://cayley.io/linkedql#"}, "/etc/passwd"], "@type": "Vertex"}`}, domain.KindInvalid, "only inline @context"},
		{"graphql syntax", graph.QueryRequest{Language: graph.GraphQL, Query: `{ r: nodes( { id }`}, domain.KindInvalid, "graphql query is malformed"},
		{"graphql mutation", graph.QueryRequest{Language: graph.GraphQL, Query: `mutation { r }`}, domain.KindInvalid, "unsupported operation"},
		{"gizmo syntax", graph.QueryRequest{Language: graph.Gizmo, Query: `g.V(`, Authenticated: true}, domain.KindInvalid, "gizmo query is malformed"},
		{"gizmo anonymously", graph.QueryRequest{Language: graph.Gizmo, Query: `g.V().All()`}, domain.KindUnauthorized, "need a token"},
		{"unknown language", graph.QueryRequest{Language: "sparql", Query: `SELECT * {}`}, domain.KindInvalid, `unsupported query language "sparql"`},
		{"empty", graph.QueryRequest{Language: graph.GraphQL, Query: "  "}, domain.KindInvalid, "empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := q.Query(context.Background(), c.req)
			var de *domain.Error
			if !errors.As(err, &de) || de.Kind != c.kind || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("got %v, want a %s error saying %q", err, c.kind, c.words)
			}
		})
	}
}

func TestGizmoRunsForAuthenticatedCallers(t *testing.T) {
	q := graph.NewQuerier(queryGraph(t), graph.DefaultLimits())
	got := run(t, q, graph.QueryRequest{Language: graph.Gizmo, Authenticated: true,
		Query: `g.V("<` + ex + `resources/a>").Out("<` + ontology.Name + `>").All()`})
	if len(got) != 1 || !strings.Contains(got[0], "Ressource a") {
		t.Fatalf("gizmo: %v", got)
	}
}

func TestQueriesRunSafelyAlongsideWrites(t *testing.T) {
	g := queryGraph(t)
	q := graph.NewQuerier(g, graph.DefaultLimits())
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 30; i++ {
				q.Query(ctx, graph.QueryRequest{Language: graph.LinkedQL, Query: teachingC1AtLeast(1), Published: true})
				q.Query(ctx, graph.QueryRequest{Language: graph.GraphQL, Query: `{ r: nodes { id } }`, Published: true})
			}
		}()
	}
	for i := 0; i < 30; i++ {
		iri := fmt.Sprintf("%sresources/w%d", ex, i)
		e := &domain.Entity{IRI: iri, Triples: []domain.Triple{{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Name), O: domain.NewString("w")}}}
		if err := g.Apply(ctx, uint64(i+2), []domain.ViewEntity{{Entity: e, Record: domain.Record{IRI: iri, Draft: i%2 == 0}}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
}

// FuzzQuery feeds arbitrary text to both anonymous query languages: the
// engine must never panic, and every failure is a domain error.
func FuzzQuery(f *testing.F) {
	f.Add(graph.LinkedQL, teachingC1AtLeast(2))
	f.Add(graph.LinkedQL, `{"@context": {"@vocab": "http://cayley.io/linkedql#"}, "@type": "Select", "from": {"@type": "As", "name": "x", "from": {"@type": "Vertex"}}}`)
	f.Add(graph.LinkedQL, `{"@type": "Vertex", "values": 5}`)
	f.Add(graph.LinkedQL, `[1, 2, {"@context": null}]`)
	f.Add(graph.GraphQL, `{ r: nodes(first: 2) { id n: <`+ontology.Name+`> @opt } }`)
	f.Add(graph.GraphQL, `{ r: nodes { * } }`)
	f.Add(graph.GraphQL, `query { a @unnest { b } }`)
	g := queryGraph(f)
	q := graph.NewQuerier(g, graph.DefaultLimits())
	f.Fuzz(func(t *testing.T, lang, query string) {
		if lang != graph.LinkedQL && lang != graph.GraphQL {
			lang = graph.GraphQL
		}
		_, err := q.Query(context.Background(), graph.QueryRequest{Language: lang, Query: query, Published: true})
		var de *domain.Error
		if err != nil && !errors.As(err, &de) {
			t.Fatalf("not a domain error: %v", err)
		}
	})
}
