package domain_test

import (
	"testing"
	"time"

	"github.com/trame-commun/trame/internal/domain"
)

func TestISODurations(t *testing.T) {
	good := map[string]time.Duration{
		"PT2H": 2 * time.Hour, "PT20M": 20 * time.Minute, "P1D": 24 * time.Hour, "PT1H30M": 90 * time.Minute,
		"P1W": 7 * 24 * time.Hour, "PT0.5S": 500 * time.Millisecond, "P1DT2H": 26 * time.Hour,
	}
	for s, want := range good {
		if got, err := domain.ParseISODuration(s); err != nil || got != want {
			t.Errorf("%s: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "P", "PT", "2H", "PT2", "P1DT", "PTH", "deux heures", "P99999999999D"} {
		if _, err := domain.ParseISODuration(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if got := domain.FormatISODuration(90 * time.Minute); got != "PT1H30M" {
		t.Errorf("format: %s", got)
	}
}
