package opendata_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/opendata"
	"github.com/trame-commun/trame/internal/store"
	"github.com/trame-commun/trame/ontology"
)

// Figures for BENCHMARKS.md (## Open data). Commands:
//
//	go test ./internal/opendata -run '^$' -bench 'Dump/bundled' -benchtime 5x
//	TRAME_BENCH_QUADS=1000000 go test ./internal/opendata -run '^$' -bench 'Dump/generated' -benchtime 1x -timeout 60m
//	go test ./internal/opendata -run '^$' -bench 'QueryEndpoint' -benchtime 1x
//
// TRAME_BENCH_DIR keeps the generated store in that directory (reused when
// present), so that `trame export` can be timed on it with /usr/bin/time.

// resetPeakRSS resets the kernel's high-water mark of resident memory
// (Linux: /proc/self/clear_refs), after giving freed memory back.
func resetPeakRSS() {
	runtime.GC()
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSS returns the process's peak resident memory in MiB (VmHWM).
func peakRSS() float64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

func BenchmarkDump(b *testing.B) {
	b.Run("bundled", func(b *testing.B) {
		benchDumps(b, newStack(b).svc, "")
	})
	b.Run("generated", func(b *testing.B) {
		n, _ := strconv.Atoi(os.Getenv("TRAME_BENCH_QUADS"))
		if n == 0 {
			n = 100_000
		}
		svc, dir := generatedStore(b, n)
		benchDumps(b, svc, dir)
	})
}

// benchDumps times every format of the full dump, reporting quads/s and the
// peak RSS during the dump; for N-Quads it also times Oxigraph loading it.
func benchDumps(b *testing.B, svc *opendata.Service, dir string) {
	for _, f := range opendata.Formats {
		for _, gz := range []bool{false, true} {
			name := f.Name
			if gz {
				name += ".gz"
			}
			b.Run(name, func(b *testing.B) {
				file := filepath.Join(b.TempDir(), "dump."+name)
				var st opendata.DumpStats
				resetPeakRSS()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					out, err := os.Create(file)
					if err != nil {
						b.Fatal(err)
					}
					if st, err = svc.Dump(context.Background(), out, opendata.DumpRequest{Format: f.Name, Gzip: gz}); err != nil {
						b.Fatal(err)
					}
					out.Close()
				}
				b.StopTimer()
				b.ReportMetric(peakRSS(), "peak-RSS-MiB")
				b.ReportMetric(float64(st.Quads)*float64(b.N)/b.Elapsed().Seconds(), "quads/s")
				b.ReportMetric(float64(st.Quads), "quads")
				b.ReportMetric(float64(st.Bytes)/(1<<20), "MiB")
				if f.Name == "nq" && !gz {
					abs, _ := filepath.Abs(file)
					var res struct{ Quads, Ms float64 }
					if err := json.Unmarshal(oxigraph(b, "load", abs, f.MediaType), &res); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(res.Ms, "oxigraph-load-ms")
				}
			})
		}
	}
}

