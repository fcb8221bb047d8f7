package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/store"
)

func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := flagSet("backup", &cfg, stderr, "data")
	out := fs.String("out", "", "backup file to write (required)")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{fmt.Errorf("--out FILE is required")}
	}
	st, err := store.Open(store.Options{Dir: cfg.Data})
	if err != nil {
		return err
	}
	defer st.Close()
	tmp := *out + ".partial"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := st.Backup(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	seq, _ := st.LastSeq(ctx)
	fmt.Fprintf(stdout, "backup of %s written to %s (up to change %d)\n", cfg.Data, *out, seq)
	return nil
}

func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := flagSet("restore", &cfg, stderr, "data")
	in := fs.String("in", "", "backup file to read (required)")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	if *in == "" {
		return usageError{fmt.Errorf("--in FILE is required")}
	}
	if entries, _ := os.ReadDir(cfg.Data); len(entries) > 0 {
		return fmt.Errorf("%s is not empty: restore only into a new data directory", filepath.Clean(cfg.Data))
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := store.Open(store.Options{Dir: cfg.Data})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Restore(f); err != nil {
		return err
	}
	seq, _ := st.LastSeq(ctx)
	fmt.Fprintf(stdout, "restored %s into %s (up to change %d)\n", *in, cfg.Data, seq)
	return nil
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageError{fmt.Errorf("usage: trame token create --role admin|editor [--note TEXT]")}
	}
	var cfg config
	fs := flagSet("token create", &cfg, stderr, "data", "base-iri")
	role := fs.String("role", "editor", "role of the token: admin or editor")
	note := fs.String("note", "", "what the token is for")
	if err := parse(fs, &cfg, args[1:]); err != nil {
		return err
	}
	r, ok := domain.ParseRole(*role)
	if !ok {
		return usageError{fmt.Errorf("--role must be admin or editor, not %q", *role)}
	}
	a, err := openApp(&cfg, newLogger("text", stderr))
	if err != nil {
		return err
	}
	defer a.close()
	secret, t, err := a.catalog.CreateToken(ctx, r, *note)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "created %s token %s; it is shown once, keep it secret:\n", t.Role, t.ID)
	fmt.Fprintln(stdout, secret)
	return nil
}
