package web

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/rdfio"
	"github.com/trame-commun/trame/ontology"
)

// entityCtx is what every entity page starts from.
type entityCtx struct {
	lang string
	rec  domain.Record
	e    *domain.Entity
	ix   *Index
}

// Entity writes the page of the entity iri as principal p sees it, in the
// language of the request (English under /en/). Unknown and draft IRIs
// return a KindNotFound error (the caller renders the 404 page).
func (s *Site) Entity(w http.ResponseWriter, r *http.Request, p domain.Principal, iri string) error {
	lang := LangOf(r)
	rec, err := s.cat.Get(r.Context(), p, iri)
	if err != nil {
		return err
	}
	e, err := s.cat.Entity(rec)
	if err != nil {
		return err
	}
	c := &entityCtx{lang: lang, rec: rec, e: e, ix: s.cfg.Directory.Index()}
	w.Header().Add("Vary", "Accept")
	if rec.Draft {
		w.Header().Set("Cache-Control", "private, no-store")
	}
	switch {
	case rec.Collection == domain.Resources || rec.Collection == domain.Paths:
		return s.resourcePage(w, r, c)
	case e.HasType(ontology.CompetencyFramework) || (rec.Collection == domain.Frameworks && e.HasType(ontology.ConceptScheme)):
		return s.frameworkPage(w, r, c)
	case rec.Collection == domain.Competencies:
		return s.competencyPage(w, r, c)
	case rec.Collection == domain.Licences:
		return s.licencePage(w, r, c)
	case rec.Collection == domain.Partners && e.HasType(ontology.Organization):
		return s.partnerPage(w, r, c)
	case e.HasType(ontology.IndexTerm):
		return s.termPage(w, r, c)
	}
	return s.genericPage(w, r, c)
}

// englishEntity answers /en/<path>: the English page of the local entity
// at <path>.
func (s *Site) englishEntity(w http.ResponseWriter, r *http.Request) error {
	rest := strings.TrimPrefix(r.URL.EscapedPath(), "/en/")
	if rest == "" {
		return domain.Errorf("web", domain.KindNotFound, "no page %s", r.URL.Path)
	}
	return s.Entity(w, r, anonymous, s.cat.BaseIRI()+rest)
}

// byURI answers /en/resource?uri=<IRI>, the English page of an external IRI.
func (s *Site) byURI(w http.ResponseWriter, r *http.Request) error {
	iri := r.URL.Query().Get("uri")
	if u, err := url.Parse(iri); iri == "" || err != nil || !u.IsAbs() {
		return domain.Errorf("web", domain.KindInvalid, "%s", s.msgs.T(English, "error.uri"))
	}
	return s.Entity(w, r, anonymous, iri)
}

// link returns the link to iri with its label in lang (the IRI itself when
// the directory does not know it).
func (s *Site) link(c *entityCtx, iri string) Link {
	l := Link{Href: s.href(c.lang, iri), Text: iri}
	if it := c.ix.Get(iri); it != nil {
		l.Text, l.Lang = it.Label(c.lang), dataLang(c.lang, it)
		if it.Notation != "" && it.Collection == domain.Competencies && !strings.HasPrefix(l.Text, it.Notation) {
			l.Text = it.Notation + " " + l.Text
		}
	} else if !s.cat.IsLocal(iri) {
		l.Href = iri // an outside page (the source of a harvested resource, a legal text)
	}
	return l
}

func (s *Site) links(c *entityCtx, iris []string) []Link {
	out := make([]Link, 0, len(iris))
	for _, i := range iris {
		out = append(out, s.link(c, i))
	}
	return out
}

func (s *Site) itemLinks(lang string, items []*Item, limit int) []Link {
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	out := make([]Link, 0, len(items))
	for _, it := range items {
		out = append(out, Link{Href: s.href(lang, it.IRI), Text: it.Label(lang), Note: it.Notation, Lang: dataLang(lang, it)})
	}
	return out
}

// dataLang is the lang attribute of an item's label on a page in lang:
// "fr" on an English page when the item has no English label (the data is
// French first), "" when the label is in the page's language (WCAG 3.1.2).
func dataLang(lang string, it *Item) string {
	if lang == English && it.LabelEN == "" {
		return French
	}
	return ""
}

// textLang returns the literal of predicate best for lang and the lang
// attribute it needs on a page in lang ("" when it is the page's language;
// an untagged literal is taken as French).
func textLang(e *domain.Entity, predicate, lang string) (string, string) {
	v := text(e, predicate, lang)
	for _, t := range e.Values(predicate) {
		if t.IsLiteral() && t.Value == v {
			tag := t.Lang
			if tag == "" {
				tag = French
			}
			if tag == lang {
				return v, ""
			}
			return v, tag
		}
	}
	return v, ""
}

// iriValues returns the IRIs that are objects of predicate on the entity.
func iriValues(e *domain.Entity, predicate string) []string {
	var out []string
	for _, v := range e.Values(predicate) {
		if v.IsIRI() {
			out = append(out, v.Value)
		}
	}
	return out
}

// text returns the entity's literal of predicate in lang (French, then
// untagged, then any).
func text(e *domain.Entity, predicate, lang string) string { return e.Text(predicate, lang) }

// texts returns every literal of predicate (all languages), in order.
func texts(e *domain.Entity, predicate string) []string {
	var out []string
	for _, t := range e.Values(predicate) {
		if t.IsLiteral() && t.Value != "" {
			out = append(out, t.Value)
		}
	}
	return out
}

