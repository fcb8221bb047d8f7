package lesbases

import (
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxMarkdown is the largest markdown document the harvester reads (bytes).
// Larger answers fail the item: one entity must fit a store transaction.
const MaxMarkdown = 2 << 20

// Document is what the markdown of a resource says (template of
// resourceToMarkdown.ts in Les Bases).
type Document struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	// Facets holds today's enum keys per facet, in printed order, without
	// duplicates.
	Facets map[Facet][]string `json:"facets"`
	// Contents are the content blocks in order; ContentsMarkdown is the
	// markdown they were read from.
	Contents         []Block `json:"contents"`
	ContentsMarkdown string  `json:"contentsMarkdown"`
	// Notes lists what the parser could not map (unknown facet values, old
	// themes dropped by the 2025 migration); the item is still imported.
	Notes []string `json:"notes,omitempty"`
}

// BlockKind is the kind of a content block.
type BlockKind string

// Content block kinds (Les Bases' ContentType, minus images' binary data).
const (
	SectionBlock BlockKind = "section"
	TextBlock    BlockKind = "text"
	FileBlock    BlockKind = "file"
	ImageBlock   BlockKind = "image"
	LinkBlock    BlockKind = "link"
)

// Block is one content of a resource. Which fields are set depends on Kind:
// section Title; text Text; file Title, Caption, Name; image Title, Caption,
// Alt, Name; link Title, Caption, Description, LinkText, URL.
type Block struct {
	Kind        BlockKind `json:"kind"`
	Title       string    `json:"title,omitempty"`
	Caption     string    `json:"caption,omitempty"`
	Description string    `json:"description,omitempty"`
	Alt         string    `json:"alt,omitempty"`
	Name        string    `json:"name,omitempty"`
	LinkText    string    `json:"linkText,omitempty"`
	URL         string    `json:"url,omitempty"`
	Text        string    `json:"text,omitempty"`
}

// ErrNotMarkdown is the error of a document the parser cannot read.
var ErrNotMarkdown = errors.New("not a Les Bases markdown document")

// facetLines maps the label printed before ":" on a facet line (folded with
// normalise) to its facet. "Publics cibles" is the line of the values
// before the 2025 migration.
var facetLines = map[string]Facet{
	"thematiques": Thematiques, "thematique": Thematiques,
	"type_de_support": Types, "types_de_support": Types, "type_de_ressource": Types, "types_de_ressource": Types,
	"beneficiaires": Beneficiaires, "publics_cibles": Beneficiaires, "public_cible": Beneficiaires,
	"secteurs_professionnels": Secteurs, "secteur_professionnel": Secteurs,
}

// facetLine reports whether line is a facet line and returns its facet and
// the text after the colon.
func facetLine(line string) (Facet, string, bool) {
	label, rest, ok := strings.Cut(line, ":")
	if !ok || len(label) > 40 {
		return "", "", false
	}
	f, ok := facetLines[normalise(label)]
	return f, strings.TrimSpace(rest), ok
}

// ParseResource reads the markdown of a resource with vocab. It fails only
// when the text is not a Les Bases document at all (not UTF-8, no "# "
// title line); unknown facet values become Notes.
func ParseResource(md string, vocab *Vocab) (*Document, error) {
	lines, err := splitLines(md)
	if err != nil {
		return nil, err
	}
	i := skipBlank(lines, 0)
	if i == len(lines) || !strings.HasPrefix(lines[i], "# ") || strings.TrimSpace(lines[i][2:]) == "" {
		return nil, errors.New("the markdown has no \"# title\" line: " + ErrNotMarkdown.Error())
	}
	doc := &Document{Title: strings.TrimSpace(lines[i][2:]), Facets: map[Facet][]string{}}
	i++
	first := len(lines) // index of the first facet line
	for j := i; j < len(lines); j++ {
		if _, _, ok := facetLine(lines[j]); ok {
			first = j
			break
		}
	}
	if first == len(lines) { // no facet line: the first paragraph is the description
		i = skipBlank(lines, i)
		first = i
		for first < len(lines) && strings.TrimSpace(lines[first]) != "" {
			first++
		}
		doc.Description = strings.TrimSpace(strings.Join(lines[i:first], "\n"))
		doc.ContentsMarkdown = strings.TrimSpace(strings.Join(lines[first:], "\n"))
		doc.Contents = parseContents(lines[first:])
		return doc, nil
	}
	doc.Description = strings.TrimSpace(strings.Join(lines[i:first], "\n"))
	j := first
	for ; j < len(lines); j++ {
		if strings.TrimSpace(lines[j]) == "" {
			continue
		}
		f, rest, ok := facetLine(lines[j])
		if !ok {
			break
		}
		doc.readFacet(f, rest, vocab)
	}
	doc.ContentsMarkdown = strings.TrimSpace(strings.Join(lines[j:], "\n"))
	doc.Contents = parseContents(lines[j:])
	return doc, nil
}

