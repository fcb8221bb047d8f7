package competency

import (
	"context"
	"testing"
)

// The view honours domain.View: a put replaces what it held for an IRI, a
// delete removes it, LastSeq is the last sequence applied, Reset empties it.
func TestViewContract(t *testing.T) {
	ctx := context.Background()
	v := newView(t, fixture())
	if v.Name() != "competency" || v.LastSeq() != 1 {
		t.Fatalf("%s %d", v.Name(), v.LastSeq())
	}
	count := func() int {
		cov, err := v.Coverage(ctx, CoverageRequest{Framework: demo})
		if err != nil {
			t.Fatal(err)
		}
		return cellOf(t, cov, c1, 5).Count
	}
	if count() != 1 {
		t.Fatal("recherche-avancee covers c1/5")
	}
	// replaced: now teaches c1 up to 4 only
	replaced := res("recherche-avancee", "https://w3id.org/trame/ns#Training", "PT6H", byL).align("teaches", c1, 4)
	if err := v.Apply(ctx, 7, toPuts([]*eb{replaced}), nil); err != nil || v.LastSeq() != 7 || count() != 0 {
		t.Fatalf("after a replacement: %v seq %d count %d", err, v.LastSeq(), count())
	}
	if err := v.Apply(ctx, 8, nil, []string{r("recherche-avancee"), r("recherche")}); err != nil {
		t.Fatal(err)
	}
	cov, _ := v.Coverage(ctx, CoverageRequest{Framework: demo})
	if cov.ResourceCount != 4 {
		t.Fatalf("two deletes leave 4 resources, got %d", cov.ResourceCount)
	}
	if err := v.Reset(ctx); err != nil || v.LastSeq() != 0 {
		t.Fatal(err)
	}
	if _, err := v.Coverage(ctx, CoverageRequest{Framework: demo}); err == nil {
		t.Fatal("after Reset the framework is gone")
	}
}
