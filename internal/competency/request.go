package competency

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
)

// Limits of the coverage and recommendation requests (documented in
// docs/competency.md). Anything over a limit is refused with KindInvalid.
const (
	// MaxProfileEntries bounds the entries of "current", "target" and a
	// profile's "levels" (a framework has a few dozen competencies).
	MaxProfileEntries = 500
	// MaxScopeResources bounds the resources listed in a coverage scope.
	MaxScopeResources = 1000
	// MaxListValues bounds each list of a recommendation's constraints.
	MaxListValues = 50
	// MaxBudget is the largest maxDuration a recommendation accepts.
	MaxBudget = 365 * 24 * time.Hour
	// DefaultDuration is the cost of a resource that states no
	// schema:timeRequired (such durations are flagged as estimated).
	DefaultDuration = time.Hour
	// MaxNameLength bounds the name and description of a saved parcours.
	MaxNameLength = 300
	// MaxIRILength bounds every IRI a request names.
	MaxIRILength = 2000
)

// resolve makes a request IRI absolute: an absolute IRI is kept, a relative
// one ("competencies/crcn-1.1") is taken under base.
func resolve(s, base string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.Contains(s, "://") || strings.HasPrefix(s, "urn:") {
		return s
	}
	return base + strings.TrimPrefix(s, "/")
}

func invalid(op, msg string, fields ...domain.FieldError) error {
	return &domain.Error{Op: op, Kind: domain.KindInvalid, Message: msg, Fields: fields}
}

// Coverage query parameters.
var (
	coverageParams = []string{"referentiel", "editeur", "departement", "resources", "closeMatch", "format"}
	scopeParams    = []string{"editeur", "departement", "resources"}
)

// ParseCoverageQuery reads GET /coverage parameters: referentiel (framework
// IRI, required), editeur (organisation IRI), departement (code or IRI),
// resources (IRIs, comma-separated or repeated), closeMatch (true/false).
// format is left to the HTTP layer; any other parameter is refused.
func ParseCoverageQuery(q url.Values, base string) (CoverageRequest, error) {
	const op = "competency.ParseCoverageQuery"
	var fields []domain.FieldError
	for k := range q {
		if !contains(coverageParams, k) {
			fields = append(fields, domain.FieldError{Path: k, Message: "unknown parameter; accepted: " + strings.Join(coverageParams, ", ")})
		}
	}
	req := CoverageRequest{Framework: resolve(q.Get("referentiel"), base)}
	req.Scope = parseScope(q, "", base, &fields)
	req.CloseMatch = parseBool(q, "closeMatch", &fields)
	if req.Framework == "" {
		fields = append(fields, domain.FieldError{Path: "referentiel", Message: "the framework IRI is required (referentiel=…)"})
	}
	if len(fields) > 0 {
		sortFields(fields)
		return req, invalid(op, "invalid coverage parameters", fields...)
	}
	return req, nil
}

// ParseDiffQuery reads GET /coverage/diff parameters: referentiel, the
// scope of side A as a.editeur, a.departement, a.resources and of side B as
// b.… (an empty side is the whole Commun), and closeMatch.
func ParseDiffQuery(q url.Values, base string) (DiffRequest, error) {
	const op = "competency.ParseDiffQuery"
	var fields []domain.FieldError
	for k := range q {
		side, name, _ := strings.Cut(k, ".")
		if k == "referentiel" || k == "closeMatch" || k == "format" || ((side == "a" || side == "b") && contains(scopeParams, name)) {
			continue
		}
		fields = append(fields, domain.FieldError{Path: k, Message: "unknown parameter; accepted: referentiel, closeMatch, format, a.editeur, a.departement, a.resources, b.editeur, b.departement, b.resources"})
	}
	req := DiffRequest{Framework: resolve(q.Get("referentiel"), base)}
	req.A = parseScope(q, "a.", base, &fields)
	req.B = parseScope(q, "b.", base, &fields)
	req.CloseMatch = parseBool(q, "closeMatch", &fields)
	if req.Framework == "" {
		fields = append(fields, domain.FieldError{Path: "referentiel", Message: "the framework IRI is required (referentiel=…)"})
	}
	if len(fields) > 0 {
		sortFields(fields)
		return req, invalid(op, "invalid coverage diff parameters", fields...)
	}
	return req, nil
}

