package web

import (
	"context"
	"errors"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/search"
	"github.com/trame-commun/trame/ontology"
)

// Searcher is the search service the /search API uses (internal/search's
// Index): the page parses the same parameters with search.ParseParams and
// runs the same search.
type Searcher interface {
	Search(ctx context.Context, req search.Request) (*search.Result, error)
	search.Vocabulary
}

// Page sizes and pagination of the search page.
const (
	facetVisible = 8 // facet values shown before "more values"
	pagerSpan    = 2 // page links shown on each side of the current page
	maxParseRuns = 4 // parse attempts while dropping malformed parameters
)

// searchParams are the parameters the page keeps when it builds links (the
// text, filters, sort and page size), in a stable order.
var keptParams = append([]string{"q", "tri", "parPage"}, search.FacetNames()...)

// ignoredParam is a parameter (or one value of it) the page dropped.
type ignoredParam struct {
	Param, Value, Reason string
}

// searchView is the view model of the search page.
type searchView struct {
	Query     string
	Total     int
	Page      int
	PerPage   int
	Hits      []hitView
	Facets    []facetView
	Active    []Link // active filters, each linking to the search without it
	ClearAll  string
	Sorts     []option
	Sort      string
	Ignored   []ignoredParam
	Pages     []pageLink
	Prev      string
	Next      string
	Drop      []Link // on no result: the same search without one filter, with its count
	Hidden    []hiddenInput
	Available bool
}

type hitView struct {
	Link      Link
	Kinds     []string
	Publisher string
	Snippet   template.HTML
	Meta      string
}

type facetView struct {
	Name    string
	Label   string
	Open    bool
	Values  []facetValueView
	More    []facetValueView
	Checked int
}

