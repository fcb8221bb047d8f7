package domain

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

var isoDuration = regexp.MustCompile(`^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// ParseISODuration parses an ISO 8601 duration (PnYnMnWnDTnHnMnS). Years
// count 365 days and months 30, which is what durations of learning
// resources need. "P" and "PT" alone are refused.
func ParseISODuration(s string) (time.Duration, error) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" || s[len(s)-1] == 'T' {
		return 0, fmt.Errorf("%q is not an ISO 8601 duration", s)
	}
	units := []time.Duration{365 * 24 * time.Hour, 30 * 24 * time.Hour, 7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute}
	var d time.Duration
	for i, u := range units {
		if m[i+1] != "" {
			n, err := strconv.ParseInt(m[i+1], 10, 32)
			if err != nil {
				return 0, errors.New("duration too large")
			}
			d += time.Duration(n) * u
		}
	}
	if m[7] != "" {
		f, _ := strconv.ParseFloat(m[7], 64)
		d += time.Duration(f * float64(time.Second))
	}
	return d, nil
}

// FormatISODuration renders d as an ISO 8601 duration in hours, minutes and
// seconds (PT3H30M); zero is PT0S.
func FormatISODuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	h, m, s := int64(d/time.Hour), int64(d%time.Hour/time.Minute), int64(d%time.Minute/time.Second)
	out := "PT"
	if h > 0 {
		out += strconv.FormatInt(h, 10) + "H"
	}
	if m > 0 {
		out += strconv.FormatInt(m, 10) + "M"
	}
	if s > 0 {
		out += strconv.FormatInt(s, 10) + "S"
	}
	return out
}
