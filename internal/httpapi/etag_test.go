package httpapi

import "testing"

func TestRepresentationTagsGoBackToTheirRecord(t *testing.T) {
	rec := `"12-0a1b2c3d4e5f6071"`
	for _, f := range Formats {
		tag := representationTag(rec, f)
		if (f.Name == "jsonld") != (tag == rec) {
			t.Errorf("%s: tag %s", f.Name, tag)
		}
		if got := recordTag(tag); got != rec {
			t.Errorf("recordTag(%s) = %s, want %s", tag, got, rec)
		}
	}
	for _, keep := range []string{"*", "", `"1-stale"`, `W/"3-ab-ttl"`, `"nodash"`, `"`, "unquoted-a-b"} {
		if got := recordTag(keep); got != keep {
			t.Errorf("recordTag(%q) = %q, want it unchanged", keep, got)
		}
	}
}
