package main

import "log/slog"

// wireSearch adds the search view and API to the app.
func wireSearch(a *app, cfg *config, log *slog.Logger) error { return nil }
