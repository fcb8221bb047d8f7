package competency

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
)

func cellOf(t *testing.T, cov *Coverage, competency string, level int) Cell {
	t.Helper()
	for _, c := range cov.Cells {
		if c.Competency == competency && c.Level == level {
			return c
		}
	}
	t.Fatalf("no cell %s/%d", competency, level)
	return Cell{}
}

func coverage(t *testing.T, v *View, req CoverageRequest) *Coverage {
	t.Helper()
	cov, err := v.Coverage(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return cov
}

func TestCoverageGridOfAPlainSKOSFrameworkInNotationOrder(t *testing.T) {
	cov := coverage(t, newView(t, fixture()), CoverageRequest{Framework: demo})
	var got []string
	for _, c := range cov.Competencies {
		got = append(got, c.Notation)
	}
	if want := []string{"1", "2", "3", "10"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("competencies %v, want %v (numeric notation order)", got, want)
	}
	if cov.Levels != 8 || len(cov.Cells) != 4*8 || cov.ResourceCount != 6 {
		t.Fatalf("levels %d, cells %d, resources %d", cov.Levels, len(cov.Cells), cov.ResourceCount)
	}
}

func TestCoverageLevelsAreCumulative(t *testing.T) {
	cov := coverage(t, newView(t, fixture()), CoverageRequest{Framework: demo})
	// c1: recherche teaches 2, recherche-avancee 5, quiz-chercher assesses o1 (exactMatch) at level 3.
	for level, want := range map[int][]string{
		1: {r("quiz-chercher"), r("recherche"), r("recherche-avancee")},
		3: {r("quiz-chercher"), r("recherche-avancee")},
		5: {r("recherche-avancee")},
		6: {},
	} {
		if got := cellOf(t, cov, c1, level).Resources; !reflect.DeepEqual(got, want) {
			t.Errorf("c1 level %d: %v, want %v", level, got, want)
		}
	}
	if c := cellOf(t, cov, c1, 2); c.Count != 3 {
		t.Errorf("count %d", c.Count)
	}
	found := false
	for _, u := range cov.Uncovered {
		found = found || u == CellRef{Competency: c1, Level: 6}
		if u.Competency == c1 && u.Level < 6 {
			t.Errorf("c1 level %d is covered but listed as uncovered", u.Level)
		}
	}
	if !found {
		t.Error("c1 level 6 must be listed as uncovered")
	}
}

func TestCoverageCountsExactMatchAlwaysAndCloseMatchOnlyWhenAsked(t *testing.T) {
	v := newView(t, fixture())
	cov := coverage(t, v, CoverageRequest{Framework: demo})
	if c := cellOf(t, cov, c1, 3); !reflect.DeepEqual(c.ViaExactMatch, []string{r("quiz-chercher")}) {
		t.Errorf("the assessment aligned to o1 counts for c1 through exactMatch, marked: %+v", c)
	}
	if c := cellOf(t, cov, c4, 1); c.Count != 0 {
		t.Errorf("closeMatch must not count unless asked: %+v", c)
	}
	cov = coverage(t, v, CoverageRequest{Framework: demo, CloseMatch: true})
	if c := cellOf(t, cov, c4, 2); c.Count != 1 || !reflect.DeepEqual(c.ViaCloseMatch, []string{r("diffuser")}) {
		t.Errorf("closeMatch counts when asked, marked: %+v", c)
	}
	// and the other way round: the other framework sees the demo resources
	cov = coverage(t, v, CoverageRequest{Framework: other})
	if c := cellOf(t, cov, o1, 5); !reflect.DeepEqual(c.Resources, []string{r("recherche-avancee")}) || len(c.ViaExactMatch) != 1 {
		t.Errorf("o1 level 5: %+v", c)
	}
}

func TestCoverageScopes(t *testing.T) {
	v := newView(t, fixture())
	for name, tc := range map[string]struct {
		scope Scope
		n     int
	}{
		"publisher":               {Scope{Publisher: pubA}, 2},
		"departement":             {Scope{Departement: dep59}, 1},
		"departement by code":     {Scope{Departement: "59"}, 1},
		"resources":               {Scope{Resources: []string{r("ranger"), r("traiter")}}, 2},
		"publisher ∩ departement": {Scope{Publisher: pubB, Departement: dep13}, 1},
		"whole Commun":            {Scope{}, 6},
	} {
		cov := coverage(t, v, CoverageRequest{Framework: demo, Scope: tc.scope})
		if cov.ResourceCount != tc.n {
			t.Errorf("%s: %d resources, want %d", name, cov.ResourceCount, tc.n)
		}
	}
}

func TestCoverageNeverShowsDraftsToAnonymousCallers(t *testing.T) {
	v := newView(t, fixture(), r("recherche-avancee"))
	cov := coverage(t, v, CoverageRequest{Framework: demo})
	if c := cellOf(t, cov, c1, 5); c.Count != 0 {
		t.Errorf("a draft is counted for an anonymous caller: %+v", c)
	}
	cov = coverage(t, v, CoverageRequest{Framework: demo, WithDrafts: true})
	if c := cellOf(t, cov, c1, 5); c.Count != 1 {
		t.Errorf("an editor sees drafts: %+v", c)
	}
}

func TestCoverageBadInput(t *testing.T) {
	v := newView(t, fixture())
	for name, req := range map[string]CoverageRequest{
		"unknown framework":   {Framework: base + "ref/nope"},
		"a concept is no fw":  {Framework: c1},
		"unknown publisher":   {Framework: demo, Scope: Scope{Publisher: base + "partners/zzz"}},
		"unknown resource":    {Framework: demo, Scope: Scope{Resources: []string{r("zzz")}}},
		"unknown departement": {Framework: demo, Scope: Scope{Departement: "999"}},
	} {
		_, err := v.Coverage(context.Background(), req)
		var de *domain.Error
		if !domain.IsKind(err, domain.KindInvalid) || !asError(err, &de) || len(de.Fields) == 0 {
			t.Errorf("%s: want KindInvalid with fields, got %v", name, err)
		}
	}
}

func TestCoverageDiffShowsWhatEachSideCovers(t *testing.T) {
	v := newView(t, fixture())
	d, err := v.CoverageDiff(context.Background(), DiffRequest{Framework: demo, A: Scope{Publisher: pubB}})
	if err != nil {
		t.Fatal(err)
	}
	status := map[CellRef]DiffCell{}
	for _, c := range d.Cells {
		status[CellRef{c.Competency, c.Level}] = c
	}
	if c := status[CellRef{c2, 3}]; c.Status != StatusBoth || c.A != 1 || c.B != 1 {
		t.Errorf("c2/3: %+v", c)
	}
	if c := status[CellRef{c1, 4}]; c.Status != StatusOnlyB || !reflect.DeepEqual(c.Fill, []string{r("recherche-avancee")}) {
		t.Errorf("c1/4 is a gap of B's offer the Commun fills: %+v", c)
	}
	if c := status[CellRef{c1, 8}]; c.Status != StatusNeither {
		t.Errorf("c1/8: %+v", c)
	}
	if len(d.OnlyA) != 0 || len(d.OnlyB) == 0 || len(d.Neither) == 0 {
		t.Errorf("onlyA %d onlyB %d neither %d", len(d.OnlyA), len(d.OnlyB), len(d.Neither))
	}
}

func TestParseCoverageQuery(t *testing.T) {
	q, _ := url.ParseQuery("referentiel=ref/demo&editeur=partners/a&resources=resources/x,resources/y&resources=resources/x&closeMatch=true&format=csv")
	req, err := ParseCoverageQuery(q, base)
	if err != nil {
		t.Fatal(err)
	}
	want := CoverageRequest{Framework: demo, CloseMatch: true, Scope: Scope{Publisher: pubA, Resources: []string{r("x"), r("y")}}}
	if !reflect.DeepEqual(req, want) {
		t.Fatalf("%+v\nwant %+v", req, want)
	}
	for _, bad := range []string{"", "editeur=x", "referentiel=x&closeMatch=maybe", "referentiel=x&editor=y", "referentiel=x&departement=1&departement=2"} {
		q, _ := url.ParseQuery(bad)
		if _, err := ParseCoverageQuery(q, base); !domain.IsKind(err, domain.KindInvalid) {
			t.Errorf("%q: want KindInvalid, got %v", bad, err)
		}
	}
	d, err := ParseDiffQuery(url.Values{"referentiel": {demo}, "a.departement": {"59"}, "b.editeur": {pubA}}, base)
	if err != nil || d.A.Departement != "59" || d.B.Publisher != pubA {
		t.Fatalf("%+v %v", d, err)
	}
	if _, err := ParseDiffQuery(url.Values{"referentiel": {demo}, "c.editeur": {pubA}}, base); err == nil {
		t.Fatal("c. is not a side")
	}
}

func FuzzParseCoverageQuery(f *testing.F) {
	for _, s := range []string{"referentiel=ref/demo", "referentiel=x&resources=a,b,,c&closeMatch=1", "a.editeur=%zz", "departement=59&departement=13"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if _, err := ParseCoverageQuery(q, base); err != nil && !domain.IsKind(err, domain.KindInvalid) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if _, err := ParseDiffQuery(q, base); err != nil && !domain.IsKind(err, domain.KindInvalid) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

func asError(err error, target **domain.Error) bool { return errors.As(err, target) }
