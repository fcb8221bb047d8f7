package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/graph"
	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/search"
	"github.com/trame-commun/trame/internal/search/corpus"
	"github.com/trame-commun/trame/internal/store"
	"github.com/trame-commun/trame/ontology"
)

// relevance.json holds the judged queries over the bundled sample
// catalogue: for each query, graded judgments from 0 (not relevant) to 3
// (exactly what was asked), by resource path under the base IRI. Resources
// not listed are judged 0. The judgments were made by reading the sample
// resources (title, description, contents, competencies) against the need
// the query expresses, over the pooled top 20 of the three systems and a
// read of the whole catalogue's titles.
//
//go:embed relevance.json
var judgmentsJSON []byte

type judgedQuery struct {
	Q         string         `json:"q"`
	Kind      string         `json:"kind"` // plain, sans accents, faute, pluriel, synonyme
	Need      string         `json:"need"`
	Judgments map[string]int `json:"judgments"`
}

// system returns the ranked resource paths a system gives for a query.
type system struct {
	name string
	run  func(ctx context.Context, q string) ([]string, error)
}

func runRelevance(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("relevance", flag.ExitOnError)
	dsn := fs.String("dsn", "postgres:///trame_relevance?host=/var/run/postgresql", "PostgreSQL connection string (its resource table is replaced)")
	pool := fs.Bool("pool", false, "print each query's pooled candidates with their titles and judgments, for judging")
	perQuery := fs.Bool("per-query", false, "print the scores of every query")
	_ = fs.Parse(args)
	var queries []judgedQuery
	if err := json.Unmarshal(judgmentsJSON, &queries); err != nil {
		return fmt.Errorf("relevance.json: %w", err)
	}
	tmp, err := os.MkdirTemp("", "trame-relevance-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ix, docs, titles, closeAll, err := sampleCatalogue(ctx, tmp)
	if err != nil {
		return err
	}
	defer closeAll()
	db, err := pgxpool.New(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := pgLoad(ctx, db, docs); err != nil {
		return fmt.Errorf("loading the sample catalogue in PostgreSQL: %w", err)
	}
	systems := []system{{"Trame (bleve)", func(ctx context.Context, q string) ([]string, error) {
		res, err := ix.Search(ctx, search.Request{Text: q, Sort: search.SortRelevance, Page: 1, PerPage: 20, Lang: "fr"})
		if err != nil {
			return nil, err
		}
		var out []string
		for _, h := range res.Results {
			out = append(out, strings.TrimPrefix(h.ID, base))
		}
		return out, nil
	}}}
	for _, m := range pgMethods {
		m := m
		systems = append(systems, system{m.Name, func(ctx context.Context, q string) ([]string, error) {
			_, ids, err := pgSearch(ctx, db, m, query{Text: q})
			var out []string
			for _, id := range ids {
				out = append(out, strings.TrimPrefix(id, base))
			}
			return out, err
		}})
	}
	if *pool {
		return printPools(ctx, queries, systems, titles)
	}
	return evaluate(ctx, queries, systems, *perQuery)
}

// sampleCatalogue loads the bundled reference data and sample catalogue into
// a Trame catalog in dir and returns its search index and the published
// resources in the flat form PostgreSQL loads.
func sampleCatalogue(ctx context.Context, dir string) (*search.Index, []corpus.Doc, map[string]string, func(), error) {
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "store")})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	g := graph.New()
	ix, err := search.Open(search.Options{Dir: filepath.Join(dir, "search"), BaseIRI: base, Labels: g})
	if err != nil {
		st.Close()
		return nil, nil, nil, nil, err
	}
	closeAll := func() { ix.Close(); st.Close() }
	codec := jsonld.New(base)
	cat, err := catalog.New(catalog.Config{Store: st, Codec: codec, Lookup: g, Views: []domain.View{g, ix}, BaseIRI: base})
	if err == nil {
		for _, set := range []bundled.Set{bundled.Reference, bundled.Sample} {
			if _, err = bundled.Load(ctx, cat, set); err != nil {
				break
			}
		}
	}
	if err != nil {
		closeAll()
		return nil, nil, nil, nil, err
	}
	var docs []corpus.Doc
	titles := map[string]string{}
	err = st.Scan(ctx, func(r domain.Record) error {
		if r.Draft || (r.Collection != domain.Resources && r.Collection != domain.Paths) {
			return nil
		}
		e, err := codec.DecodeStored(r.IRI, r.Doc)
		if err != nil {
			return err
		}
		d := corpus.Doc{IRI: r.IRI, Title: e.Label("fr"), Description: e.First(ontology.Description), Text: e.First(ontology.Text),
			Nature: "grain", Language: "fr", Date: e.First(ontology.DatePublished)}
		if pub := e.First(ontology.Publisher); pub != "" {
			d.Publisher, d.PublisherID = g.Label(pub, "fr"), pub
		}
		docs = append(docs, d)
		titles[strings.TrimPrefix(r.IRI, base)] = d.Title
		return nil
	})
	if err != nil {
		closeAll()
		return nil, nil, nil, nil, err
	}
	return ix, docs, titles, closeAll, nil
}

