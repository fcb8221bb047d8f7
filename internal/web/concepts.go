package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// competencyView is a competency's page: its place in the framework, its
// correspondences, and the resources per level.
type competencyView struct {
	Title      string
	IRI        string
	Notation   string
	Definition string
	Facts      []fact
	Narrower   []Link
	Crosswalk  []Link
	ByLevel    []levelGroup
	Required   []Link
	Alternates []Link
}

type levelGroup struct {
	Level     int
	Anchor    string
	Heading   string
	Resources []Link
}

func (s *Site) competencyPage(w http.ResponseWriter, r *http.Request, c *entityCtx) error {
	lang, ix, e := c.lang, c.ix, c.e
	v := competencyView{Title: e.Label(lang), IRI: e.IRI, Notation: e.First(ontology.Notation),
		Definition: text(e, ontology.Definition, lang)}
	add := func(key string, links []Link) {
		if len(links) > 0 {
			v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, key), Links: links})
		}
	}
	add("prop.inScheme", s.links(c, iriValues(e, ontology.InScheme)))
	add("prop.broader", s.links(c, iriValues(e, ontology.Broader)))
	add("prop.prerequisite", s.links(c, iriValues(e, ontology.Prerequisite)))
	if d := text(e, ontology.Description, lang); d != "" && v.Definition == "" {
		v.Definition = d
	}
	v.Narrower = s.itemLinks(lang, ix.Narrower(e.IRI), 0)
	seen := map[string]bool{}
	for _, m := range ix.Mappings(e.IRI) {
		other := m.Target
		if other == e.IRI {
			other = m.Source
		}
		if seen[other] {
			continue
		}
		seen[other] = true
		l := s.link(c, other)
		l.Note = s.msgs.T(lang, "match."+localName(m.Relation))
		if it := ix.Get(other); it != nil {
			if sc := ix.Get(it.Link(ontology.InScheme)); sc != nil {
				l.Note += " — " + sc.Label(lang)
			}
		}
		v.Crosswalk = append(v.Crosswalk, l)
	}
	groups := map[int]*levelGroup{}
	for _, cell := range ix.Cells(e.IRI) {
		if cell.Type == domain.Requires {
			v.Required = append(v.Required, Link{Href: s.href(lang, cell.Resource.IRI), Text: cell.Resource.Label(lang),
				Note: s.levelNote(lang, cell.Level)})
			continue
		}
		g := groups[cell.Level]
		if g == nil {
			g = &levelGroup{Level: cell.Level, Anchor: "niveau-" + strconv.Itoa(cell.Level)}
			if cell.Level > 0 {
				g.Heading = s.msgs.T(lang, "level.n", cell.Level)
			} else {
				g.Heading = s.msgs.T(lang, "align.nolevel")
			}
			groups[cell.Level] = g
		}
		if len(g.Resources) < ListLimit {
			g.Resources = append(g.Resources, Link{Href: s.href(lang, cell.Resource.IRI), Text: cell.Resource.Label(lang),
				Note: s.msgs.T(lang, "align.short."+string(cell.Type))})
		}
	}
	for l := 0; l <= 8; l++ {
		if g := groups[l]; g != nil {
			v.ByLevel = append(v.ByLevel, *g)
		}
	}
	if len(v.Required) > ListLimit {
		v.Required = v.Required[:ListLimit]
	}
	pg := s.entityPage(c, "frameworks", v.Title)
	v.Alternates = pg.Alternates
	pg.Crumbs = []Link{{Href: pagePath(lang, "home"), Text: s.msgs.T(lang, "nav.home")},
		{Href: pagePath(lang, "frameworks"), Text: s.msgs.T(lang, "nav.frameworks")}}
	if sc := ix.Get(c.e.First(ontology.InScheme)); sc != nil {
		pg.Crumbs = append(pg.Crumbs, Link{Href: s.href(lang, sc.IRI), Text: sc.Label(lang)})
	}
	pg.Crumbs = append(pg.Crumbs, Link{Text: v.Title})
	pg.Main = v
	return s.render(w, r, http.StatusOK, "competency", pg)
}

func (s *Site) levelNote(lang string, n int) string {
	if n <= 0 {
		return ""
	}
	return s.msgs.T(lang, "level.n", n)
}

