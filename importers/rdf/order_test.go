package rdf_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/ontology"
)

// Entities that refer to each other (a cycle of skos:broader, which the
// shapes allow) cannot be written one after the other: they are written
// together once the deferred passes stop making progress.
func TestEntitiesInACycleAreWrittenTogether(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "<http://example.org/s> <%s> <%s> .\n<http://example.org/s> <%s> \"S\"@fr .\n", ontology.Type, ontology.ConceptScheme, ontology.PrefLabel)
	for i := 0; i < 3; i++ {
		fmt.Fprintf(&b, "<http://example.org/k%d> <%s> <%s> .\n", i, ontology.Type, ontology.Concept)
		fmt.Fprintf(&b, "<http://example.org/k%d> <%s> <http://example.org/s> .\n", i, ontology.InScheme)
		fmt.Fprintf(&b, "<http://example.org/k%d> <%s> \"k%d\"@fr .\n", i, ontology.PrefLabel, i)
		fmt.Fprintf(&b, "<http://example.org/k%d> <%s> <http://example.org/k%d> .\n", i, ontology.Broader, (i+1)%3)
	}
	// One concept refers to a concept that is nowhere: it is reported with
	// the line where it starts, and the others are written.
	fmt.Fprintf(&b, "<http://example.org/lost> <%s> <%s> .\n", ontology.Type, ontology.Concept)
	fmt.Fprintf(&b, "<http://example.org/lost> <%s> <http://example.org/s> .\n", ontology.InScheme)
	fmt.Fprintf(&b, "<http://example.org/lost> <%s> \"perdu\"@fr .\n", ontology.PrefLabel)
	fmt.Fprintf(&b, "<http://example.org/lost> <%s> <http://example.org/nowhere> .\n", ontology.Broader)
	for _, lean := range []bool{false, true} {
		s := newStackOf(t, lean)
		rep, err := importString(t, s, rdf.NQuads, b.String(), rdf.Options{SortBudget: 512})
		if err != nil || rep.Written != 4 || rep.Rejected != 1 {
			t.Fatalf("lean %v: %v %+v", lean, err, rep)
		}
		if !errorAt(rep, 15, "nowhere") {
			t.Errorf("lean %v: the concept with an unknown broader concept is not reported at line 15: %+v", lean, rep.Errors)
		}
		for i := 0; i < 3; i++ {
			if s.Get(t, fmt.Sprintf("http://example.org/k%d", i)) == nil {
				t.Errorf("lean %v: k%d of the cycle was not written", lean, i)
			}
		}
	}
}

// Statements about blank nodes may come before the statement that refers
// to them, and blank nodes may nest: each goes with the entity at the top,
// whatever the runs the sorted files spill.
func TestBlankNodesJoinTheirEntityWhereverTheyAre(t *testing.T) {
	var b strings.Builder
	const n = 200
	for i := 0; i < n; i++ {
		// The alignment's statements first, then the resource, then the
		// reference: _:w is reached from the resource through _:a.
		fmt.Fprintf(&b, "_:a%d <https://schema.org/alignmentType> \"teaches\" .\n", i)
		fmt.Fprintf(&b, "_:a%d <https://schema.org/targetUrl> <http://localhost:8080/competencies/crcn-1.1> .\n", i)
		fmt.Fprintf(&b, "_:w%d <https://schema.org/name> \"note %d\" .\n", i, i)
		fmt.Fprintf(&b, "_:a%d <https://schema.org/description> _:w%d .\n", i, i)
		fmt.Fprintf(&b, "<http://example.org/r/%d> <%s> <https://schema.org/LearningResource> .\n", i, ontology.Type)
		fmt.Fprintf(&b, "<http://example.org/r/%d> <https://schema.org/name> \"Ressource %d\" .\n", i, i)
		fmt.Fprintf(&b, "<http://example.org/r/%d> <https://schema.org/educationalAlignment> _:a%d .\n", i, i)
	}
	for _, budget := range []int{0, 300} {
		s := newStack(t)
		rep, err := importString(t, s, rdf.NQuads, b.String(), rdf.Options{SortBudget: budget})
		if err != nil || rep.Written != n || rep.Rejected != 0 || len(rep.Errors) != 0 {
			t.Fatalf("budget %d: %v; written %d, rejected %d, first errors %v", budget, err, rep.Written, rep.Rejected, rep.Errors[:min(3, len(rep.Errors))])
		}
		for _, i := range []int{0, 57, n - 1} {
			r := s.Get(t, fmt.Sprintf("http://example.org/r/%d", i))
			if r == nil || len(r.Alignments(nil)) != 1 || len(r.Triples) < 7 {
				t.Fatalf("budget %d: resource %d lost its blank nodes: %+v", budget, i, r)
			}
		}
	}
}

// recorder is a Progress that keeps what it is told.
type recorder struct {
	phases []phase
}

type phase struct {
	name  string
	total int64
	unit  string
	added int64
	ended bool
}

func (r *recorder) Begin(name string, total int64, unit string) {
	r.phases = append(r.phases, phase{name: name, total: total, unit: unit})
}
func (r *recorder) Add(n int64) { r.phases[len(r.phases)-1].added += n }
func (r *recorder) End()        { r.phases[len(r.phases)-1].ended = true }

// Progress follows the bytes read, then the statements checked (strict)
// and written, each phase ending where its total says.
func TestProgressFollowsEveryPhase(t *testing.T) {
	text := ""
	for i := 0; i < 50; i++ {
		text += fmt.Sprintf("<http://example.org/r/%d> <%s> <https://schema.org/LearningResource> .\n<http://example.org/r/%d> <https://schema.org/name> \"R%d\" .\n", i, ontology.Type, i, i)
	}
	s := newStack(t)
	rec := &recorder{}
	var logs []string
	rep, err := importString(t, s, rdf.NQuads, text, rdf.Options{Strict: true, Size: int64(len(text)), Progress: rec,
		Log: func(m string) { logs = append(logs, m) }})
	if err != nil || rep.Written != 50 {
		t.Fatalf("%v %+v", err, rep)
	}
	want := []phase{
		{name: "reading", total: int64(len(text)), unit: "bytes", added: int64(len(text)), ended: true},
		{name: "checking", total: 100, unit: "statements", added: 100, ended: true},
		{name: "writing", total: 100, unit: "statements", added: 100, ended: true},
	}
	if fmt.Sprint(rec.phases) != fmt.Sprint(want) {
		t.Errorf("phases:\n got %v\nwant %v", rec.phases, want)
	}
	if len(logs) < 2 || !strings.Contains(strings.Join(logs, "\n"), "read 100 statements") {
		t.Errorf("log lines: %q", logs)
	}
}
