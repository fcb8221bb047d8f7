package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/trame-commun/trame/importers/frameworks"
	"github.com/trame-commun/trame/importers/lieux"
)

// runFramework is trame framework export: a framework back to a Moodle
// competency CSV or SKOS Turtle (the formats it can be imported from).
func runFramework(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(stderr, "usage: trame framework export --format moodle-csv|skos [--lang fr] [--out FILE] IRI")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return errHelp
		}
		return usageError{errors.New("the framework command has one action: export")}
	}
	fs, t := importFlags("framework export", stderr)
	format := fs.String("format", "", "moodle-csv or skos (required)")
	lang := fs.String("lang", "fr", "moodle-csv: language of shortnames and descriptions")
	out := fs.String("out", "-", "file to write (- for the standard output)")
	pos, err := parseArgs(fs, &t.cfg, args[1:], 1, "the IRI of a framework or of one of its versions")
	if err != nil {
		return err
	}
	if *format != "moodle-csv" && *format != "skos" {
		return usageError{fmt.Errorf("--format must be moodle-csv or skos, not %q", *format)}
	}
	s, _, closeSink, err := t.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer closeSink()
	snap, err := frameworks.Load(ctx, s, resolveIRI(s.BaseIRI(), pos[0]))
	if err != nil {
		return err
	}
	return writeOut(*out, stdout, func(w io.Writer) error {
		if *format == "skos" {
			return frameworks.ExportSKOS(snap, w)
		}
		return frameworks.ExportMoodle(snap, w, *lang)
	})
}

// runLieux is trame lieux export: every lieu as the national standard CSV.
func runLieux(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(stderr, "usage: trame lieux export [--out FILE]   (import with: trame import lieux FILE.csv)")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return errHelp
		}
		return usageError{errors.New("the lieux command has one action: export")}
	}
	fs, t := importFlags("lieux export", stderr)
	out := fs.String("out", "-", "file to write (- for the standard output)")
	if _, err := parseArgs(fs, &t.cfg, args[1:], 0, "no argument after the flags"); err != nil {
		return err
	}
	s, _, closeSink, err := t.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer closeSink()
	n := 0
	err = writeOut(*out, stdout, func(w io.Writer) error {
		var err error
		n, err = lieux.Export(ctx, s, w)
		return err
	})
	if err == nil && *out != "-" {
		fmt.Fprintf(stdout, "%d lieux written to %s\n", n, *out)
	}
	return err
}

// writeOut writes to stdout or, atomically, to a file.
func writeOut(path string, stdout io.Writer, fn func(io.Writer) error) error {
	if path == "-" {
		return fn(stdout)
	}
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