type facetValueView struct {
	ID, Name, Value, Label string
	Count                  int
	Checked                bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type pageLink struct {
	Href    string
	Number  int
	Current bool
	Gap     bool
}

type hiddenInput struct{ Name, Value string }

// search answers /recherche: the same parameters as GET /search (a Les
// Bases search URL's query string works), malformed ones dropped and named.
func (s *Site) search(w http.ResponseWriter, r *http.Request, lang string) error {
	pg := s.newPage(lang, "search", s.msgs.T(lang, "search.title"), pagePath(otherLang(lang), "search")+queryPart(r.URL.RawQuery))
	pg.NoHeaderSearch = true
	v := searchView{Available: s.cfg.Search != nil}
	if len(r.URL.RawQuery) > MaxQueryBytes {
		return domain.Errorf("web.search", domain.KindInvalid, "%s", s.msgs.T(lang, "search.toolong", MaxQueryBytes))
	}
	values := r.URL.Query()
	if !v.Available {
		pg.Main = v
		return s.render(w, r, http.StatusServiceUnavailable, "search", pg)
	}
	req, ignored := s.parseSearch(values)
	req.Lang = lang
	v.Ignored = s.describeIgnored(lang, ignored)
	res, err := s.cfg.Search.Search(r.Context(), req)
	if err != nil && domain.KindOf(err) == domain.KindInvalid {
		// the text itself is refused (too many words): search without it
		v.Ignored = append(v.Ignored, ignoredParam{Param: "q", Value: req.Text, Reason: reason(err)})
		req.Text = ""
		res, err = s.cfg.Search.Search(r.Context(), req)
	}
	if err != nil {
		return err
	}
	kept := keep(values, ignored)
	s.fillSearch(&v, lang, req, res, kept)
	if res.Total == 0 {
		v.Drop = s.dropSuggestions(r.Context(), lang, req, kept)
	}
	pg.Query = req.Text
	if req.Text != "" {
		pg.Title = s.msgs.T(lang, "search.title.q", req.Text)
	}
	pg.Main = v
	return s.render(w, r, http.StatusOK, "search", pg)
}

func queryPart(raw string) string {
	if raw == "" || len(raw) > MaxQueryBytes {
		return ""
	}
	return "?" + raw
}

// parseSearch parses values as the API does; a parameter the parser refuses
// is dropped (for a filter, only its refused values) and reported, and the
// rest is parsed again.
func (s *Site) parseSearch(values url.Values) (search.Request, map[string][]string) {
	vals := url.Values{}
	for k, vs := range values {
		vals[k] = append([]string(nil), vs...)
	}
	ignored := map[string][]string{}
	for run := 0; run < maxParseRuns; run++ {
		req, err := search.ParseParams(vals, s.cfg.Search)
		if err == nil {
			return req, ignored
		}
		var de *domain.Error
		if !errors.As(err, &de) || len(de.Fields) == 0 {
			break
		}
		for _, f := range de.Fields {
			s.dropParam(vals, f.Path, ignored)
		}
	}
	// the parser still refuses: keep only the text, if it is acceptable
	rest := url.Values{}
	if q := vals.Get("q"); q != "" {
		rest.Set("q", q)
	}
	req, err := search.ParseParams(rest, s.cfg.Search)
	if err != nil {
		req, _ = search.ParseParams(url.Values{}, s.cfg.Search)
	}
	for k, vs := range vals {
		if k != "q" {
			ignored[k] = append(ignored[k], vs...)
		}
	}
	return req, ignored
}

// dropParam removes what the parser refused in param: the unknown values of
// a filter, or the whole parameter otherwise.
func (s *Site) dropParam(vals url.Values, param string, ignored map[string][]string) {
	isFacet := false
	for _, f := range search.FacetNames() {
		if f == param {
			isFacet = true
		}
	}
	if !isFacet {
		if param == "filters" { // too many values overall: drop every filter
			for _, f := range search.FacetNames() {
				ignored[f] = append(ignored[f], vals[f]...)
				delete(vals, f)
			}
			return
		}
		if param == "r" || param == "q" {
			ignored[param] = append(ignored[param], vals[param]...)
			delete(vals, "q")
			delete(vals, "r")
			return
		}
		ignored[param] = append(ignored[param], vals[param]...)
		delete(vals, param)
		return
	}
	var keepVals []string
	for _, raw := range vals[param] {
		parts := []string{raw}
		if !strings.Contains(raw, "://") {
			parts = strings.Split(raw, ",")
		}
		for _, p := range parts {
			p = strings.TrimSpace(p)
			key := p
			if param == search.FacetLangue {
				key = strings.ToLower(p)
			}
			if p == "" {
				continue
			}
			if s.cfg.Search.Known(param, key) {
				keepVals = append(keepVals, p)
			} else {
				ignored[param] = append(ignored[param], p)
			}
		}
	}
	if len(keepVals) == 0 {
		delete(vals, param)
	} else {
		vals[param] = keepVals
	}
}

func (s *Site) describeIgnored(lang string, ignored map[string][]string) []ignoredParam {
	var out []ignoredParam
	for p, vs := range ignored {
		label := s.msgs.T(lang, "facet."+p)
		if label == "facet."+p {
			label = p
		}
		reasonKey := "search.ignored.value"
		if !isFacetName(p) {
			reasonKey = "search.ignored.param"
		}
		if len(vs) == 0 {
			vs = []string{""}
		}
		for _, v := range vs {
			out = append(out, ignoredParam{Param: label, Value: v, Reason: s.msgs.T(lang, reasonKey)})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Param != out[j].Param {
			return out[i].Param < out[j].Param
		}
		return out[i].Value < out[j].Value
	})
	return out
}

func isFacetName(p string) bool {
	for _, f := range search.FacetNames() {
		if f == p {
			return true
		}
	}
	return false
}

func reason(err error) string {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return err.Error()
}

// keep returns the parameters the page's links carry: the kept ones, minus
// what was ignored, with page and apres removed.
func keep(values url.Values, ignored map[string][]string) url.Values {
	out := url.Values{}
	for _, k := range keptParams {
		for _, v := range values[k] {
			if !contains(ignored[k], v) {
				out[k] = append(out[k], v)
			}
		}
	}
	if r := values.Get("r"); r != "" && out.Get("q") == "" && len(ignored["r"]) == 0 {
		out.Set("q", r)
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Site) fillSearch(v *searchView, lang string, req search.Request, res *search.Result, kept url.Values) {
	base := pagePath(lang, "search")
	v.Query, v.Total, v.Page, v.PerPage, v.Sort = req.Text, res.Total, res.Page, res.PerPage, req.Sort
	ix := s.cfg.Directory.Index()
	for _, h := range res.Results {
		hv := hitView{Link: Link{Href: s.href(lang, h.ID), Text: h.Name}, Snippet: snippet(h)}
		if it := ix.Get(h.ID); it != nil {
			hv.Link.Text, hv.Link.Lang = it.Label(lang), dataLang(lang, it)
			hv.Kinds = s.kinds(lang, it)
			if p := ix.Get(it.Link(ontology.Publisher)); p != nil {
				hv.Publisher = p.Label(lang)
			}
		}
		v.Hits = append(v.Hits, hv)
	}
	for _, g := range res.Facets {
		fv := facetView{Name: g.Name, Label: s.msgs.T(lang, "facet."+g.Name)}
		for i, val := range g.Values {
			if val.Count == 0 && !val.Selected {
				continue
			}
			x := facetValueView{ID: "f-" + g.Name + "-" + strconv.Itoa(i), Name: g.Name, Value: val.Value,
				Label: val.Label, Count: val.Count, Checked: val.Selected}
			if x.Label == "" {
				x.Label = val.Value
			}
			if x.Checked {
				fv.Checked++
				v.Active = append(v.Active, Link{Href: base + encode(without(kept, g.Name, val.Value)),
					Text: fv.Label + " : " + x.Label})
			}
			if len(fv.Values) < facetVisible || x.Checked {
				fv.Values = append(fv.Values, x)
			} else {
				fv.More = append(fv.More, x)
			}
		}
		fv.Open = fv.Checked > 0
		if len(fv.Values) > 0 {
			v.Facets = append(v.Facets, fv)
		}
	}
	if len(v.Active) > 1 {
		clear := url.Values{}
		if req.Text != "" {
			clear.Set("q", req.Text)
		}
		v.ClearAll = base + encode(clear)
	}
	for _, so := range []string{search.SortRelevance, search.SortRecent, search.SortOldest, search.SortAZ, search.SortZA} {
		v.Sorts = append(v.Sorts, option{Value: so, Label: s.msgs.T(lang, "sort."+so), Selected: so == req.Sort})
	}
	if pp := kept.Get("parPage"); pp != "" {
		v.Hidden = append(v.Hidden, hiddenInput{"parPage", pp})
	}
	s.paginate(v, base, kept)
}

func (s *Site) kinds(lang string, it *Item) []string {
	var out []string
	for _, k := range []struct{ class, key string }{{ontology.LearningPath, "kind.path"}, {ontology.Grain, "kind.grain"},
		{ontology.Training, "kind.training"}, {ontology.Tool, "kind.tool"}} {
		if it.HasType(k.class) {
			out = append(out, s.msgs.T(lang, k.key))
		}
	}
	return out
}

// snippet returns the highlighted fragment of a hit, or its description:
// the text is escaped again and only <mark> survives.
func snippet(h search.Hit) template.HTML {
	for _, f := range []string{"description", "text", "name", "keywords"} {
		if frags := h.Highlights[f]; len(frags) > 0 && f != "name" {
			return onlyMarks(strings.Join(frags, " … "))
		}
	}
	for _, frags := range h.Highlights {
		if len(frags) > 0 {
			return onlyMarks(strings.Join(frags, " … "))
		}
	}
	return template.HTML(html.EscapeString(h.Description))
}

// onlyMarks escapes s except for <mark> and </mark>, and drops the
// markdown markers (headings, bold) of fragments cut from contents.
func onlyMarks(s string) template.HTML {
	s = markdownMarks.Replace(s)
	s = strings.NewReplacer("<mark>", "\x00", "</mark>", "\x01").Replace(s)
	s = html.EscapeString(html.UnescapeString(s))
	return template.HTML(strings.NewReplacer("\x00", "<mark>", "\x01", "</mark>").Replace(s))
}

var markdownMarks = strings.NewReplacer("### ", "", "## ", "", "# ", "", "**", "")

// without returns vals without one value of param (splitting comma lists).
func without(vals url.Values, param, value string) url.Values {
	out := url.Values{}
	for k, vs := range vals {
		for _, v := range vs {
			if k != param {
				out[k] = append(out[k], v)
				continue
			}
			parts := []string{v}
			if !strings.Contains(v, "://") {
				parts = strings.Split(v, ",")
			}
			for _, p := range parts {
				if p = strings.TrimSpace(p); p != "" && p != value && !strings.EqualFold(p, value) {
					out[k] = append(out[k], p)
				}
			}
		}
	}
	return out
}

func encode(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func (s *Site) paginate(v *searchView, base string, kept url.Values) {
	per := max(v.PerPage, 1)
	last := (v.Total + per - 1) / per
	if maxPage := search.MaxWindow / per; last > maxPage {
		last = maxPage
	}
	if last <= 1 {
		return
	}
	link := func(n int) string {
		q := url.Values{}
		for k, vs := range kept {
			q[k] = vs
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		return base + encode(q)
	}
	if v.Page > 1 {
		v.Prev = link(v.Page - 1)
	}
	if v.Page < last {
		v.Next = link(v.Page + 1)
	}
	prevGap := false
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= v.Page-pagerSpan && n <= v.Page+pagerSpan) {
			v.Pages = append(v.Pages, pageLink{Href: link(n), Number: n, Current: n == v.Page})
			prevGap = false
		} else if !prevGap {
			v.Pages = append(v.Pages, pageLink{Gap: true})
			prevGap = true
		}
	}
}

// dropSuggestions proposes, when nothing matches, the same search without
// one of its filters (or without its words), with the number of results
// each would give.
func (s *Site) dropSuggestions(ctx context.Context, lang string, req search.Request, kept url.Values) []Link {
	var out []Link
	base := pagePath(lang, "search")
	for f, keys := range req.Filters {
		if len(keys) == 0 {
			continue
		}
		try := req
		try.Filters = map[string][]string{}
		for k, vs := range req.Filters {
			if k != f {
				try.Filters[k] = vs
			}
		}
		try.Page, try.After = 1, ""
		if res, err := s.cfg.Search.Search(ctx, try); err == nil && res.Total > 0 {
			q := url.Values{}
			for k, vs := range kept {
				if k != f {
					q[k] = vs
				}
			}
			out = append(out, Link{Href: base + encode(q), Text: s.msgs.T(lang, "search.drop.filter", s.msgs.T(lang, "facet."+f)),
				Note: s.msgs.N(lang, "search.results", res.Total)})
		}
	}
	if req.Text != "" && len(req.Filters) > 0 {
		try := req
		try.Text, try.Page, try.After = "", 1, ""
		if res, err := s.cfg.Search.Search(ctx, try); err == nil && res.Total > 0 {
			q := url.Values{}
			for k, vs := range kept {
				if k != "q" {
					q[k] = vs
				}
			}
			out = append(out, Link{Href: base + encode(q), Text: s.msgs.T(lang, "search.drop.text", req.Text),
				Note: s.msgs.N(lang, "search.results", res.Total)})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Text < out[j].Text })
	return out
}
