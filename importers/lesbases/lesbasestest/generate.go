package lesbasestest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
)

// Fault is how the markdown endpoint of an item misbehaves.
type Fault int

// Faults of the markdown endpoint.
const (
	NoFault           Fault = iota
	NotFoundWebp            // 404 "not-found" with Content-Type image/webp, although the list says visible
	TooManyOnce             // 429 with Retry-After: 1, then the markdown
	ServerErrorOnce         // 500, then the markdown
	ServerErrorAlways       // 500 on every attempt: the item fails
	HTMLInstead             // 200 with an HTML page: the item fails
)

// Entry is one base or resource of the fake catalogue.
type Entry struct {
	ID, Slug, Title string
	Created         time.Time
	Updated         time.Time
	Deleted         *time.Time
	IsPublic        bool
	Published       *time.Time // resources only
	Description     string
	Facets          Facets
	Contents        []Content
	Fault           Fault
	// Quirk names what the entry is in the fixture (for test messages).
	Quirk string
}

// Visible reports whether Les Bases would serve the entry's markdown.
func (e *Entry) Visible(base bool) bool {
	return e.Deleted == nil && e.IsPublic && (base || e.Published != nil)
}

// Catalogue is the content of the fake server.
type Catalogue struct {
	Bases     []*Entry
	Resources []*Entry
}

// Fixture sizes: at least 150 resources and 20 bases are visible.
const (
	VisibleResources = 160
	VisibleBases     = 20
)

var epoch = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

// Generate returns the fixture catalogue. It is deterministic: the same
// call always gives the same catalogue. Its quirks: drafts, private and
// deleted items (obfuscated in the lists), old (pre-2025) facet labels,
// empty facet lines, unknown and removed facet values, unicode of every
// kind, very long texts, a 404 markdown served as image/webp, 429 with
// Retry-After, 500 once and 500 always, and an HTML page instead of
// markdown.
func Generate() *Catalogue {
	rng := rand.New(rand.NewPCG(2026, 5))
	c := &Catalogue{}
	for i := 0; i < VisibleBases+3; i++ {
		c.Bases = append(c.Bases, makeBase(i))
	}
	for i := 0; i < VisibleResources+20; i++ {
		c.Resources = append(c.Resources, makeResource(rng, i))
	}
	applyQuirks(c)
	return c
}

func makeBase(i int) *Entry {
	name := baseNames[i%len(baseNames)]
	if i >= len(baseNames) {
		name += fmt.Sprintf(" (%d)", i/len(baseNames)+1)
	}
	e := &Entry{
		ID: fmt.Sprintf("b%03d-4e2a-9c1d-%012d", i, i), Slug: slug(name), Title: name,
		Created: epoch.Add(time.Duration(i) * 24 * time.Hour), IsPublic: true,
		Description: fmt.Sprintf("%s partage ses supports d'atelier, ses fiches pratiques et ses retours d'expérience de médiation numérique.", name),
	}
	e.Updated = e.Created.Add(90 * 24 * time.Hour)
	switch i {
	case VisibleBases:
		e.IsPublic, e.Quirk = false, "private base"
	case VisibleBases + 1:
		e.IsPublic, e.Quirk = false, "private base"
	case VisibleBases + 2:
		d := e.Updated.Add(time.Hour)
		e.Deleted, e.Quirk = &d, "deleted base"
	}
	return e
}

