package build

import (
	"testing"

	"github.com/trame-commun/trame/ontology"
)

func TestLinksThatAreNotIRIsStayText(t *testing.T) {
	for url, ok := range map[string]bool{
		"https://exemple.org/a?b=c": true, "http://exemple.org": true, "https://exemple.org/a b": false,
		"ftp://exemple.org/": false, "exemple.org": false, "https://": false, "https://e/<x>": false,
	} {
		if IsHTTPURL(url) != ok {
			t.Errorf("%q: %v", url, !ok)
		}
		n := New("http://e/x").Root().Link(ontology.URL, url)
		if got := n.owner.e.Triples[0].O.IsIRI(); got != ok {
			t.Errorf("%q stated as IRI: %v", url, got)
		}
	}
}

func TestEmptyValuesAreNotStated(t *testing.T) {
	e := New("http://e/x", ontology.Organization)
	e.Root().Str(ontology.Name, "  ").Lang(ontology.Name, "", "fr").IRI(ontology.URL, "").Typed(ontology.DateCreated, "", ontology.XSDDate).Raw(ontology.Text, "")
	if len(e.Entity().Triples) != 1 || len(e.Entity().Types) != 1 {
		t.Errorf("%+v", e.Entity())
	}
}

func TestFromNeverReusesABlankLabel(t *testing.T) {
	b := New("http://e/x")
	b.Root().Blank(ontology.Schema + "address")
	b.Root().Blank(ontology.Schema + "address")
	c := From(b.Entity())
	c.Root().Blank(ontology.Schema + "geo")
	seen := map[string]int{}
	for _, tr := range c.Entity().Triples {
		if tr.O.IsBlank() {
			seen[tr.O.Value]++
		}
	}
	for l, n := range seen {
		if n > 1 {
			t.Errorf("blank label %s used %d times", l, n)
		}
	}
}
