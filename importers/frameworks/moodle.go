package frameworks

import (
	"encoding/csv"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// MoodleHeader is the header of Moodle's competency framework CSV
// (admin/tool/lpimportcsv), whose columns are read by position.
var MoodleHeader = []string{"Parent id number", "Id number", "Shortname", "Description", "Description format",
	"Scale values", "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
	"Cross referenced competency id numbers", "Exported id (optional)", "Is framework", "Taxonomy"}

// Column indexes of MoodleHeader.
const (
	mParent = iota
	mIDNumber
	mShortname
	mDescription
	mFormat
	mScaleValues
	mScaleConfig
	mRuleType
	mRuleOutcome
	mRuleConfig
	mCrossRefs
	mExportID
	mIsFramework
	mTaxonomy
)

// moodleProps are the Moodle fields with no SKOS equivalent, kept as
// schema:additionalProperty values named "moodle:<field>" so an export
// gives them back.
var moodleProps = map[int]string{mFormat: "moodle:descriptionformat", mScaleValues: "moodle:scalevalues",
	mScaleConfig: "moodle:scaleconfiguration", mRuleType: "moodle:ruletype", mRuleOutcome: "moodle:ruleoutcome",
	mRuleConfig: "moodle:ruleconfig", mExportID: "moodle:exportid", mTaxonomy: "moodle:taxonomy"}

const (
	propDescription = "moodle:description" // the raw description, when it is not plain text
	additionalProp  = ontology.Schema + "additionalProperty"
	propertyValue   = ontology.Schema + "PropertyValue"
	propertyID      = ontology.Schema + "propertyID"
	propValue       = ontology.Schema + "value"
	related         = ontology.SKOS + "related"
)

// MoodleOptions say where a Moodle framework goes in the graph.
type MoodleOptions struct {
	Base string // the server's base IRI
	// Framework is the framework's IRI; base/frameworks/<idnumber> when empty.
	Framework string
	// ConceptPrefix is prepended to each competency's id number (lower-cased);
	// base/competencies/<framework idnumber>- when empty.
	ConceptPrefix string
	Lang          string // language of shortnames and descriptions; "fr" when empty
}

// csvError builds the error of a CSV file with every problem located.
// eachRecord calls fn with each record of cr after the header and the line
// where it starts; a record that does not parse becomes an error of errs
// (line and column) and the reading goes on. Only a failure to read is
// returned.
func eachRecord(cr *csv.Reader, errs *[]domain.FieldError, fn func(rec []string, line int)) error {
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			*errs = append(*errs, domain.FieldError{Path: fmt.Sprintf("line %d, column %d", pe.Line, pe.Column), Message: pe.Err.Error()})
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		fn(rec, line)
	}
}

func csvError(op, what string, fields []domain.FieldError) error {
	return &domain.Error{Op: op, Kind: domain.KindInvalid, Message: what + " has errors; nothing was imported", Fields: fields}
}

func at(line, col int, name string) string {
	return fmt.Sprintf("line %d, column %d (%s)", line, col+1, name)
}