func makeResource(rng *rand.Rand, i int) *Entry {
	topic := topics[i%len(topics)]
	variant := variants[(i/len(topics))%len(variants)]
	title := topic.title + " — " + variant
	created := epoch.Add(time.Duration(i) * 7 * time.Hour)
	pub := created.Add(48 * time.Hour)
	e := &Entry{
		ID:   fmt.Sprintf("r%03d-7b3e-4f10-a2c4-%012d", i, i*7919%1000003),
		Slug: slug(title), Title: title, Created: created, Updated: pub.Add(time.Duration(i) * time.Minute),
		IsPublic: true, Published: &pub,
		Description: topic.description,
	}
	v := lesbases.DefaultVocab
	pick := func(f lesbases.Facet, n int) []string {
		keys := v.Keys(f)
		var out []string
		for j := 0; j < n; j++ {
			l := v.Label(f, keys[(i*(j+3)+j*5+rng.IntN(len(keys)))%len(keys)])
			if !contains(out, l) {
				out = append(out, l)
			}
		}
		return out
	}
	if i >= len(topics)*len(variants) { // titles repeat: slugs must not
		e.Slug += fmt.Sprintf("-%d", i)
	}
	e.Facets = Facets{Thematiques: append([]string{topic.theme}, pick(lesbases.Thematiques, i%3)...),
		Types: pick(lesbases.Types, 1+i%2), Beneficiaires: pick(lesbases.Beneficiaires, i%4), Secteurs: pick(lesbases.Secteurs, 1+i%2)}
	e.Facets.Thematiques = dedupe(e.Facets.Thematiques)
	e.Contents = contents(rng, topic, i)
	return e
}

func contents(rng *rand.Rand, t topic, i int) []Content {
	var out []Content
	out = append(out, Content{Kind: "section", Title: "Objectifs"}, Content{Kind: "text", Text: t.goal})
	out = append(out, Content{Kind: "section", Title: "Déroulé"}, Content{Kind: "text", Text: steps(rng, t)})
	if i%3 == 0 {
		out = append(out, Content{Kind: "link", Title: "Pour aller plus loin", Caption: "Une page de référence sur le sujet.",
			Description: "Site public d'information.", LinkTitle: "Consulter la page", URL: fmt.Sprintf("https://exemple.gouv.fr/fiches/%s-%d", slug(t.title), i)})
	}
	if i%4 == 1 {
		out = append(out, Content{Kind: "file", Title: "Fiche à imprimer", Caption: "Le support remis aux participants.", Name: slug(t.title) + ".pdf"})
	}
	if i%5 == 2 {
		out = append(out, Content{Kind: "image", Title: "Capture d'écran", Caption: "L'écran d'accueil du service.", Alt: "Page d'accueil avec le bouton Se connecter en haut à droite", Name: fmt.Sprintf("capture-%d.png", i)})
	}
	if i%7 == 3 { // a link whose caption and description are empty
		out = append(out, Content{Kind: "link", Title: "Lien utile", URL: "https://exemple.org/outil"})
	}
	return out
}

func steps(rng *rand.Rand, t topic) string {
	var b strings.Builder
	for j, s := range t.steps {
		fmt.Fprintf(&b, "%d. %s\n", j+1, s)
	}
	b.WriteString("\n")
	b.WriteString(tips[rng.IntN(len(tips))])
	return b.String()
}

