package search

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/search/corpus"
	"github.com/trame-commun/trame/ontology"
)

const testBase = "http://localhost:8080/"

// testDoc is a resource as the data-driven tests write it.
type testDoc struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Description   string   `json:"description"`
	Text          string   `json:"text"`
	Keywords      []string `json:"keywords"`
	Thematiques   []string `json:"thematiques"`
	Types         []string `json:"types"`
	Beneficiaires []string `json:"beneficiaires"`
	Secteurs      []string `json:"secteurs"`
	Departement   string   `json:"departement"`
	Licence       string   `json:"licence"`
	Publisher     string   `json:"publisher"`
	Competences   []string `json:"competences"`
	Niveau        int      `json:"niveau"`
	Nature        string   `json:"nature"`
	Langue        string   `json:"langue"`
	Date          string   `json:"date"`
	Draft         bool     `json:"draft"`
}

var licenceIRIs = map[string]string{
	"ETALAB_2_0":      "http://spdx.org/licenses/etalab-2.0",
	"CC_BY_SA_4_0":    "https://creativecommons.org/licenses/by-sa/4.0/",
	"CC_BY_NC_SA_4_0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
}

var natureClasses = map[string][]string{
	"grain": {ontology.Grain}, "parcours": {ontology.LearningPath}, "formation": {ontology.Training, ontology.Course}, "outil": {ontology.Tool},
}

func resourceIRI(id string) string { return testBase + "resources/" + id }

// entity converts a test document to the entity the catalog would give.
func (d testDoc) entity() domain.ViewEntity {
	iri := resourceIRI(d.ID)
	e := &domain.Entity{IRI: iri, Types: append([]string{ontology.LearningResource}, natureClasses[d.Nature]...)}
	s := domain.NewIRI(iri)
	add := func(p string, o domain.Term) {
		e.Triples = append(e.Triples, domain.Triple{S: s, P: domain.NewIRI(p), O: o})
	}
	for _, t := range e.Types {
		add(ontology.Type, domain.NewIRI(t))
	}
	lang := d.Langue
	if lang == "" {
		lang = "fr"
	}
	add(ontology.Name, domain.NewLangString(d.Name, lang))
	if d.Description != "" {
		add(ontology.Description, domain.NewLangString(d.Description, lang))
	}
	if d.Text != "" {
		add(ontology.Text, domain.NewLangString(d.Text, lang))
	}
	for _, k := range d.Keywords {
		add(ontology.Keywords, domain.NewLangString(k, lang))
	}
	for p, vals := range map[string][]string{
		ontology.About: prefixed("vocab/thematiques/", d.Thematiques), ontology.LearningResourceType: prefixed("vocab/types/", d.Types),
		ontology.Audience: prefixed("vocab/beneficiaires/", d.Beneficiaires), ontology.ProfessionalSector: prefixed("vocab/secteurs/", d.Secteurs),
	} {
		for _, v := range vals {
			add(p, domain.NewIRI(v))
		}
	}
	if d.Departement != "" {
		add(ontology.SpatialCoverage, domain.NewIRI(testBase+"vocab/departements/"+d.Departement))
	}
	if l := licenceIRIs[d.Licence]; l != "" {
		add(ontology.LicenseProp, domain.NewIRI(l))
	}
	if d.Publisher != "" {
		add(ontology.Publisher, domain.NewIRI(testBase+"partners/"+d.Publisher))
	}
	if d.Langue != "" {
		add(ontology.InLanguage, domain.NewString(d.Langue))
	}
	if d.Date != "" {
		add(ontology.DatePublished, domain.NewTyped(d.Date, ontology.XSDDate))
	}
	for i, c := range d.Competences {
		al := domain.NewBlank(fmt.Sprint("al", i))
		add(ontology.EducationalAlignment, al)
		e.Triples = append(e.Triples,
			domain.Triple{S: al, P: domain.NewIRI(ontology.AlignmentType), O: domain.NewString("teaches")},
			domain.Triple{S: al, P: domain.NewIRI(ontology.TargetURL), O: domain.NewIRI(testBase + "competencies/" + c)})
		if d.Niveau > 0 {
			e.Triples = append(e.Triples, domain.Triple{S: al, P: domain.NewIRI(ontology.EducationalLevel), O: domain.NewTyped(fmt.Sprint(d.Niveau), ontology.XSDInteger)})
		}
	}
	return domain.ViewEntity{Entity: e, Record: domain.Record{IRI: iri, Draft: d.Draft, Collection: domain.Resources}}
}

func prefixed(p string, vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = testBase + p + v
	}
	return out
}

// searchCase is one data-driven search.
type searchCase struct {
	Name    string   `json:"name"`
	Params  string   `json:"params"`
	Drafts  bool     `json:"drafts"`
	IDs     []string `json:"ids"`
	Ordered bool     `json:"ordered"`
	Total   int      `json:"total"`
}

type searchFixture struct {
	Publishers map[string]string `json:"publishers"`
	Documents  []testDoc         `json:"documents"`
	Queries    []searchCase      `json:"queries"`
}

func loadFixture(t testing.TB, name string) searchFixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var f searchFixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// referenceLabels returns labels over the reference entities of the corpus
// generator (Les Bases vocabularies, licences, CRCN) plus publishers.
func referenceLabels(t testing.TB, publishers map[string]string, drafts ...string) *corpus.MapLabels {
	t.Helper()
	g, err := corpus.NewGenerator(testBase, 1)
	if err != nil {
		t.Fatal(err)
	}
	lab := corpus.NewMapLabels(g.Reference()...)
	for id, name := range publishers {
		iri := testBase + "partners/" + id
		lab.Put(&domain.Entity{IRI: iri, Types: []string{ontology.Organization}, Triples: []domain.Triple{
			{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Type), O: domain.NewIRI(ontology.Organization)},
			{S: domain.NewIRI(iri), P: domain.NewIRI(ontology.Name), O: domain.NewLangString(name, "fr")}}})
	}
	for _, d := range drafts {
		lab.SetDraft(testBase+"partners/"+d, true)
	}
	return lab
}

// openIndex opens an index in a temporary directory.
func openIndex(t testing.TB, lab Labels) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "search")
	ix, err := Open(Options{Dir: dir, BaseIRI: testBase, Labels: lab})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

func applyDocs(t testing.TB, ix *Index, seq uint64, docs []testDoc) {
	t.Helper()
	var puts []domain.ViewEntity
	for _, d := range docs {
		puts = append(puts, d.entity())
	}
	if err := ix.Apply(context.Background(), seq, puts, nil); err != nil {
		t.Fatal(err)
	}
}

// run parses params as the API would and searches.
func run(t testing.TB, ix *Index, params string, drafts bool) *Result {
	t.Helper()
	res, err := tryRun(ix, params, drafts)
	if err != nil {
		t.Fatalf("%s: %v", params, err)
	}
	return res
}

func tryRun(ix *Index, params string, drafts bool) (*Result, error) {
	v, err := url.ParseQuery(params)
	if err != nil {
		return nil, err
	}
	req, err := ParseParams(v, ix)
	if err != nil {
		return nil, err
	}
	req.WithDrafts = drafts
	return ix.Search(context.Background(), req)
}

func ids(res *Result) []string {
	out := []string{}
	for _, h := range res.Results {
		out = append(out, h.ID[len(testBase+"resources/"):])
	}
	return out
}
