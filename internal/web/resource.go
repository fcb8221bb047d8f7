package web

import (
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// resourceView is the view model of a resource or parcours page.
type resourceView struct {
	Title       string
	TitleLang   string // lang attribute of the data texts, when not the page's
	TextLang    string
	IRI         string
	Kinds       []string
	Draft       bool
	Description string
	Content     template.HTML
	Facts       []fact
	Alignments  []alignGroup
	Licence     *licenceSummary
	Publisher   []Link
	Provenance  []fact
	Steps       []stepView
	PartOf      []Link
	Related     []Link
	Alternates  []Link
	SourceURL   string
}

// alignGroup lists the competencies a resource teaches, assesses or
// requires.
type alignGroup struct {
	Type    string // teaches, assesses, requires
	Heading string
	Rows    []alignRow
}

type alignRow struct {
	Competency Link
	Framework  Link
	Level      Link
	LevelNum   int
}

// licenceSummary is a licence as a resource page shows it.
type licenceSummary struct {
	Link      Link
	Summary   string
	Permits   []string
	Requires  []string
	Prohibits []string
	Deed      string
}

// stepView is one step of a parcours.
type stepView struct {
	Link    Link
	Kind    string
	Summary string
	Teaches []string
}

func (s *Site) resourcePage(w http.ResponseWriter, r *http.Request, c *entityCtx) error {
	e, lang := c.e, c.lang
	v := resourceView{Title: e.Label(lang), IRI: e.IRI, Draft: c.rec.Draft}
	_, v.TitleLang = textLang(e, ontology.Name, lang)
	v.Description, v.TextLang = textLang(e, ontology.Description, lang)
	for _, k := range []struct{ class, key string }{{ontology.LearningPath, "kind.path"}, {ontology.Grain, "kind.grain"},
		{ontology.Training, "kind.training"}, {ontology.Tool, "kind.tool"}, {ontology.Course, "kind.course"}} {
		if e.HasType(k.class) {
			v.Kinds = append(v.Kinds, s.msgs.T(lang, k.key))
		}
	}
	if body := text(e, ontology.Text, lang); body != "" {
		v.Content = Markdown(body, 3)
	}
	v.Facts = s.resourceFacts(c)
	v.Alignments = s.alignments(c)
	v.Licence = s.licenceSummary(r, c, iriValues(e, ontology.LicenseProp))
	v.Publisher = s.links(c, iriValues(e, ontology.Publisher))
	v.Provenance = s.provenance(c)
	v.SourceURL = e.First(ontology.URL)
	if c.rec.Collection == domain.Paths {
		v.Steps = s.steps(r, c)
	}
	v.PartOf = s.itemLinks(lang, c.ix.PartOf(e.IRI), ListLimit)
	v.Related = s.related(c)
	pg := s.entityPage(c, "search", v.Title)
	pg.Printable = true
	v.Alternates = pg.Alternates
	pg.Crumbs = []Link{{Href: pagePath(lang, "home"), Text: s.msgs.T(lang, "nav.home")},
		{Href: pagePath(lang, "search"), Text: s.msgs.T(lang, "nav.search")}, {Text: v.Title}}
	pg.Main = v
	return s.render(w, r, http.StatusOK, "resource", pg)
}

func (s *Site) resourceFacts(c *entityCtx) []fact {
	e, lang := c.e, c.lang
	var out []fact
	add := func(key string, f fact) {
		if len(f.Text) > 0 || len(f.Links) > 0 {
			f.Label = s.msgs.T(lang, key)
			out = append(out, f)
		}
	}
	if d := e.First(ontology.TimeRequired); d != "" {
		add("prop.timeRequired", fact{Text: []string{s.duration(lang, d)}})
	}
	add("prop.learningResourceType", fact{Links: s.links(c, iriValues(e, ontology.LearningResourceType))})
	add("prop.about", fact{Links: s.links(c, iriValues(e, ontology.About))})
	add("prop.audience", fact{Links: s.links(c, iriValues(e, ontology.Audience))})
	add("prop.professionalSector", fact{Links: s.links(c, iriValues(e, ontology.ProfessionalSector))})
	add("prop.spatialCoverage", fact{Links: s.links(c, iriValues(e, ontology.SpatialCoverage))})
	var langs []string
	for _, l := range texts(e, ontology.InLanguage) {
		langs = append(langs, s.msgs.T(lang, "language."+strings.ToLower(l)))
	}
	add("prop.inLanguage", fact{Text: langs})
	switch e.First(ontology.IsAccessibleForFree) {
	case "true", "1":
		add("prop.isAccessibleForFree", fact{Text: []string{s.msgs.T(lang, "yes")}})
	case "false", "0":
		add("prop.isAccessibleForFree", fact{Text: []string{s.msgs.T(lang, "no")}})
	}
	for _, p := range []struct{ iri, key string }{{ontology.DatePublished, "prop.datePublished"},
		{ontology.DateModified, "prop.dateModified"}} {
		if d := e.First(p.iri); d != "" {
			add(p.key, fact{Text: []string{formatDate(lang, d)}})
		}
	}
	add("prop.keywords", fact{Text: texts(e, ontology.Keywords)})
	return out
}

// duration renders an ISO 8601 duration for people: "1 h 30 min".
func (s *Site) duration(lang, iso string) string {
	d, err := domain.ParseISODuration(iso)
	if err != nil {
		return iso
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h > 0 && m > 0:
		return s.msgs.T(lang, "duration.hm", h, m)
	case h > 0:
		return s.msgs.T(lang, "duration.h", h)
	}
	return s.msgs.T(lang, "duration.m", m)
}

var monthsFR = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre"}
var monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December"}

// formatDate renders YYYY-MM-DD as "15 mars 2021" / "15 March 2021".
func formatDate(lang, d string) string {
	if len(d) < 10 {
		return d
	}
	y, m, day := d[:4], d[5:7], d[8:10]
	mi, err := strconv.Atoi(m)
	di, err2 := strconv.Atoi(day)
	if err != nil || err2 != nil || mi < 1 || mi > 12 {
		return d
	}
	if lang == English {
		return strconv.Itoa(di) + " " + monthsEN[mi-1] + " " + y
	}
	if di == 1 {
		return "1er " + monthsFR[mi-1] + " " + y
	}
	return strconv.Itoa(di) + " " + monthsFR[mi-1] + " " + y
}

func (s *Site) alignments(c *entityCtx) []alignGroup {
	groups := map[domain.AlignmentType]*alignGroup{}
	for _, a := range c.e.Alignments(func(iri string) int {
		if it := c.ix.Get(iri); it != nil {
			return it.Level
		}
		return 0
	}) {
		g := groups[a.Type]
		if g == nil {
			g = &alignGroup{Type: string(a.Type), Heading: s.msgs.T(c.lang, "align."+string(a.Type))}
			groups[a.Type] = g
		}
		row := alignRow{Competency: s.link(c, a.Competency), LevelNum: a.Level}
		if it := c.ix.Get(a.Competency); it != nil {
			if sc := it.Link(ontology.InScheme); sc != "" {
				row.Framework = s.frameworkLink(c.lang, c.ix, sc)
			}
		}
		if a.Level > 0 {
			row.Level = Link{Href: s.href(c.lang, levelIRI(s, c.ix, a.Level, a.LevelIRI)), Text: s.levelName(c.lang, c.ix, a.Level)}
		}
		g.Rows = append(g.Rows, row)
	}
	var out []alignGroup
	for _, t := range []domain.AlignmentType{domain.Teaches, domain.Assesses, domain.Requires} {
		if g := groups[t]; g != nil {
			out = append(out, *g)
		}
	}
	return out
}

// frameworkLink links a scheme to its place in the framework browser.
func (s *Site) frameworkLink(lang string, ix *Index, scheme string) Link {
	l := Link{Href: s.href(lang, scheme), Text: scheme}
	if it := ix.Get(scheme); it != nil {
		l.Text = it.Label(lang)
	}
	return l
}

func levelIRI(s *Site, ix *Index, n int, given string) string {
	if given != "" {
		return given
	}
	for _, l := range ix.Levels() {
		if l.Level == n {
			return l.IRI
		}
	}
	return s.cat.BaseIRI() + "levels/" + strconv.Itoa(n)
}

// levelName is "Niveau 3" with its DigComp/CRCN band when known.
func (s *Site) levelName(lang string, ix *Index, n int) string {
	return s.msgs.T(lang, "level.n", n)
}

func (s *Site) licenceSummary(r *http.Request, c *entityCtx, iris []string) *licenceSummary {
	if len(iris) == 0 {
		return nil
	}
	ls := &licenceSummary{Link: s.link(c, iris[0])}
	rec, err := s.cat.Get(r.Context(), anonymous, iris[0])
	if err != nil {
		return ls
	}
	le, err := s.cat.Entity(rec)
	if err != nil {
		return ls
	}
	ls.Summary = text(le, ontology.Description, c.lang)
	ls.Deed = le.First(ontology.URL)
	ls.Permits, ls.Requires, ls.Prohibits = s.ccTerms(c.lang, le, ontology.Permits), s.ccTerms(c.lang, le, ontology.Requires), s.ccTerms(c.lang, le, ontology.Prohibits)
	return ls
}

// ccTerms names the cc: terms of a licence in lang ("Reproduction" →
// "copier").
func (s *Site) ccTerms(lang string, le *domain.Entity, predicate string) []string {
	var out []string
	for _, v := range iriValues(le, predicate) {
		local := strings.TrimPrefix(v, ontology.CC)
		out = append(out, s.msgs.T(lang, "cc."+local))
	}
	return out
}

func (s *Site) provenance(c *entityCtx) []fact {
	var out []fact
	e, lang := c.e, c.lang
	add := func(key string, links []Link, txt ...string) {
		if len(links) > 0 || len(txt) > 0 {
			out = append(out, fact{Label: s.msgs.T(lang, key), Links: links, Text: txt})
		}
	}
	var derived []Link
	for _, iri := range iriValues(e, ontology.WasDerivedFrom) {
		l := s.link(c, iri)
		if strings.Contains(iri, "lesbases") || strings.Contains(iri, "la-base") {
			l.Note = s.msgs.T(lang, "prov.lesbases")
		}
		derived = append(derived, l)
	}
	add("prov.derived", derived)
	add("prov.attributed", s.links(c, iriValues(e, ontology.WasAttributedTo)))
	if g := e.First(ontology.GeneratedAtTime); g != "" {
		add("prov.generated", nil, formatDate(lang, g))
	}
	add("prov.dataset", s.links(c, iriValues(e, ontology.InDataset)))
	add("prov.updated", nil, formatDate(lang, c.rec.Updated.UTC().Format("2006-01-02")))
	return out
}

func (s *Site) steps(r *http.Request, c *entityCtx) []stepView {
	var out []stepView
	for _, part := range c.e.ListValues(ontology.HasPart) {
		if !part.IsIRI() {
			continue
		}
		st := stepView{Link: s.link(c, part.Value)}
		if it := c.ix.Get(part.Value); it != nil {
			for _, a := range it.Alignments {
				if a.Type == domain.Teaches && a.Level > 0 {
					comp := s.link(c, a.Competency)
					st.Teaches = append(st.Teaches, s.msgs.T(c.lang, "step.teaches", comp.Text, a.Level))
				}
			}
		}
		if rec, err := s.cat.Get(r.Context(), anonymous, part.Value); err == nil {
			if pe, err := s.cat.Entity(rec); err == nil {
				st.Summary = firstSentence(text(pe, ontology.Description, c.lang))
				if d := pe.First(ontology.TimeRequired); d != "" {
					st.Kind = s.duration(c.lang, d)
				}
			}
		}
		out = append(out, st)
	}
	return out
}

// relatedScan bounds the alignments related() looks at per competency, so
// a resource page costs the same with 100 or 100,000 resources.
const relatedScan = 400

// related returns up to RelatedLimit resources close to this one: the other
// steps of its parcours first, then those teaching or assessing the same
// competencies at the same level (then at a neighbouring level), ties by
// label.
func (s *Site) related(c *entityCtx) []Link {
	score := map[*Item]int{}
	self := c.ix.Get(c.e.IRI)
	for _, p := range c.ix.PartOf(c.e.IRI) {
		for _, part := range p.Parts {
			if it := c.ix.Get(part); it != nil && part != c.e.IRI {
				score[it] += 4
			}
		}
	}
	for _, a := range c.e.Alignments(nil) {
		if a.Type == domain.Requires {
			continue
		}
		cells := c.ix.Cells(a.Competency)
		// cells are sorted by level: start at the first cell of level-1
		start := sort.Search(len(cells), func(i int) bool { return cells[i].Level >= a.Level-1 })
		for i, n := start, 0; i < len(cells) && n < relatedScan && cells[i].Level <= a.Level+1; i, n = i+1, n+1 {
			r := cells[i].Resource
			if r == self || r.IRI == c.e.IRI || cells[i].Type == domain.Requires {
				continue
			}
			if cells[i].Level == a.Level {
				score[r] += 2
			} else {
				score[r]++
			}
		}
	}
	items := make([]*Item, 0, len(score))
	for it := range score {
		items = append(items, it)
	}
	sort.Slice(items, func(i, j int) bool {
		if score[items[i]] != score[items[j]] {
			return score[items[i]] > score[items[j]]
		}
		return items[i].SortKey < items[j].SortKey
	})
	return s.itemLinks(c.lang, items, RelatedLimit)
}
