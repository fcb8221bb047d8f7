package lieux

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trame-commun/trame/importers/build"
)

// MaxRows bounds one file (the national dataset has about 15,000 lieux).
const MaxRows = 200_000

// Row is one line of the CSV with its values by field name.
type Row struct {
	Line   int
	Values map[string]string
	cols   map[string]int // field name → column (1-based), for errors
}

// CellError is one problem with one cell (Column 0 for the whole row).
type CellError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e CellError) String() string {
	if e.Column == 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("line %d, column %d (%s): %s", e.Line, e.Column, e.Field, e.Message)
}

// Read reads the CSV (comma- or semicolon-separated, UTF-8, with the
// standard's header in any order) and validates every cell. It returns the
// rows and every error found; rows with errors are returned too (Valid
// tells them apart). A header the standard does not describe fails the
// whole file.
func Read(r io.Reader) ([]*Row, []CellError, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4096)
	head = bytes.TrimPrefix(head, []byte("\uFEFF"))
	first, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("the file has no CSV header: %v", err)
	}
	cols := map[string]int{}
	var errs []CellError
	for i, h := range header {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		switch {
		case V1.Field(name) == nil:
			errs = append(errs, CellError{Line: 1, Column: i + 1, Field: name, Message: fmt.Sprintf("column %q is not a field of the standard v%s", name, V1.Version)})
		case cols[name] != 0:
			errs = append(errs, CellError{Line: 1, Column: i + 1, Field: name, Message: "column " + name + " appears twice"})
		default:
			cols[name] = i + 1
		}
	}
	for _, f := range V1.Fields {
		if f.Required && cols[f.Name] == 0 {
			errs = append(errs, CellError{Line: 1, Message: "the required column " + f.Name + " (" + f.Title + ") is missing"})
		}
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	var rows []*Row
	ids := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			errs = append(errs, CellError{Line: pe.Line, Column: pe.Column, Message: "CSV syntax: " + pe.Err.Error()})
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if len(rows) >= MaxRows {
			return nil, nil, fmt.Errorf("the file has more than %d rows", MaxRows)
		}
		line, _ := cr.FieldPos(0)
		row := &Row{Line: line, Values: map[string]string{}, cols: cols}
		if len(rec) != len(header) {
			errs = append(errs, CellError{Line: line, Message: fmt.Sprintf("%d values for %d columns", len(rec), len(header))})
			continue
		}
		for name, c := range cols {
			row.Values[name] = strings.TrimSpace(rec[c-1])
		}
		errs = append(errs, validate(row)...)
		if id := row.Values["id"]; id != "" {
			if prev := ids[id]; prev != 0 {
				errs = append(errs, CellError{Line: line, Column: cols["id"], Field: "id", Message: fmt.Sprintf("id %q is also on line %d", id, prev)})
			}
			ids[id] = line
		}
		rows = append(rows, row)
	}
	return rows, errs, nil
}

var (
	email   = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	decimal = regexp.MustCompile(`^[+-]?\d+(\.\d+)?$`)
)

// validate checks every cell of a row against the standard.
func validate(r *Row) []CellError {
	var errs []CellError
	bad := func(f *Field, format string, args ...any) {
		errs = append(errs, CellError{Line: r.Line, Column: r.cols[f.Name], Field: f.Name, Message: fmt.Sprintf(format, args...)})
	}
	for _, f := range V1.Fields {
		v, present := r.Values[f.Name]
		if !present {
			continue
		}
		if !utf8.ValidString(v) {
			bad(f, "the value is not UTF-8 text")
			continue
		}
		if v == "" {
			if f.Required {
				bad(f, "%s is required", f.Title)
			}
			continue
		}
		values := []string{v}
		if f.Multi() {
			values = splitMulti(v)
		}
		for _, x := range values {
			if msg := checkValue(f, x); msg != "" {
				bad(f, "%s", msg)
			}
		}
	}
	return errs
}

// checkValue returns what is wrong with one value of f, or "".
func checkValue(f *Field, v string) string {
	if f.re != nil && !f.re.MatchString(v) {
		return fmt.Sprintf("%q does not match the standard's pattern %s", v, f.Pattern)
	}
	if len(f.Values) > 0 && !contains(f.Values, v) {
		if s := closest(f.Values, v); s != "" {
			return fmt.Sprintf("%q is not an allowed value (did you mean %q?)", v, s)
		}
		return fmt.Sprintf("%q is not an allowed value: %s", v, strings.Join(f.Values, " | "))
	}
	switch {
	case f.Type == "number":
		n, err := strconv.ParseFloat(v, 64)
		limit := map[string]float64{"latitude": 90, "longitude": 180}[f.Name]
		if err != nil || !decimal.MatchString(v) {
			return fmt.Sprintf("%q is not a decimal number", v)
		}
		if limit > 0 && math.Abs(n) > limit {
			return fmt.Sprintf("%s is out of range (±%g)", v, limit)
		}
	case f.Type == "date":
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return fmt.Sprintf("%q is not a date YYYY-MM-DD", v)
		}
	case f.Name == "courriels" && !email.MatchString(v):
		return fmt.Sprintf("%q is not an e-mail address", v)
	case (f.Name == "site_web" || f.Name == "fiche_acces_libre" || f.Name == "prise_rdv") && !build.IsHTTPURL(v):
		return fmt.Sprintf("%q is not an http(s) address", v)
	case f.Name == "horaires":
		if err := CheckOpeningHours(v); err != nil {
			return fmt.Sprintf("%q is not in the OpenStreetMap opening_hours syntax: %v", v, err)
		}
	}
	return ""
}

func splitMulti(v string) []string {
	var out []string
	for _, x := range strings.Split(v, "|") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// closest returns the allowed value v differs from only by case, accents
// or spacing, or "".
func closest(values []string, v string) string {
	k := fold(v)
	for _, x := range values {
		if fold(x) == k {
			return x
		}
	}
	return ""
}

func fold(s string) string {
	r := strings.NewReplacer("é", "e", "è", "e", "ê", "e", "à", "a", "â", "a", "î", "i", "ô", "o", "û", "u", "ç", "c", "É", "e", "À", "a", "’", "'", "«", "", "»", "")
	return strings.Join(strings.Fields(strings.ToLower(r.Replace(s))), " ")
}
