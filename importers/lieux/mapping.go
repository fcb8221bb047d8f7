package lieux

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Terms of the mapping (schema.org unless noted). A lieu is a schema:Place
// (listed under /places), linked to its structure (a schema:Organization)
// with schema:parentOrganization.
const (
	parentOrg       = ontology.Schema + "parentOrganization"
	address         = ontology.Schema + "address"
	postalAddress   = ontology.Schema + "PostalAddress"
	streetAddress   = ontology.Schema + "streetAddress"
	postalCode      = ontology.Schema + "postalCode"
	addressLocality = ontology.Schema + "addressLocality"
	geo             = ontology.Schema + "geo"
	geoCoordinates  = ontology.Schema + "GeoCoordinates"
	latitude        = ontology.Schema + "latitude"
	longitude       = ontology.Schema + "longitude"
	telephone       = ontology.Schema + "telephone"
	emailProp       = ontology.Schema + "email"
	openingHours    = ontology.Schema + "openingHours"
	category        = ontology.Schema + "category"
	makesOffer      = ontology.Schema + "makesOffer"
	offer           = ontology.Schema + "Offer"
	itemOffered     = ontology.Schema + "itemOffered"
	award           = ontology.Schema + "award"
	areaServed      = ontology.Schema + "areaServed"
	potentialAction = ontology.Schema + "potentialAction"
	reserveAction   = ontology.Schema + "ReserveAction"
	target          = ontology.Schema + "target"
	seeAlso         = ontology.RDFS + "seeAlso"
	source          = ontology.DCTerms + "source"
)

// DatasetPath is the dataset every imported lieu is in.
const DatasetPath = "datasets/lieux-mediation-numerique"

// conceptFields are the fields whose values are concepts of a vocabulary
// {base}vocab/lieux-{field}, and the property linking a lieu to them.
var conceptFields = map[string]string{
	"services": makesOffer, "publics_specifiquement_adresses": ontology.Audience,
	"prise_en_charge_specifique": ontology.Audience, "typologie": category, "frais_a_charge": category,
	"dispositif_programmes_nationaux": category, "formations_labels": category, "modalites_acces": category,
	"modalites_accompagnement": category, "itinerance": category,
}

// mapper builds the entities of valid rows.
type mapper struct {
	base     string
	orgs     map[string]*domain.Entity // by IRI
	orgName  map[string]string
	concepts map[string]*domain.Entity // by IRI
	schemes  map[string]*domain.Entity
}

func newMapper(base string) *mapper {
	return &mapper{base: base, orgs: map[string]*domain.Entity{}, orgName: map[string]string{},
		concepts: map[string]*domain.Entity{}, schemes: map[string]*domain.Entity{}}
}

// LieuIRI is the IRI of the lieu id of source.
func LieuIRI(base, src, id string) string {
	if src == "" {
		return base + "places/" + url.PathEscape(id)
	}
	return base + "places/" + url.PathEscape(src) + "/" + url.PathEscape(id)
}

var siret = regexp.MustCompile(`^[0-9]{14}$`)

// OrgIRI is the IRI of the organisation a pivot (SIRET, SIREN, RNA or
// RIDET) identifies.
func OrgIRI(base, pivot string) string {
	if siret.MatchString(pivot) {
		return base + "partners/siret/" + pivot
	}
	return base + "partners/pivot/" + url.PathEscape(pivot)
}

func (m *mapper) dataset() string { return m.base + DatasetPath }

func (m *mapper) schemeIRI(field string) string {
	return m.base + "vocab/lieux-" + strings.ReplaceAll(field, "_", "-")
}

func (m *mapper) conceptIRI(field, value string) string {
	return m.schemeIRI(field) + "/" + slug(value)
}

