package web

import (
	"net/http"
	"strconv"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// frameworksView is the framework browser's index: every competency
// framework with its size, and the crosswalks between them.
type frameworksView struct {
	Frameworks []frameworkCard
	Crosswalks []Link
}

type frameworkCard struct {
	Link        Link
	Description string
	Competences int
	Resources   int
	Version     string
}

// frameworks answers /referentiels: the frameworks and crosswalks.
func (s *Site) frameworks(w http.ResponseWriter, r *http.Request, lang string) error {
	ix := s.cfg.Directory.Index()
	var v frameworksView
	for _, f := range ix.Collection(domain.Frameworks) {
		if !f.HasType(ontology.CompetencyFramework) {
			continue
		}
		card := frameworkCard{Link: Link{Href: s.href(lang, f.IRI), Text: f.Label(lang)}}
		seen := map[*Item]bool{}
		for _, c := range ix.Concepts(f.IRI) {
			if c.HasType(ontology.Competency) {
				card.Competences++
			}
			for _, cell := range ix.Cells(c.IRI) {
				if !seen[cell.Resource] {
					seen[cell.Resource] = true
					card.Resources++
				}
			}
		}
		v.Frameworks = append(v.Frameworks, card)
	}
	for _, cw := range ix.Collection(domain.Crosswalks) {
		v.Crosswalks = append(v.Crosswalks, Link{Href: s.href(lang, cw.IRI), Text: cw.Label(lang), Note: s.msgs.N(lang, "crosswalk.count", len(cw.Mappings))})
	}
	pg := s.newPage(lang, "frameworks", s.msgs.T(lang, "frameworks.title"), "")
	pg.Desc = s.msgs.T(lang, "frameworks.intro")
	pg.Main = v
	return s.render(w, r, http.StatusOK, "frameworks", pg)
}

// gridView is a framework as a table: its areas, their competences, and
// the number of resources per competence and level.
type gridView struct {
	Title       string
	IRI         string
	Description string
	Facts       []fact
	Levels      []Link // column headings; empty when the framework has no level scale
	Areas       []gridArea
	Alternates  []Link
	Max         int
}

type gridArea struct {
	Link Link
	Rows []gridRow
}

type gridRow struct {
	Link      Link
	Cells     []gridCell
	Total     int
	Crosswalk []Link
}

type gridCell struct {
	Count int
	Href  string
	Heat  int // 0..5, from the count relative to the largest cell
	Label string
}

// frameworkPage is a framework's entity page: the browser's grid.
func (s *Site) frameworkPage(w http.ResponseWriter, r *http.Request, c *entityCtx) error {
	lang, ix := c.lang, c.ix
	v := gridView{Title: c.e.Label(lang), IRI: c.e.IRI, Description: text(c.e, ontology.Description, lang)}
	hasLevels := c.e.First(ontology.LevelScale) != ""
	if hasLevels {
		for _, l := range ix.Levels() {
			v.Levels = append(v.Levels, Link{Href: s.href(lang, l.IRI), Text: strconv.Itoa(l.Level), Note: l.Label(lang)})
		}
	}
	concepts := ix.Concepts(c.e.IRI)
	var loose []*Item // competences without an area
	for _, cpt := range concepts {
		if cpt.HasType(ontology.CompetencyArea) {
			area := gridArea{Link: s.link(c, cpt.IRI)}
			for _, n := range ix.Narrower(cpt.IRI) {
				area.Rows = append(area.Rows, s.gridRow(c, n, len(v.Levels)))
			}
			v.Areas = append(v.Areas, area)
		} else if cpt.Link(ontology.Broader) == "" || ix.Get(cpt.Link(ontology.Broader)) == nil {
			loose = append(loose, cpt)
		}
	}
	if len(loose) > 0 {
		area := gridArea{}
		for _, n := range loose {
			area.Rows = append(area.Rows, s.gridRow(c, n, len(v.Levels)))
		}
		v.Areas = append(v.Areas, area)
	}
	for _, a := range v.Areas {
		for _, row := range a.Rows {
			for _, cell := range row.Cells {
				v.Max = max(v.Max, cell.Count)
			}
		}
	}
	for ai := range v.Areas {
		for ri := range v.Areas[ai].Rows {
			for ci := range v.Areas[ai].Rows[ri].Cells {
				cell := &v.Areas[ai].Rows[ri].Cells[ci]
				cell.Heat = heat(cell.Count, v.Max)
			}
		}
	}
	if ver := c.e.First(ontology.Version); ver != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.version"), Text: []string{ver}})
	}
	if src := iriValues(c.e, ontology.DCTerms+"source"); len(src) > 0 {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.source"), Links: s.links(c, src)})
	}
	if cit := text(c.e, ontology.DCTerms+"bibliographicCitation", lang); cit != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.bibliographicCitation"), Text: []string{cit}})
	}
	pg := s.entityPage(c, "frameworks", v.Title)
	pg.Printable = true
	v.Alternates = pg.Alternates
	pg.Crumbs = []Link{{Href: pagePath(lang, "home"), Text: s.msgs.T(lang, "nav.home")},
		{Href: pagePath(lang, "frameworks"), Text: s.msgs.T(lang, "nav.frameworks")}, {Text: v.Title}}
	pg.Main = v
	return s.render(w, r, http.StatusOK, "framework", pg)
}

func (s *Site) gridRow(c *entityCtx, comp *Item, levels int) gridRow {
	row := gridRow{Link: s.link(c, comp.IRI)}
	counts := make([]int, levels+1)
	seen := map[*Item]bool{}
	for _, cell := range c.ix.Cells(comp.IRI) {
		if cell.Type == domain.Requires {
			continue
		}
		if !seen[cell.Resource] {
			seen[cell.Resource] = true
			row.Total++
		}
		if cell.Level >= 1 && cell.Level <= levels {
			counts[cell.Level]++
		}
	}
	for l := 1; l <= levels; l++ {
		row.Cells = append(row.Cells, gridCell{Count: counts[l], Href: s.href(c.lang, comp.IRI) + "#niveau-" + strconv.Itoa(l),
			Label: s.msgs.N(c.lang, "grid.cell", counts[l], row.Link.Text, l)})
	}
	seenMap := map[string]bool{}
	for _, m := range c.ix.Mappings(comp.IRI) {
		other := m.Target
		if other == comp.IRI {
			other = m.Source
		}
		if seenMap[other+" "+m.Relation] {
			continue
		}
		seenMap[other+" "+m.Relation] = true
		l := s.link(c, other)
		l.Note = s.msgs.T(c.lang, "match."+localName(m.Relation))
		row.Crosswalk = append(row.Crosswalk, l)
	}
	return row
}

// heat buckets a count into 0..5 relative to the largest count.
func heat(n, maxN int) int {
	if n <= 0 || maxN <= 0 {
		return 0
	}
	return min(5, 1+(n-1)*5/maxN)
}

func localName(iri string) string {
	for i := len(iri) - 1; i >= 0; i-- {
		if iri[i] == '#' || iri[i] == '/' || iri[i] == ':' {
			return iri[i+1:]
		}
	}
	return iri
}