// ReadMoodle reads a Moodle competency framework CSV.
func ReadMoodle(r io.Reader, opts MoodleOptions) (*Framework, error) {
	const op = "frameworks.ReadMoodle"
	if opts.Lang == "" {
		opts.Lang = "fr"
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var errs []domain.FieldError
	bad := func(line, col int, msg string) {
		name := "row"
		if col >= 0 && col < len(MoodleHeader) {
			name = MoodleHeader[col]
		}
		errs = append(errs, domain.FieldError{Path: at(line, max(col, 0), name), Message: msg})
	}
	header, err := cr.Read()
	if err != nil {
		return nil, domain.Errorf(op, domain.KindInvalid, "not a CSV file: %v", err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	}
	if len(header) != len(MoodleHeader) {
		return nil, domain.Errorf(op, domain.KindInvalid, "the header has %d columns; a Moodle competency framework CSV has %d: %s", len(header), len(MoodleHeader), strings.Join(MoodleHeader, ","))
	}
	for i, h := range header {
		if !strings.EqualFold(strings.TrimSpace(h), MoodleHeader[i]) {
			bad(1, i, fmt.Sprintf("column %d is %q, Moodle's is %q", i+1, h, MoodleHeader[i]))
		}
	}
	var fwRow *csvRow
	var rows []csvRow
	err = eachRecord(cr, &errs, func(rec []string, line int) {
		if len(rec) != len(MoodleHeader) {
			bad(line, -1, fmt.Sprintf("%d columns instead of %d", len(rec), len(MoodleHeader)))
			return
		}
		rw := csvRow{f: rec, line: line}
		if strings.TrimSpace(rec[mIsFramework]) != "1" {
			rows = append(rows, rw)
		} else if fwRow != nil {
			bad(line, mIsFramework, fmt.Sprintf("a second framework row (the first is on line %d)", fwRow.line))
		} else {
			fwRow = &rw
		}
	})
	if err != nil {
		return nil, err
	}
	if fwRow == nil {
		errs = append(errs, domain.FieldError{Path: "Is framework", Message: "no row has Is framework = 1: the file has no framework"})
		return nil, csvError(op, "the Moodle CSV", errs)
	}
	fwID := strings.TrimSpace(fwRow.f[mIDNumber])
	if fwID == "" {
		bad(fwRow.line, mIDNumber, "the framework has no id number")
	}
	iri := resolve(opts.Base, opts.Framework)
	if iri == "" {
		iri = opts.Base + "frameworks/" + slug(fwID)
	}
	prefix := resolve(opts.Base, opts.ConceptPrefix)
	if prefix == "" {
		prefix = opts.Base + "competencies/" + slug(fwID) + "-"
	}
	fw := newFramework(iri, MoodleCSV)
	n := fw.schemeNode()
	n.Str(ontology.Notation, fwID).Lang(ontology.PrefLabel, fwRow.f[mShortname], opts.Lang)
	moodleDescription(n, fwRow.f, ontology.Description, opts.Lang)
	moodleExtras(n, fwRow.f, mScaleValues, mScaleConfig, mExportID, mTaxonomy)
	if vals := strings.Split(fwRow.f[mScaleValues], ","); len(vals) == 8 {
		n.IRI(ontology.LevelScale, opts.Base+"frameworks/niveaux")
	}
	byID := map[string]string{}
	for _, rw := range rows {
		id := strings.TrimSpace(rw.f[mIDNumber])
		switch {
		case id == "":
			bad(rw.line, mIDNumber, "a competency has no id number")
			continue
		case byID[id] != "":
			bad(rw.line, mIDNumber, fmt.Sprintf("id number %q is used twice", id))
			continue
		case strings.TrimSpace(rw.f[mShortname]) == "":
			bad(rw.line, mShortname, "a competency has no shortname")
		}
		if f := strings.TrimSpace(rw.f[mFormat]); f != "" && !validFormat(f) {
			bad(rw.line, mFormat, fmt.Sprintf("description format %q is not one of Moodle's (0, 1, 2, 4)", f))
		}
		byID[id] = prefix + slug(id)
	}
	for _, rw := range rows {
		id := strings.TrimSpace(rw.f[mIDNumber])
		if id == "" || byID[id] == "" {
			continue
		}
		c := fw.concept(byID[id])
		c.Str(ontology.Notation, id).Lang(ontology.PrefLabel, rw.f[mShortname], opts.Lang)
		moodleDescription(c, rw.f, ontology.Definition, opts.Lang)
		moodleExtras(c, rw.f, mScaleValues, mScaleConfig, mRuleType, mRuleOutcome, mRuleConfig, mExportID)
		if p := strings.TrimSpace(rw.f[mParent]); p != "" {
			if byID[p] == "" {
				bad(rw.line, mParent, fmt.Sprintf("parent %q is not an id number of this file", p))
			}
			c.IRI(ontology.Broader, byID[p])
		}
		for _, x := range splitList(rw.f[mCrossRefs]) {
			if byID[x] == "" {
				bad(rw.line, mCrossRefs, fmt.Sprintf("cross-referenced %q is not an id number of this file", x))
				continue
			}
			c.IRI(related, byID[x])
		}
	}
	if len(errs) > 0 {
		return nil, csvError(op, "the Moodle CSV", errs)
	}
	fw.finish()
	return fw, nil
}

// csvRow is a CSV record with its line.
type csvRow struct {
	f    []string
	line int
}

func validFormat(f string) bool { return f == "0" || f == "1" || f == "2" || f == "4" }

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// moodleDescription states the description as text in p, and keeps the
// raw description and its format when the text alone would not give them
// back.
func moodleDescription(n *build.Node, f []string, p, lang string) {
	raw, format := f[mDescription], strings.TrimSpace(f[mFormat])
	text := htmlToText(raw)
	if format == "2" || format == "0" {
		text = strings.TrimSpace(raw)
	}
	n.Lang(p, text, lang)
	if format != "" {
		addProp(n, moodleProps[mFormat], format)
	}
	if strings.TrimSpace(raw) != text {
		addProp(n, propDescription, raw)
	}
}

func moodleExtras(n *build.Node, f []string, cols ...int) {
	for _, c := range cols {
		if v := f[c]; v != "" {
			addProp(n, moodleProps[c], v)
		}
	}
}

func addProp(n *build.Node, id, value string) {
	pv := n.Blank(additionalProp, propertyValue)
	pv.Raw(propertyID, id).Raw(propValue, value)
}

// props reads the additional property values of an entity's node.
func props(e *domain.Entity) map[string]string {
	out := map[string]string{}
	for _, pv := range e.Values(additionalProp) {
		id, val := e.Objects(pv, propertyID), e.Objects(pv, propValue)
		if len(id) > 0 && len(val) > 0 {
			out[id[0].Value] = val[0].Value
		}
	}
	return out
}

var tags = regexp.MustCompile(`<[^>]*>`)

// htmlToText turns Moodle's HTML description into plain text.
func htmlToText(s string) string {
	s = strings.NewReplacer("<br>", "\n", "<br/>", "\n", "<br />", "\n", "</p><p>", "\n").Replace(s)
	s = html.UnescapeString(tags.ReplaceAllString(s, ""))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// DefaultMoodleScale is written for a framework that was not imported from
// Moodle: Trame's eight proficiency levels, the first the default, all
// proficient.
var DefaultMoodleScale = [2]string{
	"Niveau 1,Niveau 2,Niveau 3,Niveau 4,Niveau 5,Niveau 6,Niveau 7,Niveau 8",
	`[{"scaleid": "0"}, {"id": 1, "scaledefault": 1, "proficient": 1}, {"id": 2, "scaledefault": 0, "proficient": 1}, {"id": 3, "scaledefault": 0, "proficient": 1}, {"id": 4, "scaledefault": 0, "proficient": 1}, {"id": 5, "scaledefault": 0, "proficient": 1}, {"id": 6, "scaledefault": 0, "proficient": 1}, {"id": 7, "scaledefault": 0, "proficient": 1}, {"id": 8, "scaledefault": 0, "proficient": 1}]`,
}

// ExportMoodle writes the snapshot as a Moodle competency framework CSV
// (CRLF line ends, as Moodle's own fixture), the framework first, then the
// competencies depth first.
func ExportMoodle(snap *Snapshot, w io.Writer, lang string) error {
	if lang == "" {
		lang = "fr"
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(MoodleHeader); err != nil {
		return err
	}
	sp := props(snap.Scheme)
	fwRow := make([]string, len(MoodleHeader))
	fwRow[mIDNumber] = firstNonEmpty(snap.Scheme.First(ontology.Notation), slug(lastSegment(snap.Framework)))
	fwRow[mShortname] = label(snap.Scheme, lang)
	fwRow[mDescription], fwRow[mFormat] = exportDescription(snap.Scheme, ontology.Description, lang)
	for _, c := range []int{mScaleValues, mScaleConfig, mExportID, mTaxonomy} {
		fwRow[c] = sp[moodleProps[c]]
	}
	if fwRow[mScaleValues] == "" {
		fwRow[mScaleValues], fwRow[mScaleConfig] = DefaultMoodleScale[0], DefaultMoodleScale[1]
	}
	fwRow[mIsFramework] = "1"
	if err := cw.Write(fwRow); err != nil {
		return err
	}
	ids := map[string]string{}
	for _, c := range snap.Concepts {
		ids[c.IRI] = firstNonEmpty(c.First(ontology.Notation), lastSegment(c.IRI))
	}
	for _, c := range snap.tree() {
		row := make([]string, len(MoodleHeader))
		for _, b := range c.Values(ontology.Broader) {
			if id := ids[b.Value]; id != "" {
				row[mParent] = id
				break
			}
		}
		row[mIDNumber] = ids[c.IRI]
		row[mShortname] = label(c, lang)
		row[mDescription], row[mFormat] = exportDescription(c, ontology.Definition, lang)
		cp := props(c)
		for _, col := range []int{mScaleValues, mScaleConfig, mRuleType, mRuleOutcome, mRuleConfig, mExportID} {
			row[col] = cp[moodleProps[col]]
		}
		var refs []string
		for _, r := range c.Values(related) {
			if id := ids[r.Value]; id != "" {
				refs = append(refs, id)
			}
		}
		sort.Slice(refs, func(i, j int) bool { return naturalLess(refs[i], refs[j]) })
		row[mCrossRefs] = strings.Join(refs, ",")
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// exportDescription gives back the raw Moodle description when it still
// says what the graph says, and the graph's text (format 2, plain) otherwise.
func exportDescription(e *domain.Entity, p, lang string) (string, string) {
	text := ""
	for _, v := range e.Values(p) {
		if v.Lang == lang || text == "" {
			text = v.Value
		}
	}
	ps := props(e)
	raw, format := ps[propDescription], ps[moodleProps[mFormat]]
	if raw != "" && htmlToText(raw) == text {
		return raw, format
	}
	if raw == "" && format != "" { // the description was plain text already
		return text, format
	}
	if text == "" {
		return "", format
	}
	return text, "2" // FORMAT_PLAIN
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
