package main

import "log/slog"

// wireOpenData adds the open-data surfaces to the app.
func wireOpenData(a *app, cfg *config, log *slog.Logger) error { return nil }