func parseScope(q url.Values, prefix, base string, fields *[]domain.FieldError) Scope {
	s := Scope{Publisher: resolve(q.Get(prefix+"editeur"), base), Departement: strings.TrimSpace(q.Get(prefix + "departement"))}
	if strings.Contains(s.Departement, "/") {
		s.Departement = resolve(s.Departement, base)
	}
	for _, k := range []string{"editeur", "departement"} {
		if len(q[prefix+k]) > 1 {
			*fields = append(*fields, domain.FieldError{Path: prefix + k, Message: "give one value"})
		}
	}
	seen := map[string]bool{}
	for _, v := range q[prefix+"resources"] {
		for _, r := range strings.Split(v, ",") {
			if r = resolve(r, base); r != "" && !seen[r] {
				seen[r] = true
				s.Resources = append(s.Resources, r)
			}
		}
	}
	if len(s.Resources) > MaxScopeResources {
		*fields = append(*fields, domain.FieldError{Path: prefix + "resources", Message: fmt.Sprintf("%d resources, at most %d", len(s.Resources), MaxScopeResources)})
		s.Resources = nil
	}
	sort.Strings(s.Resources)
	for _, iri := range append([]string{s.Publisher, s.Departement}, s.Resources...) {
		if len(iri) > MaxIRILength {
			*fields = append(*fields, domain.FieldError{Path: prefix + "scope", Message: fmt.Sprintf("an IRI is over %d characters", MaxIRILength)})
			break
		}
	}
	return s
}

func parseBool(q url.Values, key string, fields *[]domain.FieldError) bool {
	v := q.Get(key)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		*fields = append(*fields, domain.FieldError{Path: key, Message: fmt.Sprintf("%q is not true or false", v)})
	}
	return b
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortFields(f []domain.FieldError) {
	sort.SliceStable(f, func(i, j int) bool { return f[i].Path < f[j].Path })
}

// Level is a proficiency level in a request: an integer, or the IRI of a
// level concept (resolved by Recommend).
type Level struct {
	N   int
	IRI string
}

// UnmarshalJSON accepts an integer or a string IRI.
func (l *Level) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &l.IRI)
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return fmt.Errorf("a level is an integer 0–%d or the IRI of a level, not %s", MaxLevel, truncate(string(b), 40))
	}
	l.N = n
	return nil
}

