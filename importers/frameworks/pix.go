package frameworks

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// MaxPixJSON is the largest Pix referential read (bytes).
const MaxPixJSON = 8 << 20

// PixOptions say where the Pix/CRCN referential goes in the graph.
type PixOptions struct {
	Base string
	// Framework defaults to base/frameworks/crcn and ConceptPrefix to
	// base/competencies/crcn-: the CRCN Trame bundles, of which the
	// referential becomes a new version.
	Framework     string
	ConceptPrefix string
}

type pixFile struct {
	Framework string    `json:"framework"`
	Areas     []pixArea `json:"areas"`
}

type pixArea struct {
	Code        string          `json:"code"`
	TitleFR     string          `json:"title_fr"`
	TitleEN     string          `json:"title_en"`
	Color       string          `json:"color_hex"`
	AirtableID  string          `json:"airtableId"`
	Competences []pixCompetence `json:"competences"`
}

type pixCompetence struct {
	Code          string   `json:"code"`
	NameFR        string   `json:"name_fr"`
	DescriptionFR string   `json:"description_fr"`
	Thematiques   []string `json:"thematiques_fr"`
	AirtableID    string   `json:"airtableId"`
}

// ReadPix reads the Pix/CRCN referential JSON: areas (domaines) with their
// competences, each competence's description and thématiques.
func ReadPix(r io.Reader, opts PixOptions) (*Framework, error) {
	const op = "frameworks.ReadPix"
	b, err := io.ReadAll(io.LimitReader(r, MaxPixJSON+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxPixJSON {
		return nil, domain.Errorf(op, domain.KindTooLarge, "the file is over %d bytes", MaxPixJSON)
	}
	var f pixFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, domain.Errorf(op, domain.KindInvalid, "not the Pix referential JSON: %v", err)
	}
	var errs []domain.FieldError
	bad := func(path, msg string) { errs = append(errs, domain.FieldError{Path: path, Message: msg}) }
	if len(f.Areas) == 0 {
		bad("/areas", "no area: the referential lists its domains in \"areas\"")
	}
	seen := map[string]string{}
	check := func(path, code, name string) {
		switch {
		case strings.TrimSpace(code) == "":
			bad(path+"/code", "no code")
		case seen[code] != "":
			bad(path+"/code", fmt.Sprintf("code %q is also used at %s", code, seen[code]))
		default:
			seen[code] = path
		}
		if strings.TrimSpace(name) == "" {
			bad(path, "no French name")
		}
	}
	for i, a := range f.Areas {
		p := fmt.Sprintf("/areas/%d", i)
		check(p, a.Code, a.TitleFR)
		for j, c := range a.Competences {
			check(fmt.Sprintf("%s/competences/%d", p, j), c.Code, c.NameFR)
		}
	}
	if len(errs) > 0 {
		return nil, &domain.Error{Op: op, Kind: domain.KindInvalid, Message: "the Pix referential has errors; nothing was imported", Fields: errs}
	}
	iri := resolve(opts.Base, opts.Framework)
	if iri == "" {
		iri = opts.Base + "frameworks/crcn"
	}
	prefix := resolve(opts.Base, opts.ConceptPrefix)
	if prefix == "" {
		prefix = opts.Base + "competencies/crcn-"
	}
	fw := newFramework(iri, PixJSON)
	fw.schemeNode().Lang(ontology.PrefLabel, firstNonEmpty(f.Framework, "Pix / CRCN"), "fr").
		IRI(ontology.LevelScale, opts.Base+"frameworks/niveaux")
	for _, a := range f.Areas {
		area := prefix + a.Code
		n := fw.concept(area)
		n.Str(ontology.Notation, a.Code).Lang(ontology.PrefLabel, a.TitleFR, "fr").Lang(ontology.PrefLabel, a.TitleEN, "en")
		if a.Color != "" {
			addProp(n, "pix:color", a.Color)
		}
		if a.AirtableID != "" {
			addProp(n, "pix:airtableId", a.AirtableID)
		}
		fw.Tops = append(fw.Tops, area)
		fw.Areas[area] = true
		for _, c := range a.Competences {
			m := fw.concept(prefix + c.Code)
			m.Str(ontology.Notation, c.Code).Lang(ontology.PrefLabel, c.NameFR, "fr").
				Lang(ontology.Definition, c.DescriptionFR, "fr").IRI(ontology.Broader, area)
			for _, t := range c.Thematiques {
				m.Lang(ontology.Keywords, t, "fr")
			}
			if c.AirtableID != "" {
				addProp(m, "pix:airtableId", c.AirtableID)
			}
		}
	}
	fw.finish()
	return fw, nil
}
