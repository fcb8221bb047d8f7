package frameworks

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// ESCOOptions say how to read an ESCO CSV file.
type ESCOOptions struct {
	// Framework is the concept scheme the file's concepts form. When empty,
	// the digComp collection maps to ESCO's DigComp scheme, and a skills file
	// to the first scheme of its inScheme column.
	Framework string
	Label     string // the framework's label, when the graph does not know it yet
	Lang      string // language of the labels; "en" when empty
	FileName  string // used to recognise the collection ("digCompSkillsCollection_en.csv")
}

// ESCODigComp is the ESCO concept scheme of the DigComp collection.
const ESCODigComp = "http://data.europa.eu/esco/concept-scheme/digcomp"

// escoProps are ESCO columns kept as schema:additionalProperty "esco:<column>".
var escoProps = []string{"conceptType", "skillType", "reuseLevel", "status", "modifiedDate"}

// ReadESCO reads an ESCO skills CSV (skills_xx.csv) or skills-collection
// CSV (e.g. digCompSkillsCollection_xx.csv). Columns are found by name;
// conceptUri and preferredLabel are required. A broader concept of the
// file becomes skos:broader; one outside the file (ESCO's skills pillar)
// skos:broadMatch, since Trame holds only the file's concepts.
func ReadESCO(r io.Reader, opts ESCOOptions) (*Framework, error) {
	const op = "frameworks.ReadESCO"
	if opts.Lang == "" {
		opts.Lang = "en"
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, domain.Errorf(op, domain.KindInvalid, "not a CSV file: %v", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(strings.TrimSpace(h), "\uFEFF")] = i
	}
	for _, need := range []string{"conceptUri", "preferredLabel"} {
		if _, ok := col[need]; !ok {
			return nil, domain.Errorf(op, domain.KindInvalid, "the header lacks the %q column of ESCO's CSV files (it has: %s)", need, strings.Join(header, ", "))
		}
	}
	var errs []domain.FieldError
	var rows []csvRow
	inFile := map[string]bool{}
	err = eachRecord(cr, &errs, func(rec []string, line int) {
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		uri, label := get("conceptUri"), get("preferredLabel")
		switch {
		case !build.IsHTTPURL(uri):
			errs = append(errs, domain.FieldError{Path: at(line, col["conceptUri"], "conceptUri"), Message: fmt.Sprintf("%q is not an absolute IRI", uri)})
			return
		case label == "":
			errs = append(errs, domain.FieldError{Path: at(line, col["preferredLabel"], "preferredLabel"), Message: "the concept has no preferred label"})
		case inFile[uri]:
			errs = append(errs, domain.FieldError{Path: at(line, col["conceptUri"], "conceptUri"), Message: uri + " appears twice"})
			return
		}
		inFile[uri] = true
		rows = append(rows, csvRow{f: rec, line: line})
	})
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, csvError(op, "the ESCO CSV", errs)
	}
	iri := opts.Framework
	if iri == "" {
		iri = escoScheme(opts.FileName, rows, col)
	}
	if iri == "" {
		return nil, domain.Errorf(op, domain.KindInvalid, "which concept scheme do these concepts form? give it with --framework IRI")
	}
	fw := newFramework(iri, ESCOCSV)
	fw.schemeNode().Lang(ontology.PrefLabel, opts.Label, opts.Lang)
	for _, rw := range rows {
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rw.f) {
				return strings.TrimSpace(rw.f[i])
			}
			return ""
		}
		c := fw.concept(get("conceptUri"))
		c.Lang(ontology.PrefLabel, get("preferredLabel"), opts.Lang)
		for _, a := range escoList(get("altLabels")) {
			c.Lang(ontology.AltLabel, a, opts.Lang)
		}
		for _, a := range escoList(get("hiddenLabels")) {
			c.Lang(ontology.SKOS+"hiddenLabel", a, opts.Lang)
		}
		c.Lang(ontology.Definition, firstNonEmpty(get("definition"), get("description")), opts.Lang)
		if get("definition") != "" && get("description") != "" {
			c.Lang(ontology.DCTerms+"description", get("description"), opts.Lang)
		}
		c.Lang(ontology.SKOS+"scopeNote", get("scopeNote"), opts.Lang)
		for _, b := range strings.Split(get("broaderConceptUri"), "|") {
			b = strings.TrimSpace(b)
			switch {
			case b == "":
			case inFile[b]:
				c.IRI(ontology.Broader, b)
			default:
				c.Link(ontology.BroadMatch, b)
			}
		}
		for _, p := range escoProps {
			if v := get(p); v != "" {
				addProp(c, "esco:"+p, v)
			}
		}
	}
	fw.finish()
	return fw, nil
}

// escoList splits ESCO's multi-valued cells: one value per line, or " | "
// between values.
func escoList(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, v := range strings.Split(line, " | ") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// escoScheme guesses the scheme: DigComp for the digComp collection, the
// first inScheme of a skills file.
func escoScheme(name string, rows []csvRow, col map[string]int) string {
	if strings.Contains(strings.ToLower(lastSegment(name)), "digcompskillscollection") {
		return ESCODigComp
	}
	if i, ok := col["inScheme"]; ok && len(rows) > 0 && i < len(rows[0].f) {
		for _, s := range strings.Split(rows[0].f[i], ",") {
			if s = strings.TrimSpace(s); build.IsHTTPURL(s) {
				return s
			}
		}
	}
	return ""
}
