package domain

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/trame-commun/trame/ontology"
)

// Validator checks entities against the shapes of ontology/shapes.jsonld and
// the graph rules no shape can express (known types, alignment levels,
// acyclic prerequisites). It is safe for concurrent use.
type Validator struct {
	shapes   *ontology.ShapeSet
	mu       sync.Mutex
	patterns map[string]*regexp.Regexp
}

// NewValidator returns a validator over the embedded shapes.
func NewValidator() (*Validator, error) {
	s, err := ontology.LoadShapes()
	if err != nil {
		return nil, err
	}
	return &Validator{shapes: s, patterns: map[string]*regexp.Regexp{}}, nil
}

// Validate returns every problem of e at once (nil when e is valid). look
// answers questions about other entities; lang ("fr" or "en") picks the
// language of the messages.
func (v *Validator) Validate(e *Entity, look Lookup, lang string) []FieldError {
	var errs []FieldError
	add := func(path, format string, args ...any) {
		errs = append(errs, FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if len(e.Types) == 0 {
		add("@type", "%s", msg(lang, "l'entité n'a pas de @type", "the entity has no @type"))
	}
	for _, t := range e.Types {
		if !ontology.IsClass(t) {
			add("@type", msg(lang, "type inconnu %s (types acceptés : voir /ns)", "unknown type %s (accepted types: see /ns)"), t)
		}
	}
	if _, ok := CollectionOf(e.Types); !ok && len(errs) == 0 {
		add("@type", "%s", msg(lang, "aucun de ces types ne désigne une collection de Trame", "none of these types names a Trame collection"))
	}
	subject := NewIRI(e.IRI)
	for _, ns := range v.shapes.Ordered {
		if ns.TargetClass != "" && e.HasType(ns.TargetClass) {
			v.checkNode(e, subject, ns, look, lang, "", &errs)
		}
	}
	v.checkAlignments(e, look, lang, &errs)
	if cyc := prerequisiteCycle(e, look); cyc != nil {
		add(ontology.Prerequisite, msg(lang, "cycle de prérequis : %v", "prerequisite cycle: %v"), cyc)
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
	return errs
}

func msg(lang, fr, en string) string {
	if lang == "en" {
		return en
	}
	return fr
}

func (v *Validator) checkNode(e *Entity, node Term, ns *ontology.NodeShape, look Lookup, lang, prefix string, errs *[]FieldError) {
	for _, ps := range ns.Properties {
		path := prefix + ps.Path
		values := e.Objects(node, ps.Path)
		if ps.Path == ontology.HasPart {
			values = nil
			for _, h := range e.Objects(node, ps.Path) {
				values = append(values, e.List(h)...)
			}
		}
		message := ps.Message[lang]
		if message == "" {
			message = ps.Message["fr"]
		}
		fail := func(detail string) {
			m := message
			if detail != "" {
				m += " (" + detail + ")"
			}
			*errs = append(*errs, FieldError{Path: path, Message: m})
		}
		if len(values) < ps.MinCount {
			fail(msg(lang, "absent", "missing"))
		}
		if ps.MaxCount > 0 && len(values) > ps.MaxCount {
			fail(fmt.Sprintf(msg(lang, "%d valeurs, %d au plus", "%d values, at most %d"), len(values), ps.MaxCount))
		}
		for _, val := range values {
			if d := v.checkValue(e, val, ps, look, lang, path, errs); d != "" {
				fail(d)
			}
		}
	}
}

// checkValue checks one value against a property shape and returns a detail
// for the shape's message, or "" when the value conforms.
func (v *Validator) checkValue(e *Entity, val Term, ps ontology.PropertyShape, look Lookup, lang, path string, errs *[]FieldError) string {
	switch ps.NodeKind {
	case ontology.KindIRI:
		if !val.IsIRI() {
			return msg(lang, "valeur "+val.String()+" : une IRI est attendue", "value "+val.String()+": an IRI is expected")
		}
	case ontology.KindLiteral:
		if !val.IsLiteral() {
			return msg(lang, "un littéral est attendu, pas "+val.String(), "a literal is expected, not "+val.String())
		}
	case ontology.KindBlankNodeOrIRI:
		if val.IsLiteral() {
			return msg(lang, "un nœud est attendu, pas le littéral "+val.String(), "a node is expected, not the literal "+val.String())
		}
	case ontology.KindIRIOrLiteral:
		if val.IsBlank() {
			return msg(lang, "un nœud anonyme n'est pas accepté", "a blank node is not accepted")
		}
	}
	if len(ps.In) > 0 && !inList(val, ps.In) {
		return msg(lang, "valeur "+val.String()+" non admise", "value "+val.String()+" not allowed")
	}
	if val.IsLiteral() {
		if d := v.checkLiteral(val, ps, lang); d != "" {
			return d
		}
	}
	if val.IsIRI() && ps.Class != "" && !hasClass(look.TypesOf(val.Value), ps.Class) {
		return msg(lang, val.Value+" est inconnu ou n'est pas un "+ps.Class, val.Value+" is unknown or not a "+ps.Class)
	}
	if ps.Node != "" && !val.IsLiteral() {
		v.checkNode(e, val, v.shapes.ByID[ps.Node], look, lang, path+"/", errs)
	}
	return ""
}

func (v *Validator) checkLiteral(val Term, ps ontology.PropertyShape, lang string) string {
	if ps.Datatype != "" && val.Datatype != ps.Datatype {
		return msg(lang, "type de donnée "+val.Datatype+" au lieu de "+ps.Datatype, "datatype "+val.Datatype+" instead of "+ps.Datatype)
	}
	if !lexicalOK(val) {
		return msg(lang, "forme lexicale invalide « "+val.Value+" »", "invalid lexical form \""+val.Value+"\"")
	}
	if ps.MinInclusive != nil || ps.MaxInclusive != nil {
		n, err := strconv.ParseFloat(val.Value, 64)
		if err != nil {
			return msg(lang, "un nombre est attendu, pas « "+val.Value+" »", "a number is expected, not \""+val.Value+"\"")
		}
		if (ps.MinInclusive != nil && n < float64(*ps.MinInclusive)) || (ps.MaxInclusive != nil && n > float64(*ps.MaxInclusive)) {
			return msg(lang, "valeur "+val.Value+" hors bornes", "value "+val.Value+" out of range")
		}
	}
	if ps.Pattern != "" && !v.pattern(ps.Pattern).MatchString(val.Value) {
		return msg(lang, "« "+val.Value+" » ne respecte pas le format attendu", "\""+val.Value+"\" does not have the expected form")
	}
	return ""
}

func (v *Validator) pattern(p string) *regexp.Regexp {
	v.mu.Lock()
	defer v.mu.Unlock()
	re, ok := v.patterns[p]
	if !ok {
		re = regexp.MustCompile(p)
		v.patterns[p] = re
	}
	return re
}

// lexicalOK checks the lexical form of literals of the datatypes Trame
// computes with.
func lexicalOK(t Term) bool {
	switch t.Datatype {
	case ontology.XSDInteger:
		_, err := strconv.ParseInt(t.Value, 10, 64)
		return err == nil
	case ontology.XSDBoolean:
		return t.Value == "true" || t.Value == "false" || t.Value == "1" || t.Value == "0"
	case ontology.XSDDate:
		_, err := time.Parse("2006-01-02", t.Value)
		return err == nil
	case ontology.XSDDateTime:
		_, err := time.Parse(time.RFC3339Nano, t.Value)
		return err == nil
	case ontology.Duration:
		_, err := ParseISODuration(t.Value)
		return err == nil
	}
	return true
}

func inList(val Term, in []ontology.InValue) bool {
	for _, x := range in {
		if x.Value == val.Value && x.IsIRI == val.IsIRI() {
			return true
		}
	}
	return false
}

func hasClass(types []string, want string) bool {
	for _, t := range types {
		if ontology.IsA(t, want) {
			return true
		}
	}
	return false
}

// checkAlignments applies the rule of the write contract that shapes cannot
// express: a resource may not require a competency at a level it teaches.
func (v *Validator) checkAlignments(e *Entity, look Lookup, lang string, errs *[]FieldError) {
	taught := map[string]int{}
	als := e.Alignments(look.LevelNumber)
	for _, a := range als {
		if a.Type == Teaches && a.Level > taught[a.Competency] {
			taught[a.Competency] = a.Level
		}
	}
	for _, a := range als {
		if a.Type != Requires {
			continue
		}
		if t, ok := taught[a.Competency]; ok && a.Level >= t {
			*errs = append(*errs, FieldError{Path: ontology.EducationalAlignment, Message: fmt.Sprintf(msg(lang,
				"la ressource requiert %s au niveau %d mais n'enseigne que jusqu'au niveau %d : un prérequis ne peut pas être ce que la ressource enseigne",
				"the resource requires %s at level %d but teaches it only up to level %d: a prerequisite cannot be what the resource teaches"),
				a.Competency, a.Level, t)})
		}
	}
}

// prerequisiteCycle returns a cycle through e's trame:prerequisite edges and
// those look knows, or nil.
func prerequisiteCycle(e *Entity, look Lookup) []string {
	var start []string
	for _, p := range e.Values(ontology.Prerequisite) {
		if p.IsIRI() {
			start = append(start, p.Value)
		}
	}
	next := func(iri string) []string {
		if iri == e.IRI {
			return start
		}
		return look.Prerequisites(iri)
	}
	seen := map[string]bool{}
	var path []string
	var walk func(string) bool
	walk = func(n string) bool {
		path = append(path, n)
		for _, m := range next(n) {
			if m == e.IRI {
				path = append(path, m)
				return true
			}
			if !seen[m] {
				seen[m] = true
				if walk(m) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if walk(e.IRI) {
		return path
	}
	return nil
}
