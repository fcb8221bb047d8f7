package httpapi

import "strings"

// Entity tags. A record's ETag (`"version-hash"`) validates its stored
// JSON-LD; each other serialisation gets its own strong tag, the record's
// with the format's name appended (`"version-hash-ttl"`), so that a cache
// never answers a Turtle request with a JSON-LD body it revalidated (RFC
// 9110 §8.8.3: a strong tag identifies one representation). Writes accept
// the tag of any representation of the current version in If-Match.

// representationTag is the entity tag of the record tagged etag in format f.
func representationTag(etag string, f Format) string {
	if f.Name == "jsonld" || !strings.HasSuffix(etag, `"`) {
		return etag
	}
	return strings.TrimSuffix(etag, `"`) + "-" + f.Name + `"`
}

// recordTag turns the tag of a representation back into its record's tag:
// a quoted tag with a second "-" loses what follows it. Other values
// ("*", a record's tag, a weak or malformed tag) are returned as they are.
func recordTag(tag string) string {
	tag = strings.TrimSpace(tag)
	if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 2 {
		return tag
	}
	inner := tag[1 : len(tag)-1]
	first := strings.IndexByte(inner, '-')
	if first < 0 {
		return tag
	}
	if second := strings.IndexByte(inner[first+1:], '-'); second >= 0 {
		return `"` + inner[:first+1+second] + `"`
	}
	return tag
}

// noneMatch reports whether an If-None-Match header (a list of entity
// tags, or "*") matches etag; weak comparison, as RFC 9110 §13.1.2 asks.
func noneMatch(header, etag string) bool {
	for _, tag := range strings.Split(header, ",") {
		if tag = strings.TrimSpace(tag); tag == "*" || (tag != "" && strings.TrimPrefix(tag, "W/") == etag) {
			return true
		}
	}
	return false
}
