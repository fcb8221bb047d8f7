package lieux

import (
	"fmt"
	"strconv"
	"strings"
)

// CheckOpeningHours validates an OpenStreetMap opening_hours value, the
// syntax the standard prescribes for "horaires"
// (https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification).
// It covers what opening hours of public places use: rules separated by
// ";", "," or "||"; years, months and month days, weeks, weekdays with
// [nth] and public or school holidays (PH, SH, with offsets) as
// selectors, a ":" after wide selectors; time spans with minutes, "+" and
// sunrise/sunset events with offsets; "24/7"; the states open, closed,
// off and unknown; quoted comments. It returns nil or the first problem.
func CheckOpeningHours(s string) error {
	toks, err := ohTokens(s)
	if err != nil {
		return err
	}
	if len(toks) == 0 {
		return fmt.Errorf("empty opening hours")
	}
	p := &ohParser{toks: toks}
	for {
		if err := p.rule(); err != nil {
			return err
		}
		if p.done() {
			return nil
		}
		switch p.peek() {
		case ";", ",", "||":
			p.i++
			if p.done() {
				return nil // a trailing ";" is tolerated
			}
		default:
			return fmt.Errorf("unexpected %q", p.peek())
		}
	}
}

// ohTokens splits opening hours into words, numbers, times, punctuation
// and quoted comments.
func ohTokens(s string) ([]string, error) {
	var out []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("a comment is not closed")
			}
			out = append(out, s[i:i+j+2])
			i += j + 2
		case c == '|' && strings.HasPrefix(s[i:], "||"):
			out = append(out, "||")
			i += 2
		case strings.IndexByte(";,-:[]()+/", c) >= 0:
			out = append(out, string(c))
			i++
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		case isLetter(c):
			j := i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			out = append(out, s[i:j])
			i = j
		default:
			return nil, fmt.Errorf("character %q is not allowed", c)
		}
	}
	return out, nil
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var (
	weekdays = map[string]bool{"Mo": true, "Tu": true, "We": true, "Th": true, "Fr": true, "Sa": true, "Su": true}
	months   = map[string]bool{"Jan": true, "Feb": true, "Mar": true, "Apr": true, "May": true, "Jun": true,
		"Jul": true, "Aug": true, "Sep": true, "Oct": true, "Nov": true, "Dec": true}
	states = map[string]bool{"open": true, "closed": true, "off": true, "unknown": true}
	events = map[string]bool{"sunrise": true, "sunset": true, "dawn": true, "dusk": true}
)

type ohParser struct {
	toks []string
	i    int
}

func (p *ohParser) done() bool { return p.i >= len(p.toks) }

func (p *ohParser) peek() string {
	if p.done() {
		return ""
	}
	return p.toks[p.i]
}

func (p *ohParser) at(k int) string {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return ""
}

func (p *ohParser) next() string {
	t := p.peek()
	p.i++
	return t
}

// rule reads one rule: selectors, time spans, a state, a comment.
func (p *ohParser) rule() error {
	if p.peek() == "24" && p.at(1) == "/" && p.at(2) == "7" {
		p.i += 3
		return p.tail()
	}
	progress := false
	for !p.done() {
		t := p.peek()
		var err error
		switch {
		case len(t) == 4 && startsDigit(t) && !isTimeAhead(p):
			err = p.years()
		case months[t]:
			err = p.monthDays()
		case t == "week":
			err = p.weeks()
		case weekdays[t] || t == "PH" || t == "SH":
			err = p.weekdays()
		case isTimeAhead(p) || events[t] || t == "(":
			return p.times()
		case t == ":":
			p.i++ // after wide selectors
			continue
		default:
			if !progress {
				return p.tail()
			}
			return p.tail()
		}
		if err != nil {
			return err
		}
		progress = true
	}
	return nil
}

// tail reads an optional state and comment.
func (p *ohParser) tail() error {
	if states[p.peek()] {
		p.i++
	}
	if strings.HasPrefix(p.peek(), `"`) {
		p.i++
	}
	if t := p.peek(); t != "" && t != ";" && t != "," && t != "||" {
		return fmt.Errorf("unexpected %q", t)
	}
	return nil
}

func isTimeAhead(p *ohParser) bool {
	t := p.peek()
	return len(t) <= 2 && startsDigit(t) && p.at(1) == ":"
}

func (p *ohParser) years() error {
	if err := p.number(1900, 2200, "year"); err != nil {
		return err
	}
	if p.peek() == "-" {
		p.i++
		return p.number(1900, 2200, "year")
	}
	return nil
}

func (p *ohParser) number(lo, hi int, what string) error {
	t := p.next()
	n, err := strconv.Atoi(t)
	if err != nil || n < lo || n > hi {
		return fmt.Errorf("bad %s %q", what, t)
	}
	return nil
}

func startsDigit(s string) bool { return s != "" && isDigit(s[0]) }

