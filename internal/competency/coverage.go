package competency

import (
	"context"
	"fmt"
	"sort"

	"github.com/trame-commun/trame/internal/domain"
)

// Scope selects the resources a coverage counts. Empty fields select
// everything: the zero Scope is the whole Commun. Set fields intersect.
type Scope struct {
	Publisher   string   `json:"editeur,omitempty"`     // schema:publisher IRI
	Departement string   `json:"departement,omitempty"` // département concept IRI (schema:spatialCoverage)
	Resources   []string `json:"resources,omitempty"`   // resource IRIs
}

// IsAll reports whether s is the whole Commun.
func (s Scope) IsAll() bool { return s.Publisher == "" && s.Departement == "" && len(s.Resources) == 0 }

// CoverageRequest asks for the coverage of a framework by a scope.
type CoverageRequest struct {
	Framework  string
	Scope      Scope
	CloseMatch bool // count alignments made through skos:closeMatch (marked)
	WithDrafts bool // count drafts (never for anonymous callers)
	Lang       string
}

// Coverage is a framework's competency × level grid for a scope. Levels are
// cumulative: a resource teaching or assessing level n is in cells 1..n.
type Coverage struct {
	Framework      string          `json:"framework"`
	FrameworkLabel string          `json:"frameworkLabel"`
	Scope          Scope           `json:"scope"`
	CloseMatch     bool            `json:"closeMatch"`
	Levels         int             `json:"levels"`
	ResourceCount  int             `json:"resourceCount"` // resources in the scope
	Competencies   []CompetencyRef `json:"competencies"`
	Cells          []Cell          `json:"cells"`
	Uncovered      []CellRef       `json:"uncovered"`
}

// CompetencyRef names a competency.
type CompetencyRef struct {
	IRI      string `json:"iri"`
	Notation string `json:"notation,omitempty"`
	Label    string `json:"label"`
}

// Cell is one competency × level with the resources that cover it.
// ViaExactMatch lists those counted through an exactMatch crosswalk (their
// alignment names another framework's competency), ViaCloseMatch those
// counted only through a closeMatch (when asked).
type Cell struct {
	Competency    string   `json:"competency"`
	Level         int      `json:"level"`
	Count         int      `json:"count"`
	Resources     []string `json:"resources"`
	ViaExactMatch []string `json:"viaExactMatch,omitempty"`
	ViaCloseMatch []string `json:"viaCloseMatch,omitempty"`
}

// CellRef names a cell.
type CellRef struct {
	Competency string `json:"competency"`
	Level      int    `json:"level"`
}

const opCoverage = "competency.Coverage"

// Coverage computes the coverage of req.Framework by req.Scope.
func (v *View) Coverage(ctx context.Context, req CoverageRequest) (*Coverage, error) {
	ix := v.snapshot(req.WithDrafts)
	fw, err := ix.framework(opCoverage, req.Framework)
	if err != nil {
		return nil, err
	}
	req.Scope = ix.resolveScope(req.Scope)
	in, err := ix.scope(opCoverage, req.Scope, "")
	if err != nil {
		return nil, err
	}
	return ix.coverage(fw, req.Scope, in, req.CloseMatch, req.Lang), ctx.Err()
}

// framework returns the framework iri names, or a KindInvalid error that
// lists the frameworks there are.
func (ix *index) framework(op, iri string) (*framework, error) {
	if fw := ix.frameworks[iri]; fw != nil {
		return fw, nil
	}
	var known []string
	for _, f := range ix.fwList {
		known = append(known, f.iri)
	}
	msg := "unknown framework"
	if iri == "" {
		msg = "a framework is required"
	}
	return nil, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: fmt.Sprintf("%s: name one of %v", msg, known),
		Fields: []domain.FieldError{{Path: "referentiel", Message: fmt.Sprintf("%q is not a competency framework", iri)}}}
}

// resolveScope turns a département code into its IRI.
func (ix *index) resolveScope(s Scope) Scope {
	if iri := ix.placeIRI(s.Departement); iri != "" {
		s.Departement = iri
	}
	return s
}

