package rdf

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// The terms of Turtle: IRIs, prefixed names, literals, numbers, escapes.

// iri reads an IRI reference or a prefixed name and returns the absolute IRI.
func (p *ttlParser) iri() (string, error) {
	if p.peek() == '<' {
		return p.iriRef()
	}
	return p.prefixedName("")
}

func (p *ttlParser) iriRef() (string, error) {
	if p.next() != '<' {
		return "", p.fail("expected an IRI <…>")
	}
	var b strings.Builder
	for {
		r := p.next()
		switch {
		case r == '>':
			return p.resolve(b.String())
		case r == eof || r == '\n':
			return "", p.fail("an IRI is not closed")
		case r == '\\':
			u, err := p.uescape()
			if err != nil {
				return "", err
			}
			b.WriteRune(u)
		case r <= 0x20 || strings.ContainsRune("<\"{}|^`", r):
			return "", p.fail("character %s is not allowed in an IRI", show(r))
		default:
			b.WriteRune(r)
		}
		if b.Len() > MaxStatement {
			return "", p.fail("an IRI is longer than %d bytes", MaxStatement)
		}
	}
}

func (p *ttlParser) resolve(ref string) (string, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", p.fail("bad IRI <%s>", ref)
	}
	if u.IsAbs() {
		return ref, nil
	}
	if p.base == nil {
		return "", p.fail("relative IRI <%s> without a base", ref)
	}
	return p.base.ResolveReference(u).String(), nil
}

// prefixedName reads prefix:local; start holds runes already read.
func (p *ttlParser) prefixedName(start string) (string, error) {
	var b strings.Builder
	b.WriteString(start)
	for r := p.peek(); r != ':'; r = p.peek() {
		if !isPNChar(r) && r != '.' {
			return "", p.fail("expected an IRI or a prefixed name, found %s", show(r))
		}
		b.WriteRune(p.next())
	}
	p.next() // :
	prefix := b.String()
	ns, ok := p.prefixes[prefix]
	if !ok {
		return "", p.fail("undeclared prefix %q", prefix)
	}
	local, err := p.localName()
	if err != nil {
		return "", err
	}
	return ns + local, nil
}

// localName reads PN_LOCAL: name characters, ":", "%xx", "\"-escapes,
// and "." when not last.
func (p *ttlParser) localName() (string, error) {
	var b strings.Builder
	for {
		r1, r2 := p.peek2()
		switch {
		case isPNChar(r1) || r1 == ':':
			b.WriteRune(p.next())
		case r1 == '.' && (isPNChar(r2) || r2 == ':' || r2 == '%' || r2 == '\\' || r2 == '.'):
			b.WriteRune(p.next())
		case r1 == '%':
			b.WriteRune(p.next())
			for i := 0; i < 2; i++ {
				h := p.next()
				if !isHex(h) {
					return "", p.fail("bad %%-escape in a local name")
				}
				b.WriteRune(h)
			}
		case r1 == '\\':
			p.next()
			e := p.next()
			if !strings.ContainsRune("_~.-!$&'()*+,;=/?#@%", e) {
				return "", p.fail("bad escape \\%s in a local name", show(e))
			}
			b.WriteRune(e)
		default:
			if strings.HasSuffix(b.String(), ".") {
				return "", p.fail("a local name cannot end with \".\"")
			}
			return b.String(), nil
		}
	}
}

func (p *ttlParser) nameOrBoolean() (domain.Term, error) {
	b, _ := p.in.Peek(6)
	s := string(b)
	for _, kw := range []string{"true", "false"} {
		if strings.HasPrefix(s, kw) && (len(s) == len(kw) || !isPNChar(rune(s[len(kw)])) && s[len(kw)] != ':') {
			for range kw {
				p.next()
			}
			return domain.NewTyped(kw, ontology.XSDBoolean), nil
		}
	}
	iri, err := p.prefixedName("")
	return domain.NewIRI(iri), err
}

