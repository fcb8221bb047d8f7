package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The browser tests drive Debian's chromium (headless) against the full
// stack, inject axe-core into every page type and require zero WCAG 2.1 A
// and AA violations, exercise search, filters, pagination, a resource, the
// path finder and the print view, and write a screenshot of each page type
// to $TRAME_SCREENSHOTS (default: ./screenshots, ignored by git).
//
// Tools: chromium (TRAME_CHROMIUM or /usr/bin/chromium) and axe-core
// (`npm ci` in internal/web/testdata). When one is missing the tests skip
// with the reason, unless CI=true, where they fail.

// axeTags are the rule sets of WCAG 2.1 levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

const browserTimeout = 3 * time.Minute

// need skips (or, under CI=true, fails) when a tool is missing.
func need(t *testing.T, ok bool, what string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing and CI=true: install it (see docs/web.md)", what)
	}
	t.Skipf("skipping browser test: %s is missing (see docs/web.md); under CI=true this fails", what)
}

func chromiumPath() string {
	if p := os.Getenv("TRAME_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is one headless chromium with a fresh profile.
type browser struct {
	t      *testing.T
	ctx    context.Context
	axe    string
	shots  string
	stack  *stack
	cancel func()
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath()
	_, statErr := os.Stat(exe)
	need(t, exe != "" && statErr == nil, "chromium (apt-get install chromium; or set TRAME_CHROMIUM)")
	axe, err := os.ReadFile(filepath.Join("testdata", "node_modules", "axe-core", "axe.min.js"))
	need(t, err == nil, "axe-core (npm ci in internal/web/testdata)")
	s := sharedStack(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, browserTimeout)
	b := &browser{t: t, ctx: ctx, axe: string(axe), stack: s, shots: screenshotDir(t)}
	b.cancel = func() { cancelTimeout(); cancelCtx(); cancelAlloc() }
	t.Cleanup(b.cancel)
	if _, err := chromedp.Call(ctx, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true}); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return b
}

func screenshotDir(t *testing.T) string {
	dir := os.Getenv("TRAME_SCREENSHOTS")
	if dir == "" {
		dir = "screenshots"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// run runs steps in order and fails the test on the first error.
func (b *browser) run(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// open loads path and waits for the page's main landmark.
func (b *browser) open(path string) {
	b.t.Helper()
	b.run(chromedp.Navigate(b.stack.srv.URL+path), chromedp.WaitReady(chromedp.CSS("main")))
}

// text returns the text of the first element matching a CSS selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("browser: text of %s: %v", sel, err)
	}
	return s
}

// location returns the current URL.
func (b *browser) location() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("browser: %v", err)
	}
	return s
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its JSON value into out.
func (b *browser) eval(expr string, out any) {
	b.t.Helper()
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("browser: evaluating %.80s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		b.t.Fatalf("browser: result of %.80s: %v (%.200s)", expr, err, raw)
	}
}

// media emulates a CSS media type ("print"; "" restores the screen).
func (b *browser) media(m string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
		b.t.Fatalf("browser: emulating %q: %v", m, err)
	}
}

type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []string `json:"target"`
			HTML   string   `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
	Passes []struct {
		ID string `json:"id"`
	} `json:"passes"`
}

// checkAxe injects axe-core into the current page and fails on any WCAG
// 2.1 A/AA violation, listing each with its elements.
func (b *browser) checkAxe(name string) {
	b.t.Helper()
	var loaded bool
	b.eval(b.axe+";typeof axe === 'object'", &loaded)
	if !loaded {
		b.t.Fatalf("%s: axe-core did not load", name)
	}
	tags, _ := json.Marshal(axeTags)
	var raw json.RawMessage
	b.eval(fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r => ({violations: r.violations, passes: r.passes.map(p => ({id: p.id}))}))`, tags), &raw)
	var res axeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		b.t.Fatalf("%s: axe result: %v", name, err)
	}
	if len(res.Passes) == 0 {
		b.t.Errorf("%s: axe ran no rule", name)
	}
	for _, v := range res.Violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, strings.Join(n.Target, " ")+"  "+n.HTML)
		}
		b.t.Errorf("%s: axe %s (%s): %s\n  %s", name, v.ID, v.Impact, v.Help, strings.Join(where, "\n  "))
	}
}

