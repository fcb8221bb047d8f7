package web

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// MaxMarkdownBytes is the longest contents text rendered as markdown; the
// rest is cut (a resource's schema:text is a page or two, not a book).
const MaxMarkdownBytes = 64 << 10

var (
	orderedItem = regexp.MustCompile(`^\d{1,3}[.)]\s+`)
	strong      = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	mdLink      = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)\s]+)\)`)
)

// Markdown renders the small subset of markdown resource contents use —
// headings, bulleted and numbered lists, paragraphs, **bold** and
// [links](https://…) — as safe HTML: every character of the input is
// escaped before any markup is added. top is the level a "##" heading gets
// (contents start their sections at "##", under the page's own title; "#"
// gets top too, and headings never go past h6).
func Markdown(src string, top int) template.HTML {
	if len(src) > MaxMarkdownBytes {
		src = strings.ToValidUTF8(src[:MaxMarkdownBytes], "") + "…"
	}
	var b strings.Builder
	list := "" // "ul" or "ol" while a list is open
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + inline(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			b.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	openList := func(kind string) {
		flush()
		if list != kind {
			closeList()
			b.WriteString("<" + kind + ">\n")
			list = kind
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
			closeList()
		case strings.HasPrefix(t, "#"):
			flush()
			closeList()
			n := len(t) - len(strings.TrimLeft(t, "#"))
			lvl := min(max(top+n-2, top), 6)
			tag := "h" + string(rune('0'+lvl))
			b.WriteString("<" + tag + ">" + inline(strings.TrimSpace(t[n:])) + "</" + tag + ">\n")
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			openList("ul")
			b.WriteString("<li>" + inline(strings.TrimSpace(t[2:])) + "</li>\n")
		case orderedItem.MatchString(t):
			openList("ol")
			b.WriteString("<li>" + inline(orderedItem.ReplaceAllString(t, "")) + "</li>\n")
		default:
			if list != "" {
				closeList()
			}
			para = append(para, t)
		}
	}
	flush()
	closeList()
	return template.HTML(b.String()) // #nosec: built from escaped text only
}

// inline escapes s, then turns **x** into <strong> and [x](url) into links.
func inline(s string) string {
	s = html.EscapeString(s)
	s = strong.ReplaceAllString(s, "<strong>$1</strong>")
	return mdLink.ReplaceAllString(s, `<a href="$2">$1</a>`)
}
