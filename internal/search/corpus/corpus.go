// Package corpus generates seeded, realistic French catalogues of learning
// resources for benchmarks: titles, descriptions, contents and facets drawn
// from the real Les Bases enumerations (enums.json, copied from Les Bases'
// source at the commit it names), aligned to the CRCN. The same seed always
// gives the same corpus. It also provides MapLabels, an in-memory answer to
// the search index's label questions over the reference entities it makes.
package corpus

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

//go:embed enums.json
var enumsJSON []byte

// Enums are the Les Bases enumerations the generator draws from.
type Enums struct {
	Categories []struct {
		Label string `json:"label"`
		Href  string `json:"href"`
	} `json:"theme_categories"`
	Themes        enumList `json:"themes"`
	Types         enumList `json:"resource_types"`
	Beneficiaries enumList `json:"beneficiaries"`
	Sectors       enumList `json:"professional_sectors"`
	Licences      enumList `json:"resource_licences"`
	Departments   struct {
		Values []struct {
			Code  string `json:"code"`
			Label string `json:"label"`
		} `json:"values"`
	} `json:"departments"`
}

type enumList struct {
	Values []struct {
		Key      string `json:"key"`
		Label    string `json:"label"`
		Category string `json:"category"`
	} `json:"values"`
}

// LoadEnums parses the embedded enumerations.
func LoadEnums() (*Enums, error) {
	var e Enums
	if err := json.Unmarshal(enumsJSON, &e); err != nil {
		return nil, fmt.Errorf("corpus: enums.json: %w", err)
	}
	return &e, nil
}

// Licence IRIs of the Les Bases licence keys (NO_LICENCE has none).
var licenceIRIs = map[string]string{
	"ETALAB_2_0":      "http://spdx.org/licenses/etalab-2.0",
	"CC_BY_SA_4_0":    "https://creativecommons.org/licenses/by-sa/4.0/",
	"CC_BY_NC_SA_4_0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
}

// Competency is one CRCN competency.
type Competency struct {
	Notation, Label string
}

// CRCN lists the 16 competencies of the Cadre de référence des compétences
// numériques (décret n° 2019-919).
var CRCN = []Competency{
	{"1.1", "Mener une recherche et une veille d'information"},
	{"1.2", "Gérer des données"},
	{"1.3", "Traiter des données"},
	{"2.1", "Interagir"},
	{"2.2", "Partager et publier"},
	{"2.3", "Collaborer"},
	{"2.4", "S'insérer dans le monde numérique"},
	{"3.1", "Développer des documents textuels"},
	{"3.2", "Développer des documents multimédia"},
	{"3.3", "Adapter les documents à leur finalité"},
	{"3.4", "Programmer"},
	{"4.1", "Sécuriser l'environnement numérique"},
	{"4.2", "Protéger les données personnelles et la vie privée"},
	{"4.3", "Protéger la santé, le bien-être et l'environnement"},
	{"5.1", "Résoudre des problèmes techniques"},
	{"5.2", "Évoluer dans un environnement numérique"},
}

// Doc is a generated resource in the flat form the PostgreSQL loader and
// the relevance tools use.
type Doc struct {
	IRI         string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Text        string   `json:"text"`
	Publisher   string   `json:"publisher"`
	PublisherID string   `json:"publisherId"`
	Themes      []string `json:"thematiques"`
	Types       []string `json:"types"`
	Audience    []string `json:"beneficiaires"`
	Sectors     []string `json:"secteurs"`
	Department  string   `json:"departement,omitempty"`
	Licence     string   `json:"licence,omitempty"`
	Nature      string   `json:"nature"`
	Competency  string   `json:"competence"`
	Level       int      `json:"niveau"`
	Language    string   `json:"langue"`
	Date        string   `json:"date"`
	Draft       bool     `json:"draft,omitempty"`
}

// Generator makes resources from a seed.
type Generator struct {
	base       string
	rng        *rand.Rand
	enums      *Enums
	publishers []string
}

// NewGenerator returns a generator for IRIs under base, seeded with seed.
func NewGenerator(base string, seed uint64) (*Generator, error) {
	e, err := LoadEnums()
	if err != nil {
		return nil, err
	}
	g := &Generator{base: base, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), enums: e}
	for i := 0; i < publisherCount; i++ {
		g.publishers = append(g.publishers, g.publisherName(i))
	}
	return g, nil
}

const publisherCount = 240

func (g *Generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *Generator) publisherName(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 42))
	kind := orgKinds[r.IntN(len(orgKinds))]
	place := places[r.IntN(len(places))]
	return fmt.Sprintf("%s %s", kind, place)
}

