package opendata

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Vocabulary of the catalogue (DCAT-AP 3, DCMI terms, FOAF, VoID).
const (
	dcatNS  = ontology.DCAT
	dctNS   = ontology.DCTerms
	foafNS  = "http://xmlns.com/foaf/0.1/"
	voidNS  = ontology.VoID
	ianaNS  = "http://www.iana.org/assignments/media-types/"
	euLang  = "http://publications.europa.eu/resource/authority/language/FRA"
	euPub   = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
	euFreq  = "http://publications.europa.eu/resource/authority/frequency/CONT"
	euTheme = "http://publications.europa.eu/resource/authority/data-theme/EDUC"
)

// DescriptionFormats are the formats /catalog and /.well-known/void are
// served in.
var DescriptionFormats = []string{"ttl", "jsonld", "nt"}

// triples accumulates the statements of a description.
type triples []domain.Triple

func (t *triples) add(s, p string, o domain.Term) {
	*t = append(*t, domain.Triple{S: node(s), P: domain.NewIRI(p), O: o})
}

// node is the IRI s, or the blank node s when s starts with "_:".
func node(s string) domain.Term {
	if strings.HasPrefix(s, "_:") {
		return domain.NewBlank(s[2:])
	}
	return domain.NewIRI(s)
}

func (t *triples) iri(s, p, o string) { t.add(s, p, node(o)) }
func (t *triples) fr(s, p, v string)  { t.add(s, p, domain.NewLangString(v, "fr")) }
func (t *triples) str(s, p, v string) { t.add(s, p, domain.NewString(v)) }
func (t *triples) count(s, p string, n int64) {
	t.add(s, p, domain.NewTyped(strconv.FormatInt(n, 10), ontology.XSDInteger))
}
func (t *triples) when(s, p string, at time.Time) {
	if !at.IsZero() {
		t.add(s, p, domain.NewTyped(at.UTC().Format(time.RFC3339), ontology.XSDDateTime))
	}
}

