package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/httpapi"
)

// The benchmarks of BENCHMARKS.md's "Foundation" section. They run the
// service's real wiring (openApp: badger on disk, every view, the catalog).

const benchBase = "http://localhost:8080/"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func benchApp(b *testing.B, dir string, sample bool) *app {
	b.Helper()
	cfg := &config{Data: dir, BaseIRI: benchBase}
	a, err := openApp(cfg, quiet)
	if err != nil {
		b.Fatal(err)
	}
	if err := a.boot(context.Background(), sample, quiet); err != nil {
		b.Fatal(err)
	}
	return a
}

var crcn = []string{"1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2"}

var words = strings.Fields(`atelier numérique accompagner démarches en ligne messagerie sécurité mot de passe
données personnelles smartphone tablette ordinateur recherche information vidéo visioconférence réseau social
tableur traitement de texte courriel identité numérique fraude hameçonnage accessibilité seniors aidants
médiateurs parcours diagnostic autonomie inclusion administration santé emploi CV photo partage cloud`)

// genResource writes a plausible resource document i with the schema.org
// context, aligned to two CRCN competences.
func genResource(r *rand.Rand, i int) []byte {
	pick := func(n int) string {
		var b strings.Builder
		for j := 0; j < n; j++ {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		return b.String()
	}
	c1, c2 := crcn[r.IntN(len(crcn))], crcn[r.IntN(len(crcn))]
	lvl := 2 + r.IntN(6)
	return []byte(fmt.Sprintf(`{"@context": {"@vocab": "https://schema.org/"}, "@id": "%sresources/gen-%d",
 "@type": "LearningResource", "name": "Atelier %d : %s", "description": %q, "text": %q,
 "license": {"@id": "https://creativecommons.org/licenses/by-sa/4.0/"}, "timeRequired": "PT%dH", "inLanguage": "fr",
 "publisher": {"@id": "%spartners/la-mednum"}, "keywords": [%q, %q],
 "educationalAlignment": [
  {"@type": "AlignmentObject", "alignmentType": "teaches", "targetUrl": {"@id": "%scompetencies/crcn-%s"}, "educationalLevel": %d},
  {"@type": "AlignmentObject", "alignmentType": "requires", "targetUrl": {"@id": "%scompetencies/crcn-%s"}, "educationalLevel": %d}]}`,
		benchBase, i, i, pick(5), pick(25), pick(80), 1+r.IntN(6), benchBase, pick(1), pick(1),
		benchBase, c1, lvl, benchBase, c2, 1+r.IntN(lvl-1)))
}

// fill writes n generated resources through the catalog in batches.
func fill(b *testing.B, a *app, n int) {
	b.Helper()
	r := rand.New(rand.NewPCG(1, uint64(n)))
	const batch = 500
	for start := 0; start < n; start += batch {
		var ents []*domain.Entity
		for i := start; i < min(start+batch, n); i++ {
			e, err := a.catalog.Codec().Decode(genResource(r, i), nil)
			if err != nil {
				b.Fatal(err)
			}
			ents = append(ents, e...)
		}
		if err := a.catalog.Import(context.Background(), ents, false, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdStart measures an empty data directory to the first answer:
// open the store, load the bundled reference data and sample catalogue
// through validation, build every view, answer GET /healthz.
func BenchmarkColdStart(b *testing.B) {
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		a := benchApp(b, dir, true)
		a.api.Logger = quiet
		h := httpapi.New(a.api)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/competencies/crcn-1.1", nil))
		if rec.Code != 200 {
			b.Fatalf("first answer: %d", rec.Code)
		}
		b.StopTimer()
		a.close()
		b.StartTimer()
	}
}

// BenchmarkWrite measures documents per second through decoding,
// validation, the store and every view: one POST-equivalent write per
// document (catalog.Write, as the API does).
func BenchmarkWrite(b *testing.B) {
	a := benchApp(b, b.TempDir(), false)
	defer a.close()
	r := rand.New(rand.NewPCG(7, 7))
	editor := domain.Principal{TokenID: "bench", Role: domain.RoleEditor}
	docs := make([][]byte, b.N)
	for i := range docs {
		docs[i] = genResource(r, i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := a.catalog.Write(context.Background(), editor, catalogWrite(docs[i])); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkGetByIRI measures GET of an entity over loopback HTTP, in
// JSON-LD, on the bundled data plus 10,000 generated resources, and
// reports p50 and p99.
func BenchmarkGetByIRI(b *testing.B) {
	a := benchApp(b, b.TempDir(), true)
	defer a.close()
	fill(b, a, 10000)
	a.api.Logger = quiet
	srv := httptest.NewServer(httpapi.New(a.api))
	defer srv.Close()
	client := srv.Client()
	lat := make([]time.Duration, 0, b.N)
	r := rand.New(rand.NewPCG(3, 3))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		url := srv.URL + "/resources/gen-" + strconv.Itoa(r.IntN(10000))
		t0 := time.Now()
		resp, err := client.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d", url, resp.StatusCode)
		}
		lat = append(lat, time.Since(t0))
	}
	reportPercentiles(b, lat)
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) }
	b.ReportMetric(p(0.50), "p50-µs")
	b.ReportMetric(p(0.99), "p99-µs")
}

// BenchmarkBoot measures how boot cost grows with data: a store holding the
// reference data and N generated resources is reopened and every view is
// rebuilt from it, as `trame serve` does at start. It reports the quads in
// the graph, the live heap after boot and the process RSS.
func BenchmarkBoot(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			a := benchApp(b, dir, false)
			fill(b, a, n)
			a.close()
			runtime.GC()
			debug.FreeOSMemory()
			b.ResetTimer()
			var last *app
			for i := 0; i < b.N; i++ {
				if last != nil {
					last.close()
				}
				last = benchApp(b, dir, false)
			}
			b.StopTimer()
			quads, _ := last.graph.Size()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(quads), "quads")
			b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
			b.ReportMetric(rssMB(), "rss-MB")
			last.close()
		})
	}
}

// rssMB reads the resident set size of this process from /proc.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

func catalogWrite(doc []byte) catalog.WriteRequest {
	return catalog.WriteRequest{Body: doc, Collection: domain.Resources}
}
