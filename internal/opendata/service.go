package opendata

import (
	"context"
	"encoding/json"
	"io"

	"github.com/trame-commun/trame/internal/domain"
)

// Export kinds accepted by Service.Export.
const (
	ExportCTDL       = "ctdl-asn"    // a framework as CTDL-ASN JSON-LD
	ExportMoodle     = "moodle"      // a framework as Moodle competency CSV
	ExportOpenBadges = "open-badges" // a parcours as an Open Badges 3.0 Achievement
	ExportSchemaOrg  = "schema-org"  // a resource (or every resource) as schema.org JSON-LD
)

// CheckDump validates a dump request: KindNotFound for an unknown dataset,
// KindNotAcceptable for an unknown format.
func (s *Service) CheckDump(dataset, format string) error {
	return CheckDump(DumpRequest{Dataset: dataset, Format: format})
}

// WriteDump streams a dump to w (see Dump).
func (s *Service) WriteDump(ctx context.Context, w io.Writer, dataset, format string, gz bool) error {
	_, err := s.Dump(ctx, w, DumpRequest{Dataset: dataset, Format: format, Gzip: gz})
	return err
}

// Export writes the interop export kind of iri to w. For ExportSchemaOrg an
// empty iri exports every published resource and parcours as a JSON array.
// Nothing is written when it fails before the first byte (unknown or
// invisible entity: KindNotFound; wrong type: KindInvalid).
func (s *Service) Export(ctx context.Context, w io.Writer, kind, iri string, anonymous bool) error {
	var v any
	var err error
	switch kind {
	case ExportCTDL:
		v, err = s.CTDL(ctx, iri, anonymous)
	case ExportOpenBadges:
		v, err = s.Achievement(ctx, iri, anonymous)
	case ExportMoodle:
		return s.Moodle(ctx, w, iri, anonymous)
	case ExportSchemaOrg:
		if iri == "" {
			_, err = s.SchemaOrgAll(ctx, w)
			return err
		}
		b, err := s.SchemaOrg(ctx, iri, anonymous)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	default:
		return domain.Errorf("opendata.Export", domain.KindNotFound, "no export %q: use %s, %s, %s or %s", kind, ExportCTDL, ExportMoodle, ExportOpenBadges, ExportSchemaOrg)
	}
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
