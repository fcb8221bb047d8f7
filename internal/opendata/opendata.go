// Package opendata publishes Trame's graph as linked open data: dumps of
// every published entity (N-Quads, N-Triples, Turtle, JSON-LD, gzip on
// request), per-dataset dumps each in its own named graph, a DCAT-AP
// catalogue and a VoID description of those datasets, and interop exports
// of frameworks (CTDL-ASN JSON-LD, Moodle CSV), parcours (Open Badges 3.0
// Achievement) and resources (schema.org JSON-LD).
//
// Dumps read the canonical store directly (domain.Store.Scan), decode each
// published record with the codec and write it at once: memory stays
// constant whatever the size of the graph. Drafts never appear.
package opendata

import (
	"strings"
	"sync"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Dataset is one part of the published graph with its own dump, named
// graph, DCAT dataset and VoID subset.
type Dataset struct {
	Name        string // URL segment: /data/{Name}.nq
	Title       string // French title
	Description string
	// Collections whose entities belong to the dataset.
	Collections []domain.Collection
	// Types place entities whose collection names no dataset (schema:Place
	// for the lieux de médiation numérique).
	Types []string
}

// All is the name of the dataset holding every published entity; its
// dumps are /data/dump.{ext}. Each quad of its N-Quads and JSON-LD dumps is
// in the named graph of the dataset it belongs to.
const All = "dump"

// schemaPlace is the class of the lieux de médiation numérique.
const schemaPlace = ontology.Schema + "Place"

// Datasets are the parts of the graph, in the order the catalogue lists
// them. Every published entity belongs to exactly one: the first whose
// collections or types match, else "sources".
var Datasets = []Dataset{
	{Name: "resources", Title: "Ressources pédagogiques et parcours",
		Description: "Grains, formations, outils et parcours de formation à la médiation numérique, avec leurs alignements sur les compétences.",
		Collections: []domain.Collection{domain.Resources, domain.Paths}},
	{Name: "frameworks", Title: "Référentiels de compétences et vocabulaires",
		Description: "Référentiels (CRCN, DigComp 2.2 sous ses IRI ESCO, titres professionnels), compétences, niveaux de maîtrise, correspondances entre référentiels et vocabulaires d'indexation des Bases.",
		Collections: []domain.Collection{domain.Frameworks, domain.Competencies, domain.Levels, domain.Crosswalks, domain.Vocabulary}},
	{Name: "partners", Title: "Partenaires et accords de coopération",
		Description: "Organisations partenaires du Commun, leurs adhésions, accords de coopération et engagements.",
		Collections: []domain.Collection{domain.Partners, domain.Agreements}},
	{Name: "lieux", Title: "Lieux de médiation numérique",
		Description: "Lieux de médiation numérique (standard national), rattachés à leur organisation.",
		Collections: []domain.Collection{"lieux", "places"}, Types: []string{schemaPlace}},
	{Name: "licences", Title: "Licences",
		Description: "Licences sous lesquelles les ressources sont partagées, décrites avec le vocabulaire Creative Commons (permissions, obligations, interdictions).",
		Collections: []domain.Collection{domain.Licences}},
	{Name: "sources", Title: "Jeux de données sources",
		Description: "Descriptions (VoID) des jeux de données dont proviennent les entités (données de référence, catalogue d'exemple, moissonnages), et toute entité qu'aucun autre jeu ne couvre.",
		Collections: []domain.Collection{domain.Datasets}},
}

// DatasetNames lists the names a dump may ask for: All, then each dataset.
func DatasetNames() []string {
	out := []string{All}
	for _, d := range Datasets {
		out = append(out, d.Name)
	}
	return out
}

// datasetOf returns the dataset an entity belongs to.
func datasetOf(coll domain.Collection, types []string) *Dataset {
	for i := range Datasets {
		for _, c := range Datasets[i].Collections {
			if c == coll {
				return &Datasets[i]
			}
		}
	}
	for i := range Datasets {
		for _, want := range Datasets[i].Types {
			for _, t := range types {
				if ontology.IsA(t, want) || t == want {
					return &Datasets[i]
				}
			}
		}
	}
	return &Datasets[len(Datasets)-1]
}

// findDataset returns the dataset named name; All gives nil, true.
func findDataset(name string) (*Dataset, bool) {
	if name == All || name == "" {
		return nil, true
	}
	for i := range Datasets {
		if Datasets[i].Name == name {
			return &Datasets[i], true
		}
	}
	return nil, false
}

// Format is one serialisation of a dump.
type Format struct {
	Name      string // file extension and ?format= value
	MediaType string
	// FileType is the EU file-type authority IRI DCAT-AP uses in dcterms:format.
	FileType string
	// W3CFormat is the unique IRI of the format (http://www.w3.org/ns/formats/).
	W3CFormat string
}

// Formats of the dumps, in the order the catalogue lists them.
var Formats = []Format{
	{"nq", "application/n-quads", euFileType + "RDF_N_QUADS", "http://www.w3.org/ns/formats/N-Quads"},
	{"nt", "application/n-triples", euFileType + "RDF_N_TRIPLES", "http://www.w3.org/ns/formats/N-Triples"},
	{"ttl", "text/turtle", euFileType + "RDF_TURTLE", "http://www.w3.org/ns/formats/Turtle"},
	{"jsonld", "application/ld+json", euFileType + "JSON_LD", "http://www.w3.org/ns/formats/JSON-LD"},
}

const euFileType = "http://publications.europa.eu/resource/authority/file-type/"

// FindFormat returns the dump format named name.
func FindFormat(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// FormatNames lists the dump format names, for error messages.
func FormatNames() string {
	var names []string
	for _, f := range Formats {
		names = append(names, f.Name)
	}
	return strings.Join(names, ", ")
}

// Config gathers what the service needs.
type Config struct {
	Store   domain.Store
	Codec   domain.Codec
	BaseIRI string // ends with "/"
	// Publisher is the IRI of the organisation publishing the data
	// (default: the Commun, BaseIRI + "partners/commun-formation-inclusion-numerique").
	Publisher string
	// Licence is the IRI of the licence of the dumps (default CC BY-SA 4.0,
	// the licence of the bundled datasets); each resource also states its own.
	Licence string
	// Subjects answers the subjects of (?, predicate, object); published
	// restricts them to published entities. The graph view provides it;
	// exports of frameworks use it to find their competencies.
	Subjects func(predicate, object string, published bool) []string
}

// Service publishes the open data. It is safe for concurrent use.
type Service struct {
	cfg Config

	statsMu sync.Mutex
	stats   *Stats // cached, see Stats
}

// DefaultLicence is the licence of the dumps unless Config.Licence is set.
const DefaultLicence = "https://creativecommons.org/licenses/by-sa/4.0/"

// New returns the service.
func New(cfg Config) *Service {
	if !strings.HasSuffix(cfg.BaseIRI, "/") {
		cfg.BaseIRI += "/"
	}
	if cfg.Publisher == "" {
		cfg.Publisher = cfg.BaseIRI + "partners/commun-formation-inclusion-numerique"
	}
	if cfg.Licence == "" {
		cfg.Licence = DefaultLicence
	}
	return &Service{cfg: cfg}
}

// DatasetIRI is the IRI of a dataset, also the name of its graph in the
// dumps: BaseIRI + "data/" + name.
func (s *Service) DatasetIRI(name string) string { return s.cfg.BaseIRI + "data/" + name }

// DumpURL is where the dump of dataset name in format f is served.
func (s *Service) DumpURL(name string, f Format, gz bool) string {
	u := s.cfg.BaseIRI + "data/" + name + "." + f.Name
	if gz {
		u += ".gz"
	}
	return u
}
