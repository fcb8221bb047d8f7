package competency

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/domain"
)

func recommendBody(t *testing.T, v *View, body string) *Recommendation {
	t.Helper()
	req, err := DecodeRecommendRequest([]byte(body), base)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := v.Recommend(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func stepIRIs(rec *Recommendation) []string {
	var out []string
	for _, s := range rec.Steps {
		out = append(out, s.Resource)
	}
	return out
}

func reasons(rec *Recommendation) map[string]string {
	out := map[string]string{}
	for _, u := range rec.Uncovered {
		out[fmt.Sprintf("%s/%d", strings.TrimPrefix(u.Competency, demo+"/"), u.Level)] = u.Reason
	}
	return out
}

func TestRecommendOrdersStepsByTheirPrerequisites(t *testing.T) {
	rec := recommendBody(t, newView(t, fixture()), `{"target": {"ref/demo/c1": 5}}`)
	if want := []string{r("recherche"), r("recherche-avancee")}; !reflect.DeepEqual(stepIRIs(rec), want) {
		t.Fatalf("steps %v, want %v", stepIRIs(rec), want)
	}
	if !rec.Optimal || rec.Method != "exact" || rec.TotalDuration != "PT7H" || len(rec.Uncovered) != 0 {
		t.Fatalf("%+v", rec)
	}
	s1, s2 := rec.Steps[0], rec.Steps[1]
	if !reflect.DeepEqual(s1.Closes, []StepCell{{c1, 1, ""}, {c1, 2, ""}}) ||
		!reflect.DeepEqual(s2.Closes, []StepCell{{c1, 3, ""}, {c1, 4, ""}, {c1, 5, ""}}) {
		t.Fatalf("closes: %+v / %+v", s1.Closes, s2.Closes)
	}
	if !reflect.DeepEqual(s2.Requires, []Prerequisite{{Competency: c1, Level: 2, MetByStep: 1, Source: "resource"}}) {
		t.Fatalf("step 2 requires c1 level 2, met by step 1: %+v", s2.Requires)
	}
	if !strings.Contains(s2.Why, "étape 1") || !strings.Contains(s1.Why, "Sans prérequis") {
		t.Fatalf("explanations: %q / %q", s1.Why, s2.Why)
	}
}

func TestFrameworkPrerequisitesNeedTheLevelBelow(t *testing.T) {
	// c3 has trame:prerequisite c2: teaching c3 up to 4 needs c2 at 3.
	rec := recommendBody(t, newView(t, fixture()), `{"target": {"ref/demo/c3": 4}}`)
	if want := []string{r("ranger"), r("traiter")}; !reflect.DeepEqual(stepIRIs(rec), want) {
		t.Fatalf("steps %v, want %v", stepIRIs(rec), want)
	}
	if len(rec.Steps[0].Closes) != 0 || !reflect.DeepEqual(rec.Steps[0].Prepares, []CellRef{{c2, 3}}) {
		t.Fatalf("step 1 closes no gap cell and prepares c2/3: %+v", rec.Steps[0])
	}
	if p := rec.Steps[1].Requires; len(p) != 1 || p[0].Source != "framework" || p[0].MetByStep != 1 || p[0].Level != 3 {
		t.Fatalf("%+v", p)
	}
	// starting at c2 level 3, the prerequisite is met at the start
	rec = recommendBody(t, newView(t, fixture()), `{"current": {"ref/demo/c2": 3}, "target": {"ref/demo/c3": 4}}`)
	if want := []string{r("traiter")}; !reflect.DeepEqual(stepIRIs(rec), want) || rec.Steps[0].Requires[0].MetByStep != 0 {
		t.Fatalf("%+v", rec.Steps)
	}
}

func TestCellsNobodyCanCloseAreListedWithTheirReason(t *testing.T) {
	v := newView(t, fixture())
	rec := recommendBody(t, v, `{"target": {"ref/demo/c1": 8}}`)
	if got := reasons(rec); !reflect.DeepEqual(got, map[string]string{"c1/6": ReasonNoResource, "c1/7": ReasonNoResource, "c1/8": ReasonNoResource}) {
		t.Fatalf("%v", got)
	}
	if len(rec.Steps) != 2 || rec.Bound.Closed != 5 || rec.Bound.GoalCells != 5 {
		t.Fatalf("what can be closed is closed: %+v", rec)
	}
	rec = recommendBody(t, v, `{"target": {"ref/demo/c1": 5}, "constraints": {"kinds": ["Grain"]}}`)
	if got := reasons(rec); !reflect.DeepEqual(got, map[string]string{"c1/3": ReasonConstraints, "c1/4": ReasonConstraints, "c1/5": ReasonConstraints}) {
		t.Fatalf("%v", got)
	}
	rec = recommendBody(t, v, `{"target": {"ref/demo/c1": 2, "ref/demo/c2": 3}, "constraints": {"maxDuration": "PT2H"}}`)
	if got := reasons(rec); !reflect.DeepEqual(got, map[string]string{"c1/1": ReasonBudget, "c1/2": ReasonBudget}) || !rec.Bound.Budgeted {
		t.Fatalf("within 2 hours the best is ranger (3 cells): %v %+v", got, rec.Steps)
	}
}

func TestPrerequisitesNoPathMeetsAreAReason(t *testing.T) {
	ents := append(fixture(), res("orphelin", "https://w3id.org/trame/ns#Grain", "PT1H", bySA).
		align("teaches", c4, 3).align("requires", c3, 6))
	rec := recommendBody(t, newView(t, ents), `{"target": {"ref/demo/c4": 3}}`)
	if got := reasons(rec); got["c4/1"] != ReasonPrerequisites || len(rec.Steps) != 0 {
		t.Fatalf("%v %+v", got, rec.Steps)
	}
}

func TestCloseMatchCountsOnlyWhenAskedAndIsMarked(t *testing.T) {
	v := newView(t, fixture())
	rec := recommendBody(t, v, `{"target": {"ref/demo/c4": 2}}`)
	if len(rec.Steps) != 0 || reasons(rec)["c4/1"] != ReasonNoResource {
		t.Fatalf("%+v", rec)
	}
	rec = recommendBody(t, v, `{"target": {"ref/demo/c4": 2}, "closeMatch": true}`)
	if len(rec.Steps) != 1 || rec.Steps[0].Closes[0].Via != "closeMatch" || !rec.Steps[0].DurationEstimated {
		t.Fatalf("%+v", rec.Steps)
	}
	if !reflect.DeepEqual(rec.EstimatedDurations, []string{r("diffuser")}) || rec.TotalDuration != "PT1H" {
		t.Fatalf("a resource without timeRequired costs %s, flagged: %+v", DefaultDuration, rec)
	}
}

func TestTargetAtOrBelowCurrentIsNothingToDo(t *testing.T) {
	rec := recommendBody(t, newView(t, fixture()), `{"current": {"ref/demo/c1": 5}, "target": {"ref/demo/c1": 3}}`)
	if !rec.NothingToDo || len(rec.Steps) != 0 || len(rec.Gap) != 0 || !rec.Optimal ||
		!reflect.DeepEqual(rec.AlreadyReached, []CellRef{{c1, 3}}) || rec.TotalDuration != "PT0S" {
		t.Fatalf("%+v", rec)
	}
}

func TestProfilesAndNamedTargets(t *testing.T) {
	v := newView(t, fixture())
	rec := recommendBody(t, v, `{"profile": {"levels": {"1": 2, "2": 0}}, "target": {"ref/demo/c1": 5}}`)
	if want := []string{r("recherche-avancee")}; !reflect.DeepEqual(stepIRIs(rec), want) {
		t.Fatalf("a Pix-style profile (notations of the default framework) sets the start: %v", stepIRIs(rec))
	}
	rec = recommendBody(t, v, `{"targetFramework": {"framework": "ref/demo", "level": 2}}`)
	var gap []string
	for _, c := range rec.Gap {
		gap = append(gap, fmt.Sprintf("%s/%d", strings.TrimPrefix(c.Competency, demo+"/"), c.Level))
	}
	if want := "c1/1 c1/2 c2/1 c2/2 c3/1 c3/2 c4/1 c4/2"; strings.Join(gap, " ") != want {
		t.Fatalf("gap %v", gap)
	}
	rec = recommendBody(t, v, `{"targetFramework": {"framework": "ref/other", "level": 4, "competencies": ["A"]}, "current": {"ref/demo/c1": 2}}`)
	if want := []string{r("recherche-avancee")}; !reflect.DeepEqual(stepIRIs(rec), want) || rec.Steps[0].Closes[0].Via != "exactMatch" {
		t.Fatalf("levels held in one framework count in the other through exactMatch: %+v", rec.Steps)
	}
}

func TestConstraintsFilterResources(t *testing.T) {
	v := newView(t, fixture())
	for name, tc := range map[string]struct {
		body string
		want []string
	}{
		"languages":      {`{"target": {"ref/demo/c4": 2}, "closeMatch": true, "constraints": {"languages": ["fr"]}}`, nil},
		"departement":    {`{"target": {"ref/demo/c1": 2, "ref/demo/c2": 3}, "constraints": {"departements": ["13"]}}`, []string{r("ranger")}},
		"dept or remote": {`{"target": {"ref/demo/c3": 4}, "constraints": {"departements": ["13"], "remote": true}}`, []string{r("ranger"), r("traiter")}},
		"remote only":    {`{"target": {"ref/demo/c1": 2, "ref/demo/c2": 3}, "constraints": {"remote": true}}`, nil},
		"free only":      {`{"target": {"ref/demo/c1": 5}, "current": {"ref/demo/c1": 2}, "constraints": {"freeOnly": true}}`, nil},
		"reusable BY-SA": {`{"target": {"ref/demo/c3": 4}, "constraints": {"reusableUnder": "https://creativecommons.org/licenses/by-sa/4.0/"}}`, nil},
		"families":       {`{"target": {"ref/demo/c1": 5}, "constraints": {"licenceFamilies": ["sharealike", "attribution"]}}`, []string{r("recherche"), r("recherche-avancee")}},
	} {
		if got := stepIRIs(recommendBody(t, v, tc.body)); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", name, got, tc.want)
		}
	}
}

func TestLicenceObligationsAndConflictsOfAPath(t *testing.T) {
	rec := recommendBody(t, newView(t, fixture()), `{"target": {"ref/demo/c3": 4}}`)
	var kinds []string
	for _, c := range rec.Licence.Conflicts {
		kinds = append(kinds, c.Kind)
	}
	if !reflect.DeepEqual(kinds, []string{"noncommercial-sharealike", "sharealike-mismatch"}) {
		t.Fatalf("BY-SA and BY-NC-SA mixed: %+v", rec.Licence)
	}
	var obl []string
	for _, o := range rec.Licence.Obligations {
		obl = append(obl, o.Kind)
	}
	if !reflect.DeepEqual(obl, []string{"Attribution", "Notice", "ShareAlike", "ShareAlike", "NonCommercial"}) || len(rec.Licence.CompatibleLicences) != 0 {
		t.Fatalf("%v %+v", obl, rec.Licence)
	}
	rec = recommendBody(t, newView(t, fixture()), `{"target": {"ref/demo/c1": 5}}`)
	if len(rec.Licence.Conflicts) != 0 || !reflect.DeepEqual(rec.Licence.CompatibleLicences, []string{bySA}) {
		t.Fatalf("BY + BY-SA can be shared under BY-SA: %+v", rec.Licence)
	}
}

func TestRecommendBadInput(t *testing.T) {
	v := newView(t, fixture())
	for name, body := range map[string]string{
		"unknown competency":    `{"target": {"ref/demo/zzz": 3}}`,
		"unknown level":         `{"target": {"ref/demo/c1": 9}}`,
		"unknown level IRI":     `{"target": {"ref/demo/c1": "levels/42"}}`,
		"target level 0":        `{"target": {"ref/demo/c1": 0}}`,
		"current level -1":      `{"current": {"ref/demo/c1": -1}, "target": {"ref/demo/c1": 3}}`,
		"unknown framework":     `{"targetFramework": {"framework": "ref/zzz", "level": 3}}`,
		"profile notation":      `{"profile": {"levels": {"9.9": 3}}, "target": {"ref/demo/c1": 3}}`,
		"profile framework":     `{"profile": {"framework": "ref/zzz", "levels": {"1": 3}}, "target": {"ref/demo/c1": 3}}`,
		"unknown departement":   `{"target": {"ref/demo/c1": 3}, "constraints": {"departements": ["999"]}}`,
		"unknown licence":       `{"target": {"ref/demo/c1": 3}, "constraints": {"reusableUnder": "licences/zzz"}}`,
		"level concept as comp": `{"target": {"levels/3": 3}}`,
	} {
		req, err := DecodeRecommendRequest([]byte(body), base)
		if err == nil {
			_, err = v.Recommend(context.Background(), req)
		}
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Fields) == 0 {
			t.Errorf("%s: want KindInvalid with fields, got %v", name, err)
		}
	}
}

