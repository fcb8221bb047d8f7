package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/trame-commun/trame/internal/jsonld"
	"github.com/trame-commun/trame/internal/opendata"
	"github.com/trame-commun/trame/internal/store"
)

// runExport writes a dump of the published data to a file:
// trame export --format nq|nt|ttl|jsonld [--gzip] [--dataset NAME] --out FILE.
// It reads the store directly (no view is built), so it needs the data
// directory of a stopped server; a running server serves the same dumps at
// /data/{dataset}.{format}[.gz].
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := flagSet("export", &cfg, stderr, "data", "base-iri")
	format := fs.String("format", "nq", "format of the dump: "+opendata.FormatNames())
	gz := fs.Bool("gzip", false, "gzip the output")
	dataset := fs.String("dataset", opendata.All, fmt.Sprintf("dataset to export: %v", opendata.DatasetNames()))
	out := fs.String("out", "", "file to write (required; - for standard output)")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{fmt.Errorf("--out FILE is required")}
	}
	if err := opendata.CheckDump(opendata.DumpRequest{Dataset: *dataset, Format: *format}); err != nil {
		return usageError{err}
	}
	if _, err := os.Stat(cfg.Data); err != nil {
		return fmt.Errorf("no data directory %s: %w", cfg.Data, err)
	}
	st, err := store.Open(store.Options{Dir: cfg.Data})
	if err != nil {
		return fmt.Errorf("opening %s (is `trame serve` running on it? stop it, or download /data/%s.%s from the server): %w", cfg.Data, *dataset, *format, err)
	}
	defer st.Close()
	svc := opendata.New(opendata.Config{Store: st, Codec: jsonld.New(cfg.BaseIRI), BaseIRI: cfg.BaseIRI})
	req := opendata.DumpRequest{Dataset: *dataset, Format: *format, Gzip: *gz}
	start := time.Now()
	var stats opendata.DumpStats
	if *out == "-" {
		stats, err = svc.Dump(ctx, stdout, req)
	} else {
		stats, err = dumpToFile(ctx, svc, req, *out)
	}
	if err != nil {
		return err
	}
	took := time.Since(start)
	if *out != "-" {
		fmt.Fprintf(stdout, "exported %s: %d entities, %d quads, %d bytes to %s in %s (%.0f quads/s)\n",
			*dataset, stats.Entities, stats.Quads, stats.Bytes, *out, took.Round(time.Millisecond), float64(stats.Quads)/took.Seconds())
	}
	return nil
}

// dumpToFile writes the dump to FILE.partial, then renames it: a failed
// export never leaves a complete-looking file.
func dumpToFile(ctx context.Context, svc *opendata.Service, req opendata.DumpRequest, path string) (opendata.DumpStats, error) {
	tmp := path + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return opendata.DumpStats{}, err
	}
	stats, err := svc.Dump(ctx, f, req)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return stats, errors.Join(err, os.Remove(tmp))
	}
	return stats, nil
}
