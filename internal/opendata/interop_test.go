package opendata_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/catalog"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/opendata"
	"github.com/trame-commun/trame/ontology"
)

const crcn = base + "frameworks/crcn"

func TestCTDLExportKeepsTheFrameworkTreeAndItsCrosswalk(t *testing.T) {
	s := shared(t)
	doc, err := s.svc.CTDL(context.Background(), crcn, true)
	if err != nil {
		t.Fatal(err)
	}
	if doc["@context"] != opendata.CTDLContext || doc["@id"] != crcn {
		t.Fatalf("context %v, id %v", doc["@context"], doc["@id"])
	}
	nodes := doc["@graph"].([]any)
	fw := nodes[0].(map[string]any)
	if fw["@type"] != "ceasn:CompetencyFramework" || len(fw["ceasn:hasTopChild"].([]string)) != 5 {
		t.Fatalf("framework node: %v", fw)
	}
	if len(nodes) != 1+5+16 {
		t.Fatalf("%d nodes, want the framework, 5 domains and 16 competences", len(nodes))
	}
	ctid := regexp.MustCompile(`^ce-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	byID := map[string]map[string]any{}
	for _, n := range nodes[1:] {
		c := n.(map[string]any)
		byID[c["@id"].(string)] = c
		if c["@type"] != "ceasn:Competency" || c["ceasn:isPartOf"] != crcn || !ctid.MatchString(c["ceterms:ctid"].(string)) {
			t.Errorf("competency node %v", c)
		}
	}
	c11 := byID[base+"competencies/crcn-1.1"]
	if c11["ceasn:isChildOf"] != base+"competencies/crcn-1" || c11["ceasn:codedNotation"] != "1.1" {
		t.Errorf("crcn-1.1: %v", c11)
	}
	if major := c11["ceasn:majorAlignment"]; major == nil || major.([]string)[0] != "http://data.europa.eu/esco/skill/e439742d-558d-4f52-885e-afdc740b48cf" {
		t.Errorf("crcn-1.1 must keep its closeMatch to DigComp 1.1 as a major alignment: %v", major)
	}
	if byID[base+"competencies/crcn-1"]["ceasn:isTopChildOf"] != crcn {
		t.Errorf("a domain must be a top child of the framework")
	}
	if _, err := json.Marshal(doc); err != nil {
		t.Fatal(err)
	}
}

func TestMoodleExportMatchesTheToolLpImportCSVFormat(t *testing.T) {
	s := shared(t)
	var buf bytes.Buffer
	if err := s.svc.Moodle(context.Background(), &buf, crcn, true); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("/work/shared/reference/frameworks/pix-crcn-moodle-lpimportcsv.csv")
	if os.IsNotExist(err) {
		f, err = os.Open("../../../shared/reference/frameworks/pix-crcn-moodle-lpimportcsv.csv")
	}
	needTool(t, err == nil, "the reference Moodle CSV (shared/reference/frameworks)", "it comes with shared/")
	defer f.Close()
	want, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got[0], "|") != strings.Join(want[0], "|") {
		t.Fatalf("header:\n%v\nwant\n%v", got[0], want[0])
	}
	if got[1][12] != "1" || got[1][5] != want[1][5] || got[1][6] != want[1][6] || got[1][13] != want[1][13] {
		t.Errorf("framework row %v\nwant scale, configuration and taxonomy of %v", got[1], want[1])
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, the reference has %d", len(got), len(want))
	}
	for i := 2; i < len(want); i++ {
		g, w := got[i], want[i]
		for _, col := range []int{0, 1, 4, 7, 8, 9} {
			if g[col] != w[col] {
				t.Errorf("row %d column %q: %q, want %q", i, want[0][col], g[col], w[col])
			}
		}
		if notation := strings.Fields(w[2])[0]; !strings.HasPrefix(g[2], notation) {
			t.Errorf("row %d shortname %q must start with %q", i, g[2], notation)
		}
	}
}

func TestOpenBadgesAchievementAlignsOnTheCompetenciesOfTheParcours(t *testing.T) {
	s := shared(t)
	ctx := context.Background()
	iri := base + "paths/de-la-recherche-au-tableur"
	a, err := s.svc.Achievement(ctx, iri, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "type", "name", "description", "criteria"} {
		if a[k] == nil {
			t.Fatalf("the Achievement lacks required %q: %v", k, a)
		}
	}
	if a["type"].([]string)[0] != "Achievement" || a["achievementType"] != "LearningProgram" {
		t.Errorf("type %v, achievementType %v", a["type"], a["achievementType"])
	}
	// What the parcours and its steps teach, computed from the store.
	want := map[string]bool{}
	path := entity(t, s, iri)
	collect := func(e *domain.Entity) {
		for _, al := range e.Alignments(nil) {
			if al.Type != domain.Requires {
				want[al.Competency] = true
			}
		}
	}
	collect(path)
	narrative := a["criteria"].(map[string]any)["narrative"].(string)
	for _, step := range path.ListValues(ontology.HasPart) {
		se := entity(t, s, step.Value)
		collect(se)
		if !strings.Contains(narrative, se.Label("fr")) {
			t.Errorf("the criteria do not name the step %q", se.Label("fr"))
		}
	}
	var got []string
	for _, al := range a["alignment"].([]any) {
		al := al.(map[string]any)
		if al["targetType"] != "ceasn:Competency" || al["targetName"] == "" || al["type"].([]string)[0] != "Alignment" {
			t.Errorf("alignment %v", al)
		}
		got = append(got, al["targetUrl"].(string))
	}
	var wantList []string
	for c := range want {
		wantList = append(wantList, c)
	}
	sort.Strings(got)
	sort.Strings(wantList)
	if len(got) == 0 || strings.Join(got, " ") != strings.Join(wantList, " ") {
		t.Fatalf("alignments point at\n%v\nwant\n%v", got, wantList)
	}
	if _, err := s.svc.Achievement(ctx, base+"resources/premiers-pas-moteur-de-recherche", true); domain.KindOf(err) != domain.KindInvalid {
		t.Errorf("a resource that is not a parcours must be refused, got %v", err)
	}
}

func entity(t *testing.T, s *stack, iri string) *domain.Entity {
	t.Helper()
	rec, err := s.st.Get(context.Background(), iri)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.cat.Entity(rec)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSchemaOrgExportReadsBackToTheSameResource(t *testing.T) {
	s := shared(t)
	ctx := context.Background()
	iri := base + "resources/premiers-pas-moteur-de-recherche"
	b, err := s.svc.SchemaOrg(ctx, iri, true)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc["@context"] != opendata.SchemaOrgContext || doc["name"] == nil {
		t.Fatalf("not a schema.org document: %s", b)
	}
	back, err := s.cat.Codec().Decode(b, nil)
	if err != nil || len(back) != 1 {
		t.Fatalf("the export does not read back: %v", err)
	}
	if ok, why := isomorphic(asQuads(back[0].Triples), asQuads(entity(t, s, iri).Triples)); !ok {
		t.Fatalf("the schema.org export changed the resource: %s", why)
	}
	var all bytes.Buffer
	n, err := s.svc.SchemaOrgAll(ctx, &all)
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	if err := json.Unmarshal(all.Bytes(), &docs); err != nil || len(docs) != n {
		t.Fatalf("the bulk export is not a JSON array of %d documents: %v", n, err)
	}
	recs, _ := s.st.List(ctx, domain.Resources, "", 10000, false)
	paths, _ := s.st.List(ctx, domain.Paths, "", 10000, false)
	if n != len(recs)+len(paths) || n < 100 {
		t.Fatalf("the bulk export has %d documents, the store %d resources and %d parcours", n, len(recs), len(paths))
	}
}

func asQuads(ts []domain.Triple) []quad {
	out := make([]quad, len(ts))
	for i, t := range ts {
		out[i] = quad{S: t.S, P: t.P, O: t.O}
	}
	return out
}

func TestExportsHideDraftsFromAnonymousCallers(t *testing.T) {
	s := newStack(t)
	ctx := context.Background()
	editor := domain.Principal{TokenID: "t", Role: domain.RoleEditor}
	docs := []string{
		`{"@context": {"skos": "http://www.w3.org/2004/02/skos/core#"}, "@id": "` + base + `frameworks/brouillon",
		  "@type": "skos:ConceptScheme", "skos:prefLabel": {"@value": "Référentiel brouillon", "@language": "fr"}}`,
	}
	for _, d := range docs {
		if _, err := s.cat.Write(ctx, editor, catalog.WriteRequest{Body: []byte(d), Collection: domain.Frameworks, Draft: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.svc.CTDL(ctx, base+"frameworks/brouillon", true); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("an anonymous export of a draft framework must be not found, got %v", err)
	}
	if err := s.svc.Moodle(ctx, &bytes.Buffer{}, base+"frameworks/brouillon", true); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("an anonymous Moodle export of a draft framework must be not found, got %v", err)
	}
	if _, err := s.svc.CTDL(ctx, base+"frameworks/brouillon", false); err != nil {
		t.Fatalf("an editor sees the draft: %v", err)
	}
}
