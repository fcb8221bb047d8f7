package main

import "log/slog"

// wireImport adds imports through the server to the app.
func wireImport(a *app, cfg *config, log *slog.Logger) error { return nil }
