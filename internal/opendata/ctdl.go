package opendata

import (
	"context"
	"crypto/sha1"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// CTDLContext is the JSON-LD context of CTDL-ASN documents, as the Credential
// Engine registry publishes them. Trame writes it as a reference (it never
// fetches it); the keys use the ceasn:/ceterms: prefixes it defines.
const CTDLContext = "https://credreg.net/ctdlasn/schema/context/json"

// ctdlAlignment maps SKOS mapping relations to CTDL-ASN alignment properties.
var ctdlAlignment = map[string]string{
	ontology.ExactMatch:  "ceasn:exactAlignment",
	ontology.CloseMatch:  "ceasn:majorAlignment",
	ontology.BroadMatch:  "ceasn:broadAlignment",
	ontology.NarrowMatch: "ceasn:narrowAlignment",
}

// ctid returns a stable Credential Engine identifier for iri: "ce-" and a
// name-based (version 5, SHA-1) UUID of the IRI in the URL namespace.
func ctid(iri string) string {
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(iri))
	u := h.Sum(nil)[:16]
	u[6] = (u[6] & 0x0f) | 0x50
	u[8] = (u[8] & 0x3f) | 0x80
	return fmt.Sprintf("ce-%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// CTDL returns a framework and its competencies as a CTDL-ASN JSON-LD
// document ({"@context", "@id", "@graph": [framework, competencies…]}),
// the form the Credential Engine registry exchanges. Competencies keep
// their IRIs; hierarchy, crosswalk alignments and prerequisites are kept.
func (s *Service) CTDL(ctx context.Context, iri string, anonymous bool) (map[string]any, error) {
	fw, err := s.readFramework(ctx, iri, anonymous)
	if err != nil {
		return nil, err
	}
	sch := fw.Scheme
	node := map[string]any{
		"@id": sch.IRI, "@type": "ceasn:CompetencyFramework", "ceterms:ctid": ctid(sch.IRI),
		"ceasn:name": langMap(sch, ontology.PrefLabel, ontology.Name), "ceasn:inLanguage": []string{"fr"},
		"ceasn:publicationStatusType": "publicationStatus:Published",
	}
	if d := langMap(sch, ontology.Description, ontology.Definition); len(d) > 0 {
		node["ceasn:description"] = d
	} else {
		node["ceasn:description"] = node["ceasn:name"]
	}
	setIRIs(node, "ceasn:publisher", sch.Values(ontology.Publisher))
	setIRIs(node, "ceasn:license", sch.Values(ontology.LicenseProp))
	setIRIs(node, "ceasn:source", sch.Values(ontology.DCTerms+"source"))
	if v := sch.First(ontology.Version); v != "" {
		node["ceasn:versionCode"] = v
	}
	var top []string
	graph := []any{node}
	children := map[string][]string{}
	for _, c := range fw.Competencies {
		if p := fw.Parent[c.IRI]; p != "" {
			children[p] = append(children[p], c.IRI)
		} else {
			top = append(top, c.IRI)
		}
	}
	node["ceasn:hasTopChild"] = top
	for _, c := range fw.Competencies {
		graph = append(graph, s.ctdlCompetency(fw, c.IRI, children[c.IRI]))
	}
	return map[string]any{"@context": CTDLContext, "@id": sch.IRI, "@graph": graph}, nil
}

func (s *Service) ctdlCompetency(fw *framework, iri string, children []string) map[string]any {
	c := fw.competency(iri)
	label := langMap(c, ontology.PrefLabel)
	text := langMap(c, ontology.Definition)
	if len(text) == 0 {
		text = label
	}
	node := map[string]any{
		"@id": c.IRI, "@type": "ceasn:Competency", "ceterms:ctid": ctid(c.IRI),
		"ceasn:competencyLabel": label, "ceasn:competencyText": text,
		"ceasn:isPartOf": fw.Scheme.IRI, "ceasn:inLanguage": []string{"fr"},
	}
	if n := c.First(ontology.Notation); n != "" {
		node["ceasn:codedNotation"] = n
	}
	if p := fw.Parent[c.IRI]; p != "" {
		node["ceasn:isChildOf"] = p
	} else {
		node["ceasn:isTopChildOf"] = fw.Scheme.IRI
	}
	if len(children) > 0 {
		node["ceasn:hasChild"] = children
	}
	for rel, targets := range fw.matchesOf(c) {
		if prop, ok := ctdlAlignment[rel]; ok {
			node[prop] = targets
		}
	}
	setIRIs(node, "ceasn:prerequisiteAlignment", c.Values(ontology.Prerequisite))
	if cm := langMap(c, ontology.Comment); len(cm) > 0 {
		node["ceasn:comment"] = cm
	}
	return node
}

func (fw *framework) competency(iri string) *domain.Entity {
	for _, c := range fw.Competencies {
		if c.IRI == iri {
			return c
		}
	}
	return nil
}

func setIRIs(node map[string]any, key string, vals []domain.Term) {
	var out []string
	for _, v := range vals {
		if v.IsIRI() {
			out = append(out, v.Value)
		}
	}
	if len(out) > 0 {
		node[key] = out
	}
}

// MoodleHeader is the header of Moodle's competency framework CSV
// (admin tool tool_lpimportcsv).
var MoodleHeader = []string{"Parent id number", "Id number", "Shortname", "Description", "Description format",
	"Scale values", "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
	"Cross referenced competency id numbers", "Exported id (optional)", "Is framework", "Taxonomy"}

// moodleTaxonomies name the levels of a framework tree for Moodle.
var moodleTaxonomies = []string{"domain", "competency", "skill", "indicator", "outcome", "level"}

var idSafe = regexp.MustCompile(`[^A-Za-z0-9]+`)

// moodleID is the framework's Moodle id number: its short label (altLabel)
// when it has one, else the last segment of its IRI, in capitals.
func moodleID(fw *framework) string {
	name := ""
	for _, v := range fw.Scheme.Values(ontology.AltLabel) {
		if len(v.Value) <= 20 {
			name = v.Value
			break
		}
	}
	if name == "" {
		iri := strings.TrimRight(fw.Scheme.IRI, "/#")
		name = iri[strings.LastIndexAny(iri, "/#")+1:]
	}
	return strings.Trim(strings.ToUpper(idSafe.ReplaceAllString(name, "-")), "-")
}

// Moodle writes a framework as Moodle competency framework CSV
// (tool_lpimportcsv): a framework row with the level scale, then one row
// per competency, parents before children. Prerequisites inside the
// framework become cross-referenced competencies.
func (s *Service) Moodle(ctx context.Context, w io.Writer, iri string, anonymous bool) error {
	fw, err := s.readFramework(ctx, iri, anonymous)
	if err != nil {
		return err
	}
	fwID := moodleID(fw)
	ids := map[string]string{}
	depth := 1
	for _, c := range fw.Competencies {
		ids[c.IRI] = fwID + "-" + idSafe.ReplaceAllString(c.First(ontology.Notation), ".")
		d := 1
		for p := fw.Parent[c.IRI]; p != "" && d < 10; p = fw.Parent[p] {
			d++
		}
		depth = max(depth, d)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(MoodleHeader); err != nil {
		return err
	}
	scale, config := moodleScale(fw)
	desc := langMap(fw.Scheme, ontology.Description, ontology.Definition)["fr"]
	taxonomy := strings.Join(moodleTaxonomies[:min(depth, len(moodleTaxonomies))], ",")
	if err := cw.Write([]string{"", fwID, fw.Scheme.Label("fr"), htmlParagraph(desc), "1", scale, config, "", "", "", "", "", "1", taxonomy}); err != nil {
		return err
	}
	for _, c := range fw.Competencies {
		var cross []string
		for _, p := range c.Values(ontology.Prerequisite) {
			if id, ok := ids[p.Value]; ok {
				cross = append(cross, id)
			}
		}
		parent := ""
		if p := fw.Parent[c.IRI]; p != "" {
			parent = ids[p]
		}
		row := []string{parent, ids[c.IRI], moodleShortname(c, parent == ""), htmlParagraph(langMap(c, ontology.Definition)["fr"]),
			"1", "", "", "", "0", "null", strings.Join(cross, ","), "", "", ""}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func moodleShortname(c *domain.Entity, top bool) string {
	n := c.First(ontology.Notation)
	label := c.Label("fr")
	switch {
	case n == "":
		return label
	case top && !strings.Contains(n, "."):
		return n + ". " + label
	}
	return n + " " + label
}

// moodleScale renders the framework's level scale as Moodle scale values
// and configuration: the first level is the default, every level counts
// as proficient.
func moodleScale(fw *framework) (string, string) {
	if len(fw.Levels) == 0 {
		return "", ""
	}
	var names []string
	conf := []string{`{"scaleid": "0"}`}
	for i, l := range fw.Levels {
		names = append(names, strings.ReplaceAll(l.Label("fr"), ",", " "))
		def := 0
		if i == 0 {
			def = 1
		}
		conf = append(conf, fmt.Sprintf(`{"id": %d, "scaledefault": %d, "proficient": 1}`, i+1, def))
	}
	return strings.Join(names, ","), "[" + strings.Join(conf, ", ") + "]"
}

func htmlParagraph(s string) string {
	if s == "" {
		return ""
	}
	return "<p>" + html.EscapeString(s) + "</p>"
}
