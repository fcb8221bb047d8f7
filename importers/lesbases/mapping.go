package lesbases

import (
	"time"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// MappingVersion names the mapping from markdown to entities. It is part of
// each item's content hash, so changing the mapping rebuilds every item on
// the next run.
const MappingVersion = "lesbases-mapping-1"

// DatasetPath is where the Les Bases dataset entity lives under the base IRI.
const DatasetPath = "datasets/lesbases"

// Mapper turns Les Bases items into entities for a catalog whose base IRI
// is BaseIRI.
type Mapper struct {
	BaseIRI string // Trame's base IRI, ending with "/"
	Vocab   *Vocab
}

// Dataset returns the IRI of the dataset every harvested entity is in.
func (m Mapper) Dataset() string { return m.BaseIRI + DatasetPath }

// vocabIRI is the IRI of a facet value in the bundled vocabularies.
func (m Mapper) vocabIRI(f Facet, key string) string {
	return m.BaseIRI + "vocab/" + string(f) + "/" + key
}

// facetProperty is the property linking a resource to a value of f.
var facetProperty = map[Facet]string{
	Thematiques:   ontology.About,
	Types:         ontology.LearningResourceType,
	Beneficiaires: ontology.Audience,
	Secteurs:      ontology.ProfessionalSector,
}

// toolTypes are the resource types that make a resource a trame:Tool
// rather than a trame:Grain.
var toolTypes = map[string]bool{"OutilsNumeriques": true}

// Resource maps a visible resource: iri is its page URL on Les Bases (the
// IRI it comes with), publisher the IRI of its base when known.
func (m Mapper) Resource(it Item, iri string, doc *Document, harvested time.Time, publisher string) *domain.Entity {
	class := ontology.Grain
	for _, k := range doc.Facets[Types] {
		if toolTypes[k] {
			class = ontology.Tool
		}
	}
	b := build.New(iri, ontology.LearningResource, class)
	n := b.Root()
	title := doc.Title
	if title == "" && it.Title != nil {
		title = *it.Title
	}
	n.Str(ontology.Name, title).Str(ontology.Description, doc.Description)
	n.Raw(ontology.Text, doc.ContentsMarkdown)
	for _, f := range Facets {
		for _, k := range doc.Facets[f] {
			n.IRI(facetProperty[f], m.vocabIRI(f, k))
		}
	}
	m.contents(n, doc.Contents)
	n.Str(ontology.InLanguage, "fr")
	n.IRI(ontology.Publisher, publisher)
	m.provenance(n, it, iri, harvested)
	if it.Published != nil {
		n.Typed(ontology.DatePublished, date(*it.Published), ontology.XSDDate)
	}
	return b.Entity()
}

// contents keeps the structure of the content blocks next to schema:text:
// section titles as schema:articleSection, links as schema:citation,
// files as schema:associatedMedia, images as schema:image.
func (m Mapper) contents(n *build.Node, blocks []Block) {
	for _, bl := range blocks {
		switch bl.Kind {
		case SectionBlock:
			n.Str(ontology.Schema+"articleSection", bl.Title)
		case LinkBlock:
			c := n.Blank(ontology.Schema+"citation", ontology.Schema+"CreativeWork")
			c.Str(ontology.Name, firstNonEmpty(bl.Title, bl.LinkText, bl.URL))
			c.Str(ontology.Schema+"caption", bl.Caption).Str(ontology.Description, bl.Description)
			c.Link(ontology.URL, bl.URL)
		case FileBlock:
			f := n.Blank(ontology.Schema+"associatedMedia", ontology.Schema+"MediaObject")
			f.Str(ontology.Name, firstNonEmpty(bl.Title, bl.Name)).Str(ontology.Schema+"caption", bl.Caption)
			f.Str(ontology.Schema+"alternateName", bl.Name)
		case ImageBlock:
			f := n.Blank(ontology.Schema+"image", ontology.Schema+"ImageObject")
			f.Str(ontology.Name, firstNonEmpty(bl.Title, bl.Name)).Str(ontology.Schema+"caption", bl.Caption)
			f.Str(ontology.Description, bl.Alt).Str(ontology.Schema+"alternateName", bl.Name)
		}
	}
}

// Base maps a visible base as the organisation that publishes on Les Bases.
func (m Mapper) Base(it Item, iri, title, description string, harvested time.Time) *domain.Entity {
	b := build.New(iri, ontology.Organization)
	n := b.Root()
	if title == "" && it.Title != nil {
		title = *it.Title
	}
	n.Str(ontology.Name, title).Str(ontology.Description, description)
	m.provenance(n, it, iri, harvested)
	return b.Entity()
}

func (m Mapper) provenance(n *build.Node, it Item, iri string, harvested time.Time) {
	n.IRI(ontology.URL, iri)
	n.Str(ontology.Identifier, it.ID)
	n.IRI(ontology.WasDerivedFrom, iri)
	n.Typed(ontology.GeneratedAtTime, harvested.UTC().Format(time.RFC3339), ontology.XSDDateTime)
	n.IRI(ontology.InDataset, m.Dataset())
	n.Typed(ontology.DateCreated, date(it.Created), ontology.XSDDate)
}

// DatasetEntity describes the harvested dataset; site is the harvested
// Les Bases address.
func (m Mapper) DatasetEntity(site string) *domain.Entity {
	b := build.New(m.Dataset(), ontology.Dataset)
	b.Root().
		Str(ontology.Name, "Les Bases du numérique d'intérêt général (moissonnage)").
		Str(ontology.Description, "Ressources publiques et publiées des Bases et les bases qui les publient, moissonnées par Trame (trame import lesbases) depuis l'API v1 et les exports markdown des Bases (ANCT).").
		Link(ontology.Schema+"isBasedOn", site).
		Link(ontology.WasDerivedFrom, site)
	return b.Entity()
}

// date returns the YYYY-MM-DD part of an ISO 8601 timestamp, or "".
func date(ts string) string {
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
