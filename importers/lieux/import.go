package lieux

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
)

// MaxReportedErrors bounds the cell errors a report lists; the rest are counted.
const MaxReportedErrors = 1000

// Options configure an import.
type Options struct {
	Sink sink.Sink
	// Strict refuses the whole file when any cell is wrong; otherwise the
	// rows with errors are reported and skipped.
	Strict bool
	Now    func() time.Time
}

// Report says what an import did.
type Report struct {
	Rows       int         `json:"rows"`
	Valid      int         `json:"valid"`
	Lieux      int         `json:"lieux"`
	Written    int         `json:"written"`
	Unchanged  int         `json:"unchanged"`
	Skipped    int         `json:"skipped"` // rows with errors
	Errors     []CellError `json:"errors"`
	MoreErrors int         `json:"moreErrors,omitempty"`
	Seconds    float64     `json:"seconds"`
}

// Import reads a CSV of the standard and writes its valid rows as lieux,
// with their organisations and the vocabularies of their services, in one
// batch. Unchanged entities are not written again; organisations already
// in the graph are left as they are.
func Import(ctx context.Context, r io.Reader, opts Options) (*Report, error) {
	const op = "lieux.Import"
	start := time.Now()
	rep := &Report{Errors: []CellError{}}
	rows, errs, err := Read(r)
	if err != nil {
		return rep, domain.Errorf(op, domain.KindInvalid, "%v", err)
	}
	rep.Rows = len(rows)
	bad := map[int]bool{}
	for _, e := range errs {
		bad[e.Line] = true
		if len(rep.Errors) < MaxReportedErrors {
			rep.Errors = append(rep.Errors, e)
		} else {
			rep.MoreErrors++
		}
	}
	if len(errs) > 0 && (opts.Strict || len(rows) == 0) {
		fields := make([]domain.FieldError, 0, len(rep.Errors))
		for _, e := range rep.Errors {
			fields = append(fields, domain.FieldError{Path: position(e), Message: e.Message})
		}
		return rep, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: fmt.Sprintf("the file does not follow the standard (%d errors); nothing was imported", len(errs)), Fields: fields}
	}
	m := newMapper(opts.Sink.BaseIRI())
	var lieux []*domain.Entity
	for _, row := range rows {
		if bad[row.Line] {
			rep.Skipped++
			continue
		}
		lieux = append(lieux, m.lieu(row))
	}
	rep.Valid, rep.Lieux = len(lieux), len(lieux)
	if err := write(ctx, opts.Sink, m, lieux, rep); err != nil {
		return rep, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func position(e CellError) string {
	if e.Column == 0 {
		return "line " + strconv.Itoa(e.Line)
	}
	return fmt.Sprintf("line %d, column %d (%s)", e.Line, e.Column, e.Field)
}

// write compares the entities with the stored ones and writes what changed.
func write(ctx context.Context, s sink.Sink, m *mapper, lieux []*domain.Entity, rep *Report) error {
	var all []*domain.Entity
	all = append(all, m.datasetEntity())
	all = append(all, sorted(m.schemes)...)
	all = append(all, sorted(m.concepts)...)
	orgs := sorted(m.orgs)
	all = append(all, orgs...)
	all = append(all, lieux...)
	iris := make([]string, len(all))
	for i, e := range all {
		iris[i] = e.IRI
	}
	stored, err := sink.GetMany(ctx, s, iris, sink.RemotePageIRIs)
	if err != nil {
		return err
	}
	isOrg := map[string]bool{}
	for _, o := range orgs {
		isOrg[o.IRI] = true
	}
	var puts []*domain.Entity
	for _, e := range all {
		old := stored[e.IRI]
		switch {
		case old != nil && (isOrg[e.IRI] || e.IRI == m.dataset()):
			continue // partners and the dataset may have been edited since: kept
		case old != nil && sink.Same(old, e, nil):
			rep.Unchanged++
			continue
		}
		puts = append(puts, e)
	}
	if len(puts) == 0 {
		return nil
	}
	res, err := s.Apply(ctx, sink.Batch{Puts: puts})
	rep.Written = res.Written
	return err
}

func sorted(m map[string]*domain.Entity) []*domain.Entity {
	out := make([]*domain.Entity, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].IRI < out[j].IRI })
	return out
}
