package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/trame-commun/trame/importers/lesbases"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/jsonld"
)

// importUsage lists the sources of trame import.
const importUsage = `usage: trame import <source> [flags] [FILE]

sources:
  lesbases   harvest Les Bases incrementally: --base-url URL [--rate 5/400ms] [--allow-mass-delete] [--max-delete-share 0.2]
  framework  a competency framework: --format skos|esco-csv|moodle-csv|pix-json FILE [--version V]
  lieux      lieux de médiation numérique, national standard CSV: FILE.csv [--strict]
  nquads     any RDF as N-Quads or N-Triples: FILE [--graph IRI] [--strict]
  turtle     any RDF as Turtle: FILE [--graph IRI] [--strict] [--base IRI]
  jsonld     any RDF as JSON-LD: FILE [--graph IRI] [--strict]

Every source writes to the data directory (--data, of a server that is not
running) or through a running server (--server URL --token TOKEN, an editor
or admin token). --json prints the report as JSON. Exports:
  trame framework export --format moodle-csv|skos IRI
  trame lieux export
Run "trame import <source> -h" for the flags of a source. See docs/importers.md.
`

// runImport dispatches trame import <source>.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, importUsage)
		if len(args) == 0 {
			return usageError{errors.New("which source? lesbases, framework, lieux, nquads, turtle or jsonld")}
		}
		return nil
	}
	switch args[0] {
	case "lesbases":
		return runImportLesBases(ctx, args[1:], stdout, stderr)
	case "framework":
		return runImportFramework(ctx, args[1:], stdout, stderr)
	case "lieux":
		return runImportLieux(ctx, args[1:], stdout, stderr)
	case "nquads", "turtle", "jsonld":
		return runImportRDF(ctx, args[0], args[1:], stdout, stderr)
	}
	return usageError{fmt.Errorf("unknown source %q: lesbases, framework, lieux, nquads, turtle or jsonld", args[0])}
}

// target is where an import writes, from the common flags.
type target struct {
	cfg    config
	server *string
	token  *string
	asJSON *bool
}

// importFlags defines the flags every import and export shares.
func importFlags(name string, stderr io.Writer) (*flag.FlagSet, *target) {
	t := &target{}
	fs := flagSet(name, &t.cfg, stderr, "data", "base-iri")
	t.server = fs.String("server", env("TRAME_SERVER", ""), "write through the running server at this URL instead of --data (TRAME_SERVER)")
	t.token = fs.String("token", env("TRAME_TOKEN", ""), "editor or admin token for --server (TRAME_TOKEN)")
	t.asJSON = fs.Bool("json", false, "print the report as JSON")
	return fs, t
}

// parseArgs parses flags placed before or after the positional arguments,
// and checks their number.
func parseArgs(fs *flag.FlagSet, cfg *config, args []string, want int, what string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usageError{err}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != want {
		return nil, usageError{fmt.Errorf("expected %s", what)}
	}
	return pos, cfg.check()
}

// open returns the sink: the server's import endpoints, or the catalog of
// the data directory (booted, so the bundled reference data is there; with
// no view open, openLean: the views catch up when the service next starts),
// and the codec that reads JSON-LD files for it.
func (t *target) open(ctx context.Context, stderr io.Writer) (sink.Sink, domain.Codec, func(), error) {
	if *t.server != "" {
		if *t.token == "" {
			return nil, nil, nil, usageError{errors.New("--server needs --token (an editor or admin token; TRAME_TOKEN)")}
		}
		r, err := sink.NewRemote(ctx, *t.server, *t.token, &http.Client{Timeout: 5 * time.Minute}, jsonld.New(t.cfg.BaseIRI))
		if err != nil {
			return nil, nil, nil, err
		}
		return r, jsonld.New(r.BaseIRI()), func() {}, nil
	}
	if _, err := os.Stat(t.cfg.Data); err != nil {
		if err := os.MkdirAll(t.cfg.Data, 0o755); err != nil {
			return nil, nil, nil, err
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := openLean(ctx, &t.cfg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w (is `trame serve` running on %s? stop it, or import through it with --server URL --token TOKEN)", err, t.cfg.Data)
	}
	if err := a.boot(ctx, false, log); err != nil {
		a.close()
		return nil, nil, nil, err
	}
	l, err := sink.NewLocal(a.catalog)
	if err != nil {
		a.close()
		return nil, nil, nil, err
	}
	return l, a.catalog.Codec(), func() { a.close() }, nil
}

// report prints v as JSON, or text with the function given.
func (t *target) report(stdout io.Writer, v any, text func(io.Writer)) {
	if *t.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
		return
	}
	text(stdout)
}

func runImportLesBases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, t := importFlags("import lesbases", stderr)
	site := fs.String("base-url", env("TRAME_LESBASES_URL", lesbases.DefaultSite), "address of Les Bases (TRAME_LESBASES_URL)")
	rate := fs.String("rate", lesbases.DefaultRate.String(), "politeness limit: at most N requests per duration")
	allow := fs.Bool("allow-mass-delete", false, "apply the removals even over --max-delete-share")
	share := fs.Float64("max-delete-share", lesbases.DefaultMaxDeleteShare, "refuse a run that would remove more than this share of the known bases or resources")
	timeout := fs.Duration("request-timeout", lesbases.DefaultRequestTimeout, "time limit of one request")
	if _, err := parseArgs(fs, &t.cfg, args, 0, "no argument after the flags"); err != nil {
		return err
	}
	r, err := lesbases.ParseRate(*rate)
	if err != nil {
		return usageError{err}
	}
	if *share <= 0 || *share > 1 {
		return usageError{fmt.Errorf("--max-delete-share must be in (0, 1], not %g", *share)}
	}
	s, _, closeSink, err := t.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer closeSink()
	opts := lesbases.Options{Site: *site, Sink: s, MaxDeleteShare: *share, AllowMassDelete: *allow, Holder: "trame import lesbases",
		Client: lesbases.NewClient(lesbases.ClientOptions{Version: version, Rate: r, RequestTimeout: *timeout})}
	if !*t.asJSON {
		opts.Progress = newProgress(stderr)
	}
	sum, err := lesbases.Harvest(ctx, opts)
	t.report(stdout, sum, sum.WriteText)
	return err
}

// fileOf opens a positional FILE ("-" is the standard input) and returns
// its size (-1 when unknown).
func fileOf(path string) (io.ReadCloser, int64, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), -1, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}
