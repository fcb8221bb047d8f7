package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/trame-commun/trame/importers/frameworks"
	"github.com/trame-commun/trame/importers/lieux"
	"github.com/trame-commun/trame/importers/rdf"
)

func runImportFramework(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, t := importFlags("import framework", stderr)
	format := fs.String("format", "", "skos (Turtle, or JSON-LD for a .jsonld/.json file), esco-csv, moodle-csv or pix-json (required)")
	ver := fs.String("version", "", "label of the imported version (default: the one the file declares, else today's date)")
	fwIRI := fs.String("framework", "", "IRI of the framework (relative IRIs such as frameworks/crcn are under --base-iri)")
	prefix := fs.String("concept-prefix", "", "moodle-csv, pix-json: prefix of concept IRIs, before the id number or code")
	scheme := fs.String("scheme", "", "skos: the concept scheme to import when the file has several")
	label := fs.String("label", "", "esco-csv: name of the framework when the graph does not know it")
	lang := fs.String("lang", "", "language of labels: moodle-csv fr, esco-csv en by default")
	source := fs.String("source", "", "IRI the file comes from (prov:wasDerivedFrom of the version)")
	pos, err := parseArgs(fs, &t.cfg, args, 1, "one FILE")
	if err != nil {
		return err
	}
	switch frameworks.Format(*format) {
	case frameworks.SKOS, frameworks.ESCOCSV, frameworks.MoodleCSV, frameworks.PixJSON:
	default:
		return usageError{fmt.Errorf("--format must be skos, esco-csv, moodle-csv or pix-json, not %q", *format)}
	}
	if *fwIRI != "" && frameworks.Format(*format) == frameworks.SKOS {
		return usageError{fmt.Errorf("--framework is for CSV and JSON formats: a SKOS file names its scheme (choose one with --scheme)")}
	}
	f, _, err := fileOf(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	s, codec, closeSink, err := t.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer closeSink()
	base := s.BaseIRI()
	var fw *frameworks.Framework
	switch frameworks.Format(*format) {
	case frameworks.SKOS:
		if ext := strings.ToLower(filepath.Ext(pos[0])); ext == ".jsonld" || ext == ".json" {
			fw, err = frameworks.ReadSKOSJSONLD(f, codec, *scheme)
		} else {
			fw, err = frameworks.ReadSKOSTurtle(f, base, *scheme)
		}
	case frameworks.ESCOCSV:
		fw, err = frameworks.ReadESCO(f, frameworks.ESCOOptions{Framework: resolveIRI(base, *fwIRI), Label: *label, Lang: *lang, FileName: pos[0]})
		if *ver == "" {
			*ver = escoVersion(pos[0])
		}
	case frameworks.MoodleCSV:
		fw, err = frameworks.ReadMoodle(f, frameworks.MoodleOptions{Base: base, Framework: *fwIRI, ConceptPrefix: *prefix, Lang: *lang})
	case frameworks.PixJSON:
		fw, err = frameworks.ReadPix(f, frameworks.PixOptions{Base: base, Framework: *fwIRI, ConceptPrefix: *prefix})
	}
	if err != nil {
		return err
	}
	rep, err := frameworks.Import(ctx, fw, frameworks.Options{Sink: s, Version: *ver, Source: *source})
	if err != nil {
		return err
	}
	t.report(stdout, rep, func(w io.Writer) {
		if rep.Unchanged {
			fmt.Fprintf(w, "framework %s: %s\n", rep.Framework, rep.Note)
			return
		}
		fmt.Fprintf(w, "framework %s: version %q imported as %s, %d concepts, %d entities written\n",
			rep.Framework, rep.Version, rep.VersionIRI, rep.Concepts, rep.Written)
	})
	return nil
}

var escoRelease = regexp.MustCompile(`v(\d+(\.\d+)+)`)

// escoVersion reads the ESCO release in a file name ("…-v1.1.1-…" → "ESCO 1.1.1").
func escoVersion(name string) string {
	if m := escoRelease.FindStringSubmatch(filepath.Base(name)); m != nil {
		return "ESCO " + m[1]
	}
	return ""
}

func resolveIRI(base, iri string) string {
	if iri == "" || strings.Contains(iri, "://") {
		return iri
	}
	return base + strings.TrimPrefix(iri, "/")
}

func runImportLieux(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, t := importFlags("import lieux", stderr)
	strict := fs.Bool("strict", false, "refuse the whole file when any cell is wrong (otherwise rows with errors are skipped)")
	pos, err := parseArgs(fs, &t.cfg, args, 1, "one FILE.csv")
	if err != nil {
		return err
	}
	f, _, err := fileOf(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	s, _, closeSink, err := t.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer closeSink()
	rep, err := lieux.Import(ctx, f, lieux.Options{Sink: s, Strict: *strict})
	if err != nil && rep.Rows == 0 && len(rep.Errors) == 0 {
		return err
	}
	t.report(stdout, rep, func(w io.Writer) {
		fmt.Fprintf(w, "lieux: %d rows, %d imported (%d written, %d unchanged), %d skipped for errors, in %.1f s\n",
			rep.Rows, rep.Lieux, rep.Written, rep.Unchanged, rep.Skipped, rep.Seconds)
		printErrors(w, len(rep.Errors)+rep.MoreErrors, func(i int) string { return rep.Errors[i].String() }, len(rep.Errors))
	})
	return err
}

// printErrors prints at most 50 errors and how many more there are.
func printErrors(w io.Writer, total int, line func(i int) string, listed int) {
	for i := 0; i < listed && i < 50; i++ {
		fmt.Fprintln(w, "  "+line(i))
	}
	if total > min(listed, 50) {
		fmt.Fprintf(w, "  … and %d more (--json lists up to %d)\n", total-min(listed, 50), listed)
	}
}

func runImportRDF(ctx context.Context, format string, args []string, stdout, stderr io.Writer) error {
	fs, t := importFlags("import "+format, stderr)
	graph := fs.String("graph", "", "IRI of the source: every entity gets void:inDataset IRI (N-Quads graph labels do the same without it)")
	strict := fs.Bool("strict", false, "refuse the whole file at the first error; nothing is written")
	baseFlag := fs.String("base", "", "turtle: base IRI of relative IRIs (default: --base-iri)")
	pos, err := parseArgs(fs, &t.cfg, args, 1, "one FILE (- for the standard input)")
	if err != nil {
		return err
	}
	if *graph != "" && !strings.Contains(*graph, "://") {
		return usageError{fmt.Errorf("--graph %q must be an absolute IRI", *graph)}
	}
	f, size, err := fileOf(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	size = max(size, 0)
	s, codec, closeSink, err := t.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer closeSink()
	opts := rdf.Options{Format: rdf.Format(format), Sink: s, Codec: codec, Graph: *graph, Strict: *strict, Base: *baseFlag, Size: size}
	if !*t.asJSON {
		start := time.Now()
		opts.Log = func(msg string) {
			fmt.Fprintf(stderr, "%s: %s (%s)\n", format, msg, time.Since(start).Round(time.Second))
		}
		opts.Progress = newPhaseProgress(stderr, format)
	}
	rep, err := rdf.Import(ctx, f, opts)
	t.report(stdout, rep, func(w io.Writer) {
		fmt.Fprintf(w, "%s: %d statements, %d entities: %d written, %d unchanged, %d rejected; %.1f s (%.0f statements/s)\n",
			format, rep.Statements, rep.Entities, rep.Written, rep.Unchanged, rep.Rejected, rep.Seconds, float64(rep.Statements)/max(rep.Seconds, 1e-9))
		printErrors(w, len(rep.Errors)+rep.MoreErrors, func(i int) string {
			e := rep.Errors[i]
			if e.IRI != "" {
				return fmt.Sprintf("line %d: %s: %s", e.Line, e.IRI, e.Message)
			}
			return fmt.Sprintf("line %d: %s", e.Line, e.Message)
		}, len(rep.Errors))
	})
	return err
}
