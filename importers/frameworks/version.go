package frameworks

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/trame-commun/trame/importers/build"
	"github.com/trame-commun/trame/importers/sink"
	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/ontology"
)

// Terms used for versions that ontology does not name.
const (
	hasTopConcept = ontology.SKOS + "hasTopConcept"
	hasVersion    = ontology.DCTerms + "hasVersion"
	versionInfo   = ontology.OWL + "versionInfo"
)

// Options configure an import.
type Options struct {
	Sink sink.Sink
	// Version labels the imported version, over the one the source
	// declares; when both are empty the date of the import is used.
	Version string
	// Source is the IRI the framework was read from (prov:wasDerivedFrom
	// of the version); may be empty.
	Source string
	Now    func() time.Time
}

// Report says what an import did.
type Report struct {
	Framework  string `json:"framework"`
	Version    string `json:"version"`
	VersionIRI string `json:"versionIRI"`
	Concepts   int    `json:"concepts"`
	Written    int    `json:"written"`
	// Unchanged is set when the content is the one of the latest version:
	// nothing was written and no version was made.
	Unchanged bool   `json:"unchanged"`
	Note      string `json:"note,omitempty"`
}

// versionRecord is what the importer remembers of each version it made,
// under the meta key versionsKey(framework).
type versionRecord struct {
	Version  string `json:"version"`
	IRI      string `json:"iri"`
	Hash     string `json:"hash"`
	Imported string `json:"imported"`
}

type versionList struct {
	Framework string          `json:"framework"`
	Versions  []versionRecord `json:"versions"`
}

func versionsKey(framework string) string {
	h := sha256.Sum256([]byte(framework))
	return "frameworks/" + hex.EncodeToString(h[:12]) + "/versions"
}

// Import writes fw as a new version of its framework, in one batch: the
// version's concept scheme (dcterms:isVersionOf the framework), the
// framework (created, or updated to point at its latest version with
// dcterms:hasVersion), and the concepts, merged with what the graph
// already holds about them. Importing content identical to the latest
// version changes nothing. A version label that exists with other content
// is refused (KindConflict) when it was given; a date label gets a suffix.
func Import(ctx context.Context, fw *Framework, opts Options) (*Report, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if len(fw.Concepts) == 0 {
		return nil, domain.Errorf("frameworks.Import", domain.KindInvalid, "the file holds no concept of framework %s", fw.IRI)
	}
	s := opts.Sink
	hash := contentHash(fw)
	list, err := loadVersions(ctx, s, fw.IRI)
	if err != nil {
		return nil, err
	}
	rep := &Report{Framework: fw.IRI, Concepts: len(fw.Concepts)}
	if n := len(list.Versions); n > 0 && list.Versions[n-1].Hash == hash {
		last := list.Versions[n-1]
		rep.Version, rep.VersionIRI, rep.Unchanged = last.Version, last.IRI, true
		rep.Note = "same content as the latest version " + last.Version + ": nothing written"
		return rep, nil
	}
	label, err := chooseLabel(fw, opts, list)
	if err != nil {
		return nil, err
	}
	v := versionIRI(s.BaseIRI(), fw.IRI, label)
	rep.Version, rep.VersionIRI = label, v
	iris := []string{fw.IRI, v}
	for _, c := range fw.Concepts {
		iris = append(iris, c.IRI)
	}
	stored, err := sink.GetMany(ctx, s, iris, sink.RemotePageIRIs)
	if err != nil {
		return nil, err
	}
	if len(fw.Scheme.Values(ontology.PrefLabel)) == 0 {
		w := stored[fw.IRI]
		if w == nil || len(w.Values(ontology.PrefLabel)) == 0 {
			return nil, domain.Errorf("frameworks.Import", domain.KindInvalid, "the file does not name framework %s and the graph does not know it: give its name with --label", fw.IRI)
		}
		for _, l := range w.Values(ontology.PrefLabel) {
			fw.Scheme.Triples = append(fw.Scheme.Triples, domain.Triple{S: domain.NewIRI(fw.IRI), P: domain.NewIRI(ontology.PrefLabel), O: l})
		}
	}
	now := opts.Now().UTC().Truncate(time.Second).Format(time.RFC3339)
	puts := []*domain.Entity{
		versionEntity(fw, v, label, opts.Source, now),
		frameworkEntity(fw, stored[fw.IRI], v, label),
	}
	for _, c := range fw.Concepts {
		puts = append(puts, conceptEntity(fw, c, stored[c.IRI], v))
	}
	res, err := s.Apply(ctx, sink.Batch{Puts: puts})
	if err != nil {
		return nil, err
	}
	rep.Written = res.Written
	list.Framework = fw.IRI
	list.Versions = append(list.Versions, versionRecord{Version: label, IRI: v, Hash: hash, Imported: now})
	b, _ := json.Marshal(list)
	return rep, s.PutMeta(ctx, versionsKey(fw.IRI), b)
}