// shot writes a full-page screenshot of the current page.
func (b *browser) shot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("browser: screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// pageTypes are one URL of every page type, French and English.
var pageTypes = []struct{ name, path string }{
	{"home", "/"},
	{"home-en", "/en/"},
	{"search", "/recherche?q=tableur"},
	{"search-facets", "/recherche?thematiques=NavigationSurInternet&tri=a-z"},
	{"search-none", "/recherche?q=tableur&departements=2A"},
	{"search-ignored", "/recherche?thematiques=Inexistante&niveau=12&q=courriel"},
	{"search-en", "/en/search?q=courriel"},
	{"resource", "/resources/premiers-pas-moteur-de-recherche"},
	{"resource-en", "/en/resources/premiers-pas-moteur-de-recherche"},
	{"parcours", "/paths/de-la-recherche-au-tableur"},
	{"frameworks", "/referentiels"},
	{"framework-crcn", "/frameworks/crcn"},
	{"framework-remn", "/frameworks/remn"},
	{"competency", "/competencies/crcn-1.1"},
	{"coverage", "/couverture"},
	{"coverage-publisher", "/couverture?editeur=" + base + "partners/exemple-coop-numerique-nord&departement=inconnu"},
	{"pathfinder", "/parcours/trouver"},
	{"pathfinder-result", "/parcours/trouver?cible.http%3A%2F%2Flocalhost%3A8080%2Fcompetencies%2Fcrcn-1.1=4&cible.http%3A%2F%2Flocalhost%3A8080%2Fcompetencies%2Fcrcn-3.4=8"},
	{"partners", "/partenaires"},
	{"partner", "/partners/la-mednum"},
	{"commun", "/partners/commun-formation-inclusion-numerique"},
	{"licences", "/licences"},
	{"licence", "/resource?uri=https%3A%2F%2Fcreativecommons.org%2Flicenses%2Fby-sa%2F4.0%2F"},
	{"theme", "/vocab/thematiques/NavigationSurInternet"},
	{"level", "/levels/3"},
	{"agreement", "/agreements/enedis"},
	{"about", "/a-propos"},
	{"not-found", "/resources/atelier-qui-n-existe-pas"},
}

func TestEveryPageTypeHasNoWCAGViolation(t *testing.T) {
	b := newBrowser(t)
	for _, pt := range pageTypes {
		t.Run(pt.name, func(t *testing.T) {
			b.t = t
			b.open(pt.path)
			b.checkAxe(pt.name)
			b.shot(pt.name)
		})
	}
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

func TestSearchFilterPaginateAndOpenAResource(t *testing.T) {
	b := newBrowser(t)
	b.open("/")
	b.run(chromedp.SendKeys(css("#q-home"), "atelier"),
		chromedp.Submit(css("#q-home")),
		chromedp.WaitVisible(css("ol.results")))
	if total := b.text("#h-results"); !strings.Contains(total, "résultat") {
		t.Fatalf("results heading %q", total)
	}
	// filter: open the thématiques, tick the first one and apply
	b.run(chromedp.Click(css(`details[data-facet="thematiques"] summary`)),
		chromedp.Click(css(`details[data-facet="thematiques"] .check input`)),
		chromedp.Click(css(`form.facets button[type=submit]`)),
		chromedp.WaitVisible(css(`ul.active-filters`)))
	if loc := b.location(); !strings.Contains(loc, "thematiques=") || !strings.Contains(loc, "q=atelier") {
		t.Fatalf("after filtering: %s", loc)
	}
	b.shot("search-filtered")
	// remove the filter again
	b.run(chromedp.Click(css(`ul.active-filters a.tag`)), chromedp.WaitVisible(css("ol.results")))
	if loc := b.location(); strings.Contains(loc, "thematiques=") {
		t.Fatalf("removing the filter left %s", loc)
	}
	// paginate the whole catalogue
	b.open("/recherche")
	b.run(chromedp.Click(css(`a[rel=next]`)), chromedp.WaitVisible(css(".pagination a[aria-current=page]")))
	if loc := b.location(); !strings.Contains(loc, "page=2") {
		t.Fatalf("next page: %s", loc)
	}
	if cur := b.text(`.pagination a[aria-current=page]`); !strings.HasSuffix(strings.TrimSpace(cur), "2") {
		t.Fatalf("current page %q", cur)
	}
	// open the first result
	title := b.text(`ol.results li h3 a`)
	b.run(chromedp.Click(css(`ol.results li h3 a`)), chromedp.WaitVisible(css(`#h-title`)))
	if h1 := b.text(`#h-title`); h1 != title {
		t.Fatalf("opened %q, page title %q", title, h1)
	}
	var ld string
	b.eval(`JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)["@context"]`, &ld)
	if !strings.Contains(ld, "schema.org") {
		t.Fatalf("JSON-LD context %q", ld)
	}
}

func TestSearchWorksWithoutJavaScript(t *testing.T) {
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	b.open("/recherche?q=courriel")
	var before, after int
	b.eval(`document.querySelectorAll("ol.results > li").length`, &before)
	b.run(chromedp.Click(css(`details[data-facet="nature"] summary`)),
		chromedp.Click(css(`details[data-facet="nature"] .check input`)),
		chromedp.Click(css(`form.facets button[type=submit]`)),
		chromedp.WaitVisible(css(`ul.active-filters`)))
	b.eval(`document.querySelectorAll("ol.results > li").length`, &after)
	if before == 0 || after == 0 {
		t.Fatalf("results without JavaScript: %d then %d", before, after)
	}
	if !strings.Contains(b.location(), "nature=") {
		t.Fatalf("the filter form did not submit: %s", b.location())
	}
}

func TestKeyboardSkipLinkMovesFocusToContent(t *testing.T) {
	b := newBrowser(t)
	b.open("/recherche")
	b.run(chromedp.KeyEvent("\t"))
	var first, outline, after string
	b.eval(`document.activeElement.textContent`, &first)
	if !strings.Contains(first, "Aller au contenu") {
		t.Fatalf("first Tab focuses %q, want the skip link", first)
	}
	b.eval(`getComputedStyle(document.activeElement).outlineStyle`, &outline)
	if outline == "none" {
		t.Error("the focused skip link shows no outline")
	}
	b.run(chromedp.KeyEvent("\r"))
	b.eval(`document.activeElement.id`, &after)
	if after != "contenu" {
		t.Fatalf("Enter on the skip link focuses #%s, want #contenu", after)
	}
}

func TestPathFinderExplainsEveryStepAndTheImpossibleCells(t *testing.T) {
	b := newBrowser(t)
	b.open("/parcours/trouver")
	b.run(chromedp.SetValue(css(`select[name="cible.`+base+`competencies/crcn-1.1"]`), "3"),
		chromedp.SetValue(css(`select[name="cible.`+base+`competencies/crcn-3.4"]`), "8"),
		chromedp.Click(css(`form.pathfinder-form button[type=submit]`)),
		chromedp.WaitVisible(css(`#h-path`)))
	var steps, uncovered int
	b.eval(`document.querySelectorAll(".path-result ol.steps > li").length`, &steps)
	b.eval(`document.querySelectorAll("#uncovered li").length`, &uncovered)
	if steps == 0 {
		t.Fatal("the path has no step")
	}
	if uncovered == 0 {
		t.Fatal("level 8 of 3.4 is out of reach of the sample catalogue: the page must say so")
	}
	b.checkAxe("pathfinder-after-submit")
	b.shot("pathfinder-submitted")
	printCheck(t, b, "parcours-found-print")
}

// printCheck emulates print media: the navigation chrome disappears and the
// page prints on one A4 sheet.
func printCheck(t *testing.T, b *browser, name string) {
	t.Helper()
	b.media("print")
	defer b.media("")
	var hidden bool
	b.eval(`["header.site-header", "footer.site-footer", ".skiplinks", "form.no-print"].every(s => { const e = document.querySelector(s); return !e || getComputedStyle(e).display === "none" })`, &hidden)
	if !hidden {
		t.Errorf("%s: navigation chrome or forms are visible in print", name)
	}
	b.shot(name)
	res, err := chromedp.Call(b.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true), PaperWidth: 8.27, PaperHeight: 11.69})
	if err != nil {
		t.Fatalf("%s: printing: %v", name, err)
	}
	if n := pdfPages(res.Data); n != 1 {
		t.Errorf("%s: prints on %d A4 pages, want 1", name, n)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".pdf"), res.Data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdfPages counts the page objects of a PDF ("/Type /Page" not followed by
// "s").
func pdfPages(pdf []byte) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(pdf[i:], []byte("/Type /Page"))
		if j < 0 {
			return n
		}
		i += j + len("/Type /Page")
		if i >= len(pdf) || pdf[i] != 's' {
			n++
		}
	}
}

