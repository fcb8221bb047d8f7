package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/trame-commun/trame/internal/httpapi"
)

// shutdownGrace is how long in-flight requests get after SIGINT/SIGTERM.
const shutdownGrace = 15 * time.Second

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := flagSet("serve", &cfg, stderr, "data", "base-iri", "serve")
	if err := parse(fs, &cfg, args); err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	if cfg.GCPercent != 0 {
		debug.SetGCPercent(cfg.GCPercent)
	}
	a, err := openApp(&cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.boot(ctx, cfg.Sample, log); err != nil {
		return err
	}
	defer startHarvests(ctx, a, &cfg, log)() // wire_import.go: --harvest lesbases=URL
	a.api.AdminToken, a.api.MaxBody, a.api.Logger, a.api.Version = cfg.AdminToken, cfg.MaxBody, log, version
	api := httpapi.New(a.api)
	srv := &http.Server{
		Addr:              cfg.Addr,
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String(), "base", cfg.BaseIRI, "data", cfg.Data)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