// scope returns the membership of the resources s selects (nil: all).
func (ix *index) scope(op string, s Scope, prefix string) ([]bool, error) {
	var fields []domain.FieldError
	if s.Publisher != "" && ix.orgs[s.Publisher] == "" {
		fields = append(fields, domain.FieldError{Path: prefix + "editeur", Message: fmt.Sprintf("%q is not a known organisation", s.Publisher)})
	}
	if s.Departement != "" && !ix.placeIRIs[s.Departement] {
		fields = append(fields, domain.FieldError{Path: prefix + "departement", Message: fmt.Sprintf("%q is not a known département", s.Departement)})
	}
	for _, r := range s.Resources {
		if _, ok := ix.resByIRI[r]; !ok {
			fields = append(fields, domain.FieldError{Path: prefix + "resources", Message: fmt.Sprintf("%q is not a known resource", r)})
		}
	}
	if len(fields) > 0 {
		return nil, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "the scope names unknown entities", Fields: fields}
	}
	if s.IsAll() {
		return nil, nil
	}
	count := make([]uint8, len(ix.resources))
	want := uint8(0)
	mark := func(ids []int32) {
		want++
		for _, id := range ids {
			if count[id] == want-1 {
				count[id] = want
			}
		}
	}
	if s.Publisher != "" {
		mark(ix.byPub[s.Publisher])
	}
	if s.Departement != "" {
		mark(ix.byPlace[s.Departement])
	}
	if len(s.Resources) > 0 {
		var ids []int32
		for _, r := range s.Resources {
			ids = append(ids, ix.resByIRI[r])
		}
		mark(ids)
	}
	in := make([]bool, len(ix.resources))
	for i, c := range count {
		in[i] = c == want
	}
	return in, nil
}

// via ranks how a resource reaches a cell: directly, through exactMatch,
// through closeMatch.
const (
	viaDirect = iota
	viaExact
	viaClose
)

func (ix *index) coverage(fw *framework, s Scope, in []bool, closeMatch bool, lang string) *Coverage {
	cov := &Coverage{Framework: fw.iri, FrameworkLabel: fw.label, Scope: s, CloseMatch: closeMatch, Levels: fw.levels,
		Competencies: []CompetencyRef{}, Cells: []Cell{}, Uncovered: []CellRef{}}
	for i := range ix.resources {
		if in == nil || in[i] {
			cov.ResourceCount++
		}
	}
	for _, c := range fw.cells {
		cov.Competencies = append(cov.Competencies, CompetencyRef{IRI: c.iri, Notation: c.notation, Label: c.label(lang)})
		best := ix.reaching(c, in, closeMatch)
		ids := make([]int32, 0, len(best))
		for id := range best {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
		for l := 1; l <= fw.levels; l++ {
			cell := Cell{Competency: c.iri, Level: l, Resources: []string{}}
			for _, id := range ids {
				via := -1
				for k, top := range best[id] {
					if int(top) >= l {
						via = k
						break
					}
				}
				switch via {
				case -1:
					continue
				case viaExact:
					cell.ViaExactMatch = append(cell.ViaExactMatch, ix.resources[id].iri)
				case viaClose:
					cell.ViaCloseMatch = append(cell.ViaCloseMatch, ix.resources[id].iri)
				}
				cell.Resources = append(cell.Resources, ix.resources[id].iri)
			}
			cell.Count = len(cell.Resources)
			if cell.Count == 0 {
				cov.Uncovered = append(cov.Uncovered, CellRef{Competency: c.iri, Level: l})
			}
			cov.Cells = append(cov.Cells, cell)
		}
	}
	return cov
}

// reaching returns, per resource of the scope aligned to c (or to a
// competency of its class, or of a closeMatch class when asked), the
// highest level it teaches or assesses by each way of reaching c.
func (ix *index) reaching(c *concept, in []bool, closeMatch bool) map[int32]*[3]int8 {
	out := map[int32]*[3]int8{}
	add := func(al classAlign, via int) {
		if in != nil && !in[al.res] {
			return
		}
		b := out[al.res]
		if b == nil {
			b = &[3]int8{}
			out[al.res] = b
		}
		b[via] = max(b[via], al.level)
	}
	for _, al := range ix.byClass[c.class] {
		if al.competency == c.iri {
			add(al, viaDirect)
		} else {
			add(al, viaExact)
		}
	}
	if closeMatch {
		for _, k := range ix.classes[c.class].close {
			for _, al := range ix.byClass[k] {
				add(al, viaClose)
			}
		}
	}
	return out
}