func TestDecodeRecommendRequestRefusesMalformedAndAbsurdInput(t *testing.T) {
	huge := make(map[string]int, 100_000)
	for i := range 100_000 {
		huge[fmt.Sprintf("c%d", i)] = 1
	}
	hugeProfile, _ := json.Marshal(map[string]any{"profile": map[string]any{"levels": huge}, "target": map[string]int{"ref/demo/c1": 3}})
	for name, body := range map[string]string{
		"not JSON":           `{"target": `,
		"unknown field":      `{"target": {"ref/demo/c1": 3}, "constraint": {}}`,
		"fractional level":   `{"target": {"ref/demo/c1": 3.5}}`,
		"no target":          `{"current": {"ref/demo/c1": 3}}`,
		"empty profile":      `{"profile": {"levels": {}}, "target": {"ref/demo/c1": 3}}`,
		"profile not object": `{"profile": [1, 2], "target": {"ref/demo/c1": 3}}`,
		"bad duration":       `{"target": {"ref/demo/c1": 3}, "constraints": {"maxDuration": "2 hours"}}`,
		"absurd duration":    `{"target": {"ref/demo/c1": 3}, "constraints": {"maxDuration": "P100Y"}}`,
		"bad kind":           `{"target": {"ref/demo/c1": 3}, "constraints": {"kinds": ["Video"]}}`,
		"bad family":         `{"target": {"ref/demo/c1": 3}, "constraints": {"licenceFamilies": ["gpl"]}}`,
		"bad language":       `{"target": {"ref/demo/c1": 3}, "constraints": {"languages": ["français"]}}`,
		"trailing data":      `{"target": {"ref/demo/c1": 3}} {}`,
		"100,000 entries":    string(hugeProfile),
	} {
		_, err := DecodeRecommendRequest([]byte(body), base)
		var de *domain.Error
		if !errors.As(err, &de) || de.Kind != domain.KindInvalid || len(de.Fields) == 0 {
			t.Errorf("%s: want KindInvalid with fields, got %v", name, err)
		}
	}
}

