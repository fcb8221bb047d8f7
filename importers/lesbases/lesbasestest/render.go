package lesbasestest

import (
	"fmt"
	"strings"
)

// Content is one content block of a fixture resource, rendered the way
// resourceToMarkdown.ts renders it.
type Content struct {
	Kind        string // "section", "text", "file", "image", "link"
	Title       string
	Text        string // text: markdown (turndown output)
	Caption     string
	Description string // link description
	Alt         string // image alt text
	Name        string // file or upload name
	LinkTitle   string // link text; the URL when empty
	URL         string
}

// Facets are the printed values of a resource's four facet lines: French
// labels as the template prints them (or old labels, for the quirks).
type Facets struct {
	Thematiques, Types, Beneficiaires, Secteurs []string
}

// RenderResource renders a resource's markdown like Les Bases: title,
// description, the four facet lines (the literal "false" for an empty
// list), three blank lines, then the contents joined by blank lines.
func RenderResource(title, description string, f Facets, contents []Content) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s\n\n", title, description)
	line := func(label string, values []string) {
		if len(values) == 0 {
			fmt.Fprintf(&b, "%s : false\n\n", label)
			return
		}
		fmt.Fprintf(&b, "%s : %s\n\n", label, strings.Join(values, ", "))
	}
	line("Thématiques", f.Thematiques)
	line("Type de support", f.Types)
	line("Bénéficiaires", f.Beneficiaires)
	line("Secteurs professionnels", f.Secteurs)
	b.WriteString("\n\n")
	parts := make([]string, 0, len(contents))
	for _, c := range contents {
		parts = append(parts, renderContent(c))
	}
	b.WriteString(strings.Join(parts, "\n\n"))
	return b.String()
}

func renderContent(c Content) string {
	switch c.Kind {
	case "section":
		return "## " + c.Title
	case "file":
		return fmt.Sprintf("**Fichier téléchargeable : %s** :  \n%s\n%s\n", c.Title, c.Caption, c.Name)
	case "image":
		return fmt.Sprintf("**Image : %s** :\n%s\n%s\n%s\n", c.Title, c.Caption, c.Alt, c.Name)
	case "link":
		text := c.LinkTitle
		if text == "" {
			text = c.URL
		}
		return fmt.Sprintf("**%s**\n%s\n%s\n[%s](%s)", c.Title, c.Caption, c.Description, text, c.URL)
	}
	return c.Text
}

// RenderBase renders a base's markdown like Les Bases.
func RenderBase(title, url, description string) string {
	return fmt.Sprintf("# %s\nType: Base\nUrl: %s\n\n%s", title, url, description)
}
