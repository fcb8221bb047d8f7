package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trame-commun/trame/internal/search/corpus"
)

// The PostgreSQL side: the corpus in one table, searched the two ways Les
// Bases has searched (ENGINES.md):
//   - trigram: pg_trgm word_similarity of the query against
//     lower(unaccent(…)) of the title (weight 6), the publisher's name (5) and
//     the description (3); a resource matches when the weighted sum exceeds 3;
//   - full text: the 'french' configuration over unaccented title (A),
//     publisher (B) and description (C), every word a prefix, ranked by
//     ts_rank_cd.
// Both answer what Trame answers: a page of results, the total and the
// disjunctive count of every facet value.

const pgSchema = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TABLE IF EXISTS resource;
CREATE TABLE resource (
  id text PRIMARY KEY, title text NOT NULL, description text NOT NULL, content text NOT NULL, publisher text NOT NULL,
  publisher_id text NOT NULL, thematiques text[] NOT NULL, types text[] NOT NULL, beneficiaires text[] NOT NULL,
  secteurs text[] NOT NULL, departement text, licence text, nature text NOT NULL, competence text NOT NULL,
  niveau int NOT NULL, langue text NOT NULL, published date, draft bool NOT NULL,
  title_u text, publisher_u text, description_u text, tsv tsvector);`

const pgIndexes = `
UPDATE resource SET title_u = lower(unaccent(title)), publisher_u = lower(unaccent(publisher)),
  description_u = lower(unaccent(description)),
  tsv = setweight(to_tsvector('french', unaccent(title)), 'A') || setweight(to_tsvector('french', unaccent(publisher)), 'B')
     || setweight(to_tsvector('french', unaccent(description)), 'C');
CREATE INDEX resource_title_trgm ON resource USING gin (title_u gin_trgm_ops);
CREATE INDEX resource_publisher_trgm ON resource USING gin (publisher_u gin_trgm_ops);
CREATE INDEX resource_description_trgm ON resource USING gin (description_u gin_trgm_ops);
CREATE INDEX resource_tsv ON resource USING gin (tsv);
CREATE INDEX resource_thematiques ON resource USING gin (thematiques);
CREATE INDEX resource_types ON resource USING gin (types);
CREATE INDEX resource_secteurs ON resource USING gin (secteurs);
CREATE INDEX resource_beneficiaires ON resource USING gin (beneficiaires);
ANALYZE resource;`

// pgMethod is one way of matching text in PostgreSQL.
type pgMethod struct {
	Name  string
	match string // SQL condition on the query text $1
	score string // SQL expression ranking a match
	arg   func(text string) string
}

var pgMethods = []pgMethod{
	{Name: "PostgreSQL trigram (Les Bases)",
		match: `(6 * word_similarity(lower(unaccent($1)), title_u) + 5 * word_similarity(lower(unaccent($1)), publisher_u)
		        + 3 * word_similarity(lower(unaccent($1)), description_u)) > 3`,
		score: `6 * word_similarity(lower(unaccent($1)), title_u) + 5 * word_similarity(lower(unaccent($1)), publisher_u)
		        + 3 * word_similarity(lower(unaccent($1)), description_u)`,
		arg: func(t string) string { return t }},
	{Name: "PostgreSQL full text (french)",
		match: `tsv @@ to_tsquery('french', unaccent($1))`,
		score: `ts_rank_cd(tsv, to_tsquery('french', unaccent($1)))`,
		arg:   prefixQuery},
}

// prefixQuery turns free text into a tsquery of prefixes: "mot de passe" →
// "mot:* & de:* & passe:*" (stop words are dropped by the configuration).
func prefixQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
}

// pgFacets are the facet columns of the table and how a value is tested.
var pgFacets = []struct{ name, column string }{
	{"thematiques", "thematiques"}, {"types", "types"}, {"beneficiaires", "beneficiaires"}, {"secteurs", "secteurs"},
	{"departements", "departement"}, {"licence", "licence"}, {"competence", "competence"}, {"niveau", "niveau"},
	{"editeur", "publisher_id"}, {"nature", "nature"}, {"langue", "langue"},
}

func isArray(col string) bool {
	return col == "thematiques" || col == "types" || col == "beneficiaires" || col == "secteurs"
}

// pgFilter renders the condition of one facet's selected values.
func pgFilter(column string, vals []string, args *[]any) string {
	*args = append(*args, vals)
	n := len(*args)
	if isArray(column) {
		return fmt.Sprintf("%s && $%d::text[]", column, n)
	}
	return fmt.Sprintf("%s::text = ANY($%d::text[])", column, n)
}

// pgSearch runs one query of the mix the way Trame answers it: the page,
// the total and every facet's disjunctive counts, in one statement.
func pgSearch(ctx context.Context, db *pgxpool.Pool, m pgMethod, q query) (total int, ids []string, err error) {
	args := []any{m.arg(q.Text)}
	match := "NOT draft"
	if strings.TrimSpace(q.Text) != "" && strings.TrimSpace(m.arg(q.Text)) != "" {
		match += " AND " + m.match
	} else {
		args[0] = ""
		match += " AND $1::text = ''"
	}
	filters := map[string]string{}
	for _, f := range pgFacets {
		if vals := q.Filters[f.name]; len(vals) > 0 {
			filters[f.name] = pgFilter(f.column, vals, &args)
		}
	}
	all := func(except string) string {
		var c []string
		for name, cond := range filters {
			if name != except {
				c = append(c, cond)
			}
		}
		if len(c) == 0 {
			return "true"
		}
		return strings.Join(c, " AND ")
	}
	page := max(q.Page, 1)
	score := m.score
	if args[0] == "" {
		score = "0"
	}
	var parts []string
	parts = append(parts, fmt.Sprintf("(SELECT 'total', NULL::text, count(*) FROM m WHERE %s)", all("")))
	for _, f := range pgFacets {
		val := f.column + "::text"
		if isArray(f.column) {
			val = "unnest(" + f.column + ")"
		}
		parts = append(parts, fmt.Sprintf("(SELECT '%s', v, count(*) FROM (SELECT %s AS v FROM m WHERE %s) x WHERE v IS NOT NULL GROUP BY v)", f.name, val, all(f.name)))
	}
	sql := fmt.Sprintf(`WITH m AS MATERIALIZED (SELECT *, %s AS s FROM resource WHERE %s)
