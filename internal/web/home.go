package web

import (
	"net/http"
	"net/url"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// homeView is the home page: what the Commun and Trame are, the search box,
// and the resources per thématique category.
type homeView struct {
	Resources, Paths, Frameworks, Partners int
	Categories                             []categoryCard
}

type categoryCard struct {
	Link   Link
	Count  int
	Themes []Link
}

// home answers / (for browsers) and /en/.
func (s *Site) home(w http.ResponseWriter, r *http.Request, lang string) error {
	ix := s.cfg.Directory.Index()
	v := homeView{}
	v.Resources, v.Paths = ix.Counts()
	for _, f := range ix.Collection(domain.Frameworks) {
		if f.HasType(ontology.CompetencyFramework) {
			v.Frameworks++
		}
	}
	for _, p := range ix.Collection(domain.Partners) {
		if p.HasType(ontology.Organization) {
			v.Partners++
		}
	}
	search := pagePath(lang, "search")
	for _, cat := range ix.Collection(domain.Vocabulary) {
		if !cat.HasType(ontology.IndexTerm) || cat.Link(ontology.TopConceptOf) == "" || len(ix.Narrower(cat.IRI)) == 0 {
			continue
		}
		card := categoryCard{Link: Link{Href: search + "?" + url.Values{"categories": {cat.Notation}}.Encode(), Text: cat.Label(lang)}}
		seen := map[*Item]bool{}
		for _, th := range ix.Narrower(cat.IRI) {
			items := ix.ByAbout(th.IRI)
			for _, it := range items {
				seen[it] = true
			}
			if len(items) > 0 {
				card.Themes = append(card.Themes, Link{Href: search + "?" + url.Values{"thematiques": {th.Notation}}.Encode(),
					Text: th.Label(lang), Note: formatInt(lang, len(items))})
			}
		}
		card.Count = len(seen)
		v.Categories = append(v.Categories, card)
	}
	pg := s.newPage(lang, "home", s.msgs.T(lang, "home.title"), "")
	pg.Desc = s.msgs.T(lang, "home.lead")
	pg.Main = v
	return s.render(w, r, http.StatusOK, "home", pg)
}

// about answers /a-propos: the Commun, Trame, the data and accessibility.
func (s *Site) about(w http.ResponseWriter, r *http.Request, lang string) error {
	pg := s.newPage(lang, "about", s.msgs.T(lang, "about.title"), "")
	pg.Main = struct{}{}
	return s.render(w, r, http.StatusOK, "about", pg)
}