// alternates returns the links to the entity's other serialisations.
func (s *Site) alternates(iri string) []Link {
	target, sep := iri, "?"
	if !s.cat.IsLocal(iri) {
		target, sep = "/resource?uri="+url.QueryEscape(iri), "&"
	} else {
		target = "/" + strings.TrimPrefix(iri, s.cat.BaseIRI())
	}
	var out []Link
	for _, f := range []struct{ name, mt, text string }{
		{"jsonld", "application/ld+json", "JSON-LD"}, {"ttl", "text/turtle", "Turtle"},
		{"nt", "application/n-triples", "N-Triples"}, {"nq", "application/n-quads", "N-Quads"},
	} {
		out = append(out, Link{Href: target + sep + "format=" + f.name, Type: f.mt, Text: f.text})
	}
	return out
}

// schemaJSONLD compacts the record with the schema.org context, for the
// page's <script type="application/ld+json">; "<", ">" and "&" are escaped
// so the JSON can never close the script element.
func (s *Site) schemaJSONLD(rec domain.Record) template.JS {
	b, err := s.cat.Codec().Compact(rec.Doc, ontology.Schema)
	if err != nil {
		s.log.Warn("web: compacting JSON-LD failed", "iri", rec.IRI, "err", err)
		return ""
	}
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return ""
	}
	esc := strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`)
	return template.JS(esc.Replace(out.String()))
}

// entityPage fills the layout data shared by every entity page.
func (s *Site) entityPage(c *entityCtx, section, title string) *page {
	other := s.href(otherLang(c.lang), c.e.IRI)
	pg := s.newPage(c.lang, section, title, other)
	pg.Alternates = s.alternates(c.e.IRI)
	pg.JSONLD = s.schemaJSONLD(c.rec)
	pg.Desc = firstSentence(text(c.e, ontology.Description, c.lang))
	return pg
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 && i < 200 {
		return s[:i+1]
	}
	if len(s) > 200 {
		cut := strings.LastIndex(s[:200], " ")
		if cut < 100 {
			cut = 200
		}
		return strings.ToValidUTF8(s[:cut], "") + "…"
	}
	return s
}

// fact is one row of an entity's description list.
type fact struct {
	Label  string
	Text   []string
	Links  []Link
	Verbat bool // show values as code (IRIs, identifiers)
}

// genericView is the view model of an entity without a dedicated page.
type genericView struct {
	Title       string
	IRI         string
	Kind        string
	Description string
	Facts       []fact
	Draft       bool
	Alternates  []Link
}

// genericPage lists every property of the entity with labelled links.
func (s *Site) genericPage(w http.ResponseWriter, r *http.Request, c *entityCtx) error {
	v := genericView{Title: c.e.Label(c.lang), IRI: c.e.IRI, Draft: c.rec.Draft,
		Description: text(c.e, ontology.Description, c.lang), Kind: s.kindName(c.lang, c.rec.Collection)}
	byPred := map[string]*fact{}
	var order []string
	subject := domain.NewIRI(c.e.IRI)
	for _, t := range c.e.Triples {
		if t.S != subject || t.P.Value == ontology.Type || t.P.Value == ontology.Description {
			continue
		}
		f := byPred[t.P.Value]
		if f == nil {
			f = &fact{Label: s.propertyLabel(c.lang, t.P.Value)}
			byPred[t.P.Value] = f
			order = append(order, t.P.Value)
		}
		switch {
		case t.O.IsIRI():
			f.Links = append(f.Links, s.link(c, t.O.Value))
		case t.O.IsBlank():
			f.Text = append(f.Text, describeBlank(c.e, t.O))
		default:
			f.Text = append(f.Text, t.O.Value)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return byPred[order[i]].Label < byPred[order[j]].Label })
	for _, p := range order {
		v.Facts = append(v.Facts, *byPred[p])
	}
	pg := s.entityPage(c, "", v.Title)
	v.Alternates = pg.Alternates
	pg.Crumbs = []Link{{Href: pagePath(c.lang, "home"), Text: s.msgs.T(c.lang, "nav.home")}, {Text: v.Title}}
	pg.Main = v
	return s.render(w, r, http.StatusOK, "entity", pg)
}

func describeBlank(e *domain.Entity, node domain.Term) string {
	var parts []string
	for _, t := range e.Triples {
		if t.S == node {
			parts = append(parts, shortIRI(t.P.Value)+" = "+shortIRI(t.O.Value))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, " ; ")
}

func shortIRI(iri string) string {
	for _, p := range rdfio.Prefixes {
		if local, ok := strings.CutPrefix(iri, p.NS); ok {
			return p.Prefix + ":" + local
		}
	}
	return iri
}

// propertyLabel names a property in lang from the catalogue (prop.<local
// name>), or shows its prefixed name.
func (s *Site) propertyLabel(lang, iri string) string {
	short := shortIRI(iri)
	if i := strings.LastIndexAny(short, ":#/"); i >= 0 {
		if t := s.msgs.T(lang, "prop."+short[i+1:]); t != "prop."+short[i+1:] {
			return t
		}
	}
	return short
}

// kindName names a collection in lang.
func (s *Site) kindName(lang string, c domain.Collection) string {
	return s.msgs.T(lang, "kind."+string(c))
}