func TestPrintViewsFitOneA4SheetWithoutChrome(t *testing.T) {
	b := newBrowser(t)
	for _, p := range []struct{ name, path string }{
		{"resource-print", "/resources/premiers-pas-moteur-de-recherche"},
		{"parcours-print", "/paths/de-la-recherche-au-tableur"},
		{"coverage-print", "/couverture?editeur=" + base + "partners/exemple-coop-numerique-nord"},
	} {
		t.Run(p.name, func(t *testing.T) {
			b.t = t
			b.open(p.path)
			printCheck(t, b, p.name)
		})
	}
}

func TestSearchPageWeighsUnder100kB(t *testing.T) {
	b := newBrowser(t)
	b.open("/recherche")
	var sizes struct {
		Doc       float64 `json:"doc"`
		Resources float64 `json:"res"`
		Count     int     `json:"n"`
	}
	b.eval(`(() => { const n = performance.getEntriesByType("navigation")[0]; const r = performance.getEntriesByType("resource");
		return {doc: n.transferSize, res: r.reduce((a, e) => a + e.transferSize, 0), n: r.length}; })()`, &sizes)
	total := sizes.Doc + sizes.Resources
	t.Logf("search page: document %.0f B + %d assets %.0f B = %.0f B transferred", sizes.Doc, sizes.Count, sizes.Resources, total)
	if sizes.Doc == 0 || sizes.Count < 2 {
		t.Fatalf("the measure is empty: %+v", sizes)
	}
	if total >= 100_000 {
		t.Errorf("search page transfers %.0f bytes, the budget is 100 kB", total)
	}
}