// generatedStore returns a store holding the reference data and generated
// resources that satisfy the shapes, about quads quads in all.
func generatedStore(b *testing.B, quads int) (*opendata.Service, string) {
	b.Helper()
	dir := os.Getenv("TRAME_BENCH_DIR")
	fresh := dir == ""
	if fresh {
		dir = b.TempDir()
	} else if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err == nil {
		st, err := store.Open(store.Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return opendata.New(opendata.Config{Store: st, Codec: jsonld.New(base), BaseIRI: base}), dir
	}
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	codec := jsonld.New(base)
	g := graph.New()
	ref, err := catalog.New(catalog.Config{Store: st, Codec: codec, Lookup: g, Views: []domain.View{g}, BaseIRI: base})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := bundled.Load(context.Background(), ref, bundled.Reference); err != nil {
		b.Fatal(err)
	}
	// Bulk writes validated against the reference graph, without a view.
	bulk, err := catalog.New(catalog.Config{Store: st, Codec: codec, Lookup: g, BaseIRI: base})
	if err != nil {
		b.Fatal(err)
	}
	competencies := g.Referrers(ontology.InScheme, base+"frameworks/crcn", false)
	sort.Strings(competencies)
	have, _ := g.Size()
	const batch = 1000
	for i := 0; have < quads; {
		var ents []*domain.Entity
		for j := 0; j < batch && have < quads; j, i = j+1, i+1 {
			e := generatedResource(i, competencies)
			have += len(e.Triples)
			ents = append(ents, e)
		}
		if err := bulk.Import(context.Background(), ents, false, batch); err != nil {
			b.Fatal(err)
		}
	}
	return opendata.New(opendata.Config{Store: st, Codec: codec, BaseIRI: base}), dir
}

// generatedResource is a grain with the properties of the sample
// catalogue's resources and two level-qualified alignments (26 triples).
func generatedResource(i int, competencies []string) *domain.Entity {
	iri := fmt.Sprintf("%sresources/genere-%07d", base, i)
	s := domain.NewIRI(iri)
	t := func(p string, o domain.Term) domain.Triple { return domain.Triple{S: s, P: domain.NewIRI(p), O: o} }
	e := &domain.Entity{IRI: iri, Types: []string{ontology.Grain, ontology.LearningResource}}
	e.Triples = []domain.Triple{
		t(ontology.Type, domain.NewIRI(ontology.LearningResource)), t(ontology.Type, domain.NewIRI(ontology.Grain)),
		t(ontology.Name, domain.NewLangString(fmt.Sprintf("Atelier numérique n° %d", i), "fr")),
		t(ontology.Description, domain.NewString("Un atelier généré pour mesurer les vidages : rechercher, trier, partager et protéger ses données.")),
		t(ontology.About, domain.NewIRI(base+"vocab/thematiques/NavigationSurInternet")),
		t(ontology.About, domain.NewIRI(base+"vocab/thematiques/MaitriseDesOutilsNumeriques")),
		t(ontology.Audience, domain.NewIRI(base+"vocab/beneficiaires/SeniorsPersonnesAgees")),
		t(ontology.LicenseProp, domain.NewIRI("https://creativecommons.org/licenses/by-sa/4.0/")),
		t(ontology.Publisher, domain.NewIRI(base+"partners/anct")),
		t(ontology.InLanguage, domain.NewString("fr")),
		t(ontology.TimeRequired, domain.NewTyped("PT1H", ontology.Duration)),
		t(ontology.Keywords, domain.NewString("atelier")), t(ontology.Keywords, domain.NewString("données")),
		t(ontology.Keywords, domain.NewString(fmt.Sprintf("série %d", i%97))),
		t(ontology.DatePublished, domain.NewTyped("2024-03-15", ontology.XSDDate)),
		t(ontology.IsAccessibleForFree, domain.NewTyped("true", ontology.XSDBoolean)),
	}
	for k := 0; k < 2; k++ {
		al := domain.NewBlank(fmt.Sprintf("b%d", k))
		e.Triples = append(e.Triples, t(ontology.EducationalAlignment, al),
			domain.Triple{S: al, P: domain.NewIRI(ontology.Type), O: domain.NewIRI(ontology.AlignmentObject)},
			domain.Triple{S: al, P: domain.NewIRI(ontology.AlignmentType), O: domain.NewString("teaches")},
			domain.Triple{S: al, P: domain.NewIRI(ontology.TargetURL), O: domain.NewIRI(competencies[(i+k*7)%len(competencies)])},
			domain.Triple{S: al, P: domain.NewIRI(ontology.EducationalLevel), O: domain.NewTyped(strconv.Itoa(1+(i+k)%8), ontology.XSDInteger)})
	}
	return e
}

// BenchmarkQueryEndpoint sends each documented example query to
// /graph/query over HTTP, anonymously (the published view, with drafts
// present) and with a token (the whole graph), and reports p50 and p99.
func BenchmarkQueryEndpoint(b *testing.B) {
	s := newStack(b)
	ctx := context.Background()
	editor := domain.Principal{TokenID: "t", Role: domain.RoleEditor}
	for i := 0; i < 50; i++ { // drafts, so that the published view filters something
		doc := fmt.Sprintf(`{"@context": {"@vocab": "https://schema.org/"}, "@id": "%sresources/brouillon-%d",
		  "@type": ["LearningResource", "https://w3id.org/trame/ns#Grain"], "name": {"@value": "Brouillon %d", "@language": "fr"},
		  "audience": {"@id": "%svocab/beneficiaires/SeniorsPersonnesAgees"}, "publisher": {"@id": "%spartners/anct"}}`, base, i, i, base, base)
		if _, err := s.cat.Write(ctx, editor, catalog.WriteRequest{Body: []byte(doc), Collection: domain.Resources, Draft: true}); err != nil {
			b.Fatal(err)
		}
	}
	token, _, err := s.cat.CreateToken(ctx, domain.RoleEditor, "bench")
	if err != nil {
		b.Fatal(err)
	}
	api := httpapi.New(httpapi.Config{Catalog: s.cat, OpenData: struct {
		*opendata.Service
		*graph.Querier
	}{s.svc, s.q}})
	srv := httptest.NewServer(api)
	defer srv.Close()
	examples := docExamples(b)
	var names []string
	for name := range examples {
		names = append(names, name)
	}
	sort.Strings(names)
	const requests = 300
	for _, name := range names {
		for _, lang := range []string{graph.LinkedQL, graph.GraphQL} {
			q := examples[name][lang]
			if q == "" {
				continue
			}
			for _, who := range []string{"anonymous", "token"} {
				b.Run(name+"/"+lang+"/"+who, func(b *testing.B) {
					u := srv.URL + "/graph/query?" + url.Values{"language": {lang}, "query": {q}}.Encode()
					var lat []time.Duration
					for i := 0; i < b.N*requests; i++ {
						req, _ := http.NewRequest("GET", u, nil)
						if who == "token" {
							req.Header.Set("Authorization", "Bearer "+token)
						}
						start := time.Now()
						resp, err := srv.Client().Do(req)
						if err != nil {
							b.Fatal(err)
						}
						_, _ = io.Copy(io.Discard, bufio.NewReader(resp.Body))
						resp.Body.Close()
						lat = append(lat, time.Since(start))
						if resp.StatusCode != 200 {
							b.Fatalf("status %d", resp.StatusCode)
						}
					}
					sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
					b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				})
			}
		}
	}
}
