package frameworks_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trame-commun/trame/importers/rdf"
	"github.com/trame-commun/trame/internal/domain"
)

// TestSKOSExportReadsTheSameInRaptor checks the Turtle export with an
// independent parser: raptor's rapper (Debian raptor2-utils) must read it
// without warning and find the triples our parser finds.
func TestSKOSExportReadsTheSameInRaptor(t *testing.T) {
	if _, err := exec.LookPath("rapper"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("rapper is missing: apt-get install raptor2-utils")
		}
		t.Skip("rapper is missing (apt-get install raptor2-utils)")
	}
	out, _, _ := skosRoundTrip(t, "testdata/demo-v1.ttl")
	path := filepath.Join(t.TempDir(), "export.ttl")
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("rapper", "-q", "-i", "turtle", "-o", "ntriples", path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("rapper: %v\n%s", err, stderr.String())
	}
	theirs := &domain.Entity{}
	err := rdf.ReadNQuads(&stdout, false, func(st rdf.Statement) error {
		theirs.Triples = append(theirs.Triples, domain.Triple{S: st.S, P: st.P, O: st.O})
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ours := parseTurtle(t, out.String())
	if d := diff(ours, canonicalLines(theirs), nil); d != "" {
		t.Errorf("raptor reads the export differently:\n%s", d)
	}
	if !strings.Contains(out.String(), "owl:versionInfo") && !strings.Contains(out.String(), "versionInfo") {
		t.Error("the export does not state its version")
	}
}
