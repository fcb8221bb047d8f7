package opendata_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/opendata"
)

var (
	sharedOnce  sync.Once
	sharedStack *stack
)

// shared returns one loaded stack for the tests that only read it.
func shared(t testing.TB) *stack {
	sharedOnce.Do(func() { sharedStack = newStack(&onceTB{TB: t}) })
	if sharedStack == nil {
		t.Fatal("the shared stack failed to load")
	}
	return sharedStack
}

// onceTB keeps the shared stack's temporary directory alive for the whole
// test binary: cleanups of the first test that builds it are not run.
type onceTB struct{ testing.TB }

func (o *onceTB) Cleanup(func())  {}
func (o *onceTB) TempDir() string { return mustTemp() }

var rapperCount = regexp.MustCompile(`returned (\d+) (triples|statements)`)

func TestEveryDumpParsesWithoutWarningInRapperAndOxigraph(t *testing.T) {
	s := shared(t)
	syntax := map[string]string{"nq": "nquads", "nt": "ntriples", "ttl": "turtle"}
	for _, ds := range opendata.DatasetNames() {
		for _, f := range opendata.Formats {
			t.Run(ds+"."+f.Name, func(t *testing.T) {
				var buf bytes.Buffer
				st, err := s.svc.Dump(context.Background(), &buf, opendata.DumpRequest{Dataset: ds, Format: f.Name})
				if err != nil {
					t.Fatal(err)
				}
				if ds != "lieux" && st.Quads == 0 {
					t.Fatalf("the %s dump is empty", ds)
				}
				file := writeTemp(t, ds+"."+f.Name, buf.Bytes())
				if syn, ok := syntax[f.Name]; ok {
					m := rapperCount.FindStringSubmatch(rapper(t, file, syn))
					if m == nil || m[1] != strconv.FormatInt(st.Quads, 10) {
						t.Errorf("rapper counted %v statements, the dump wrote %d", m, st.Quads)
					}
				}
				var res struct{ Quads int64 }
				if err := json.Unmarshal(oxigraph(t, "load", file, f.MediaType), &res); err != nil {
					t.Fatal(err)
				}
				if res.Quads != st.Quads {
					t.Errorf("Oxigraph loaded %d quads, the dump wrote %d", res.Quads, st.Quads)
				}
			})
		}
	}
}

func TestDatasetDumpsPartitionTheFullDumpEachInItsNamedGraph(t *testing.T) {
	s := shared(t)
	full := lines(s.dump(t, opendata.DumpRequest{Format: "nq"}))
	var union []string
	entities := map[string]string{}
	for _, d := range opendata.Datasets {
		graph := "<" + s.svc.DatasetIRI(d.Name) + ">"
		for _, l := range lines(s.dump(t, opendata.DumpRequest{Dataset: d.Name, Format: "nq"})) {
			if !strings.HasSuffix(l, " "+graph+" .") {
				t.Fatalf("a quad of %s is not in its graph %s: %s", d.Name, graph, l)
			}
			subject := l[:strings.IndexByte(l, ' ')]
			if prev, ok := entities[subject]; ok && prev != d.Name && !strings.HasPrefix(subject, "_:") {
				t.Fatalf("%s is in two datasets: %s and %s", subject, prev, d.Name)
			}
			entities[subject] = d.Name
			union = append(union, l)
		}
	}
	sort.Strings(full)
	sort.Strings(union)
	if strings.Join(full, "\n") != strings.Join(union, "\n") {
		t.Fatalf("the dataset dumps (%d quads) do not add up to the full dump (%d quads)", len(union), len(full))
	}
	want := map[string]string{
		"<" + base + "resources/premiers-pas-moteur-de-recherche>": "resources",
		"<" + base + "paths/de-la-recherche-au-tableur>":           "resources",
		"<" + base + "competencies/crcn-4.2>":                      "frameworks",
		"<" + base + "levels/3>":                                   "frameworks",
		"<" + base + "partners/anct>":                              "partners",
		"<https://creativecommons.org/licenses/by-sa/4.0/>":        "licences",
		"<" + base + "datasets/reference>":                         "sources",
	}
	for iri, ds := range want {
		if entities[iri] != ds {
			t.Errorf("%s is in dataset %q, want %q", iri, entities[iri], ds)
		}
	}
}

func lines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func TestDumpLeavesOutDraftsAndShowsThemOncePublished(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	editor := domain.Principal{TokenID: "t", Role: domain.RoleEditor}
	doc := `{"@context": {"@vocab": "https://schema.org/"}, "@id": "` + base + `resources/brouillon-secret",
	  "@type": ["LearningResource", "https://w3id.org/trame/ns#Grain"], "name": {"@value": "Brouillon très secret", "@language": "fr"}}`
	if _, err := s.cat.Write(ctx, editor, catalog.WriteRequest{Body: []byte(doc), Collection: domain.Resources, Draft: true}); err != nil {
		t.Fatal(err)
	}
	for _, f := range opendata.Formats {
		for _, ds := range []string{opendata.All, "resources"} {
			out := s.dump(t, opendata.DumpRequest{Dataset: ds, Format: f.Name})
			if bytes.Contains(out, []byte("brouillon-secret")) || bytes.Contains(out, []byte("Brouillon très secret")) {
				t.Fatalf("the %s dump of %s shows a draft", f.Name, ds)
			}
		}
	}
	if _, err := s.cat.Write(ctx, editor, catalog.WriteRequest{Body: []byte(doc), IRI: base + "resources/brouillon-secret"}); err != nil {
		t.Fatal(err)
	}
	if out := s.dump(t, opendata.DumpRequest{Format: "nq"}); !bytes.Contains(out, []byte("Brouillon très secret")) {
		t.Fatal("once published, the entity must be in the dump")
	}
}

func TestGzippedDumpIsTheSameDumpCompressed(t *testing.T) {
	s := shared(t)
	for _, f := range opendata.Formats {
		plain := s.dump(t, opendata.DumpRequest{Dataset: "frameworks", Format: f.Name})
		zipped := s.dump(t, opendata.DumpRequest{Dataset: "frameworks", Format: f.Name, Gzip: true})
		zr, err := gzip.NewReader(bytes.NewReader(zipped))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("%s: the gzipped dump does not decompress to the plain dump", f.Name)
		}
		if len(zipped) >= len(plain) {
			t.Errorf("%s: gzip did not compress (%d >= %d bytes)", f.Name, len(zipped), len(plain))
		}
	}
}

func TestDumpIsTheSameFromOneRunToTheNext(t *testing.T) {
	s := shared(t)
	for _, f := range opendata.Formats {
		a := s.dump(t, opendata.DumpRequest{Format: f.Name, Gzip: true})
		b := s.dump(t, opendata.DumpRequest{Format: f.Name, Gzip: true})
		if !bytes.Equal(a, b) {
			t.Fatalf("two %s dumps of an unchanged store differ", f.Name)
		}
	}
}

func TestDumpRefusesUnknownDatasetsAndFormats(t *testing.T) {
	s := shared(t)
	cases := []struct {
		req  opendata.DumpRequest
		kind domain.Kind
		want string
	}{
		{opendata.DumpRequest{Dataset: "secrets", Format: "nq"}, domain.KindNotFound, "resources"},
		{opendata.DumpRequest{Format: "rdfxml"}, domain.KindNotAcceptable, "nq, nt, ttl, jsonld"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		_, err := s.svc.Dump(context.Background(), &buf, c.req)
		if domain.KindOf(err) != c.kind || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want a %s error listing %q", c.req, err, c.kind, c.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%+v: a refused dump wrote %d bytes", c.req, buf.Len())
		}
	}
}