// render writes a description in format name.
func render(ts triples, format string) ([]byte, error) {
	var buf bytes.Buffer
	tw, err := newTripleWriter(format, &buf)
	if err != nil {
		return nil, err
	}
	sortTriples(ts)
	if err := tw.begin(); err != nil {
		return nil, err
	}
	if err := tw.entity("", ts); err != nil {
		return nil, err
	}
	if err := tw.end(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CatalogIRI is the IRI of the DCAT catalogue (served at /catalog).
func (s *Service) CatalogIRI() string { return s.cfg.BaseIRI + "catalog" }

// VoIDIRI is the IRI of the VoID description (served at /.well-known/void).
func (s *Service) VoIDIRI() string { return s.cfg.BaseIRI + ".well-known/void" }

func (s *Service) distributionIRI(name string, f Format, gz bool) string {
	id := s.CatalogIRI() + "#dist-" + name + "-" + f.Name
	if gz {
		id += "-gz"
	}
	return id
}

func datasetTitle(name string) (string, string) {
	if d, ok := findDataset(name); ok && d != nil {
		return d.Title, d.Description
	}
	return "Graphe complet de Trame", "Toutes les données publiées de Trame, le graphe de connaissances du Commun de formation professionnelle – Inclusion numérique : ressources, référentiels de compétences, partenaires, lieux et licences. Chaque jeu de données y est un graphe nommé."
}

// Catalogue returns the DCAT-AP description of the datasets and their
// distributions in format ("ttl", "jsonld" or "nt").
func (s *Service) Catalogue(ctx context.Context, format string) ([]byte, error) {
	st, err := s.Stats(ctx)
	if err != nil {
		return nil, err
	}
	var t triples
	cat, lic, pub := s.CatalogIRI(), s.cfg.Licence, s.cfg.Publisher
	t.iri(cat, ontology.Type, dcatNS+"Catalog")
	t.fr(cat, dctNS+"title", "Trame — données ouvertes du Commun de formation professionnelle – Inclusion numérique")
	t.fr(cat, dctNS+"description", "Catalogue DCAT-AP des jeux de données de Trame : vidages complets et par jeu (N-Quads, N-Triples, Turtle, JSON-LD, compressés ou non) et point d'interrogation du graphe en lecture seule.")
	t.iri(cat, dctNS+"publisher", pub)
	t.iri(cat, dctNS+"license", lic)
	t.iri(cat, dctNS+"language", euLang)
	t.iri(cat, foafNS+"homepage", s.cfg.BaseIRI)
	t.when(cat, dctNS+"modified", st.Datasets[All].Modified)
	s.describeAgents(ctx, &t)
	for _, name := range DatasetNames() {
		t.iri(cat, dcatNS+"dataset", s.DatasetIRI(name))
		s.dcatDataset(&t, st.Datasets[name])
	}
	svc := cat + "#graph-query"
	t.iri(cat, dcatNS+"service", svc)
	t.iri(svc, ontology.Type, dcatNS+"DataService")
	t.fr(svc, dctNS+"title", "Interrogation du graphe (LinkedQL, GraphQL)")
	t.fr(svc, dctNS+"description", "Requêtes en lecture seule sur le graphe publié, avec un plafond de résultats, une limite de temps et une limite de requêtes simultanées.")
	t.iri(svc, dcatNS+"endpointURL", s.cfg.BaseIRI+"graph/query")
	t.iri(svc, dcatNS+"endpointDescription", s.cfg.BaseIRI+"openapi.json")
	t.iri(svc, dcatNS+"servesDataset", s.DatasetIRI(All))
	t.iri(svc, dctNS+"license", lic)
	t.iri(svc, dctNS+"publisher", pub)
	return render(t, format)
}

// describeAgents states the publisher and the licence.
func (s *Service) describeAgents(ctx context.Context, t *triples) {
	pub := s.cfg.Publisher
	t.iri(pub, ontology.Type, foafNS+"Agent")
	name := "Commun de formation professionnelle – Inclusion numérique"
	if rec, err := s.cfg.Store.Get(ctx, pub); err == nil && !rec.Draft {
		if e, err := s.cfg.Codec.DecodeStored(rec.IRI, rec.Doc); err == nil && e.Label("fr") != e.IRI {
			name = e.Label("fr")
		}
	}
	t.fr(pub, foafNS+"name", name)
	t.iri(s.cfg.Licence, ontology.Type, dctNS+"LicenseDocument")
}

func (s *Service) dcatDataset(t *triples, d *DatasetStats) {
	ds := s.DatasetIRI(d.Name)
	title, desc := datasetTitle(d.Name)
	t.iri(ds, ontology.Type, dcatNS+"Dataset")
	t.fr(ds, dctNS+"title", title)
	t.fr(ds, dctNS+"description", desc)
	t.str(ds, dctNS+"identifier", d.Name)
	t.iri(ds, dctNS+"publisher", s.cfg.Publisher)
	t.iri(ds, dctNS+"license", s.cfg.Licence)
	t.iri(ds, dctNS+"language", euLang)
	t.iri(ds, dctNS+"accessRights", euPub)
	t.iri(ds, dctNS+"accrualPeriodicity", euFreq)
	t.iri(ds, dcatNS+"theme", euTheme)
	t.fr(ds, dcatNS+"keyword", "médiation numérique")
	t.fr(ds, dcatNS+"keyword", "compétences numériques")
	t.when(ds, dctNS+"modified", d.Modified)
	if d.Name == All {
		for _, sub := range Datasets {
			t.iri(ds, dctNS+"hasPart", s.DatasetIRI(sub.Name))
		}
	}
	for _, f := range Formats {
		for _, gz := range []bool{false, true} {
			dist := s.distributionIRI(d.Name, f, gz)
			t.iri(ds, dcatNS+"distribution", dist)
			s.dcatDistribution(t, d, f, gz, dist)
		}
	}
}

func (s *Service) dcatDistribution(t *triples, d *DatasetStats, f Format, gz bool, dist string) {
	title, _ := datasetTitle(d.Name)
	label := f.W3CFormat[strings.LastIndex(f.W3CFormat, "/")+1:]
	key := f.Name
	if gz {
		label += ", gzip"
		key += ".gz"
	}
	url := s.DumpURL(d.Name, f, gz)
	t.iri(dist, ontology.Type, dcatNS+"Distribution")
	t.fr(dist, dctNS+"title", fmt.Sprintf("%s (%s)", title, label))
	t.iri(dist, dcatNS+"accessURL", url)
	t.iri(dist, dcatNS+"downloadURL", url)
	t.iri(dist, dcatNS+"mediaType", ianaNS+f.MediaType)
	t.iri(dist, dctNS+"format", f.FileType)
	t.iri(dist, dctNS+"conformsTo", f.W3CFormat)
	t.iri(dist, dctNS+"license", s.cfg.Licence)
	t.when(dist, dctNS+"modified", d.Modified)
	t.add(dist, dcatNS+"byteSize", domain.NewTyped(strconv.FormatInt(d.Bytes[key], 10), ontology.XSD+"nonNegativeInteger"))
	if gz {
		t.iri(dist, dcatNS+"compressFormat", ianaNS+"application/gzip")
	}
}

// VoID returns the VoID description of the datasets in format ("ttl",
// "jsonld" or "nt"): sizes, class and property partitions, vocabularies,
// dumps and subsets.
func (s *Service) VoID(ctx context.Context, format string) ([]byte, error) {
	st, err := s.Stats(ctx)
	if err != nil {
		return nil, err
	}
	var t triples
	doc := s.VoIDIRI()
	t.iri(doc, ontology.Type, voidNS+"DatasetDescription")
	t.fr(doc, dctNS+"title", "Description VoID des données de Trame")
	t.iri(doc, foafNS+"primaryTopic", s.DatasetIRI(All))
	t.iri(doc, dctNS+"publisher", s.cfg.Publisher)
	s.describeAgents(ctx, &t)
	for _, name := range DatasetNames() {
		s.voidDataset(&t, st.Datasets[name])
	}
	return render(t, format)
}

func (s *Service) voidDataset(t *triples, d *DatasetStats) {
	ds := s.DatasetIRI(d.Name)
	title, desc := datasetTitle(d.Name)
	t.iri(ds, ontology.Type, voidNS+"Dataset")
	t.fr(ds, dctNS+"title", title)
	t.fr(ds, dctNS+"description", desc)
	t.iri(ds, dctNS+"publisher", s.cfg.Publisher)
	t.iri(ds, dctNS+"license", s.cfg.Licence)
	t.when(ds, dctNS+"modified", d.Modified)
	t.iri(ds, foafNS+"homepage", s.CatalogIRI())
	t.str(ds, voidNS+"uriSpace", s.cfg.BaseIRI)
	t.count(ds, voidNS+"triples", d.Triples)
	t.count(ds, voidNS+"entities", d.Entities)
	t.count(ds, voidNS+"distinctSubjects", d.Subjects)
	t.count(ds, voidNS+"classes", int64(len(d.Classes)))
	t.count(ds, voidNS+"properties", int64(len(d.Properties)))
	for _, f := range Formats {
		t.iri(ds, voidNS+"feature", f.W3CFormat)
		t.iri(ds, voidNS+"dataDump", s.DumpURL(d.Name, f, true))
	}
	if d.Name == All {
		for _, sub := range Datasets {
			t.iri(ds, voidNS+"subset", s.DatasetIRI(sub.Name))
		}
	}
	for _, ns := range vocabularies(d.Properties) {
		t.iri(ds, voidNS+"vocabulary", ns)
	}
	for i, c := range slices.Sorted(maps.Keys(d.Classes)) {
		bn := fmt.Sprintf("_:class-%s-%d", d.Name, i)
		t.iri(ds, voidNS+"classPartition", bn)
		t.iri(bn, voidNS+"class", c)
		t.count(bn, voidNS+"entities", d.Classes[c])
	}
	for i, p := range slices.Sorted(maps.Keys(d.Properties)) {
		bn := fmt.Sprintf("_:property-%s-%d", d.Name, i)
		t.iri(ds, voidNS+"propertyPartition", bn)
		t.iri(bn, voidNS+"property", p)
		t.count(bn, voidNS+"triples", d.Properties[p])
	}
}

// vocabularies returns the declared namespaces the properties use.
func vocabularies(props map[string]int64) []string {
	seen := map[string]bool{}
	for p := range props {
		for _, pre := range Prefixes {
			if strings.HasPrefix(p, pre.NS) {
				seen[pre.NS] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