func loadVersions(ctx context.Context, s sink.Sink, framework string) (*versionList, error) {
	list := &versionList{Framework: framework}
	b, err := s.GetMeta(ctx, versionsKey(framework))
	if domain.IsKind(err, domain.KindNotFound) {
		return list, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, list); err != nil {
		return nil, domain.Errorf("frameworks.Import", domain.KindInternal, "the version list of %s is unreadable: %v", framework, err)
	}
	return list, nil
}

// chooseLabel picks the version label: given, declared, or the date.
func chooseLabel(fw *Framework, opts Options, list *versionList) (string, error) {
	taken := map[string]bool{}
	for _, v := range list.Versions {
		taken[v.Version] = true
	}
	label := strings.TrimSpace(opts.Version)
	if label == "" {
		label = strings.TrimSpace(fw.Version)
	}
	if label != "" {
		if taken[label] {
			return "", domain.Errorf("frameworks.Import", domain.KindConflict,
				"version %q of %s already exists with other content: versions never change; give another label with --version", label, fw.IRI)
		}
		return label, nil
	}
	date := opts.Now().UTC().Format("2006-01-02")
	label = date
	for i := 2; taken[label]; i++ {
		label = fmt.Sprintf("%s-%d", date, i)
	}
	return label, nil
}

// versionIRI names version label of framework: under the framework's own
// IRI when it lives under the base, under base/frameworks otherwise (an
// external framework's namespace is not ours to extend).
func versionIRI(base, framework, label string) string {
	if strings.HasPrefix(framework, base) {
		return strings.TrimRight(framework, "/") + "/" + slug(label)
	}
	return base + "frameworks/" + slug(lastSegment(framework)) + "/" + slug(label)
}

