package search

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/search/corpus"
)

// generated is a corpus indexed for the facet and paging tests.
type generated struct {
	ix   *Index
	docs map[string]corpus.Doc // by IRI
	cat  map[string]string     // thématique key → category key
}

func newGenerated(t *testing.T, n int) *generated {
	t.Helper()
	g, err := corpus.NewGenerator(testBase, 7)
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := openIndex(t, corpus.NewMapLabels(g.Reference()...))
	gen := &generated{ix: ix, docs: map[string]corpus.Doc{}, cat: map[string]string{}}
	var puts []domain.ViewEntity
	for i := 0; i < n; i++ {
		d := g.Doc(i)
		gen.docs[d.IRI] = d
		puts = append(puts, domain.ViewEntity{Entity: g.Entity(d), Record: domain.Record{IRI: d.IRI, Draft: d.Draft}})
	}
	if err := ix.Apply(context.Background(), 1, puts, nil); err != nil {
		t.Fatal(err)
	}
	e, _ := corpus.LoadEnums()
	slugs := map[string]string{}
	for _, c := range e.Categories {
		slugs[c.Label] = strings.TrimPrefix(c.Href, "/")
	}
	for _, th := range e.Themes.Values {
		gen.cat[th.Key] = slugs[th.Category]
	}
	return gen
}

// values returns a generated document's facet keys, computed from the
// corpus, not from the index.
func (g *generated) values(d corpus.Doc) map[string][]string {
	v := map[string][]string{
		FacetThematiques: d.Themes, FacetTypes: d.Types, FacetBeneficiaires: d.Audience, FacetSecteurs: d.Sectors,
		FacetCompetence: {testBase + "competencies/crcn-" + d.Competency}, FacetReferentiel: {testBase + "frameworks/crcn"},
		FacetNiveau: {strconv.Itoa(d.Level)}, FacetEditeur: {d.PublisherID}, FacetNature: {d.Nature}, FacetLangue: {d.Language},
	}
	for _, th := range d.Themes {
		if c := g.cat[th]; c != "" && !contains(v[FacetCategories], c) {
			v[FacetCategories] = append(v[FacetCategories], c)
		}
	}
	if d.Department != "" {
		v[FacetDepartements] = []string{d.Department}
	}
	if d.Licence != "NO_LICENCE" {
		v[FacetLicence] = []string{d.Licence}
	}
	return v
}

// matching pages through every result of params with the apres cursor and
// checks that the pages neither repeat nor skip a result.
func (g *generated) matching(t *testing.T, params string, drafts bool) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	total := -1
	after := ""
	for pages := 0; ; pages++ {
		p := params + "&parPage=100"
		if after != "" {
			p += "&apres=" + url.QueryEscape(after)
		}
		res := run(t, g.ix, p, drafts)
		if total < 0 {
			total = res.Total
		} else if res.Total != total {
			t.Fatalf("%s: total changed between pages: %d then %d", params, total, res.Total)
		}
		for _, h := range res.Results {
			if seen[h.ID] {
				t.Fatalf("%s: %s on two pages", params, h.ID)
			}
			seen[h.ID] = true
		}
		if res.Next == "" {
			break
		}
		after = res.Next
	}
	if len(seen) != total {
		t.Fatalf("%s: paged through %d results, total says %d", params, len(seen), total)
	}
	return seen
}

// TestFacetCountsAreExact compares every count with a brute-force count
// over the corpus, on both counting paths (document by document and
// bitmap by bitmap).
func TestFacetCountsAreExact(t *testing.T) {
	g := newGenerated(t, 2500)
	requests := []struct {
		text    string
		filters map[string][]string
	}{
		{"", nil},
		{"", map[string][]string{FacetThematiques: {"Donnees", "Accessibilite"}}},
		{"", map[string][]string{FacetThematiques: {"Donnees"}, FacetTypes: {"ResourcePedagogique", "Article"}, FacetSecteurs: {"ActeursPublics"}}},
		{"atelier", nil},
		{"atelier", map[string][]string{FacetNature: {"grain"}, FacetNiveau: {"1", "2", "3"}}},
		{"mots de passe", map[string][]string{FacetLicence: {"CC_BY_SA_4_0"}, FacetCategories: {"inclusion-numerique"}, FacetLangue: {"fr"}}},
		{"evry", map[string][]string{FacetEditeur: {testBase + "partners/gen-000", testBase + "partners/gen-001"}}},
		{"numerique", map[string][]string{FacetCompetence: {testBase + "competencies/crcn-4.2"}, FacetDepartements: {"75", "13", "69"}}},
	}
	saved := smallCount
	defer func() { smallCount = saved }()
	for _, path := range []uint64{saved, 0} {
		smallCount = path
		for _, drafts := range []bool{false, true} {
			for _, r := range requests {
				name := fmt.Sprintf("smallCount=%d drafts=%v q=%q %v", path, drafts, r.text, r.filters)
				g.check(t, name, r.text, r.filters, drafts)
			}
		}
	}
}

