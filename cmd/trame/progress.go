package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/rdf"
)

// isTerminal reports whether w is a terminal, where progress is a bar.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress shows a progress bar on a terminal and log lines otherwise.
func newProgress(w io.Writer) lesbases.Progress {
	if isTerminal(w) {
		return &barProgress{w: w}
	}
	return &lineProgress{w: w}
}

type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (p *barProgress) Begin(total int) {
	p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription("Les Bases"),
		progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100*time.Millisecond))
}

func (p *barProgress) Step(kind lesbases.Kind, id string, err error) { _ = p.bar.Add(1) }

func (p *barProgress) End() { _ = p.bar.Finish() }

// lineProgress writes a line every 10 % of the items or 10 seconds.
type lineProgress struct {
	w           io.Writer
	total, done int
	failed      int
	last        time.Time
	start       time.Time
	lastPercent int
}

func (p *lineProgress) Begin(total int) {
	p.total, p.start, p.last = total, time.Now(), time.Now()
	fmt.Fprintf(p.w, "Les Bases: %d documents to fetch\n", total)
}

func (p *lineProgress) Step(kind lesbases.Kind, id string, err error) {
	p.done++
	if err != nil {
		p.failed++
		fmt.Fprintf(p.w, "Les Bases: %s %s failed: %v\n", kind, id, err)
	}
	pct := 100 * p.done / max(1, p.total)
	if pct/10 > p.lastPercent/10 || time.Since(p.last) > 10*time.Second {
		p.lastPercent, p.last = pct, time.Now()
		fmt.Fprintf(p.w, "Les Bases: %d/%d fetched (%d%%, %d failed, %s)\n", p.done, p.total, pct, p.failed, time.Since(p.start).Round(time.Second))
	}
}

func (p *lineProgress) End() {}

// newPhaseProgress follows an RDF import: a bar per phase on a terminal,
// log lines otherwise.
func newPhaseProgress(w io.Writer, prefix string) rdf.Progress {
	if isTerminal(w) {
		return &phaseBar{w: w, throttle: 100 * time.Millisecond}
	}
	return &phaseLines{w: w, prefix: prefix}
}

// phaseBar draws a bar for each phase (bytes while reading).
type phaseBar struct {
	w        io.Writer
	throttle time.Duration // least time between two drawings
	bar      *progressbar.ProgressBar
}

func (p *phaseBar) Begin(phase string, total int64, unit string) {
	if total <= 0 {
		total = -1 // a spinner
	}
	opts := []progressbar.Option{progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(phase),
		progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(p.throttle)}
	if unit == "bytes" {
		opts = append(opts, progressbar.OptionShowBytes(true))
	} else {
		opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit))
	}
	p.bar = progressbar.NewOptions64(total, opts...)
}

func (p *phaseBar) Add(n int64) { _ = p.bar.Add64(n) }

func (p *phaseBar) End() { _ = p.bar.Finish() }

// phaseLines writes a line every 10 % of a phase (or every 10 seconds when
// its total is unknown, and at least every 10 seconds otherwise).
type phaseLines struct {
	w           io.Writer
	prefix      string
	phase, unit string
	total, done int64
	start, last time.Time
	lastPercent int64
}

func (p *phaseLines) Begin(phase string, total int64, unit string) {
	p.phase, p.total, p.unit, p.done, p.lastPercent = phase, total, unit, 0, 0
	p.start, p.last = time.Now(), time.Now()
}

func (p *phaseLines) Add(n int64) {
	p.done += n
	pct := int64(-1)
	if p.total > 0 {
		pct = 100 * p.done / p.total
	}
	if (pct >= 0 && pct/10 > p.lastPercent/10) || time.Since(p.last) > 10*time.Second {
		p.lastPercent, p.last = max(pct, p.lastPercent), time.Now()
		p.line()
	}
}

func (p *phaseLines) line() {
	if p.total > 0 {
		fmt.Fprintf(p.w, "%s: %s: %d/%d %s (%d%%, %s)\n", p.prefix, p.phase, p.done, p.total, p.unit,
			100*p.done/p.total, time.Since(p.start).Round(time.Second))
		return
	}
	fmt.Fprintf(p.w, "%s: %s: %d %s (%s)\n", p.prefix, p.phase, p.done, p.unit, time.Since(p.start).Round(time.Second))
}

func (p *phaseLines) End() {
	if p.lastPercent < 100 {
		p.line()
	}
}