// contentHash digests what the source says (not what Import adds).
func contentHash(fw *Framework) string {
	h := sha256.New()
	h.Write([]byte(sink.Canonical(fw.Scheme, nil)))
	for _, c := range fw.Concepts {
		h.Write([]byte{0})
		h.Write([]byte(sink.Canonical(c, nil)))
		if fw.Areas[c.IRI] {
			h.Write([]byte("area"))
		}
	}
	for _, t := range fw.Tops {
		h.Write([]byte("top " + t))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// schemeStatements copies the source's statements about the framework to
// subject, leaving out those Import writes itself.
func schemeStatements(b *build.Entity, fw *Framework, subject string) {
	skip := map[string]bool{ontology.Type: true, hasTopConcept: true, ontology.Version: true,
		versionInfo: true, hasVersion: true, ontology.IsVersionOf: true}
	for _, t := range rebase(fw.Scheme.Triples, fw.IRI, subject, "v") {
		if t.S.IsIRI() && t.S.Value == subject && skip[t.P.Value] {
			continue
		}
		b.Entity().Triples = append(b.Entity().Triples, t)
	}
}

// rebase renames subject from into to, and prefixes blank labels.
func rebase(ts []domain.Triple, from, to, prefix string) []domain.Triple {
	out := make([]domain.Triple, 0, len(ts))
	for _, t := range ts {
		for _, x := range []*domain.Term{&t.S, &t.O} {
			if x.IsIRI() && x.Value == from && x == &t.S {
				x.Value = to
			}
			if x.IsBlank() {
				x.Value = prefix + x.Value
			}
		}
		out = append(out, t)
	}
	return out
}

func versionEntity(fw *Framework, v, label, source, now string) *domain.Entity {
	b := build.New(v, ontology.ConceptScheme, ontology.CompetencyFramework)
	schemeStatements(b, fw, v)
	n := b.Root()
	n.Str(ontology.Version, label).IRI(ontology.IsVersionOf, fw.IRI)
	for _, t := range fw.Tops {
		n.IRI(hasTopConcept, t)
	}
	n.Link(ontology.WasDerivedFrom, source)
	n.Typed(ontology.GeneratedAtTime, now, ontology.XSDDateTime)
	return b.Entity()
}

// frameworkEntity is the framework itself: what the source says about it,
// pointing at its latest version, merged with what the graph holds.
func frameworkEntity(fw *Framework, stored *domain.Entity, v, label string) *domain.Entity {
	b := build.New(fw.IRI, ontology.ConceptScheme, ontology.CompetencyFramework)
	schemeStatements(b, fw, fw.IRI)
	n := b.Root()
	n.Str(ontology.Version, label).IRI(hasVersion, v)
	for _, t := range fw.Tops {
		n.IRI(hasTopConcept, t)
	}
	return merge(stored, b.Entity(), map[string]bool{hasVersion: true})
}

// conceptEntity types a concept, places it in the framework and in the
// version, and merges it with what the graph holds.
func conceptEntity(fw *Framework, c, stored *domain.Entity, v string) *domain.Entity {
	class := ontology.Competency
	if fw.Areas[c.IRI] {
		class = ontology.CompetencyArea
	}
	b := build.New(c.IRI, ontology.Concept, class)
	b.Entity().Triples = append(b.Entity().Triples, c.Triples...)
	n := b.Root()
	n.IRI(ontology.InScheme, fw.IRI).IRI(ontology.InScheme, v)
	for _, t := range fw.Tops {
		if t == c.IRI {
			n.IRI(ontology.TopConceptOf, fw.IRI).IRI(ontology.TopConceptOf, v)
		}
	}
	return merge(stored, b.Entity(), map[string]bool{ontology.InScheme: true, ontology.TopConceptOf: true})
}

// merge returns fresh completed with what stored says and fresh does not:
// for each (predicate, language) fresh states, fresh's values replace
// stored's, except for the predicates in union whose values add up; other
// statements of stored are kept, with the blank nodes they use.
func merge(stored, fresh *domain.Entity, union map[string]bool) *domain.Entity {
	if stored == nil {
		return withTypes(fresh)
	}
	root := domain.NewIRI(fresh.IRI)
	key := func(t domain.Triple) string { return t.P.Value + "@" + t.O.Lang }
	given := map[string]bool{}
	have := map[domain.Triple]bool{}
	for _, t := range fresh.Triples {
		if t.S == root {
			given[key(t)] = true
		}
		have[t] = true
	}
	out := &domain.Entity{IRI: fresh.IRI, Triples: append([]domain.Triple(nil), fresh.Triples...)}
	keep := map[string]bool{} // stored blank nodes still referenced
	var kept []domain.Triple
	for _, t := range stored.Triples {
		if t.S != root {
			continue
		}
		if given[key(t)] && !union[t.P.Value] {
			continue
		}
		t.O = stamp(t.O)
		if !have[t] {
			kept = append(kept, t)
			if t.O.IsBlank() {
				keep[t.O.Value] = true
			}
		}
	}
	for changed := true; changed; { // blank nodes reachable from kept ones
		changed = false
		for _, t := range stored.Triples {
			if t.S.IsBlank() && keep["s"+t.S.Value] && t.O.IsBlank() && !keep["s"+t.O.Value] {
				keep["s"+t.O.Value] = true
				changed = true
			}
		}
	}
	for _, t := range stored.Triples {
		if t.S.IsBlank() && keep["s"+t.S.Value] {
			t.S, t.O = stamp(t.S), stamp(t.O)
			kept = append(kept, t)
		}
	}
	out.Triples = append(out.Triples, kept...)
	return withTypes(out)
}

// stamp prefixes a stored blank label so it cannot collide with fresh ones.
func stamp(t domain.Term) domain.Term {
	if t.IsBlank() {
		t.Value = "s" + t.Value
	}
	return t
}

// withTypes sets Types from the rdf:type statements of the entity's node.
func withTypes(e *domain.Entity) *domain.Entity {
	e.Types = nil
	for _, t := range e.Values(ontology.Type) {
		if t.IsIRI() {
			e.Types = append(e.Types, t.Value)
		}
	}
	sort.Strings(e.Types)
	return e
}