func (g *generated) check(t *testing.T, name, text string, filters map[string][]string, drafts bool) {
	t.Helper()
	q := url.Values{"q": {text}}
	for f, vals := range filters {
		q[f] = vals
	}
	res := run(t, g.ix, q.Encode(), drafts)
	matched := g.matching(t, url.Values{"q": {text}}.Encode(), drafts)
	want := map[string]map[string]int{}
	total := 0
	for iri := range matched {
		vals := g.values(g.docs[iri])
		failed := map[string]bool{}
		for f, sel := range filters {
			ok := false
			for _, s := range sel {
				ok = ok || contains(vals[f], s)
			}
			if !ok {
				failed[f] = true
			}
		}
		if len(failed) == 0 {
			total++
		}
		for f, vs := range vals {
			if len(failed) == 0 || (len(failed) == 1 && failed[f]) {
				if want[f] == nil {
					want[f] = map[string]int{}
				}
				for _, v := range vs {
					want[f][v]++
				}
			}
		}
	}
	if res.Total != total {
		t.Errorf("%s: total %d, brute force %d", name, res.Total, total)
	}
	got := map[string]map[string]int{}
	for _, grp := range res.Facets {
		got[grp.Name] = map[string]int{}
		for _, v := range grp.Values {
			got[grp.Name][v.Value] = v.Count
		}
	}
	for f, vals := range want {
		for v, n := range vals {
			if got[f][v] != n {
				t.Errorf("%s: count of %s=%s is %d, brute force %d", name, f, v, got[f][v], n)
			}
		}
	}
	for f, vals := range got {
		for v, n := range vals {
			if n != want[f][v] {
				t.Errorf("%s: count of %s=%s is %d, brute force %d", name, f, v, n, want[f][v])
			}
		}
	}
}

// TestPagingIsConsistent checks, for every sort order, that following the
// apres cursor and asking for numbered pages give the same sequence.
func TestPagingIsConsistent(t *testing.T) {
	g := newGenerated(t, 600)
	for _, sortOrder := range sorts {
		for _, text := range []string{"", "atelier"} {
			base := url.Values{"q": {text}, "tri": {sortOrder}, "parPage": {"7"}}
			var byCursor, byPage []string
			after := ""
			for {
				q := url.Values{}
				for k, v := range base {
					q[k] = v
				}
				if after != "" {
					q.Set("apres", after)
				}
				res := run(t, g.ix, q.Encode(), false)
				for _, h := range res.Results {
					byCursor = append(byCursor, h.ID)
				}
				if res.Next == "" {
					break
				}
				after = res.Next
			}
			for page := 1; ; page++ {
				q := url.Values{}
				for k, v := range base {
					q[k] = v
				}
				q.Set("page", strconv.Itoa(page))
				res := run(t, g.ix, q.Encode(), false)
				if len(res.Results) == 0 {
					break
				}
				for _, h := range res.Results {
					byPage = append(byPage, h.ID)
				}
			}
			if strings.Join(byCursor, " ") != strings.Join(byPage, " ") {
				t.Errorf("tri=%s q=%q: cursor and pages disagree (%d vs %d results)", sortOrder, text, len(byCursor), len(byPage))
			}
		}
	}
	// a cursor of one search is refused by another
	res := run(t, g.ix, "q=atelier&parPage=5", false)
	if _, err := tryRun(g.ix, "q=mot+de+passe&parPage=5&apres="+url.QueryEscape(res.Next), false); !domain.IsKind(err, domain.KindInvalid) {
		t.Errorf("cursor of another search: %v", err)
	}
}

// TestSearchesDuringApplySeeWholeApplies runs searches while documents are
// written: every answer must be consistent (each generated resource has
// exactly one nature, so the nature counts add up to the total), which a
// search seeing half of an Apply would break. Run with -race.
func TestSearchesDuringApplySeeWholeApplies(t *testing.T) {
	g, err := corpus.NewGenerator(testBase, 3)
	if err != nil {
		t.Fatal(err)
	}
	ix, _ := openIndex(t, corpus.NewMapLabels(g.Reference()...))
	ctx := context.Background()
	done := make(chan struct{})
	errs := make(chan error, 4)
	for w := 0; w < 4; w++ {
		go func(w int) {
			queries := []string{"", "q=atelier", "q=mots+de+passe&thematiques=Donnees", "types=Article"}
			for i := 0; ; i++ {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				res, err := tryRun(ix, queries[(i+w)%len(queries)], i%2 == 0)
				if err != nil {
					errs <- err
					return
				}
				sum := 0
				for _, grp := range res.Facets {
					if grp.Name == FacetNature {
						for _, v := range grp.Values {
							sum += v.Count
						}
					}
				}
				if sum != res.Total {
					errs <- fmt.Errorf("%s: total %d, nature counts add up to %d", queries[(i+w)%len(queries)], res.Total, sum)
					return
				}
			}
		}(w)
	}
	for b := 0; b < 15; b++ {
		var puts []domain.ViewEntity
		for i := b * 40; i < (b+1)*40; i++ {
			d := g.Doc(i)
			puts = append(puts, domain.ViewEntity{Entity: g.Entity(d), Record: domain.Record{IRI: d.IRI, Draft: d.Draft}})
		}
		var dels []string
		if b > 0 {
			dels = []string{g.Doc(0).IRI}
		}
		if err := ix.Apply(ctx, uint64(b+1), puts, dels); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for w := 0; w < 4; w++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