// lieu maps a valid row.
func (m *mapper) lieu(r *Row) *domain.Entity {
	v := r.Values
	b := build.New(LieuIRI(m.base, v["source"], v["id"]), ontology.Place)
	n := b.Root()
	n.Str(ontology.Name, v["nom"]).Str(ontology.Identifier, v["id"])
	org := m.org(v["pivot"], v["nom"])
	n.IRI(parentOrg, org)
	if p := v["structure_parente"]; p != "" {
		m.orgs[org] = withParent(m.orgs[org], m.org(p, ""))
	}
	a := n.Blank(address, postalAddress)
	a.Str(streetAddress, v["adresse"]).Str(postalCode, v["code_postal"]).Str(addressLocality, v["commune"])
	a.Str(ontology.Description, v["complement_adresse"]).Str(ontology.Identifier, v["code_insee"])
	if v["latitude"] != "" && v["longitude"] != "" {
		g := n.Blank(geo, geoCoordinates)
		g.Typed(latitude, v["latitude"], ontology.XSDDecimal).Typed(longitude, v["longitude"], ontology.XSDDecimal)
	}
	n.IRI(areaServed, m.departement(v["code_insee"], v["code_postal"]))
	n.Str(telephone, v["telephone"]).Raw(openingHours, v["horaires"])
	for _, e := range splitMulti(v["courriels"]) {
		n.Str(emailProp, e)
	}
	for _, u := range splitMulti(v["site_web"]) {
		n.Link(ontology.URL, u)
	}
	n.Str(ontology.Description, v["presentation_resume"]).Str(ontology.Text, v["presentation_detail"])
	n.Str(source, v["source"]).Str(award, v["autres_formations_labels"]).Link(seeAlso, v["fiche_acces_libre"])
	if u := v["prise_rdv"]; u != "" {
		n.Blank(potentialAction, reserveAction).Link(target, u)
	}
	n.Typed(ontology.DateModified, v["date_maj"], ontology.XSDDate)
	for _, f := range V1.Fields {
		p, ok := conceptFields[f.Name]
		if !ok {
			continue
		}
		for _, x := range splitMulti(v[f.Name]) {
			c := m.concept(f, x)
			if p == makesOffer {
				n.Blank(makesOffer, offer).IRI(itemOffered, c)
				continue
			}
			n.IRI(p, c)
		}
	}
	n.IRI(ontology.InDataset, m.dataset())
	return b.Entity()
}

// org returns the IRI of the organisation of pivot, creating it once.
func (m *mapper) org(pivot, name string) string {
	iri := OrgIRI(m.base, pivot)
	if m.orgs[iri] != nil {
		return iri
	}
	if name == "" {
		name = "Structure " + pivot
	}
	b := build.New(iri, ontology.Organization)
	n := b.Root()
	n.Str(ontology.Name, name)
	if siret.MatchString(pivot) {
		n.Str(ontology.Siret, pivot)
	} else {
		n.Str(ontology.Identifier, pivot)
	}
	n.IRI(ontology.InDataset, m.dataset())
	m.orgs[iri] = b.Entity()
	return iri
}

func withParent(e *domain.Entity, parent string) *domain.Entity {
	for _, p := range e.Values(parentOrg) {
		if p.Value == parent {
			return e
		}
	}
	e.Triples = append(e.Triples, domain.Triple{S: domain.NewIRI(e.IRI), P: domain.NewIRI(parentOrg), O: domain.NewIRI(parent)})
	return e
}

// concept returns the IRI of value in field's vocabulary, creating both.
func (m *mapper) concept(f *Field, value string) string {
	scheme := m.schemeIRI(f.Name)
	if m.schemes[scheme] == nil {
		b := build.New(scheme, ontology.ConceptScheme, ontology.IndexVocabulary)
		b.Root().Lang(ontology.PrefLabel, f.Title+" (lieux de médiation numérique)", "fr").
			Str(ontology.Description, "Valeurs du champ "+f.Name+" du standard national des lieux de médiation numérique (v"+V1.Version+").").
			IRI(ontology.InDataset, m.dataset())
		m.schemes[scheme] = b.Entity()
	}
	iri := m.conceptIRI(f.Name, value)
	if m.concepts[iri] == nil {
		b := build.New(iri, ontology.Concept, ontology.IndexTerm)
		b.Root().IRI(ontology.InScheme, scheme).Raw(ontology.Notation, value).Lang(ontology.PrefLabel, value, "fr")
		m.concepts[iri] = b.Entity()
	}
	return iri
}

// departement returns the IRI of the département of an INSEE code or,
// without one, of a postal code (Corsica and overseas need the INSEE code
// or three digits).
func (m *mapper) departement(insee, postal string) string {
	code := ""
	switch {
	case len(insee) == 5 && strings.HasPrefix(insee, "97"):
		code = insee[:3]
	case len(insee) == 5:
		code = insee[:2]
	case len(postal) == 5 && strings.HasPrefix(postal, "97"):
		code = postal[:3]
	case len(postal) == 5 && !strings.HasPrefix(postal, "20"):
		code = postal[:2]
	}
	if code == "" {
		return ""
	}
	return m.base + "vocab/departements/" + code
}

// slug makes a path segment of a value: lower-case ASCII words joined by "-".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(fold(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// datasetEntity describes the imported lieux.
func (m *mapper) datasetEntity() *domain.Entity {
	b := build.New(m.dataset(), ontology.Dataset)
	b.Root().Str(ontology.Name, "Lieux de médiation numérique").
		Str(ontology.Description, "Lieux de médiation numérique importés au standard national (LaMednum/standard-mediation-num v1.0), avec les organisations qui les portent et les services qu'ils proposent.")
	return b.Entity()
}