// Doc returns the i-th resource of the corpus (resources must be asked for
// in order 0, 1, 2… for the corpus to depend on the seed only).
func (g *Generator) Doc(i int) Doc {
	e := g.enums
	theme := e.Themes.Values[g.rng.IntN(len(e.Themes.Values))]
	d := Doc{IRI: fmt.Sprintf("%sresources/gen-%06d", g.base, i)}
	d.Themes = []string{theme.Key}
	for n := g.rng.IntN(3); n > 0; n-- {
		d.Themes = appendUniq(d.Themes, e.Themes.Values[g.rng.IntN(len(e.Themes.Values))].Key)
	}
	d.Types = []string{e.Types.Values[g.rng.IntN(len(e.Types.Values))].Key}
	for n := g.rng.IntN(4); n > 0; n-- {
		d.Audience = appendUniq(d.Audience, e.Beneficiaries.Values[g.rng.IntN(len(e.Beneficiaries.Values))].Key)
	}
	for n := 1 + g.rng.IntN(2); n > 0; n-- {
		d.Sectors = appendUniq(d.Sectors, e.Sectors.Values[g.rng.IntN(len(e.Sectors.Values))].Key)
	}
	if g.rng.IntN(3) > 0 {
		d.Department = e.Departments.Values[g.rng.IntN(len(e.Departments.Values))].Code
	}
	d.Licence = e.Licences.Values[g.rng.IntN(len(e.Licences.Values))].Key
	d.Nature = []string{"grain", "grain", "grain", "formation", "outil", "parcours"}[g.rng.IntN(6)]
	comp := CRCN[g.rng.IntN(len(CRCN))]
	d.Competency = comp.Notation
	d.Level = 1 + g.rng.IntN(8)
	d.Language = "fr"
	if g.rng.IntN(20) == 0 {
		d.Language = "en"
	}
	p := g.rng.IntN(publisherCount)
	d.Publisher, d.PublisherID = g.publishers[p], fmt.Sprintf("%spartners/gen-%03d", g.base, p)
	d.Date = fmt.Sprintf("%04d-%02d-%02d", 2019+g.rng.IntN(7), 1+g.rng.IntN(12), 1+g.rng.IntN(28))
	d.Draft = g.rng.IntN(20) == 0
	topic := topics[g.rng.IntN(len(topics))]
	d.Title = g.title(topic, theme.Label)
	d.Description = g.description(topic, d)
	d.Text = g.contents(topic)
	return d
}

func (g *Generator) title(t topic, theme string) string {
	switch g.rng.IntN(4) {
	case 0:
		return fmt.Sprintf("%s : %s", g.pick(formats), t.action)
	case 1:
		return fmt.Sprintf("%s %s", capitalize(t.action), g.pick(audiences))
	case 2:
		return fmt.Sprintf("%s – %s", theme, t.action)
	}
	return fmt.Sprintf("%s pour %s", capitalize(t.subject), t.action)
}

func (g *Generator) description(t topic, d Doc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s. ", capitalize(g.pick(openers)), t.action, g.pick(audiences))
	fmt.Fprintf(&b, "%s %s. ", capitalize(g.pick(middles)), t.subject)
	fmt.Fprintf(&b, "%s", capitalize(g.pick(closers)))
	return b.String()
}

func (g *Generator) contents(t topic) string {
	var b strings.Builder
	for s := 0; s < 3+g.rng.IntN(3); s++ {
		fmt.Fprintf(&b, "## %s\n", capitalize(g.pick(sections)))
		for n := 0; n < 2+g.rng.IntN(3); n++ {
			fmt.Fprintf(&b, "%s %s %s. ", capitalize(g.pick(steps)), g.pick(t.words), g.pick(details))
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// Entity converts a generated resource to the entity the catalog would hand
// the search view.
func (g *Generator) Entity(d Doc) *domain.Entity {
	e := &domain.Entity{IRI: d.IRI, Types: []string{ontology.LearningResource}}
	switch d.Nature {
	case "grain":
		e.Types = append(e.Types, ontology.Grain)
	case "formation":
		e.Types = append(e.Types, ontology.Training, ontology.Course)
	case "outil":
		e.Types = append(e.Types, ontology.Tool)
	case "parcours":
		e.Types = append(e.Types, ontology.LearningPath)
	}
	s := domain.NewIRI(d.IRI)
	add := func(p string, o domain.Term) {
		e.Triples = append(e.Triples, domain.Triple{S: s, P: domain.NewIRI(p), O: o})
	}
	for _, t := range e.Types {
		add(ontology.Type, domain.NewIRI(t))
	}
	add(ontology.Name, domain.NewLangString(d.Title, d.Language))
	add(ontology.Description, domain.NewLangString(d.Description, d.Language))
	if d.Text != "" {
		add(ontology.Text, domain.NewLangString(d.Text, d.Language))
	}
	for _, v := range d.Themes {
		add(ontology.About, domain.NewIRI(g.base+"vocab/thematiques/"+v))
	}
	for _, v := range d.Types {
		add(ontology.LearningResourceType, domain.NewIRI(g.base+"vocab/types/"+v))
	}
	for _, v := range d.Audience {
		add(ontology.Audience, domain.NewIRI(g.base+"vocab/beneficiaires/"+v))
	}
	for _, v := range d.Sectors {
		add(ontology.ProfessionalSector, domain.NewIRI(g.base+"vocab/secteurs/"+v))
	}
	if d.Department != "" {
		add(ontology.SpatialCoverage, domain.NewIRI(g.base+"vocab/departements/"+d.Department))
	}
	if iri := licenceIRIs[d.Licence]; iri != "" {
		add(ontology.LicenseProp, domain.NewIRI(iri))
	}
	add(ontology.Publisher, domain.NewIRI(d.PublisherID))
	add(ontology.InLanguage, domain.NewString(d.Language))
	add(ontology.DatePublished, domain.NewTyped(d.Date, ontology.XSDDate))
	al := domain.NewBlank("al")
	add(ontology.EducationalAlignment, al)
	e.Triples = append(e.Triples,
		domain.Triple{S: al, P: domain.NewIRI(ontology.AlignmentType), O: domain.NewString("teaches")},
		domain.Triple{S: al, P: domain.NewIRI(ontology.TargetURL), O: domain.NewIRI(g.base + "competencies/crcn-" + d.Competency)},
		domain.Triple{S: al, P: domain.NewIRI(ontology.EducationalLevel), O: domain.NewTyped(fmt.Sprint(d.Level), ontology.XSDInteger)})
	return e
}

// PublisherIRI returns the IRI of the n-th generated publisher and its name.
func (g *Generator) PublisherIRI(n int) (string, string) {
	return fmt.Sprintf("%spartners/gen-%03d", g.base, n), g.publishers[n]
}

func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func appendUniq(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}