// MarshalJSON writes the level as given.
func (l Level) MarshalJSON() ([]byte, error) {
	if l.IRI != "" {
		return json.Marshal(l.IRI)
	}
	return json.Marshal(l.N)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Profile is a Pix-style profile: a level per competency of a framework,
// keyed by notation ("1.1") or IRI. Framework defaults to the CRCN.
type Profile struct {
	Framework string           `json:"framework,omitempty"`
	Levels    map[string]Level `json:"levels"`
}

// FrameworkTarget is a named target: every competency of a framework (or
// the listed ones, by notation or IRI) at one level — e.g. the CRCN at
// level 4, or the Médiateur numérique blocks at level 3.
type FrameworkTarget struct {
	Framework    string   `json:"framework"`
	Level        Level    `json:"level"`
	Competencies []string `json:"competencies,omitempty"`
}

// Constraints restrict the resources a path may use. Empty fields restrict
// nothing.
type Constraints struct {
	MaxDuration     string   `json:"maxDuration,omitempty"`     // ISO 8601 duration
	Kinds           []string `json:"kinds,omitempty"`           // Grain, LearningPath, Training, Tool, Course, LearningResource (or their IRIs)
	LicenceFamilies []string `json:"licenceFamilies,omitempty"` // see Families
	ReusableUnder   string   `json:"reusableUnder,omitempty"`   // licence IRI the derived parcours will carry
	Languages       []string `json:"languages,omitempty"`       // BCP 47 primary tags
	Departements    []string `json:"departements,omitempty"`    // codes or IRIs
	Remote          bool     `json:"remote,omitempty"`          // resources with no place (usable anywhere)
	FreeOnly        bool     `json:"freeOnly,omitempty"`        // schema:isAccessibleForFree true
}

// RecommendRequest is the body of POST /recommendations. Current levels
// come from Current and/or Profile (Current wins on the same competency);
// the target from Target and/or TargetFramework (the higher level wins).
type RecommendRequest struct {
	Current         map[string]Level `json:"current,omitempty"`
	Profile         *Profile         `json:"profile,omitempty"`
	Target          map[string]Level `json:"target,omitempty"`
	TargetFramework *FrameworkTarget `json:"targetFramework,omitempty"`
	Constraints     Constraints      `json:"constraints"`
	CloseMatch      bool             `json:"closeMatch,omitempty"`

	Lang       string `json:"-"` // language of the explanations ("fr" or "en")
	WithDrafts bool   `json:"-"` // drafts may be used (never for anonymous callers)
}

// SaveRequest is the body of POST /recommendations/parcours: the request to
// compute and the name of the parcours to save.
type SaveRequest struct {
	Request     RecommendRequest `json:"request"`
	Name        string           `json:"name"`
	Description string           `json:"description,omitempty"`
}

// DecodeRecommendRequest parses a recommendation request body, resolving
// relative IRIs against base and enforcing the size limits. Whether the
// competencies, levels and constraints exist is checked by Recommend.
func DecodeRecommendRequest(body []byte, base string) (RecommendRequest, error) {
	const op = "competency.DecodeRecommendRequest"
	var req RecommendRequest
	if err := decodeStrict(op, body, &req); err != nil {
		return req, err
	}
	return req, req.normalise(op, base, "")
}

// DecodeSaveRequest parses a save request body.
func DecodeSaveRequest(body []byte, base string) (SaveRequest, error) {
	const op = "competency.DecodeSaveRequest"
	var req SaveRequest
	if err := decodeStrict(op, body, &req); err != nil {
		return req, err
	}
	var fields []domain.FieldError
	req.Name = strings.TrimSpace(req.Name)
	switch {
	case req.Name == "":
		fields = append(fields, domain.FieldError{Path: "/name", Message: "the parcours needs a name"})
	case len([]rune(req.Name)) > MaxNameLength:
		fields = append(fields, domain.FieldError{Path: "/name", Message: fmt.Sprintf("at most %d characters", MaxNameLength)})
	}
	if len([]rune(req.Description)) > 10*MaxNameLength {
		fields = append(fields, domain.FieldError{Path: "/description", Message: fmt.Sprintf("at most %d characters", 10*MaxNameLength)})
	}
	if len(fields) > 0 {
		return req, invalid(op, "invalid parcours", fields...)
	}
	return req, req.Request.normalise(op, base, "/request")
}

// decodeStrict decodes one JSON object, refusing unknown fields, and reports
// syntax errors with their line and column.
func decodeStrict(op string, body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON object")
	}
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := dec.InputOffset()
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		msg = fmt.Sprintf("%s: expected %s, got a JSON %s", "/"+strings.ReplaceAll(te.Field, ".", "/"), te.Type, te.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		msg = "the JSON is empty or truncated"
	}
	line, col := 1, 1
	for _, c := range body[:min(int(off), len(body))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return invalid(op, "the body is not a valid request: "+strings.TrimPrefix(msg, "json: "),
		domain.FieldError{Path: fmt.Sprintf("line %d, column %d", line, col), Message: strings.TrimPrefix(msg, "json: ")})
}

// normalise resolves IRIs and checks sizes and syntax.
func (r *RecommendRequest) normalise(op, base, prefix string) error {
	var fields []domain.FieldError
	bad := func(path, format string, args ...any) {
		fields = append(fields, domain.FieldError{Path: prefix + path, Message: fmt.Sprintf(format, args...)})
	}
	r.Current = resolveKeys(r.Current, base)
	r.Target = resolveKeys(r.Target, base)
	check := func(path string, m map[string]Level) {
		if len(m) > MaxProfileEntries {
			bad(path, "%d entries, at most %d", len(m), MaxProfileEntries)
			return
		}
		for k := range m {
			if len(k) > MaxIRILength {
				bad(path, "a key is over %d characters", MaxIRILength)
				return
			}
		}
	}
	check("/current", r.Current)
	check("/target", r.Target)
	if r.Profile != nil {
		r.Profile.Framework = resolve(r.Profile.Framework, base)
		check("/profile/levels", r.Profile.Levels)
		if len(r.Profile.Levels) == 0 {
			bad("/profile/levels", "a profile gives a level per competency, e.g. {\"1.1\": 3}")
		}
	}
	if tf := r.TargetFramework; tf != nil {
		tf.Framework = resolve(tf.Framework, base)
		if tf.Framework == "" {
			bad("/targetFramework/framework", "the framework IRI is required")
		}
		if len(tf.Competencies) > MaxProfileEntries {
			bad("/targetFramework/competencies", "%d entries, at most %d", len(tf.Competencies), MaxProfileEntries)
		}
	}
	if len(r.Target) == 0 && r.TargetFramework == nil {
		bad("/target", "a target is required: {\"target\": {competency IRI: level}} or {\"targetFramework\": {\"framework\": IRI, \"level\": n}}")
	}
	r.Constraints.normalise(base, prefix, bad)
	if len(fields) > 0 {
		sortFields(fields)
		return invalid(op, "invalid recommendation request", fields...)
	}
	return nil
}

func resolveKeys(m map[string]Level, base string) map[string]Level {
	if len(m) == 0 || len(m) > MaxProfileEntries {
		return m
	}
	out := make(map[string]Level, len(m))
	for k, v := range m {
		out[resolve(k, base)] = v
	}
	return out
}

func (c *Constraints) normalise(base, prefix string, bad func(path, format string, args ...any)) {
	if c.MaxDuration != "" {
		d, err := domain.ParseISODuration(c.MaxDuration)
		switch {
		case err != nil:
			bad("/constraints/maxDuration", "%q is not an ISO 8601 duration (e.g. PT20H)", truncate(c.MaxDuration, 40))
		case d <= 0:
			bad("/constraints/maxDuration", "the duration must be positive")
		case d > MaxBudget:
			bad("/constraints/maxDuration", "at most %s", domain.FormatISODuration(MaxBudget))
		}
	}
	for name, l := range map[string][]string{"kinds": c.Kinds, "licenceFamilies": c.LicenceFamilies, "languages": c.Languages, "departements": c.Departements} {
		if len(l) > MaxListValues {
			bad("/constraints/"+name, "%d values, at most %d", len(l), MaxListValues)
		}
	}
	for i, k := range c.Kinds {
		if kindName(k) == "" {
			bad(fmt.Sprintf("/constraints/kinds/%d", i), "unknown kind %q; use Grain, LearningPath, Training, Tool, Course or LearningResource", truncate(k, 60))
		}
	}
	for i, f := range c.LicenceFamilies {
		if !contains(Families, f) {
			bad(fmt.Sprintf("/constraints/licenceFamilies/%d", i), "unknown licence family %q; use one of %s", truncate(f, 60), strings.Join(Families, ", "))
		}
	}
	for i, l := range c.Languages {
		c.Languages[i] = strings.ToLower(strings.TrimSpace(l))
		if !validLang(c.Languages[i]) {
			bad(fmt.Sprintf("/constraints/languages/%d", i), "%q is not a language tag (e.g. fr, en)", truncate(l, 40))
		}
	}
	c.ReusableUnder = resolve(c.ReusableUnder, base)
	for i, d := range c.Departements {
		if strings.Contains(d, "/") {
			c.Departements[i] = resolve(d, base)
		}
	}
}

// kindName returns the constraint name of a kind given by name or IRI.
func kindName(s string) string {
	for _, k := range kinds {
		if s == k.name || s == k.class {
			return k.name
		}
	}
	return ""
}

func validLang(s string) bool {
	if len(s) < 2 || len(s) > 35 {
		return false
	}
	for i, part := range strings.Split(s, "-") {
		if part == "" || len(part) > 8 || (i == 0 && len(part) > 3) {
			return false
		}
		for _, r := range part {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}