func TestSameRequestSameAnswer(t *testing.T) {
	v := newView(t, fixture())
	body := `{"targetFramework": {"framework": "ref/demo", "level": 5}, "closeMatch": true}`
	a, _ := json.Marshal(recommendBody(t, v, body))
	b, _ := json.Marshal(recommendBody(t, v, body))
	if string(a) != string(b) {
		t.Fatal("two answers to the same request differ")
	}
}

func TestParcoursDocumentCarriesStepsAndProvenance(t *testing.T) {
	rec := recommendBody(t, newView(t, fixture()), `{"current": {"ref/demo/c1": 1}, "target": {"ref/demo/c1": 5}}`)
	at := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	b, err := rec.ParcoursDocument("Mon parcours", "", at, base)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	list := doc["schema:hasPart"].(map[string]any)["@list"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["@id"] != r("recherche") {
		t.Fatalf("hasPart: %v", list)
	}
	comment := doc["rdfs:comment"].(map[string]any)["@value"].(string)
	if !strings.Contains(comment, c1+" 1 → 5") || !strings.Contains(comment, "2025-03-01T10:00:00Z") || !strings.Contains(comment, "exacte") {
		t.Fatalf("provenance: %s", comment)
	}
	if doc["prov:generatedAtTime"].(map[string]any)["@value"] != "2025-03-01T10:00:00Z" {
		t.Fatalf("%v", doc["prov:generatedAtTime"])
	}
	aligns := doc["schema:educationalAlignment"].([]any)
	if len(aligns) != 2 {
		t.Fatalf("teaches the reached level and requires the start: %v", aligns)
	}
	empty := recommendBody(t, newView(t, fixture()), `{"current": {"ref/demo/c1": 5}, "target": {"ref/demo/c1": 3}}`)
	if _, err := empty.ParcoursDocument("x", "", at, base); !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("an empty path cannot be saved: %v", err)
	}
}

