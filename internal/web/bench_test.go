package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/httpapi"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/search"
	"github.com/trame-commun/trame/internal/search/corpus"
	"github.com/trame-commun/trame/internal/store"
	"github.com/trame-commun/trame/internal/web"
	"github.com/trame-commun/trame/ontology"
)

// The benchmarks serve the pages over a generated catalogue of
// TRAME_WEB_BENCH_N resources (default 10,000; BENCHMARKS.md uses 100,000)
// from internal/search/corpus, on top of the bundled reference data: the
// resources go to the badger store, the search index and the pages'
// directory (not to the cayley graph, which the pages do not read).
//
//	TRAME_WEB_BENCH_N=100000 go test ./internal/web -run XXX -bench . -benchtime 200x -timeout 30m

var (
	benchOnce sync.Once
	benchSrv  *httptest.Server
	benchAPI  http.Handler
	benchErr  error
	benchDir  string
)

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("TRAME_WEB_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 10000
}

func benchStack(b *testing.B) (*httptest.Server, http.Handler) {
	b.Helper()
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "trame-web-bench-")
		if benchErr == nil {
			benchErr = buildBench(context.Background(), benchDir, benchN())
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSrv, benchAPI
}

func buildBench(ctx context.Context, dir string, n int) error {
	start := time.Now()
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "store")})
	if err != nil {
		return err
	}
	g := graph.New()
	ix, err := search.Open(search.Options{Dir: filepath.Join(dir, "search"), BaseIRI: base, Labels: g})
	if err != nil {
		return err
	}
	d := web.NewDirectory()
	codec := jsonld.New(base)
	cat, err := catalog.New(catalog.Config{Store: st, Codec: codec, Lookup: g, Views: []domain.View{g, ix, d}, BaseIRI: base})
	if err != nil {
		return err
	}
	if err := cat.Sync(ctx); err != nil {
		return err
	}
	if _, err := bundled.Load(ctx, cat, bundled.Reference); err != nil {
		return err
	}
	gen, err := corpus.NewGenerator(base, 1)
	if err != nil {
		return err
	}
	var pubs []*domain.Entity
	for i := 0; i < 240; i++ {
		iri, name := gen.PublisherIRI(i)
		pubs = append(pubs, &domain.Entity{IRI: iri, Types: []string{ontology.Organization}, Triples: []domain.Triple{
			{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Type), O: domain.NewIRI(ontology.Organization)},
			{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Name), O: domain.NewLangString(name, "fr")}}})
	}
	if err := cat.Import(ctx, pubs, false, 240); err != nil {
		return err
	}
	if err := loadResources(ctx, st, codec, gen, n, ix, d); err != nil {
		return err
	}
	pages, err := web.New(web.Config{Directory: d, Search: ix, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	benchAPI = httpapi.New(httpapi.Config{Catalog: cat, Web: pages, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	benchSrv = httptest.NewServer(benchAPI)
	d.Index() // build the read model once, as the first visitor would
	fmt.Fprintf(os.Stderr, "web bench: %d resources ready in %s\n", n, time.Since(start).Round(time.Second))
	return nil
}

// loadResources writes n generated resources to the store and applies
// them to the search index and the directory, 1,000 at a time.
func loadResources(ctx context.Context, st domain.Store, codec domain.Codec, gen *corpus.Generator, n int, views ...domain.View) error {
	for i := 0; i < n; i += search.DefaultBatchSize {
		var muts []domain.Mutation
		var puts []domain.ViewEntity
		for j := i; j < min(n, i+search.DefaultBatchSize); j++ {
			doc := gen.Doc(j)
			e := gen.Entity(doc)
			body, err := codec.Encode(e)
			if err != nil {
				return err
			}
			rec := domain.Record{IRI: e.IRI, Collection: domain.Resources, Doc: body, Draft: doc.Draft}
			muts = append(muts, domain.Mutation{Record: rec})
			puts = append(puts, domain.ViewEntity{Entity: e, Record: rec})
		}
		recs, err := st.Apply(ctx, muts)
		if err != nil {
			return err
		}
		for k := range puts {
			puts[k].Record = recs[k]
		}
		for _, v := range views {
			if err := v.Apply(ctx, recs[len(recs)-1].Seq, puts, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// report adds the p50 and p99 of the durations as metrics.
func report(b *testing.B, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	q := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

// BenchmarkSearchPageServerTime measures the server time of the search
// page (handler only, gzip included) for the shapes a visitor sends.
func BenchmarkSearchPageServerTime(b *testing.B) {
	_, api := benchStack(b)
	for _, c := range []struct{ name, query string }{
		{"landing", ""},
		{"text", "q=atelier+tableur"},
		{"text+facets", "q=messagerie&thematiques=NavigationSurInternet,Donnees&beneficiaires=Seniors&tri=pertinence"},
		{"facets-only", "thematiques=RisquesCyberEtProtection&departements=59&licence=CC_BY_SA_4_0"},
		{"page-5", "q=atelier&page=5"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var ds []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/recherche?"+c.query, nil)
				req.Header.Set("Accept", "text/html")
				req.Header.Set("Accept-Encoding", "gzip")
				rec := httptest.NewRecorder()
				t0 := time.Now()
				api.ServeHTTP(rec, req)
				ds = append(ds, time.Since(t0))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
			report(b, ds)
		})
	}
}

// BenchmarkResourcePageTTFB measures the time to first byte of resource
// pages over HTTP (a new resource each time, so no cache helps).
func BenchmarkResourcePageTTFB(b *testing.B) {
	srv, _ := benchStack(b)
	client := &http.Client{Transport: &http.Transport{}}
	var ds []time.Duration
	i := 0
	for b.Loop() {
		i = (i + 7919) % benchN()
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/resources/gen-%06d", srv.URL, i), nil)
		req.Header.Set("Accept", "text/html")
		var t0, first time.Time
		req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{
			WroteRequest:         func(httptrace.WroteRequestInfo) { t0 = time.Now() },
			GotFirstResponseByte: func() { first = time.Now() },
		}))
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotFound { // 5% of the corpus are drafts
			b.Fatalf("status %d", resp.StatusCode)
		}
		ds = append(ds, first.Sub(t0))
	}
	report(b, ds)
}

// BenchmarkSearchPageWeight reports the bytes a browser transfers for the
// search page: the gzip-compressed HTML, stylesheet and script (no font,
// no image).
func BenchmarkSearchPageWeight(b *testing.B) {
	srv, _ := benchStack(b)
	size := func(path string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept", "text/html")
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return len(body), body
	}
	var total int
	for b.Loop() {
		html, _ := size("/recherche")
		total = html
		// the asset URLs are in the compressed page: read them from an
		// uncompressed copy
		_, _, page := getPlain(b, srv.URL+"/recherche")
		for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page, -1) {
			n, _ := size(m[1])
			total += n
		}
	}
	b.ReportMetric(float64(total), "B-transferred")
}

func getPlain(b *testing.B, u string) (int, http.Header, string) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}