// monthDays reads "Jan", "Jan-Mar", "Dec 25", "Jan 01-Mar 15" and lists.
func (p *ohParser) monthDays() error {
	for {
		p.i++ // month
		if d := p.peek(); d != "" && isDigit(d[0]) && !isTimeAhead(p) {
			if err := p.number(1, 31, "day"); err != nil {
				return err
			}
		}
		if p.peek() == "-" {
			p.i++
			if d := p.peek(); d != "" && isDigit(d[0]) && !isTimeAhead(p) {
				if err := p.number(1, 31, "day"); err != nil {
					return err
				}
			} else if months[p.peek()] {
				p.i++
				if d := p.peek(); d != "" && isDigit(d[0]) && !isTimeAhead(p) {
					if err := p.number(1, 31, "day"); err != nil {
						return err
					}
				}
			} else {
				return fmt.Errorf("a month range needs an end")
			}
		}
		if p.peek() == "," && months[p.at(1)] {
			p.i++
			continue
		}
		return nil
	}
}

func (p *ohParser) weeks() error {
	p.i++ // week
	for {
		if err := p.number(1, 53, "week"); err != nil {
			return err
		}
		if p.peek() == "-" {
			p.i++
			if err := p.number(1, 53, "week"); err != nil {
				return err
			}
		}
		if p.peek() == "/" {
			p.i++
			if err := p.number(1, 53, "week step"); err != nil {
				return err
			}
		}
		if p.peek() != "," || !startsDigit(p.at(1)) {
			return nil
		}
		p.i++
	}
}

// weekdays reads "Mo", "Mo-Fr", "Mo,We", "Su[1]", "Su[-1]", "PH", "PH +1 day".
func (p *ohParser) weekdays() error {
	for {
		t := p.next()
		switch {
		case weekdays[t]:
			if p.peek() == "[" {
				if err := p.nth(); err != nil {
					return err
				}
			}
			if p.peek() == "-" && weekdays[p.at(1)] {
				p.i += 2
			}
		case t == "PH" || t == "SH":
			if (p.peek() == "+" || p.peek() == "-") && p.at(2) == "day" || p.at(2) == "days" {
				p.i += 3
			}
		default:
			return fmt.Errorf("unexpected %q among weekdays", t)
		}
		if p.peek() == "," && (weekdays[p.at(1)] || p.at(1) == "PH" || p.at(1) == "SH") {
			p.i++
			continue
		}
		return nil
	}
}

func (p *ohParser) nth() error {
	p.i++ // [
	for {
		if p.peek() == "-" {
			p.i++
		}
		if err := p.number(1, 5, "nth weekday"); err != nil {
			return err
		}
		if p.peek() == "-" {
			p.i++
			if err := p.number(1, 5, "nth weekday"); err != nil {
				return err
			}
		}
		switch p.next() {
		case "]":
			return nil
		case ",":
		default:
			return fmt.Errorf("a [nth] selector is not closed")
		}
	}
}

// times reads time spans "09:00-12:00", "14:00-18:30", "10:00+",
// "sunrise-sunset", "(sunset-01:00)-22:00", separated by ",".
func (p *ohParser) times() error {
	for {
		if err := p.timePoint(24); err != nil {
			return err
		}
		switch p.peek() {
		case "-":
			p.i++
			if err := p.timePoint(48); err != nil {
				return err
			}
			if p.peek() == "+" {
				p.i++
			}
		case "+":
			p.i++
		}
		if p.peek() == "," && (isTimeAhead(&ohParser{toks: p.toks, i: p.i + 1}) || events[p.at(1)] || p.at(1) == "(") {
			p.i++
			continue
		}
		return p.tail()
	}
}

// timePoint reads a time, at most maxHour o'clock (an end may pass
// midnight: 26:00).
func (p *ohParser) timePoint(maxHour int) error {
	t := p.peek()
	switch {
	case events[t]:
		p.i++
		return nil
	case t == "(":
		p.i++
		if !events[p.next()] {
			return fmt.Errorf("a variable time is (sunrise|sunset|dawn|dusk±hh:mm)")
		}
		if s := p.next(); s != "+" && s != "-" {
			return fmt.Errorf("a variable time needs + or - an offset")
		}
		if err := p.clock(24); err != nil {
			return err
		}
		if p.next() != ")" {
			return fmt.Errorf("a variable time is not closed")
		}
		return nil
	}
	return p.clock(maxHour)
}

// clock reads hh:mm with hours up to maxHour and minutes 00–59.
func (p *ohParser) clock(maxHour int) error {
	h, m := p.next(), ""
	if p.next() != ":" {
		return fmt.Errorf("a time is hh:mm, not %q", h)
	}
	m = p.next()
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || len(m) != 2 || hh > maxHour || mm > 59 {
		return fmt.Errorf("bad time %s:%s", h, m)
	}
	return nil
}
