package frameworks_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/frameworks"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

func moodleRoundTrip(t *testing.T, s *stack, path string, opts frameworks.MoodleOptions) (string, string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	opts.Base = base
	fw, err := frameworks.ReadMoodle(bytes.NewReader(src), opts)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := frameworks.Import(context.Background(), fw, frameworks.Options{Sink: s.Sink, Now: day1})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := frameworks.Load(context.Background(), s.Sink, rep.VersionIRI)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := frameworks.ExportMoodle(snap, &out, "fr"); err != nil {
		t.Fatal(err)
	}
	return string(src), out.String()
}

func TestMoodleCSVRoundTripsByteForByte(t *testing.T) {
	t.Run("demo", func(t *testing.T) {
		src, out := moodleRoundTrip(t, newStack(t, false), "testdata/moodle-demo.csv", frameworks.MoodleOptions{})
		if src != out {
			t.Errorf("export differs from the source:\n--- source\n%s\n--- export\n%s", src, out)
		}
	})
	t.Run("Pix CRCN as Moodle CSV", func(t *testing.T) {
		src, out := moodleRoundTrip(t, newStack(t, true), reference(t, "frameworks/pix-crcn-moodle-lpimportcsv.csv"), frameworks.MoodleOptions{})
		if src != out {
			t.Errorf("export differs from the source:\n--- source\n%s\n--- export\n%s", src, out)
		}
	})
}

func TestMoodleImportIntoTheBundledCRCNKeepsWhatTheCSVDoesNotSay(t *testing.T) {
	s := newStack(t, true)
	before := s.Get(t, base+"competencies/crcn-1")
	_, out := moodleRoundTrip(t, s, reference(t, "frameworks/pix-crcn-moodle-lpimportcsv.csv"),
		frameworks.MoodleOptions{Framework: "frameworks/crcn", ConceptPrefix: "competencies/"})
	c := s.Get(t, base+"competencies/crcn-1")
	if c.First(ontology.InDataset) != base+"datasets/reference" || c.Label("en") != before.Label("en") {
		t.Errorf("merging with the bundled concept lost its statements: %v", c.Triples)
	}
	if c.Label("fr") != "1. Informations et données" {
		t.Errorf("the CSV's label must replace the bundled one: %q", c.Label("fr"))
	}
	if !strings.Contains(out, ",CRCN-1,1. Informations et données,\"Trouver, organiser") {
		t.Errorf("the export of the merged framework lacks the bundled definition:\n%.600s", out)
	}
}

func TestMoodleCSVErrorsAreLocated(t *testing.T) {
	header := strings.Join(frameworks.MoodleHeader, ",") + "\n"
	for _, tc := range []struct{ name, csv, path, msg string }{
		{"no framework row", header + ",A,Alpha,,1,,,,,,,,,\n", "Is framework", "no row"},
		{"duplicate id", header + ",F,Cadre,,1,\"1,2\",,,,,,,1,\n,A,Alpha,,1,,,,,,,,,\n,A,Encore,,1,,,,,,,,,\n", "line 4, column 2 (Id number)", "twice"},
		{"unknown parent", header + ",F,Cadre,,1,,,,,,,,1,\nZ,A,Alpha,,1,,,,,,,,,\n", "line 3, column 1 (Parent id number)", "\"Z\""},
		{"bad format", header + ",F,Cadre,,1,,,,,,,,1,\n,A,Alpha,,7,,,,,,,,,\n", "line 3, column 5 (Description format)", "\"7\""},
		{"unknown cross reference", header + ",F,Cadre,,1,,,,,,,,1,\n,A,Alpha,,1,,,,,,B,,,\n", "line 3, column 11", "\"B\""},
		{"second framework row", header + ",F,Cadre,,1,,,,,,,,1,\n,G,Autre,,1,,,,,,,,1,\n,A,Alpha,,1,,,,,,,,,\n", "line 3, column 13 (Is framework)", "second"},
		{"short row", header + ",F,Cadre,,1,,,,,,,,1,\n,A,Alpha\n", "line 3, column 1", "3 columns"},
		{"bad quote", header + ",F,Cadre,,1,,,,,,,,1,\n,A,\"Al\"pha,,1,,,,,,,,,\n", "line 3, column", "quote"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := frameworks.ReadMoodle(strings.NewReader(tc.csv), frameworks.MoodleOptions{Base: base})
			de, ok := err.(*domain.Error)
			if !ok || de.Kind != domain.KindInvalid {
				t.Fatalf("want an invalid-input error, got %v", err)
			}
			for _, f := range de.Fields {
				if strings.HasPrefix(f.Path, tc.path) && strings.Contains(f.Message, tc.msg) {
					return
				}
			}
			t.Errorf("no error at %q mentioning %q: %+v", tc.path, tc.msg, de.Fields)
		})
	}
	_, err := frameworks.ReadMoodle(strings.NewReader("a,b,c\n"), frameworks.MoodleOptions{Base: base})
	if !domain.IsKind(err, domain.KindInvalid) || !strings.Contains(err.Error(), "14") {
		t.Errorf("a file with another header must be refused: %v", err)
	}
}