// applyQuirks turns some entries into the cases the harvester must handle.
func applyQuirks(c *Catalogue) {
	r := c.Resources
	hidden := r[VisibleResources:]
	for j, e := range hidden {
		switch {
		case j < 8: // drafts: never published
			e.Published, e.IsPublic, e.Quirk = nil, j%2 == 0, "draft"
		case j < 14:
			e.IsPublic, e.Quirk = false, "private"
		default:
			d := e.Updated.Add(time.Hour)
			e.Deleted, e.Quirk = &d, "deleted"
		}
	}
	legacy := []Facets{
		{Thematiques: []string{"Usage du matériel informatique"}, Types: []string{"Tutoriel"}, Beneficiaires: []string{"Médiateurs numériques", "Particuliers"}, Secteurs: nil},
		{Thematiques: []string{"Démarches et services en ligne", "Arts & Culture"}, Types: []string{"Site web", "Vidéo"}, Beneficiaires: []string{"Jeunes enfants (-6 ans)", "Élus"}},
		{Thematiques: []string{"Communication en ligne et réseaux sociaux"}, Types: []string{"Modèle / notice"}, Beneficiaires: []string{"Travailleurs sociaux"}},
		{Thematiques: []string{"Inclusion numérique", "Navigation sur Internet"}, Types: []string{"Jeu", "Cartographie"}, Beneficiaires: []string{"Seniors & personnes âgées"}, Secteurs: []string{"Aidants et médiateurs numériques"}},
	}
	for j, f := range legacy {
		r[10+j].Facets, r[10+j].Quirk = f, "pre-2025 facet labels"
	}
	for j := 20; j < 26; j++ { // empty facet lines: the template prints "false"
		r[j].Facets.Beneficiaires = nil
		if j%2 == 0 {
			r[j].Facets.Secteurs = nil
		}
		r[j].Quirk = "empty facet lines"
	}
	r[26].Facets = Facets{}
	r[26].Quirk = "every facet line empty"
	r[27].Facets.Thematiques = append(r[27].Facets.Thematiques, "Astrologie numérique")
	r[27].Quirk = "unknown facet value"
	unicodeQuirks(r[30:36])
	long := strings.Repeat(longParagraph, 1700) // about 340 KB
	r[40].Contents = append(r[40].Contents, Content{Kind: "text", Text: long})
	r[40].Quirk = "very long text"
	r[41].Description = strings.Repeat("Très long résumé. ", 30)
	r[41].Contents = append(r[41].Contents, Content{Kind: "text", Text: strings.Repeat("Ligne de tableau | valeur | commentaire\n", 4000)})
	r[41].Quirk = "very long text"
	for j, f := range []Fault{NotFoundWebp, TooManyOnce, ServerErrorOnce, ServerErrorAlways, HTMLInstead} {
		r[50+j].Fault = f
		r[50+j].Quirk = []string{"404 image/webp", "429 then OK", "500 then OK", "500 always", "HTML instead of markdown"}[j]
	}
}

func unicodeQuirks(rs []*Entry) {
	texts := []struct{ title, text string }{
		{"Œuvres numériques et cœur de métier : l'œil du médiateur", "Les ligatures œ et æ, les guillemets « français » et l'espace insécable avant les deux-points : tout doit survivre."},
		{"Accueillir en arabe : مرحبا بكم في ورشة الرقمية", "Un atelier bilingue pour les personnes allophones ; le texte arabe s'écrit de droite à gauche."},
		{"Ateliers pour tous 🧭📱✨", "Des émojis dans le titre et le texte 👍🏽 (avec modificateur de teinte) et un drapeau 🇫🇷."},
		{"Naïveté, Noël et Ægir : les trémas ë ï ü", "Caractères combinés : e\u0301 (e + accent aigu combinant), et l'apostrophe typographique d’usage."},
		{"用中文介绍数字调解 — présentation en chinois", "Un support traduit en chinois simplifié pour un public de primo-arrivants : 数字包容。"},
		{"Tabulations\tet retours\u00a0à\u00a0la ligne", "Des espaces insécables\u00a0: ils\u00a0sont partout ; et un tiret long — au milieu."},
	}
	for j, e := range rs {
		e.Title, e.Slug = texts[j].title, fmt.Sprintf("unicode-%d-%s", j, slug(texts[j].title))
		e.Contents = append(e.Contents, Content{Kind: "text", Text: texts[j].text})
		e.Quirk = "unicode"
	}
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case strings.ContainsRune("àâä", r):
			b.WriteByte('a')
			dash = false
		case strings.ContainsRune("éèêë", r):
			b.WriteByte('e')
			dash = false
		case strings.ContainsRune("îï", r):
			b.WriteByte('i')
			dash = false
		case strings.ContainsRune("ôö", r):
			b.WriteByte('o')
			dash = false
		case strings.ContainsRune("ùûü", r):
			b.WriteByte('u')
			dash = false
		case r == 'ç':
			b.WriteByte('c')
			dash = false
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.Trim(b.String(), "-")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
