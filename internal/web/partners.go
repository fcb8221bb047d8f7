package web

import (
	"net/http"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// partnerRow is one line of the partners index.
type partnerRow struct {
	Link       Link
	Resources  int
	Agreements int
	Member     bool
}

// partnersView is the partners index.
type partnersView struct {
	Members  []partnerRow
	Others   []partnerRow
	Licences []licenceRow
}

// partners answers /partenaires: every organisation, the Commun's members
// first.
func (s *Site) partners(w http.ResponseWriter, r *http.Request, lang string) error {
	ix := s.cfg.Directory.Index()
	var v partnersView
	for _, it := range ix.Collection(domain.Partners) {
		if !it.HasType(ontology.Organization) {
			continue
		}
		row := partnerRow{Link: Link{Href: s.href(lang, it.IRI), Text: it.Label(lang)},
			Resources: len(ix.ByPublisher(it.IRI)), Agreements: len(ix.ByParty(it.IRI)), Member: len(ix.ByMember(it.IRI)) > 0}
		if row.Member {
			v.Members = append(v.Members, row)
		} else {
			v.Others = append(v.Others, row)
		}
	}
	pg := s.newPage(lang, "partners", s.msgs.T(lang, "partners.title"), "")
	pg.Desc = s.msgs.T(lang, "partners.intro")
	pg.Main = v
	return s.render(w, r, http.StatusOK, "partners", pg)
}

// licenceRow is one line of the licences index.
type licenceRow struct {
	Link      Link
	Resources int
	Summary   string
}

// licences answers /licences (for browsers; API clients get the JSON list).
func (s *Site) licences(w http.ResponseWriter, r *http.Request, lang string) error {
	ix := s.cfg.Directory.Index()
	var v partnersView
	for _, it := range ix.Collection(domain.Licences) {
		row := licenceRow{Link: Link{Href: s.href(lang, it.IRI), Text: it.Label(lang)}, Resources: len(ix.ByLicence(it.IRI))}
		if rec, err := s.cat.Get(r.Context(), anonymous, it.IRI); err == nil {
			if e, err := s.cat.Entity(rec); err == nil {
				row.Summary = text(e, ontology.Description, lang)
			}
		}
		v.Licences = append(v.Licences, row)
	}
	pg := s.newPage(lang, "licences", s.msgs.T(lang, "licences.title"), "")
	pg.Desc = s.msgs.T(lang, "licences.intro")
	pg.Main = v
	return s.render(w, r, http.StatusOK, "licences", pg)
}

// partnerView is an organisation's page.
type partnerView struct {
	Title       string
	IRI         string
	Description string
	Facts       []fact
	Memberships []membershipView
	Agreements  []agreementView
	Governed    []Link
	Members     []Link
	Resources   []Link
	Total       int
	Alternates  []Link
}

type membershipView struct {
	Of    Link
	Role  string
	Start string
	End   string
	Text  string
}

type agreementView struct {
	Link        Link
	Description string
	Parties     []Link
	Commitments []string
}

func (s *Site) partnerPage(w http.ResponseWriter, r *http.Request, c *entityCtx) error {
	lang, e, ix := c.lang, c.e, c.ix
	v := partnerView{Title: e.Label(lang), IRI: e.IRI, Description: text(e, ontology.Description, lang)}
	if loc := text(e, ontology.Schema+"addressLocality", lang); loc != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.addressLocality"), Text: []string{loc}})
	}
	if siret := e.First(ontology.Siret); siret != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.siret"), Text: []string{siret}})
	}
	if u := e.First(ontology.URL); u != "" {
		v.Facts = append(v.Facts, fact{Label: s.msgs.T(lang, "prop.url"), Links: []Link{{Href: u, Text: u}}})
	}
	for _, m := range ix.ByMember(e.IRI) {
		mv := membershipView{Of: s.link(c, m.Link(ontology.MemberOf))}
		if me := s.load(r, m.IRI); me != nil {
			mv.Role = me.First(ontology.NS + "role")
			mv.Start, mv.End = formatDate(lang, me.First(ontology.Schema+"startDate")), formatDate(lang, me.First(ontology.Schema+"endDate"))
			mv.Text = text(me, ontology.Description, lang)
		}
		v.Memberships = append(v.Memberships, mv)
	}
	for _, a := range ix.ByParty(e.IRI) {
		av := agreementView{Link: Link{Href: s.href(lang, a.IRI), Text: a.Label(lang)}}
		for _, p := range a.Links[ontology.Party] {
			if p != e.IRI {
				av.Parties = append(av.Parties, s.link(c, p))
			}
		}
		if ae := s.load(r, a.IRI); ae != nil {
			av.Description = text(ae, ontology.Description, lang)
		}
		for _, cm := range a.Links[ontology.CommitmentProp] {
			if ce := s.load(r, cm); ce != nil {
				av.Commitments = append(av.Commitments, text(ce, ontology.Description, lang))
			}
		}
		v.Agreements = append(v.Agreements, av)
	}
	for _, it := range ix.Collection(domain.Partners) {
		if it.Link(ontology.Governs) == e.IRI {
			v.Governed = append(v.Governed, Link{Href: s.href(lang, it.IRI), Text: it.Label(lang)})
		}
		if it.Link(ontology.MemberOf) == e.IRI && it.Link(ontology.Member) != "" {
			v.Members = append(v.Members, s.link(c, it.Link(ontology.Member)))
		}
	}
	items := ix.ByPublisher(e.IRI)
	v.Total = len(items)
	v.Resources = s.itemLinks(lang, items, ListLimit)
	pg := s.entityPage(c, "partners", v.Title)
	v.Alternates = pg.Alternates
	pg.Crumbs = []Link{{Href: pagePath(lang, "home"), Text: s.msgs.T(lang, "nav.home")},
		{Href: pagePath(lang, "partners"), Text: s.msgs.T(lang, "nav.partners")}, {Text: v.Title}}
	pg.Main = v
	return s.render(w, r, http.StatusOK, "partner", pg)
}

// load reads and decodes a published entity, or returns nil.
func (s *Site) load(r *http.Request, iri string) *domain.Entity {
	rec, err := s.cat.Get(r.Context(), anonymous, iri)
	if err != nil {
		return nil
	}
	e, err := s.cat.Entity(rec)
	if err != nil {
		return nil
	}
	return e
}