SELECT * FROM (%s) c
UNION ALL (SELECT 'hit', id, 0 FROM m WHERE %s ORDER BY s DESC, published DESC NULLS LAST, id LIMIT 20 OFFSET %d)`,
		score, match, strings.Join(parts, " UNION ALL "), all(""), (page-1)*20)
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var v *string
		var n int64
		if err := rows.Scan(&kind, &v, &n); err != nil {
			return 0, nil, err
		}
		switch kind {
		case "total":
			total = int(n)
		case "hit":
			ids = append(ids, *v)
		}
	}
	return total, ids, rows.Err()
}

func runPG(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pg", flag.ExitOnError)
	dsn := fs.String("dsn", "postgres:///trame_bench?host=/var/run/postgresql", "PostgreSQL connection string")
	path := fs.String("corpus", "corpus.jsonl", "corpus written by trame-bench gen")
	rounds := fs.Int("rounds", 5, "times each query of the mix runs")
	load := fs.Bool("load", true, "(re)load the corpus before timing")
	_ = fs.Parse(args)
	db, err := pgxpool.New(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *load {
		docs, err := readCorpus(*path)
		if err != nil {
			return err
		}
		start := time.Now()
		if err := pgLoad(ctx, db, docs); err != nil {
			return err
		}
		fmt.Printf("## PostgreSQL, %d resources from %s\n\n- load and index build: %s (%.0f docs/s)\n\n", len(docs), *path,
			time.Since(start).Round(time.Millisecond), float64(len(docs))/time.Since(start).Seconds())
	}
	for _, m := range pgMethods {
		fmt.Printf("### %s\n\n| query shape | queries × rounds | p50 ms | p99 ms | max ms | mean hits |\n|---|---|---|---|---|---|\n", m.Name)
		for _, sh := range mix() {
			var lat []time.Duration
			sum := 0
			for r := 0; r < atLeast20(*rounds, sh); r++ {
				for _, q := range sh.Queries {
					t := time.Now()
					total, _, err := pgSearch(ctx, db, m, q)
					if err != nil {
						return fmt.Errorf("%s %s %+v: %w", m.Name, sh.Name, q, err)
					}
					lat = append(lat, time.Since(t))
					sum += total
				}
			}
			fmt.Printf("| %s | %d × %d | %s | %s | %s | %d |\n", sh.Name, len(sh.Queries), len(lat)/len(sh.Queries),
				ms(percentile(lat, 0.5)), ms(percentile(lat, 0.99)), ms(percentile(lat, 1)), sum/len(lat))
		}
		fmt.Println()
	}
	return nil
}

// atLeast20 gives each shape at least 20 timings.
func atLeast20(r int, sh shape) int { return max(r, (20+len(sh.Queries)-1)/len(sh.Queries)) }

// pgLoad creates the table, copies the documents in and builds the indexes.
func pgLoad(ctx context.Context, db *pgxpool.Pool, docs []corpus.Doc) error {
	if _, err := db.Exec(ctx, pgSchema); err != nil {
		return err
	}
	rows := make([][]any, len(docs))
	for i, d := range docs {
		var dep, lic any
		if d.Department != "" {
			dep = d.Department
		}
		if d.Licence != "" && d.Licence != "NO_LICENCE" {
			lic = d.Licence
		}
		var pub any
		if d.Date != "" {
			if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
				pub = t
			}
		}
		comp := d.Competency
		if !strings.Contains(comp, "/") {
			comp = base + "competencies/crcn-" + comp
		}
		rows[i] = []any{d.IRI, d.Title, d.Description, d.Text, d.Publisher, d.PublisherID, nonNil(d.Themes), nonNil(d.Types),
			nonNil(d.Audience), nonNil(d.Sectors), dep, lic, d.Nature, comp, d.Level, d.Language, pub, d.Draft}
	}
	cols := []string{"id", "title", "description", "content", "publisher", "publisher_id", "thematiques", "types", "beneficiaires",
		"secteurs", "departement", "licence", "nature", "competence", "niveau", "langue", "published", "draft"}
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"resource"}, cols, pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	_, err := db.Exec(ctx, pgIndexes)
	return err
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
