package main

import (
	"bytes"
	"strings"
	"testing"
)

// On a terminal an RDF import draws a bar per phase, with its name, the
// count against the total and the unit (bytes shown as sizes).
func TestPhaseBarDrawsEachPhase(t *testing.T) {
	var out bytes.Buffer
	p := &phaseBar{w: &out}
	p.Begin("reading", 4<<20, "bytes")
	p.Add(1 << 20)
	p.End()
	p.Begin("writing", 200, "statements")
	p.Add(50)
	p.End()
	got := out.String()
	for _, want := range []string{"reading", "1.0/4.2 MB", "writing", "50/200", "statements/s"} {
		if !strings.Contains(got, want) {
			t.Errorf("the bars lack %q:\n%q", want, got)
		}
	}
}

// Without a terminal: a line every 10 % of a phase, and a closing line
// when the phase ends short of 100 % (an unknown total).
func TestPhaseLinesWriteTenthsAndTheEnd(t *testing.T) {
	var out bytes.Buffer
	p := &phaseLines{w: &out, prefix: "nquads"}
	p.Begin("writing", 100, "statements")
	for i := 0; i < 100; i++ {
		p.Add(1)
	}
	p.End()
	if n := strings.Count(out.String(), "nquads: writing: "); n != 10 {
		t.Errorf("%d lines for 100 statements, want 10:\n%s", n, out.String())
	}
	out.Reset()
	p.Begin("reading", 0, "bytes")
	p.Add(512)
	p.End()
	if got := out.String(); got != "nquads: reading: 512 bytes (0s)\n" {
		t.Errorf("unknown total: %q", got)
	}
}
