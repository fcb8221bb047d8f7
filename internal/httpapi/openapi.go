package httpapi

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
)

// openAPIFragments are the descriptions of each surface's routes, one file
// per surface (openapi/<surface>.json): {"paths": {…}, "components": {…}}.
// The routes of the foundation (health, ontology, collections, entities)
// are described in Go below, from the same list of collections the router
// uses. TestOpenAPIDescribesExactlyTheRegisteredRoutes keeps both honest.
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

// OpenAPI returns the OpenAPI 3.1 description of the HTTP API (the JSON
// and RDF API; the HTML pages are not part of it).
func (s *Server) OpenAPI() ([]byte, error) {
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "Trame",
			"version":     s.version,
			"summary":     "Graphe de connaissances du Commun de formation professionnelle – Inclusion numérique",
			"description": "Linked-data API: entities with content negotiation (JSON-LD, Turtle, N-Triples, N-Quads, HTML), writes of plain JSON-LD, search, coverage, dumps, DCAT-AP/VoID, read-only graph queries and interop exports. Every error is an RFC 9457 problem+json.",
			"license":     map[string]any{"name": "CC BY-SA 4.0 (data)", "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
		},
		"servers":    []any{map[string]any{"url": strings.TrimSuffix(s.cat.BaseIRI(), "/")}},
		"paths":      s.corePaths(),
		"components": coreComponents(),
	}
	names, err := fs.Glob(openAPIFragments, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := mergeFragment(doc, name); err != nil {
			return nil, domain.Wrap("httpapi.OpenAPI", domain.KindInternal, err)
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeFragment adds a surface's paths and components to doc; a path or
// component described twice is an error.
func mergeFragment(doc map[string]any, name string) error {
	b, err := openAPIFragments.ReadFile(name)
	if err != nil {
		return err
	}
	var frag map[string]map[string]any
	if err := json.Unmarshal(b, &frag); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	paths := doc["paths"].(map[string]any)
	for p, v := range frag["paths"] {
		if _, dup := paths[p]; dup {
			return fmt.Errorf("%s: path %s is already described", name, p)
		}
		paths[p] = v
	}
	comps := doc["components"].(map[string]any)
	for section, v := range frag["components"] {
		into, _ := comps[section].(map[string]any)
		if into == nil {
			into = map[string]any{}
			comps[section] = into
		}
		for k, c := range v.(map[string]any) {
			if _, dup := into[k]; dup {
				return fmt.Errorf("%s: component %s/%s is already described", name, section, k)
			}
			into[k] = c
		}
	}
	return nil
}

func ref(kind, name string) map[string]any {
	return map[string]any{"$ref": "#/components/" + kind + "/" + name}
}

// op builds an operation with the usual error responses.
func op(summary, tag string, params []any, ok map[string]any, errs ...string) map[string]any {
	resp := map[string]any{"200": ok}
	for _, e := range errs {
		resp[e] = ref("responses", "Problem")
	}
	o := map[string]any{"summary": summary, "tags": []string{tag}, "responses": resp}
	if len(params) > 0 {
		o["parameters"] = params
	}
	return o
}

func content(desc string, types ...string) map[string]any {
	c := map[string]any{}
	for _, t := range types {
		c[t] = map[string]any{}
	}
	return map[string]any{"description": desc, "content": c}
}

var rdfTypes = []string{"application/ld+json", "text/turtle", "application/n-triples", "application/n-quads", "text/html", "application/json"}

// corePaths describes the foundation's routes.
func (s *Server) corePaths() map[string]any {
	get := func(summary string, ok map[string]any, params ...any) map[string]any {
		return map[string]any{"get": op(summary, "foundation", params, ok, "406")}
	}
	paths := map[string]any{
		"/":                  get("Entry point: the collections and the vocabulary", content("JSON", "application/json")),
		"/healthz":           get("Health: the store answers; its last change sequence", content("JSON", "application/json")),
		"/ns":                get("The Trame ontology (Turtle)", content("Turtle", "text/turtle")),
		"/ns/context.jsonld": get("The JSON-LD context the API speaks", content("JSON-LD", "application/ld+json")),
		"/ns/shapes.jsonld":  get("The shapes every entity must satisfy", content("JSON-LD", "application/ld+json")),
		"/resource": get("Dereference an entity with an external IRI (ESCO, Creative Commons…)", content("The entity", rdfTypes...),
			map[string]any{"name": "uri", "in": "query", "required": true, "schema": map[string]any{"type": "string", "format": "iri"}},
			ref("parameters", "format")),
	}
	for _, c := range domain.Collections {
		list := op("List "+string(c)+" (IRI order, cursor paging; drafts only with a token)", string(c),
			[]any{ref("parameters", "limit"), ref("parameters", "after")}, content("A page", "application/json"), "400", "401")
		create := op("Create "+string(c)+" from a JSON-LD document (entities without @id get one here)", string(c),
			[]any{ref("parameters", "draft")}, content("The written entities", "application/json"), "400", "401", "403", "409", "413", "415")
		create["requestBody"] = ref("requestBodies", "JSONLD")
		create["security"] = []any{map[string]any{"bearer": []any{}}}
		create["responses"].(map[string]any)["201"] = create["responses"].(map[string]any)["200"]
		delete(create["responses"].(map[string]any), "200")
		paths["/"+string(c)] = map[string]any{"get": list, "post": create}
		rest := map[string]any{"name": "rest", "in": "path", "required": true, "description": "the rest of the entity's IRI under /" + string(c) + "/ (may contain slashes)", "schema": map[string]any{"type": "string"}}
		deref := op("Dereference an entity: content negotiation (Accept, or ?format=), Link headers to the alternates; drafts are 404 without a token", string(c),
			[]any{rest, ref("parameters", "format")}, content("The entity", rdfTypes...), "404", "406")
		put := op("Create or replace the entity (If-Match / If-None-Match honoured)", string(c),
			[]any{rest, ref("parameters", "draft")}, content("The written entity", "application/json"), "400", "401", "403", "412", "413", "415")
		put["requestBody"] = ref("requestBodies", "JSONLD")
		put["security"] = []any{map[string]any{"bearer": []any{}}}
		del := map[string]any{"summary": "Delete the entity", "tags": []string{string(c)}, "parameters": []any{rest},
			"security":  []any{map[string]any{"bearer": []any{}}},
			"responses": map[string]any{"204": map[string]any{"description": "deleted"}, "401": ref("responses", "Problem"), "404": ref("responses", "Problem"), "412": ref("responses", "Problem")}}
		paths["/"+string(c)+"/{rest}"] = map[string]any{"get": deref, "put": put, "delete": del}
	}
	return paths
}

func coreComponents() map[string]any {
	str := map[string]any{"type": "string"}
	return map[string]any{
		"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "an API token (trame token create) or TRAME_ADMIN_TOKEN"}},
		"schemas": map[string]any{
			"Problem": map[string]any{"type": "object", "description": "RFC 9457 problem details", "properties": map[string]any{
				"type": str, "title": str, "status": map[string]any{"type": "integer"}, "detail": str, "instance": str,
				"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object", "properties": map[string]any{"path": str, "message": str}}},
			}},
		},
		"responses": map[string]any{
			"Problem": map[string]any{"description": "an error, as problem+json", "content": map[string]any{"application/problem+json": map[string]any{"schema": ref("schemas", "Problem")}}},
		},
		"requestBodies": map[string]any{
			"JSONLD": map[string]any{"required": true, "description": "plain JSON-LD with standard vocabularies; inline @context objects or an embedded context",
				"content": map[string]any{"application/ld+json": map[string]any{}, "application/json": map[string]any{}}},
		},
		"parameters": map[string]any{
			"format": map[string]any{"name": "format", "in": "query", "description": "overrides Accept", "schema": map[string]any{"type": "string", "enum": []string{"jsonld", "ttl", "nt", "nq", "html", "json"}}},
			"limit":  map[string]any{"name": "limit", "in": "query", "schema": map[string]any{"type": "integer", "minimum": 1, "maximum": MaxPageSize, "default": DefaultPageSize}},
			"after":  map[string]any{"name": "after", "in": "query", "description": "the cursor of the next link", "schema": str},
			"draft":  map[string]any{"name": "draft", "in": "query", "description": "write as a draft (invisible to anonymous readers)", "schema": map[string]any{"type": "boolean", "default": false}},
		},
	}
}