func TestESCOCollectionBecomesAVersionOfTheBundledDigComp(t *testing.T) {
	s := newStack(t, true)
	path := reference(t, "frameworks/esco-v1.1.1-digCompSkillsCollection_en.csv")
	fw, err := frameworks.ReadESCO(open(t, path), frameworks.ESCOOptions{FileName: path})
	if err != nil {
		t.Fatal(err)
	}
	if fw.IRI != frameworks.ESCODigComp || len(fw.Concepts) != 26 || len(fw.Areas) != 5 {
		t.Fatalf("%s, %d concepts, %d areas", fw.IRI, len(fw.Concepts), len(fw.Areas))
	}
	rep, err := frameworks.Import(context.Background(), fw, frameworks.Options{Sink: s.Sink, Version: "ESCO 1.1.1", Now: day1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.VersionIRI != base+"frameworks/digcomp/esco-1.1.1" {
		t.Errorf("version IRI %s", rep.VersionIRI)
	}
	v := s.Get(t, rep.VersionIRI)
	if label := v.Label("fr"); !strings.Contains(label, "DigComp") {
		t.Errorf("the version took no name from the bundled framework: %q", label)
	}
	c := s.Get(t, "http://data.europa.eu/esco/skill/14832d87-2f2f-4895-b290-e4760ebae42a") // solve technical problems
	if len(c.Values(ontology.BroadMatch)) != 2 || c.First(ontology.Broader) != "http://data.europa.eu/esco/skill/7e5147d1-60b1-4a68-804b-1f5cb0396b91" {
		t.Errorf("broader concepts: in the file → broader, outside → broadMatch: %v", c.Triples)
	}
	if len(c.Values(ontology.AltLabel)) == 0 {
		t.Error("alt labels lost")
	}
}

func TestPixReferentialBecomesAVersionOfTheBundledCRCN(t *testing.T) {
	s := newStack(t, true)
	fw, err := frameworks.ReadPix(open(t, reference(t, "frameworks/pix-crcn-referentiel.json")), frameworks.PixOptions{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	if len(fw.Concepts) != 21 || len(fw.Areas) != 5 {
		t.Fatalf("%d concepts, %d areas", len(fw.Concepts), len(fw.Areas))
	}
	bundled := s.Get(t, base+"competencies/crcn-1.1")
	rep, err := frameworks.Import(context.Background(), fw, frameworks.Options{Sink: s.Sink, Now: day1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != "2026-03-01" || rep.VersionIRI != base+"frameworks/crcn/2026-03-01" {
		t.Errorf("%+v", rep)
	}
	c := s.Get(t, base+"competencies/crcn-1.1")
	if len(c.Values(ontology.Keywords)) < 5 {
		t.Error("the thématiques were not kept as keywords")
	}
	for _, p := range []string{ontology.Prerequisite, ontology.ExactMatch, ontology.CloseMatch} {
		if len(bundled.Values(p)) != len(c.Values(p)) {
			t.Errorf("merging lost the bundled %s links", p)
		}
	}
	if en := c.Label("en"); en == "" || en == c.Label("fr") {
		t.Errorf("the bundled English label was lost: %q", en)
	}
}

func TestPixErrorsAreLocated(t *testing.T) {
	_, err := frameworks.ReadPix(strings.NewReader(`{"areas":[{"code":"1","title_fr":"Un","competences":[{"code":"1","name_fr":""}]}]}`), frameworks.PixOptions{Base: base})
	de, ok := err.(*domain.Error)
	if !ok || len(de.Fields) != 2 || de.Fields[0].Path != "/areas/0/competences/0/code" {
		t.Fatalf("%+v", err)
	}
}

func FuzzReadMoodle(f *testing.F) {
	b, _ := os.ReadFile("testdata/moodle-demo.csv")
	f.Add(string(b))
	f.Add(strings.Join(frameworks.MoodleHeader, ",") + "\n,F,x,,1,,,,,,,,1,\nF,A,\"a\"\"b\",,1,,,,,,A,,,\n")
	f.Fuzz(func(t *testing.T, csv string) {
		fw, err := frameworks.ReadMoodle(strings.NewReader(csv), frameworks.MoodleOptions{Base: base})
		if err != nil {
			return
		}
		for _, c := range fw.Concepts {
			if !strings.HasPrefix(c.IRI, base+"competencies/") || strings.ContainsAny(c.IRI, " <>\"") {
				t.Fatalf("concept IRI %q", c.IRI)
			}
		}
	})
}

func FuzzReadESCO(f *testing.F) {
	f.Add("conceptUri,preferredLabel,altLabels,broaderConceptUri\nhttp://e/s/1,un,a | b,http://e/s/2\nhttp://e/s/2,deux,,\n")
	f.Add("conceptUri,preferredLabel\n\"http://e/1\",\"\"\"x\"\n")
	f.Fuzz(func(t *testing.T, csv string) {
		fw, err := frameworks.ReadESCO(strings.NewReader(csv), frameworks.ESCOOptions{Framework: "http://e/scheme"})
		if err == nil {
			for _, c := range fw.Concepts {
				if c.IRI == "" {
					t.Fatal("concept without IRI")
				}
			}
		}
	})
}

func FuzzReadPix(f *testing.F) {
	f.Add(`{"framework":"x","areas":[{"code":"1","title_fr":"Un","competences":[{"code":"1.1","name_fr":"a","thematiques_fr":["t"]}]}]}`)
	f.Add(`{"areas":null}`)
	f.Fuzz(func(t *testing.T, doc string) {
		fw, err := frameworks.ReadPix(strings.NewReader(doc), frameworks.PixOptions{Base: base})
		if err == nil && len(fw.Concepts) == 0 {
			t.Fatal("a framework without concepts accepted")
		}
	})
}
