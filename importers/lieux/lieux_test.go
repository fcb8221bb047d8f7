package lieux_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/lieux"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/importers/sink/sinktest"
	"github.com/trame-commun/trame/internal/bundled"
	"github.com/trame-commun/trame/internal/catalog/catalogtest"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/store"
	"github.com/trame-commun/trame/ontology"
)

const base = "http://localhost:8080/"

// newSink wires the real stack (badger in a temporary directory, the graph
// view, the catalog with the bundled reference data).
func newSink(t testing.TB) (*sink.Local, *store.Badger) {
	t.Helper()
	c := sinktest.New(t, catalogtest.Options{Sets: []bundled.Set{bundled.Reference}})
	return c.Sink, c.Store
}

func importFile(t *testing.T, s sink.Sink, path string, strict bool) (*lieux.Report, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return lieux.Import(context.Background(), f, lieux.Options{Sink: s, Strict: strict})
}

func TestLieuxCSVRoundTrips(t *testing.T) {
	s, _ := newSink(t)
	rep, err := importFile(t, s, "testdata/lieux.csv", true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Lieux != 6 || len(rep.Errors) != 0 {
		t.Fatalf("%+v", rep)
	}
	var out bytes.Buffer
	n, err := lieux.Export(context.Background(), s, &out)
	if err != nil || n != 6 {
		t.Fatalf("%d rows, %v", n, err)
	}
	src, _ := os.ReadFile("testdata/lieux.csv")
	if out.String() != string(src) {
		t.Errorf("the export differs from the source:\n--- source\n%s\n--- export\n%s", src, out.String())
	}
}

func TestLieuxAreLinkedToTheirOrganisationAndServices(t *testing.T) {
	s, _ := newSink(t)
	if _, err := importFile(t, s, "testdata/lieux.csv", true); err != nil {
		t.Fatal(err)
	}
	lieu := lieux.LieuIRI(base, "Hubik", "lieu-001")
	org := lieux.OrgIRI(base, "43493312300029")
	got, err := s.Get(context.Background(), []string{lieu, org, base + "vocab/departements/51"})
	if err != nil {
		t.Fatal(err)
	}
	l := got[lieu]
	if l == nil || l.First(ontology.Schema+"parentOrganization") != org || got[org].First(ontology.Siret) != "43493312300029" {
		t.Fatalf("lieu not linked to its organisation by SIRET: %+v", l)
	}
	if l.First(ontology.Schema+"areaServed") != base+"vocab/departements/51" {
		t.Errorf("département not derived from the INSEE code")
	}
	if n := len(l.Values(ontology.Schema + "makesOffer")); n != 3 {
		t.Errorf("%d services offered, want 3", n)
	}
	corsica, _ := s.Get(context.Background(), []string{lieux.LieuIRI(base, "Coop Numérique", "B-77")})
	for _, e := range corsica {
		if e.First(ontology.Schema+"areaServed") != base+"vocab/departements/2A" {
			t.Errorf("Corsica: %v", e.First(ontology.Schema+"areaServed"))
		}
	}
}

func TestEveryCellErrorIsReportedWithItsLineAndColumn(t *testing.T) {
	s, st := newSink(t)
	before, _ := st.LastSeq(context.Background())
	_, err := importFile(t, s, "testdata/lieux-errors.csv", true)
	de, ok := err.(*domain.Error)
	if !ok || de.Kind != domain.KindInvalid {
		t.Fatalf("strict mode must refuse the file: %v", err)
	}
	if now, _ := st.LastSeq(context.Background()); now != before {
		t.Error("a refused file wrote something")
	}
	want := []string{
		"line 3, column 2 (pivot)", "line 3, column 5 (code_postal)", "line 3, column 8 (latitude)",
		"line 3, column 10 (telephone)", "line 3, column 11 (courriels)", "line 3, column 12 (site_web)",
		"line 3, column 13 (horaires)", "line 3, column 14 (date_maj)", "line 3, column 15 (services)",
		"line 3, column 16 (itinerance)", "line 4, column 1 (id)", "line 4, column 3 (nom)",
		"line 4, column 9 (longitude)", "line 4, column 15 (services)", "line 5, column 1 (id)",
	}
	for _, w := range want {
		found := false
		for _, f := range de.Fields {
			found = found || f.Path == w
		}
		if !found {
			t.Errorf("no error at %s", w)
		}
	}
	for _, f := range de.Fields {
		if f.Path == "line 3, column 15 (services)" && !strings.Contains(f.Message, "did you mean") {
			t.Errorf("a value differing by case must suggest the right one: %s", f.Message)
		}
	}
	rep, err := importFile(t, s, "testdata/lieux-errors.csv", false)
	if err != nil || rep.Lieux != 1 || rep.Skipped != 3 {
		t.Fatalf("without --strict the valid row is imported and the others skipped: %v %+v", err, rep)
	}
}

func TestReimportingTheSameFileChangesNothing(t *testing.T) {
	s, st := newSink(t)
	if _, err := importFile(t, s, "testdata/lieux.csv", true); err != nil {
		t.Fatal(err)
	}
	before, _ := st.LastSeq(context.Background())
	rep, err := importFile(t, s, "testdata/lieux.csv", true)
	if now, _ := st.LastSeq(context.Background()); err != nil || now != before || rep.Written != 0 {
		t.Fatalf("second import wrote %d changes: %v %+v", now-before, err, rep)
	}
}

func TestAHeaderOutsideTheStandardIsRefused(t *testing.T) {
	s, _ := newSink(t)
	_, err := lieux.Import(context.Background(), strings.NewReader("id,nom,pivot,commune,code_postal,adresse,date_maj,couleur\n"), lieux.Options{Sink: s})
	if !domain.IsKind(err, domain.KindInvalid) || !strings.Contains(err.Error(), "couleur") {
		t.Fatalf("%v", err)
	}
}

func FuzzRead(f *testing.F) {
	b, _ := os.ReadFile("testdata/lieux.csv")
	f.Add(string(b))
	e, _ := os.ReadFile("testdata/lieux-errors.csv")
	f.Add(string(e))
	f.Add("id;pivot;nom\n\"a;b\";1;x\n")
	f.Fuzz(func(t *testing.T, doc string) {
		rows, errs, err := lieux.Read(strings.NewReader(doc))
		if err != nil {
			return
		}
		for _, e := range errs {
			if e.Line < 1 {
				t.Fatalf("error without a line: %+v", e)
			}
		}
		for _, r := range rows {
			if r.Line < 2 {
				t.Fatalf("row on line %d", r.Line)
			}
		}
	})
}
