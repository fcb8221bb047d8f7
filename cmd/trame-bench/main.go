// Command trame-bench measures Trame's search against PostgreSQL the way Les
// Bases searches, over the same seeded corpus:
//
//	trame-bench gen -n 100000 -o corpus.jsonl           # write a corpus (JSON lines)
//	trame-bench bleve -n 100000                         # index it, then time the query mix
//	trame-bench pg -dsn postgres://… -corpus corpus.jsonl  # load it in PostgreSQL, time the same mix
//	trame-bench relevance -dsn postgres://…             # nDCG@10 / recall@20 on the judged queries
//
// Figures go to standard output as Markdown tables (BENCHMARKS.md).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/search/corpus"
)

const base = "http://localhost:8080/"

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	ctx := context.Background()
	var err error
	switch os.Args[1] {
	case "gen":
		err = runGen(os.Args[2:])
	case "bleve":
		err = runBleve(ctx, os.Args[2:])
	case "pg":
		err = runPG(ctx, os.Args[2:])
	case "relevance":
		err = runRelevance(ctx, os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "trame-bench:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: trame-bench gen|bleve|pg|relevance [flags]  (-h on each for its flags)")
	os.Exit(2)
}

func runGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	n := fs.Int("n", 10000, "number of resources")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("o", "corpus.jsonl", "output file")
	_ = fs.Parse(args)
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	if err := writeCorpus(w, *n, *seed); err != nil {
		return err
	}
	return w.Flush()
}

func writeCorpus(w io.Writer, n int, seed uint64) error {
	g, err := corpus.NewGenerator(base, seed)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	for i := 0; i < n; i++ {
		if err := enc.Encode(g.Doc(i)); err != nil {
			return err
		}
	}
	return nil
}

func readCorpus(path string) ([]corpus.Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []corpus.Doc
	dec := json.NewDecoder(bufio.NewReader(f))
	for {
		var d corpus.Doc
		if err := dec.Decode(&d); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
}

// shape is one kind of query of the mix.
type shape struct {
	Name    string
	Queries []query
}

// query is one search of the mix, expressed so both engines can run it.
type query struct {
	Text    string
	Filters map[string][]string // Les Bases facet → keys
	Page    int
}

// mix is the fixed query mix: text only, text with three facets, facets
// only, the landing page (match-all with counts) and deep pages.
func mix() []shape {
	texts := []string{"mot de passe", "smartphone", "démarches administratives", "evry", "numerique", "réseaux sociaux",
		"intelligence artificielle", "atelier seniors", "accessibilite", "hameconnage", "visioconférence", "protéger ses données",
		"logiciels libres", "tableur", "emploi", "parentalité écrans", "courriel pièce jointe", "reconditionné", "code enfants", "santé en ligne"}
	f3 := []map[string][]string{
		{"thematiques": {"RisquesCyberEtProtection", "Donnees"}, "types": {"ResourcePedagogique"}, "secteurs": {"AidantsEtMediateursNumeriques"}},
		{"thematiques": {"AidesAuxDemarchesAdministratives"}, "beneficiaires": {"SeniorsPersonnesAgees"}, "secteurs": {"ActeursPublics"}},
		{"types": {"VideoWebinaire", "Article"}, "beneficiaires": {"TousPublics"}, "thematiques": {"IntelligenceArtificielle"}},
		{"thematiques": {"MaitriseDesOutilsNumeriques"}, "types": {"ResourcePedagogique", "BoiteOutils"}, "secteurs": {"ActeursPrivesEtAssociatifs"}},
	}
	var s []shape
	var q []query
	for _, t := range texts {
		q = append(q, query{Text: t})
	}
	s = append(s, shape{"text only", q})
	q = nil
	for i, t := range texts {
		q = append(q, query{Text: t, Filters: f3[i%len(f3)]})
	}
	s = append(s, shape{"text + 3 facets", q})
	q = nil
	for _, f := range f3 {
		q = append(q, query{Filters: f})
	}
	s = append(s, shape{"facets only", q})
	s = append(s, shape{"match-all (landing page)", []query{{}}})
	q = nil
	for _, t := range []string{"", "numerique", "atelier", "donnees"} {
		q = append(q, query{Text: t, Page: 400})
	}
	s = append(s, shape{"deep page (page 400 of 20)", q})
	return s
}

// percentile returns the p-th percentile of durations (sorted in place).
func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	i := int(p*float64(len(d))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(d) {
		i = len(d) - 1
	}
	return d[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

// rss returns the peak and current resident set size of this process in MB.
func rss() (peak, now float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmHWM: %f kB", &kb); err == nil {
			peak = kb / 1024
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %f kB", &kb); err == nil {
			now = kb / 1024
		}
	}
	return peak, now
}
