// Command trame runs the Trame knowledge-graph service and its maintenance
// tasks. Run "trame help" for the subcommands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the HTTP service (loads the bundled data on first start)", runServe},
		{"import", "import data (Les Bases, frameworks, lieux, RDF files): trame import -h", runImport},
		{"framework", "export a competency framework as Moodle CSV or SKOS Turtle", runFramework},
		{"lieux", "export the lieux de médiation numérique as the national standard CSV", runLieux},
		{"export", "write a dump of the published data (N-Quads, N-Triples, Turtle, JSON-LD)", runExport},
		{"reindex", "drop and rebuild the derived views from the store", runReindex},
		{"backup", "write a backup of the store to a file", runBackup},
		{"restore", "restore a backup into an empty data directory", runRestore},
		{"token", "manage API tokens: token create --role admin|editor", runToken},
		{"version", "print the version", runVersion},
	}
}

// run dispatches to a subcommand and returns the process exit code: 0 on
// success, 1 when the command failed, 2 on a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			if err := c.run(ctx, args[1:], stdout, stderr); err != nil && err != errHelp {
				fmt.Fprintf(stderr, "trame %s: %v\n", c.name, err)
				if _, ok := err.(usageError); ok {
					return 2
				}
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "trame: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: trame <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"trame <command> -h\" for the flags of a command. Every flag can also be set with a TRAME_* environment variable.")
}

// usageError is a mistake in the command line.
type usageError struct{ error }

func notYet(name, issue string) func(context.Context, []string, io.Writer, io.Writer) error {
	return func(context.Context, []string, io.Writer, io.Writer) error {
		return fmt.Errorf("%s is not yet available in this version of trame (planned in %s)", name, issue)
	}
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fmt.Fprintln(stdout, "trame", version)
	return nil
}
