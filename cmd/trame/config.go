package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// config is every setting of the service. Flags win over TRAME_*
// environment variables, which win over the defaults.
type config struct {
	Data         string
	Addr         string
	BaseIRI      string
	Sample       bool
	AdminToken   string
	MaxBody      int64
	SyncWrites   bool
	ReadTimeout  time.Duration
	WriteTimeout time.Duration
	LogFormat    string
	GCPercent    int
	Harvest      harvestList   // scheduled harvests (wire_import.go)
	HarvestEvery time.Duration // their interval
}

// flagSet returns a flag set for command name bound to cfg, with defaults
// taken from the environment. Only the flags listed in which are defined.
func flagSet(name string, cfg *config, stderr io.Writer, which ...string) *flag.FlagSet {
	fs := flag.NewFlagSet("trame "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	want := map[string]bool{}
	for _, w := range which {
		want[w] = true
	}
	if want["data"] {
		fs.StringVar(&cfg.Data, "data", env("TRAME_DATA", "./data"), "data directory (TRAME_DATA)")
	}
	if want["base-iri"] {
		fs.StringVar(&cfg.BaseIRI, "base-iri", env("TRAME_BASE_IRI", "http://localhost:8080/"), "base IRI of minted entities and of this server (TRAME_BASE_IRI)")
	}
	if want["serve"] {
		fs.StringVar(&cfg.Addr, "addr", env("TRAME_ADDR", ":8080"), "listen address (TRAME_ADDR)")
		fs.BoolVar(&cfg.Sample, "sample", envBool("TRAME_SAMPLE", true), "load the sample catalogue on first start (TRAME_SAMPLE)")
		fs.Int64Var(&cfg.MaxBody, "max-body", envInt("TRAME_MAX_BODY", 1<<20), "request body limit in bytes (TRAME_MAX_BODY)")
		fs.BoolVar(&cfg.SyncWrites, "sync-writes", envBool("TRAME_SYNC_WRITES", false), "fsync every write: survives power loss, slower (TRAME_SYNC_WRITES)")
		fs.DurationVar(&cfg.ReadTimeout, "read-timeout", envDuration("TRAME_READ_TIMEOUT", 15*time.Second), "HTTP read timeout (TRAME_READ_TIMEOUT)")
		fs.DurationVar(&cfg.WriteTimeout, "write-timeout", envDuration("TRAME_WRITE_TIMEOUT", 60*time.Second), "HTTP write timeout (TRAME_WRITE_TIMEOUT)")
		fs.StringVar(&cfg.LogFormat, "log-format", env("TRAME_LOG_FORMAT", "text"), "log format: text or json (TRAME_LOG_FORMAT)")
		fs.IntVar(&cfg.GCPercent, "gc-percent", int(envInt("TRAME_GC_PERCENT", DefaultGCPercent)), "Go garbage collector target percentage; higher trades memory for steadier latency (TRAME_GC_PERCENT)")
		cfg.AdminToken = os.Getenv("TRAME_ADMIN_TOKEN")
		fs.Var(&cfg.Harvest, "harvest", "harvest a source on a schedule: lesbases=URL (repeatable; TRAME_HARVEST)")
		if v := os.Getenv("TRAME_HARVEST"); v != "" {
			if err := cfg.Harvest.Set(v); err != nil {
				fmt.Fprintf(os.Stderr, "trame: ignoring TRAME_HARVEST: %v\n", err)
			}
		}
		fs.DurationVar(&cfg.HarvestEvery, "harvest-every", envDuration("TRAME_HARVEST_EVERY", 6*time.Hour), "interval of the scheduled harvests (TRAME_HARVEST_EVERY)")
	}
	return fs
}

// check validates the settings that flags cannot type.
func (c *config) check() error {
	if c.BaseIRI != "" {
		u, err := url.Parse(c.BaseIRI)
		if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return usageError{fmt.Errorf("--base-iri %q must be an absolute http(s) IRI such as http://localhost:8080/", c.BaseIRI)}
		}
		if u.Path != "" && u.Path != "/" {
			return usageError{fmt.Errorf("--base-iri %q must have no path: Trame serves IRIs from the root of its origin", c.BaseIRI)}
		}
		if !strings.HasSuffix(c.BaseIRI, "/") {
			c.BaseIRI += "/"
		}
	}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		return usageError{fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)}
	}
	if len(c.Harvest) > 0 && c.HarvestEvery < MinHarvestEvery {
		return usageError{fmt.Errorf("--harvest-every must be at least %s", MinHarvestEvery)}
	}
	if c.GCPercent < -1 {
		return usageError{fmt.Errorf("--gc-percent must be positive (or -1 to turn the collector off), not %d", c.GCPercent)}
	}
	if c.MaxBody < 0 {
		return usageError{fmt.Errorf("--max-body must be positive")}
	}
	return nil
}

func env(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func envBool(key string, def bool) bool {
	if v, ok := os.LookupEnv(key); ok {
		b, err := strconv.ParseBool(v)
		if err == nil {
			return b
		}
		fmt.Fprintf(os.Stderr, "trame: ignoring %s=%q: not a boolean\n", key, v)
	}
	return def
}

func envInt(key string, def int64) int64 {
	if v, ok := os.LookupEnv(key); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			return n
		}
		fmt.Fprintf(os.Stderr, "trame: ignoring %s=%q: not an integer\n", key, v)
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(key); ok {
		d, err := time.ParseDuration(v)
		if err == nil {
			return d
		}
		fmt.Fprintf(os.Stderr, "trame: ignoring %s=%q: not a duration\n", key, v)
	}
	return def
}

// parse parses args into fs and checks cfg.
func parse(fs *flag.FlagSet, cfg *config, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	return cfg.check()
}

// DefaultGCPercent is the garbage collector's target for `trame serve`.
// A search allocates ~0.8 MB; with Go's default of 100 a collection of the
// heap lands on a query every few hundred and pushes the p99 of deep pages
// past 20 ms at 100k resources. 300 removes them from the tail for ~200 MB
// more RSS at that size (BENCHMARKS.md, Search).
const DefaultGCPercent = 300

// errHelp reports that -h was asked: the usage was printed, nothing failed.
var errHelp = errors.New("help requested")
