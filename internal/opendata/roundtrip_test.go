package opendata_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/opendata"
)

// viaOxigraph parses a serialisation with Oxigraph and returns its quads.
func viaOxigraph(t *testing.T, name string, b []byte, mediaType string) []quad {
	t.Helper()
	file, _ := filepath.Abs(writeTemp(t, name, b))
	qs, err := parseNQuads(bytes.NewReader(oxigraph(t, "nquads", file, mediaType)))
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// regroup turns quads back into graphs of triples for the dump writers.
func regroup(qs []quad) map[string][]domain.Triple {
	out := map[string][]domain.Triple{}
	for _, q := range qs {
		out[q.G.Value] = append(out[q.G.Value], domain.Triple{S: q.S, P: q.P, O: q.O})
	}
	return out
}

func withoutGraphs(qs []quad) []quad {
	out := make([]quad, len(qs))
	for i, q := range qs {
		out[i] = quad{S: q.S, P: q.P, O: q.O}
	}
	return out
}

func TestRoundTripsPreserveTheGraph(t *testing.T) {
	s := shared(t)
	original, err := parseNQuads(bytes.NewReader(s.dump(t, opendata.DumpRequest{Format: "nq"})))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		format, mediaType string
		graphs            bool // the format keeps named graphs
	}{
		{"jsonld", "application/ld+json", true},
		{"ttl", "text/turtle", false},
		{"nq", "application/n-quads", true},
		{"nt", "application/n-triples", false},
	}
	for _, c := range cases {
		t.Run(c.format, func(t *testing.T) {
			want := original
			if !c.graphs {
				want = withoutGraphs(original)
			}
			// dump → quads: the dump says exactly what the store holds.
			first := viaOxigraph(t, "dump."+c.format, s.dump(t, opendata.DumpRequest{Format: c.format}), c.mediaType)
			if ok, why := isomorphic(want, first); !ok {
				t.Fatalf("dump → quads changed the graph: %s", why)
			}
			// quads → dump → quads: writing what was read gives the same graph.
			var again bytes.Buffer
			if err := opendata.WriteGraphs(&again, c.format, regroup(first)); err != nil {
				t.Fatal(err)
			}
			second := viaOxigraph(t, "again."+c.format, again.Bytes(), c.mediaType)
			if ok, why := isomorphic(first, second); !ok {
				t.Fatalf("quads → %s → quads changed the graph: %s", c.format, why)
			}
		})
	}
}

func TestIsomorphismCheckSeesThroughBlankNodeLabelsOnly(t *testing.T) {
	iri, b := domain.NewIRI, domain.NewBlank
	p, q := iri("http://p"), iri("http://q")
	g1 := []quad{{S: iri("http://a"), P: p, O: b("x")}, {S: b("x"), P: q, O: domain.NewString("1")},
		{S: iri("http://a"), P: p, O: b("y")}, {S: b("y"), P: q, O: domain.NewString("2")}}
	relabelled := []quad{{S: iri("http://a"), P: p, O: b("m")}, {S: b("m"), P: q, O: domain.NewString("2")},
		{S: iri("http://a"), P: p, O: b("n")}, {S: b("n"), P: q, O: domain.NewString("1")}}
	if ok, why := isomorphic(g1, relabelled); !ok {
		t.Fatalf("relabelled blank nodes must be isomorphic: %s", why)
	}
	swapped := []quad{{S: iri("http://a"), P: p, O: b("m")}, {S: b("m"), P: q, O: domain.NewString("1")},
		{S: iri("http://a"), P: p, O: b("n")}, {S: b("n"), P: q, O: domain.NewString("3")}}
	if ok, _ := isomorphic(g1, swapped); ok {
		t.Fatal("a changed literal must break isomorphism")
	}
	twins := []quad{{S: iri("http://a"), P: p, O: b("x")}, {S: iri("http://a"), P: p, O: b("y")}}
	twins2 := []quad{{S: iri("http://a"), P: p, O: b("u")}, {S: iri("http://a"), P: p, O: b("v")}}
	if ok, why := isomorphic(twins, twins2); !ok {
		t.Fatalf("indistinguishable blank nodes must still match: %s", why)
	}
	if ok, _ := isomorphic(twins, twins2[:1]); ok {
		t.Fatal("a missing statement must break isomorphism")
	}
}
