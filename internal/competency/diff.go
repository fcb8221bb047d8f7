package competency

import (
	"context"
	"slices"
)

// DiffRequest compares the coverage of one framework by two scopes, A
// (e.g. an organisation's offer, a territory) and B (by default the whole
// Commun).
type DiffRequest struct {
	Framework  string
	A, B       Scope
	CloseMatch bool
	WithDrafts bool
	Lang       string
}

// Diff is a cell-by-cell comparison of two coverages.
type Diff struct {
	Framework      string          `json:"framework"`
	FrameworkLabel string          `json:"frameworkLabel"`
	A              Scope           `json:"a"`
	B              Scope           `json:"b"`
	CloseMatch     bool            `json:"closeMatch"`
	Levels         int             `json:"levels"`
	Competencies   []CompetencyRef `json:"competencies"`
	Cells          []DiffCell      `json:"cells"`
	OnlyA          []CellRef       `json:"onlyA"`   // covered by A only
	OnlyB          []CellRef       `json:"onlyB"`   // covered by B only: A's gaps that B can fill
	Neither        []CellRef       `json:"neither"` // covered by neither
}

// Diff statuses of a cell.
const (
	StatusBoth    = "both"
	StatusOnlyA   = "onlyA"
	StatusOnlyB   = "onlyB"
	StatusNeither = "neither"
)

// DiffCell compares one cell. Fill lists, for a cell A leaves uncovered,
// the resources of B that cover it.
type DiffCell struct {
	Competency string   `json:"competency"`
	Level      int      `json:"level"`
	A          int      `json:"a"`
	B          int      `json:"b"`
	Status     string   `json:"status"`
	Fill       []string `json:"fill,omitempty"`
}

const opDiff = "competency.CoverageDiff"

// CoverageDiff compares the coverages of req.Framework by req.A and req.B.
func (v *View) CoverageDiff(ctx context.Context, req DiffRequest) (*Diff, error) {
	ix := v.snapshot(req.WithDrafts)
	fw, err := ix.framework(opDiff, req.Framework)
	if err != nil {
		return nil, err
	}
	req.A, req.B = ix.resolveScope(req.A), ix.resolveScope(req.B)
	inA, err := ix.scope(opDiff, req.A, "a.")
	if err != nil {
		return nil, err
	}
	inB, err := ix.scope(opDiff, req.B, "b.")
	if err != nil {
		return nil, err
	}
	a := ix.coverage(fw, req.A, inA, req.CloseMatch, req.Lang)
	b := ix.coverage(fw, req.B, inB, req.CloseMatch, req.Lang)
	d := &Diff{Framework: fw.iri, FrameworkLabel: fw.label, A: req.A, B: req.B, CloseMatch: req.CloseMatch,
		Levels: fw.levels, Competencies: a.Competencies, Cells: make([]DiffCell, len(a.Cells)),
		OnlyA: []CellRef{}, OnlyB: []CellRef{}, Neither: []CellRef{}}
	for i, ca := range a.Cells {
		cb := b.Cells[i]
		dc := DiffCell{Competency: ca.Competency, Level: ca.Level, A: ca.Count, B: cb.Count}
		ref := CellRef{Competency: ca.Competency, Level: ca.Level}
		switch {
		case ca.Count > 0 && cb.Count > 0:
			dc.Status = StatusBoth
		case ca.Count > 0:
			dc.Status = StatusOnlyA
			d.OnlyA = append(d.OnlyA, ref)
		case cb.Count > 0:
			dc.Status = StatusOnlyB
			dc.Fill = slices.Clone(cb.Resources)
			d.OnlyB = append(d.OnlyB, ref)
		default:
			dc.Status = StatusNeither
			d.Neither = append(d.Neither, ref)
		}
		d.Cells[i] = dc
	}
	return d, ctx.Err()
}