// listView is a titled entity page with facts and a list of resources
// (licences, thématiques).
type listView struct {
	Title       string
	IRI         string
	Kind        string
	Description string
	Facts       []fact
	Permits     []string
	Requires    []string
	Prohibits   []string
	Resources   []Link
	Total       int
	More        string // where the full list is (a search), when it is cut
	Alternates  []Link
}

func (s *Site) licencePage(w http.ResponseWriter, r *http.Request, c *entityCtx) error {
	lang, e := c.lang, c.e
	v := listView{Title: e.Label(lang), IRI: e.IRI, Kind: s.kindName(lang, domain.Licences),
		Description: text(e, ontology.Description, lang)}
	v.Permits, v.Requires, v.Prohibits = s.ccTerms(lang, e, ontology.Permits), s.ccTerms(lang, e, ontology.Requires), s.ccTerms(lang, e, ontology.Prohibits)
	if id := e.First(ontology.Identifier); id != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.identifier"), Text: []string{id}})
	}
	if u := e.First(ontology.URL); u != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "licence.deed"), Links: []Link{{Href: u, Text: u}}})
	}
	var legal []Link
	for _, l := range iriValues(e, ontology.Legalcode) {
		legal = append(legal, Link{Href: l, Text: l})
	}
	if len(legal) > 0 {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "licence.legalcode"), Links: legal})
	}
	if cm := texts(e, ontology.Comment); len(cm) > 0 {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.comment"), Text: cm})
	}
	items := c.ix.ByLicence(e.IRI)
	v.Total = len(items)
	v.Resources = s.itemLinks(lang, items, ListLimit)
	pg := s.entityPage(c, "licences", v.Title)
	v.Alternates = pg.Alternates
	pg.Crumbs = []Link{{Href: pagePath(lang, "home"), Text: s.msgs.T(lang, "nav.home")},
		{Href: pagePath(lang, "licences"), Text: s.msgs.T(lang, "nav.licences")}, {Text: v.Title}}
	pg.Main = v
	return s.render(w, r, http.StatusOK, "list", pg)
}

// termPage shows a vocabulary term (thématique, public, type…) and the
// resources indexed with it.
func (s *Site) termPage(w http.ResponseWriter, r *http.Request, c *entityCtx) error {
	lang, e := c.lang, c.e
	v := listView{Title: e.Label(lang), IRI: e.IRI, Kind: s.kindName(lang, domain.Vocabulary),
		Description: text(e, ontology.Definition, lang)}
	if v.Description == "" {
		v.Description = text(e, ontology.Description, lang)
	}
	add := func(key string, links []Link) {
		if len(links) > 0 {
			v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, key), Links: links})
		}
	}
	add("prop.inScheme", s.links(c, iriValues(e, ontology.InScheme)))
	add("prop.broader", s.links(c, iriValues(e, ontology.Broader)))
	add("prop.narrower", s.itemLinks(lang, c.ix.Narrower(e.IRI), 0))
	if n := e.First(ontology.Notation); n != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.notation"), Text: []string{n}})
	}
	items := c.ix.ByAbout(e.IRI)
	for _, p := range []string{ontology.Audience, ontology.LearningResourceType, ontology.SpatialCoverage, ontology.ProfessionalSector} {
		if len(items) == 0 {
			items = resourcesLinking(c.ix, p, e.IRI)
		}
	}
	v.Total = len(items)
	v.Resources = s.itemLinks(lang, items, ListLimit)
	if v.Total > ListLimit {
		v.More = pagePath(lang, "search") + "?" + url.Values{"q": {e.Label(French)}}.Encode()
	}
	pg := s.entityPage(c, "search", v.Title)
	v.Alternates = pg.Alternates
	pg.Crumbs = []Link{{Href: pagePath(lang, "home"), Text: s.msgs.T(lang, "nav.home")}, {Text: v.Title}}
	pg.Main = v
	return s.render(w, r, http.StatusOK, "list", pg)
}

// resourcesLinking returns the resources whose predicate points at iri.
func resourcesLinking(ix *Index, predicate, iri string) []*Item {
	var out []*Item
	for _, coll := range []domain.Collection{domain.Resources, domain.Paths} {
		for _, it := range ix.Collection(coll) {
			for _, v := range it.Links[predicate] {
				if v == iri {
					out = append(out, it)
					break
				}
			}
		}
	}
	sortByLabel(out)
	return out
}
