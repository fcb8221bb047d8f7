package opendata_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/trame-commun/trame/internal/opendata"
)

func lexical(term string) string { return strings.Trim(strings.SplitN(term, "^^", 2)[0], `"`) }

func TestCatalogueDescribesEveryDistributionWithItsRealSize(t *testing.T) {
	s := shared(t)
	ctx := context.Background()
	ttl, err := s.svc.Catalogue(ctx, "ttl")
	if err != nil {
		t.Fatal(err)
	}
	file, _ := filepath.Abs(writeTemp(t, "catalog.ttl", ttl))
	rapper(t, file, "turtle")
	_, rows := sparql(t, file, "text/turtle", `PREFIX dcat: <http://www.w3.org/ns/dcat#>
	PREFIX dct: <http://purl.org/dc/terms/>
	SELECT ?url ?size ?media ?licence ?modified ?publisher WHERE {
	  ?cat a dcat:Catalog ; dcat:dataset ?ds .
	  ?ds a dcat:Dataset ; dct:publisher ?publisher ; dcat:distribution ?d .
	  ?d a dcat:Distribution ; dcat:downloadURL ?url ; dcat:byteSize ?size ; dcat:mediaType ?media ;
	     dct:license ?licence ; dct:modified ?modified }`)
	want := len(opendata.DatasetNames()) * len(opendata.Formats) * 2
	if len(rows) != want-2*len(opendata.Formats) && len(rows) != want {
		// lieux has no entity in the bundled data, hence no modified date.
		t.Fatalf("the catalogue describes %d complete distributions, want %d", len(rows), want)
	}
	for _, r := range rows {
		url := strings.Trim(r[0], "<>")
		name, ext, _ := strings.Cut(strings.TrimPrefix(url, base+"data/"), ".")
		format, gz := strings.CutSuffix(ext, ".gz")
		f, ok := opendata.FindFormat(format)
		if !ok {
			t.Fatalf("distribution %s has an unknown format", url)
		}
		if r[2] != "<http://www.iana.org/assignments/media-types/"+f.MediaType+">" {
			t.Errorf("%s: media type %s", url, r[2])
		}
		if r[3] != "<"+opendata.DefaultLicence+">" || r[5] != "<"+base+"partners/commun-formation-inclusion-numerique>" {
			t.Errorf("%s: licence %s, publisher %s", url, r[3], r[5])
		}
		size, _ := strconv.Atoi(lexical(r[1]))
		if got := len(s.dump(t, opendata.DumpRequest{Dataset: name, Format: format, Gzip: gz})); got != size {
			t.Errorf("%s: the catalogue says %d bytes, the dump has %d", url, size, got)
		}
	}
	_, names := sparql(t, file, "text/turtle", `SELECT ?name WHERE { <`+base+`partners/commun-formation-inclusion-numerique> <http://xmlns.com/foaf/0.1/name> ?name }`)
	if len(names) != 1 || !strings.Contains(names[0][0], "Commun") {
		t.Errorf("the publisher's foaf:name is %v", names)
	}
	jsonld, err := s.svc.Catalogue(ctx, "jsonld")
	if err != nil {
		t.Fatal(err)
	}
	var res struct{ Quads int }
	jfile, _ := filepath.Abs(writeTemp(t, "catalog.jsonld", jsonld))
	if err := json.Unmarshal(oxigraph(t, "load", jfile, "application/ld+json"), &res); err != nil {
		t.Fatal(err)
	}
	if tfile := oxigraph(t, "load", file, "text/turtle"); !strings.Contains(string(tfile), `"quads":`+strconv.Itoa(res.Quads)) {
		t.Errorf("the JSON-LD catalogue has %d quads, the Turtle one %s", res.Quads, tfile)
	}
}

func TestVoIDCountsMatchTheDumps(t *testing.T) {
	s := shared(t)
	ttl, err := s.svc.VoID(context.Background(), "ttl")
	if err != nil {
		t.Fatal(err)
	}
	file, _ := filepath.Abs(writeTemp(t, "void.ttl", ttl))
	rapper(t, file, "turtle")
	_, rows := sparql(t, file, "text/turtle", `PREFIX void: <http://rdfs.org/ns/void#>
	SELECT ?ds ?triples ?entities WHERE { ?ds a void:Dataset ; void:triples ?triples ; void:entities ?entities }`)
	if len(rows) != len(opendata.DatasetNames()) {
		t.Fatalf("VoID describes %d datasets, want %d", len(rows), len(opendata.DatasetNames()))
	}
	for _, r := range rows {
		name := strings.TrimPrefix(strings.Trim(r[0], "<>"), base+"data/")
		st, err := s.svc.Dump(context.Background(), discard{}, opendata.DumpRequest{Dataset: name, Format: "nt"})
		if err != nil {
			t.Fatal(err)
		}
		if lexical(r[1]) != strconv.FormatInt(st.Quads, 10) || lexical(r[2]) != strconv.FormatInt(st.Entities, 10) {
			t.Errorf("%s: VoID says %s triples and %s entities, the dump has %d and %d", name, r[1], r[2], st.Quads, st.Entities)
		}
	}
	_, parts := sparql(t, file, "text/turtle", `PREFIX void: <http://rdfs.org/ns/void#>
	SELECT ?n WHERE { <`+base+`data/resources> void:classPartition ?p . ?p void:class <https://w3id.org/trame/ns#LearningPath> ; void:entities ?n }`)
	paths := count(t, s, visitReverse(vertex("https://w3id.org/trame/ns#LearningPath"), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"))
	if len(parts) != 1 || lexical(parts[0][0]) != strconv.Itoa(paths) {
		t.Errorf("the class partition of parcours says %v, the graph has %d", parts, paths)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