// readFacet reads the values of one facet line. The literal "false" is
// what the template prints for an empty list.
func (d *Document) readFacet(line Facet, rest string, vocab *Vocab) {
	if rest == "" || rest == "false" || rest == "undefined" || rest == "null" {
		return
	}
	parts := strings.Split(rest, ",")
	for i := 0; i < len(parts); {
		// A label may itself hold a comma: try the longest run of parts first.
		matched := false
		for n := min(4, len(parts)-i); n >= 1; n-- {
			raw := strings.TrimSpace(strings.Join(parts[i:i+n], ","))
			resolve := vocab.ResolveExact // a run of parts must be a whole label
			if n == 1 {
				resolve = vocab.Resolve
			}
			res, ok := resolve(line, raw)
			if !ok {
				continue
			}
			switch {
			case res.Removed:
				d.Notes = append(d.Notes, "old theme \""+raw+"\" was removed in 2025 without replacement: dropped")
			default:
				d.addFacet(res.Facet, res.Key)
			}
			i += n
			matched = true
			break
		}
		if !matched {
			if raw := strings.TrimSpace(parts[i]); raw != "" {
				d.Notes = append(d.Notes, "unknown "+string(line)+" value \""+raw+"\": dropped")
			}
			i++
		}
	}
}

func (d *Document) addFacet(f Facet, key string) {
	for _, k := range d.Facets[f] {
		if k == key {
			return
		}
	}
	d.Facets[f] = append(d.Facets[f], key)
}

var (
	fileHeader  = regexp.MustCompile(`^\*\*Fichier téléchargeable ?: ?(.*)\*\* ?:\s*$`)
	imageHeader = regexp.MustCompile(`^\*\*Image ?: ?(.*)\*\* ?:\s*$`)
	linkHeader  = regexp.MustCompile(`^\*\*(.+)\*\*\s*$`)
	linkLine    = regexp.MustCompile(`^\[(.*)\]\((\S+)\)\s*$`)
)

// maxLinkGap is how many caption and description lines may separate a
// link's bold title from its [text](url) line.
const maxLinkGap = 6

// parseContents splits the contents part of a resource's markdown into
// blocks, following the renderings of resourceToMarkdown.ts.
func parseContents(lines []string) []Block {
	var out []Block
	var text []string
	flush := func() {
		if t := strings.TrimSpace(strings.Join(text, "\n")); t != "" {
			out = append(out, Block{Kind: TextBlock, Text: t})
		}
		text = text[:0]
	}
	at := func(i int) string {
		if i < len(lines) {
			return strings.TrimSpace(lines[i])
		}
		return ""
	}
	for i := 0; i < len(lines); {
		l := lines[i]
		switch {
		case strings.HasPrefix(l, "## "):
			flush()
			out = append(out, Block{Kind: SectionBlock, Title: strings.TrimSpace(l[3:])})
			i++
		case fileHeader.MatchString(l):
			flush()
			m := fileHeader.FindStringSubmatch(l)
			out = append(out, Block{Kind: FileBlock, Title: clean(m[1]), Caption: at(i + 1), Name: at(i + 2)})
			i += 3
		case imageHeader.MatchString(l):
			flush()
			m := imageHeader.FindStringSubmatch(l)
			out = append(out, Block{Kind: ImageBlock, Title: clean(m[1]), Caption: at(i + 1), Alt: at(i + 2), Name: at(i + 3)})
			i += 4
		case linkHeader.MatchString(l) && linkAhead(lines, i) > 0:
			flush()
			end := linkAhead(lines, i)
			m := linkLine.FindStringSubmatch(strings.TrimSpace(lines[end]))
			b := Block{Kind: LinkBlock, Title: clean(linkHeader.FindStringSubmatch(l)[1]), LinkText: m[1], URL: m[2]}
			between := lines[i+1 : end]
			if len(between) > 0 {
				b.Caption = strings.TrimSpace(between[0])
			}
			if len(between) > 1 {
				b.Description = strings.TrimSpace(strings.Join(between[1:], "\n"))
			}
			out = append(out, b)
			i = end + 1
		default:
			text = append(text, l)
			i++
		}
	}
	flush()
	return out
}

// linkAhead returns the index of the [text](url) line that closes a link
// block opened at i, or 0.
func linkAhead(lines []string, i int) int {
	for j := i + 1; j < len(lines) && j <= i+maxLinkGap; j++ {
		t := strings.TrimSpace(lines[j])
		if linkLine.MatchString(t) {
			return j
		}
		if strings.HasPrefix(t, "## ") || strings.HasPrefix(t, "**") {
			return 0
		}
	}
	return 0
}

// clean drops the "null" and "undefined" a template prints for a missing
// title.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if s == "null" || s == "undefined" {
		return ""
	}
	return s
}

// ParseBase reads the markdown of a base: its title and description.
func ParseBase(md string) (title, description string, err error) {
	lines, err := splitLines(md)
	if err != nil {
		return "", "", err
	}
	i := skipBlank(lines, 0)
	if i == len(lines) || !strings.HasPrefix(lines[i], "# ") || strings.TrimSpace(lines[i][2:]) == "" {
		return "", "", errors.New("the markdown has no \"# title\" line: " + ErrNotMarkdown.Error())
	}
	title = strings.TrimSpace(lines[i][2:])
	i++
	for i < len(lines) {
		l := lines[i]
		if strings.HasPrefix(l, "Type:") || strings.HasPrefix(l, "Url:") {
			i++
			continue
		}
		break
	}
	return title, strings.TrimSpace(strings.Join(lines[i:], "\n")), nil
}

func splitLines(md string) ([]string, error) {
	if !utf8.ValidString(md) {
		return nil, errors.New("the markdown is not valid UTF-8: " + ErrNotMarkdown.Error())
	}
	md = strings.TrimPrefix(md, "\uFEFF")
	md = strings.ReplaceAll(md, "\r\n", "\n")
	md = strings.ReplaceAll(md, "\r", "\n")
	return strings.Split(md, "\n"), nil
}

func skipBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}
