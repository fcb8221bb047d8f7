package search

import (
	"context"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// newFixtureIndex indexes testdata/search.json.
func newFixtureIndex(t *testing.T) (*Index, searchFixture) {
	t.Helper()
	f := loadFixture(t, "search.json")
	ix, _ := openIndex(t, referenceLabels(t, f.Publishers, "assoc-draft"))
	applyDocs(t, ix, 1, f.Documents)
	return ix, f
}

// TestSearchCases runs the searches of testdata/search.json: French
// analysis, the fields searched, filters, sorts, visibility and plain-text
// handling of query syntax.
func TestSearchCases(t *testing.T) {
	ix, f := newFixtureIndex(t)
	for _, c := range f.Queries {
		t.Run(c.Name, func(t *testing.T) {
			res := run(t, ix, c.Params, c.Drafts)
			got := ids(res)
			want := append([]string{}, c.IDs...)
			if !c.Ordered {
				sort.Strings(got)
				sort.Strings(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: results %v, want %v", c.Params, got, want)
			}
			if res.Total != c.Total {
				t.Errorf("%s: total %d, want %d", c.Params, res.Total, c.Total)
			}
		})
	}
}

// TestHighlightsAreValidUTF8AndMarkTheWords checks that highlights around
// accented words are valid UTF-8 and mark exactly the matching words.
func TestHighlightsAreValidUTF8AndMarkTheWords(t *testing.T) {
	ix, _ := newFixtureIndex(t)
	cases := []struct{ q, field, marked string }{
		{"evry", FieldName, "Évry"},
		{"eleves", FieldDescription, "élèves"},
		{"oeuvre", FieldName, "Œuvres"},
		{"l'accessibilité", FieldDescription, "accessibilité"},
		{"médiateurs", FieldName, "médiateur"},
		{"evry", FieldPublisher, "Évry"},
	}
	for _, c := range cases {
		res := run(t, ix, "q="+c.q, false)
		found := false
		for _, h := range res.Results {
			for field, frags := range h.Highlights {
				for _, fr := range frags {
					if !utf8.ValidString(fr) {
						t.Errorf("%q: invalid UTF-8 in highlight %q", c.q, fr)
					}
					if !strings.Contains(fr, "<mark>") {
						t.Errorf("%q: highlight without a mark in %s: %q", c.q, field, fr)
					}
					for _, m := range marks(fr) {
						if field == c.field && m == c.marked {
							found = true
						}
					}
				}
			}
		}
		if !found {
			t.Errorf("%q: no highlight marks %q in %s: %+v", c.q, c.marked, c.field, res.Results)
		}
	}
}

// marks returns the texts between <mark> and </mark>.
func marks(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "<mark>")
		if i < 0 {
			return out
		}
		s = s[i+len("<mark>"):]
		j := strings.Index(s, "</mark>")
		if j < 0 {
			return out
		}
		out = append(out, s[:j])
		s = s[j:]
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Évry": "Evry", "élèves": "eleves", "Œuvres": "Oeuvres", "cœur": "coeur", "Lætitia": "Laetitia",
		"naïveté": "naivete", "Noël": "Noel", "ça": "ca", "plain": "plain", "Ḁ": "A", "日本": "日本",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAnalyzerFoldsElidesStemsAndDropsStopWords(t *testing.T) {
	ix, _ := openIndex(t, nil)
	for in, want := range map[string][]string{
		"Évry":                        {"evry"},
		"l'accessibilité":             {ix.analyze("accessibilite")[0]},
		"Les Œuvres":                  {ix.analyze("oeuvres")[0]},
		"médiateurs":                  ix.analyze("mediateur"),
		"+plus -moins : \"guillemets": ix.analyze("plus moins guillemets"),
		"le la les":                   nil,
		"aujourd’hui":                 ix.analyze("aujourd'hui"),
	} {
		if got := ix.analyze(in); !slices.Equal(got, want) {
			t.Errorf("analyze(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAnonymousNeverSeesDrafts checks results, counts and suggestions.
func TestAnonymousNeverSeesDrafts(t *testing.T) {
	ix, f := newFixtureIndex(t)
	var draft testDoc
	for _, d := range f.Documents {
		if d.Draft {
			draft = d
		}
	}
	anon := run(t, ix, "", false)
	auth := run(t, ix, "", true)
	if auth.Total != anon.Total+1 {
		t.Fatalf("totals: anonymous %d, authenticated %d; want one more with drafts", anon.Total, auth.Total)
	}
	for _, h := range anon.Results {
		if strings.HasSuffix(h.ID, draft.ID) {
			t.Errorf("anonymous result %s is a draft", h.ID)
		}
	}
	// a published resource's publisher that is a draft is not shown
	for _, g := range anon.Facets {
		for _, v := range g.Values {
			if g.Name == FacetEditeur && strings.HasSuffix(v.Value, "assoc-draft") {
				t.Errorf("anonymous facet editeur shows the draft-only publisher %+v", v)
			}
		}
	}
	sum := func(res *Result, facet string) int {
		n := 0
		for _, g := range res.Facets {
			if g.Name == facet {
				for _, v := range g.Values {
					n += v.Count
				}
			}
		}
		return n
	}
	if a, b := sum(anon, FacetNature), sum(auth, FacetNature); b != a+1 {
		t.Errorf("nature counts: anonymous %d, authenticated %d", a, b)
	}
	for _, withDrafts := range []bool{false, true} {
		sugg, err := ix.Suggest(context.Background(), "atelier sec", 10, withDrafts, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if got := len(sugg) > 0 && sugg[0].ID == resourceIRI(draft.ID); got != withDrafts {
			t.Errorf("suggest with drafts=%v: %+v", withDrafts, sugg)
		}
	}
}

func TestSuggestIsPrefixAndAccentInsensitive(t *testing.T) {
	ix, _ := newFixtureIndex(t)
	cases := []struct {
		prefix, kind, label string
	}{
		{"evr", FacetEditeur, "Médiathèque d'Évry"},
		{"mediath", FacetEditeur, "Médiathèque d'Évry"},
		{"atelier num", SuggestResource, "Atelier numérique à Évry"},
		{"OEUV", SuggestResource, "Les Œuvres du domaine public"},
		{"protéger les donn", SuggestCompetence, "Protéger les données personnelles et la vie privée"},
	}
	for _, c := range cases {
		sugg, err := ix.Suggest(context.Background(), c.prefix, 0, false, "fr")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range sugg {
			if s.Kind == c.kind && s.Label == c.label {
				found = true
			}
		}
		if !found {
			t.Errorf("Suggest(%q) = %+v, want %s %q", c.prefix, sugg, c.kind, c.label)
		}
	}
	if _, err := ix.Suggest(context.Background(), "\xff", 0, false, "fr"); !domain.IsKind(err, domain.KindInvalid) {
		t.Errorf("invalid UTF-8 prefix: %v", err)
	}
	if _, err := ix.Suggest(context.Background(), strings.Repeat("a", MaxSuggestRunes+1), 0, false, "fr"); !domain.IsKind(err, domain.KindInvalid) {
		t.Errorf("long prefix: %v", err)
	}
}

// TestViewCatchesUpAfterRestartAndReset checks the persisted sequence, the
// rebuild of the in-memory side at open, deletes and Reset.
func TestViewCatchesUpAfterRestartAndReset(t *testing.T) {
	f := loadFixture(t, "search.json")
	lab := referenceLabels(t, f.Publishers, "assoc-draft")
	ix, dir := openIndex(t, lab)
	ctx := context.Background()
	applyDocs(t, ix, 7, f.Documents)
	if err := ix.Apply(ctx, 9, nil, []string{resourceIRI("oeuvres")}); err != nil {
		t.Fatal(err)
	}
	before := run(t, ix, "thematiques=MaitriseDesOutilsNumeriques", false)
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	ix2, err := Open(Options{Dir: dir, BaseIRI: testBase, Labels: lab})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if got := ix2.LastSeq(); got != 9 {
		t.Fatalf("LastSeq after reopening = %d, want 9", got)
	}
	after := run(t, ix2, "thematiques=MaitriseDesOutilsNumeriques", false)
	if !slices.Equal(ids(before), ids(after)) || before.Total != after.Total || !sameFacets(before, after) {
		t.Errorf("reopened index answers differently:\n%+v\n%+v", before, after)
	}
	if got := run(t, ix2, "q=oeuvre", false).Total; got != 0 {
		t.Errorf("deleted resource still found after reopening: %d", got)
	}
	if err := ix2.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if ix2.LastSeq() != 0 || ix2.Size() != 0 || run(t, ix2, "", true).Total != 0 {
		t.Errorf("after Reset: LastSeq %d, size %d", ix2.LastSeq(), ix2.Size())
	}
	applyDocs(t, ix2, 3, f.Documents)
	if got := run(t, ix2, "q=oeuvre", false).Total; got != 1 || ix2.LastSeq() != 3 {
		t.Errorf("rebuilt after Reset: %d hits, LastSeq %d", got, ix2.LastSeq())
	}
}

func sameFacets(a, b *Result) bool {
	if len(a.Facets) != len(b.Facets) {
		return false
	}
	for i := range a.Facets {
		if !slices.Equal(a.Facets[i].Values, b.Facets[i].Values) {
			return false
		}
	}
	return true
}

// TestLabelChangesReindexResources checks that renaming a publisher or a
// competency reindexes the resources that hold its label.
func TestLabelChangesReindexResources(t *testing.T) {
	f := loadFixture(t, "search.json")
	lab := referenceLabels(t, f.Publishers, "assoc-draft")
	ix, _ := openIndex(t, lab)
	applyDocs(t, ix, 1, f.Documents)
	pub := testBase + "partners/coop-nord"
	renamed := &domain.Entity{IRI: pub, Types: []string{ontology.Organization}, Triples: []domain.Triple{
		{S: domain.NewIRI(pub), P: domain.NewIRI(ontology.Type), O: domain.NewIRI(ontology.Organization)},
		{S: domain.NewIRI(pub), P: domain.NewIRI(ontology.Name), O: domain.NewLangString("Fabrique solidaire de Lille", "fr")}}}
	lab.Put(renamed) // the graph view is applied first
	if err := ix.Apply(context.Background(), 2, []domain.ViewEntity{{Entity: renamed, Record: domain.Record{IRI: pub}}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := run(t, ix, "q=fabrique+solidaire", false).Total; got != 4 {
		t.Errorf("new publisher name finds %d resources, want 4", got)
	}
	if got := run(t, ix, "q=coop%C3%A9rative", false).Total; got != 0 {
		t.Errorf("old publisher name still finds %d resources", got)
	}
	label := ""
	for _, g := range run(t, ix, "", false).Facets {
		for _, v := range g.Values {
			if g.Name == FacetEditeur && v.Value == pub {
				label = v.Label
			}
		}
	}
	if label != "Fabrique solidaire de Lille" {
		t.Errorf("facet label of the renamed publisher = %q", label)
	}
}

// TestVocabularyKnowsTheValidKeys checks, for every facet, which keys a
// request may filter on, and that the keys listed in errors are those.
func TestVocabularyKnowsTheValidKeys(t *testing.T) {
	ix, _ := newFixtureIndex(t)
	crcn := testBase + "competencies/crcn-4.2"
	cases := []struct {
		facet string
		known []string
		not   []string
	}{
		{FacetThematiques, []string{"Donnees", "JeuxVideos", "Accessibilite"}, []string{"Inconnue", "inclusion-numerique", "donnees"}},
		{FacetCategories, []string{"inclusion-numerique", "communs-et-souverainete"}, []string{"Donnees", "autre"}},
		{FacetTypes, []string{"Article", "VideoWebinaire", "ResourcePedagogique"}, []string{"Video", "article"}},
		{FacetBeneficiaires, []string{"TousPublics", "SeniorsPersonnesAgees"}, []string{"Seniors"}},
		{FacetSecteurs, []string{"ActeursPublics", "AutresProfessionnels"}, []string{"Public"}},
		{FacetDepartements, []string{"91", "2A", "971"}, []string{"991", "Essonne"}},
		{FacetLicence, []string{"CC_BY_SA_4_0", "ETALAB_2_0"}, []string{"CC0", "cc_by_sa_4_0"}},
		{FacetCompetence, []string{crcn, testBase + "competencies/crcn-1.1"}, []string{testBase + "frameworks/crcn", "http://x/y"}},
		{FacetReferentiel, []string{testBase + "frameworks/crcn"}, []string{crcn}},
		{FacetEditeur, []string{testBase + "partners/coop-nord", testBase + "partners/gen-003"}, []string{testBase + "partners/nobody"}},
		{FacetNiveau, []string{"1", "8"}, []string{"0", "9", "03", "deux"}},
		{FacetNature, []string{"grain", "parcours", "formation", "outil"}, []string{"Grain", "cours"}},
		{FacetLangue, []string{"fr", "en", "fr-ca"}, []string{"f", "français", "fr_FR"}},
	}
	for _, c := range cases {
		keys := ix.Keys(c.facet)
		for _, k := range c.known {
			if !ix.Known(c.facet, k) {
				t.Errorf("%s=%s should be known", c.facet, k)
			}
			if c.facet != FacetLangue && !contains(keys, k) {
				t.Errorf("Keys(%s) lacks %s", c.facet, k)
			}
		}
		for _, k := range c.not {
			if ix.Known(c.facet, k) {
				t.Errorf("%s=%s should be unknown", c.facet, k)
			}
			if contains(keys, k) {
				t.Errorf("Keys(%s) lists %s", c.facet, k)
			}
		}
	}
	if n := len(ix.Keys(FacetCategories)); n != 4 {
		t.Errorf("%d categories, want 4", n)
	}
	if ix.Known("nope", "x") || ix.Keys("nope") != nil {
		t.Error("an unknown facet has keys")
	}
}

func TestWordTokenizer(t *testing.T) {
	for in, want := range map[string][]string{
		"l'accessibilité d’Évry":    {"accessibilité", "Évry"},
		"aujourd'hui, jusqu'ici":    {"aujourd'hui", "ici"},
		"abc''def 'x' y'":           {"abc", "def", "x", "y"},
		"4.2 CRCN-2019 œuvres\xffa": {"4", "2", "CRCN", "2019", "œuvres", "a"},
		"":                          nil,
		"+-:\"*~^/":                 nil,
	} {
		var got []string
		for _, tok := range (wordTokenizer{}).Tokenize([]byte(in)) {
			got = append(got, string(tok.Term))
			if string(tok.Term) != in[tok.Start:tok.End] {
				t.Errorf("%q: token %q has offsets %d-%d", in, tok.Term, tok.Start, tok.End)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Tokenize(%q) = %q, want %q", in, got, want)
		}
	}
}