// ndcg returns nDCG@k of a ranking against graded judgments (gain 2^g − 1).
func ndcg(ranked []string, judgments map[string]int, k int) float64 {
	dcg := 0.0
	for i, id := range ranked {
		if i >= k {
			break
		}
		dcg += (math.Pow(2, float64(judgments[id])) - 1) / math.Log2(float64(i)+2)
	}
	var grades []int
	for _, g := range judgments {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	ideal := 0.0
	for i, g := range grades {
		if i >= k {
			break
		}
		ideal += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i)+2)
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// recall returns the share of relevant resources (grade ≥ 1) in the top k.
func recall(ranked []string, judgments map[string]int, k int) float64 {
	relevant := 0
	for _, g := range judgments {
		if g > 0 {
			relevant++
		}
	}
	if relevant == 0 {
		return 0
	}
	found := 0
	for i, id := range ranked {
		if i < k && judgments[id] > 0 {
			found++
		}
	}
	return float64(found) / float64(relevant)
}

func evaluate(ctx context.Context, queries []judgedQuery, systems []system, perQuery bool) error {
	type score struct{ ndcg, recall float64 }
	sums := make([]map[string]*score, len(systems)) // per system, per kind ("" = all)
	counts := map[string]int{}
	for i := range sums {
		sums[i] = map[string]*score{}
	}
	if perQuery {
		fmt.Println("| query | kind |" + strings.Repeat(" nDCG@10 | R@20 |", len(systems)))
	}
	for _, q := range queries {
		counts[q.Kind]++
		counts[""]++
		line := fmt.Sprintf("| %s | %s |", q.Q, q.Kind)
		for i, s := range systems {
			ranked, err := s.run(ctx, q.Q)
			if err != nil {
				return fmt.Errorf("%s, %q: %w", s.name, q.Q, err)
			}
			n, r := ndcg(ranked, q.Judgments, 10), recall(ranked, q.Judgments, 20)
			for _, k := range []string{"", q.Kind} {
				if sums[i][k] == nil {
					sums[i][k] = &score{}
				}
				sums[i][k].ndcg += n
				sums[i][k].recall += r
			}
			line += fmt.Sprintf(" %.3f | %.3f |", n, r)
		}
		if perQuery {
			fmt.Println(line)
		}
	}
	kinds := []string{""}
	for k := range counts {
		if k != "" {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(kinds[1:])
	fmt.Printf("\n%d judged queries over the bundled sample catalogue.\n\n| system | queries | nDCG@10 | recall@20 |\n|---|---|---|---|\n", len(queries))
	for _, k := range kinds {
		for i, s := range systems {
			label := "all"
			if k != "" {
				label = k
			}
			sc := sums[i][k]
			fmt.Printf("| %s | %s (%d) | %.3f | %.3f |\n", s.name, label, counts[k], sc.ndcg/float64(counts[k]), sc.recall/float64(counts[k]))
		}
	}
	return nil
}

// printPools shows, for each query, the union of the systems' top 20 with
// the titles and current judgments, to help judging.
func printPools(ctx context.Context, queries []judgedQuery, systems []system, titles map[string]string) error {
	for _, q := range queries {
		fmt.Printf("\n### %s  (%s) — %s\n", q.Q, q.Kind, q.Need)
		seen := map[string]string{}
		var order []string
		for i, s := range systems {
			ranked, err := s.run(ctx, q.Q)
			if err != nil {
				return err
			}
			for r, id := range ranked {
				if _, ok := seen[id]; !ok {
					order = append(order, id)
				}
				seen[id] += fmt.Sprintf(" %c%d", "TLF"[i], r+1)
			}
		}
		for id := range q.Judgments {
			if _, ok := seen[id]; !ok {
				order = append(order, id)
				seen[id] = " -"
			}
		}
		for _, id := range order {
			g, judged := q.Judgments[id]
			mark := "?"
			if judged {
				mark = fmt.Sprint(g)
			}
			fmt.Printf("  [%s] %-55s %-20s %s\n", mark, id, seen[id], titles[id])
		}
	}
	return nil
}