func FuzzDecodeRecommendRequest(f *testing.F) {
	for _, s := range []string{
		`{"target": {"ref/demo/c1": 3}}`,
		`{"profile": {"levels": {"1.1": 3}}, "targetFramework": {"framework": "frameworks/crcn", "level": "levels/4"}}`,
		`{"target": {"x": 1}, "constraints": {"maxDuration": "PT20H", "kinds": ["Grain"], "languages": ["fr-FR"], "departements": ["2A"]}}`,
		`{"target": {"x": 1e400}}`, `[]`, `null`, `{"target": {"": -0}}`,
	} {
		f.Add([]byte(s))
	}
	v := newView(f, fixture())
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeRecommendRequest(body, base)
		if err != nil {
			if !domain.IsKind(err, domain.KindInvalid) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if _, err := v.Recommend(context.Background(), req); err != nil && !domain.IsKind(err, domain.KindInvalid) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// The lean needs the optimiser gets are the needs the explanations show.
func TestOptimiserNeedsMatchExplainedNeeds(t *testing.T) {
	v := benchView(t, 2000)
	ix := v.snapshot(false)
	for _, start := range []int{0, 3} {
		g := &gap{start: make([]int, len(ix.classes))}
		for k := range g.start {
			g.start[k] = start
		}
		for _, r := range ix.resources {
			want := toNeeds(ix.needs(r, g, r.gains))
			got := r.reqNeeds
			if r.hasPrereq {
				got = ix.prereqNeeds(r, g)
			}
			if len(want) == 0 && len(got) == 0 {
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: optimiser needs %v, explained %v", r.iri, got, want)
			}
		}
	}
}
