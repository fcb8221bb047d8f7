package ontology_test

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/constant"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/knakk/rdf"

	"github.com/trame-commun/trame/ontology"
)

// declared returns every subject IRI of trame.ttl and its rdfs:subClassOf
// statements.
func declared(t *testing.T) (subjects map[string]bool, subclass map[string][]string) {
	t.Helper()
	dec := rdf.NewTripleDecoder(bytes.NewReader(ontology.Turtle), rdf.Turtle)
	subjects, subclass = map[string]bool{}, map[string][]string{}
	for {
		tr, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("trame.ttl does not parse: %v", err)
		}
		subjects[tr.Subj.String()] = true
		if tr.Pred.String() == ontology.SubClassOf {
			subclass[tr.Subj.String()] = append(subclass[tr.Subj.String()], tr.Obj.String())
		}
	}
	return subjects, subclass
}

// constants returns the string constants of the ontology package.
func constants(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, af)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check("ontology", fset, parsed, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range pkg.Scope().Names() {
		if c, ok := pkg.Scope().Lookup(name).(*types.Const); ok && c.Val().Kind() == constant.String {
			out[name] = constant.StringVal(c.Val())
		}
	}
	return out
}

func isNamespace(iri string) bool { return strings.HasSuffix(iri, "#") || strings.HasSuffix(iri, "/") }

func TestEveryIRIConstantIsDeclaredInTheTurtle(t *testing.T) {
	subjects, _ := declared(t)
	n := 0
	for name, v := range constants(t) {
		if !strings.HasPrefix(v, "http") || isNamespace(v) || name == "ContextIRI" || strings.HasPrefix(name, "Kind") {
			continue
		}
		n++
		if !subjects[v] {
			t.Errorf("ontology.%s = %s is not declared in trame.ttl", name, v)
		}
	}
	if n < 100 {
		t.Fatalf("found only %d IRI constants: the test no longer sees them", n)
	}
}

func TestEveryContextTermExpandsToADeclaredIRI(t *testing.T) {
	subjects, _ := declared(t)
	var doc struct {
		Context map[string]json.RawMessage `json:"@context"`
	}
	if err := json.Unmarshal(ontology.Context, &doc); err != nil {
		t.Fatal(err)
	}
	prefixes := map[string]string{}
	for k, raw := range doc.Context {
		var s string
		if json.Unmarshal(raw, &s) == nil && isNamespace(s) {
			prefixes[k] = s
		}
	}
	expand := func(v string) string {
		if p, local, ok := strings.Cut(v, ":"); ok && prefixes[p] != "" {
			return prefixes[p] + local
		}
		return v
	}
	for term, raw := range doc.Context {
		if strings.HasPrefix(term, "@") || prefixes[term] != "" {
			continue
		}
		var id string
		if json.Unmarshal(raw, &id) != nil {
			var def struct {
				ID   string `json:"@id"`
				Type string `json:"@type"`
			}
			if err := json.Unmarshal(raw, &def); err != nil {
				t.Fatalf("term %s: %v", term, err)
			}
			id = def.ID
			if def.Type != "" && !strings.HasPrefix(def.Type, "@") && !subjects[expand(def.Type)] {
				t.Errorf("term %s: datatype %s is not declared", term, def.Type)
			}
		}
		if strings.HasPrefix(id, "@") {
			continue
		}
		if iri := expand(id); !subjects[iri] {
			t.Errorf("context term %q expands to %s, which trame.ttl does not declare", term, iri)
		}
	}
}

func TestSuperClassesMirrorTheTurtle(t *testing.T) {
	_, subclass := declared(t)
	for _, c := range ontology.Classes() {
		want := map[string]bool{}
		for _, s := range subclass[c] {
			want[s] = true
		}
		got := map[string]bool{}
		for _, s := range ontology.SuperClasses(c) {
			got[s] = true
		}
		for s := range want {
			if !got[s] {
				t.Errorf("%s subClassOf %s in trame.ttl but not in classes.go", c, s)
			}
		}
		for s := range got {
			if !want[s] {
				t.Errorf("%s subClassOf %s in classes.go but not in trame.ttl", c, s)
			}
		}
	}
}

func TestShapesParseAndNameDeclaredTerms(t *testing.T) {
	subjects, _ := declared(t)
	set, err := ontology.LoadShapes()
	if err != nil {
		t.Fatal(err)
	}
	if len(set.ByClass) < 10 {
		t.Fatalf("only %d targeted shapes", len(set.ByClass))
	}
	for _, ns := range set.Ordered {
		if ns.TargetClass != "" && !subjects[ns.TargetClass] {
			t.Errorf("shape %s targets undeclared class %s", ns.ID, ns.TargetClass)
		}
		for _, p := range ns.Properties {
			if !subjects[p.Path] {
				t.Errorf("shape %s constrains undeclared property %s", ns.ID, p.Path)
			}
			if p.Class != "" && !subjects[p.Class] {
				t.Errorf("shape %s requires undeclared class %s", ns.ID, p.Class)
			}
			if p.Message["fr"] == "" || p.Message["en"] == "" {
				t.Errorf("shape %s property %s lacks a French or English message", ns.ID, p.Path)
			}
		}
	}
}

func TestIsA(t *testing.T) {
	cases := []struct {
		c, want string
		is      bool
	}{
		{ontology.Training, ontology.Course, true},
		{ontology.Training, ontology.LearningResource, true},
		{ontology.Competency, ontology.Concept, true},
		{ontology.Concept, ontology.Competency, false},
		{ontology.LearningPath, ontology.Course, false},
	}
	for _, c := range cases {
		if got := ontology.IsA(c.c, c.want); got != c.is {
			t.Errorf("IsA(%s, %s) = %v", c.c, c.want, got)
		}
	}
}