func (p *ttlParser) literal() (domain.Term, error) {
	q := p.next()
	s, err := p.stringBody(q)
	if err != nil {
		return domain.Term{}, err
	}
	switch p.peek() {
	case '@':
		p.next()
		var b strings.Builder
		for r := p.peek(); r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'); r = p.peek() {
			b.WriteRune(p.next())
		}
		lang := b.String()
		if lang == "" || !unicode.IsLetter(rune(lang[0])) || strings.HasSuffix(lang, "-") {
			return domain.Term{}, p.fail("bad language tag @%s", lang)
		}
		return domain.NewLangString(s, lang), nil
	case '^':
		p.next()
		if p.next() != '^' {
			return domain.Term{}, p.fail("expected ^^ before a datatype")
		}
		dt, err := p.iri()
		if err != nil {
			return domain.Term{}, err
		}
		return domain.NewTyped(s, dt), nil
	}
	return domain.NewString(s), nil
}

// stringBody reads a string whose opening quote q was read: short or long.
func (p *ttlParser) stringBody(q rune) (string, error) {
	long := false
	if p.peek() == q {
		p.next()
		if p.peek() != q {
			return "", nil
		}
		p.next()
		long = true
	}
	var b strings.Builder
	for {
		r := p.next()
		switch {
		case r == eof:
			return "", p.fail("a string is not closed")
		case r == '\\':
			e, err := p.escape()
			if err != nil {
				return "", err
			}
			b.WriteRune(e)
		case r == q && !long:
			return b.String(), nil
		case r == q:
			if p.peek() != q {
				b.WriteRune(r)
				break
			}
			p.next()
			if p.peek() != q {
				b.WriteString(string([]rune{q, q}))
				break
			}
			p.next()
			for p.peek() == q { // """a"""" ends with a quote inside
				b.WriteRune(p.next())
			}
			return b.String(), nil
		case (r == '\n' || r == '\r') && !long:
			return "", p.fail("a short string runs past the end of its line")
		default:
			b.WriteRune(r)
		}
		if b.Len() > MaxStatement {
			return "", p.fail("a string is longer than %d bytes", MaxStatement)
		}
	}
}

func (p *ttlParser) escape() (rune, error) {
	switch e := p.next(); e {
	case 't':
		return '\t', nil
	case 'b':
		return '\b', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 'f':
		return '\f', nil
	case '"', '\'', '\\':
		return e, nil
	case 'u', 'U':
		_ = p.in.UnreadRune()
		return p.uescape()
	default:
		return 0, p.fail("bad escape \\%s", show(e))
	}
}

// uescape reads a \u escape of 4 hex digits or a \U escape of 8 (the
// backslash was read).
func (p *ttlParser) uescape() (rune, error) {
	n := 0
	switch p.next() {
	case 'u':
		n = 4
	case 'U':
		n = 8
	default:
		return 0, p.fail("bad escape in an IRI")
	}
	var v rune
	for i := 0; i < n; i++ {
		h := p.next()
		if !isHex(h) {
			return 0, p.fail("bad \\u escape")
		}
		d, _ := strconv.ParseUint(string(h), 16, 8)
		v = v*16 + rune(d)
	}
	if v > unicode.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, p.fail("\\u escape of an invalid code point")
	}
	return v, nil
}

// number reads INTEGER, DECIMAL or DOUBLE.
func (p *ttlParser) number() (domain.Term, error) {
	var b strings.Builder
	if r := p.peek(); r == '+' || r == '-' {
		b.WriteRune(p.next())
	}
	digits := func() int {
		n := 0
		for r := p.peek(); r >= '0' && r <= '9'; r = p.peek() {
			b.WriteRune(p.next())
			n++
		}
		return n
	}
	intPart := digits()
	dt := ontology.XSDInteger
	if r1, r2 := p.peek2(); r1 == '.' && r2 >= '0' && r2 <= '9' { // otherwise the "." ends the statement
		b.WriteRune(p.next())
		digits()
		dt = ontology.XSDDecimal
	}
	if r := p.peek(); r == 'e' || r == 'E' {
		b.WriteRune(p.next())
		if r := p.peek(); r == '+' || r == '-' {
			b.WriteRune(p.next())
		}
		if digits() == 0 {
			return domain.Term{}, p.fail("a number's exponent has no digits")
		}
		dt = ontology.XSDDouble
	}
	s := b.String()
	if intPart == 0 && dt != ontology.XSDDecimal {
		return domain.Term{}, p.fail("expected a number, found %q", s)
	}
	return domain.NewTyped(s, dt), nil
}

func isHex(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

// isPNChar reports the name characters of prefixed names and blank node
// labels (PN_CHARS; the "." is handled by callers).
func isPNChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == 0xB7 ||
		r >= 0x300 && r <= 0x36F || r == 0x203F || r == 0x2040
}
