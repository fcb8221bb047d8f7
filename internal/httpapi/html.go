package httpapi

import (
	"bytes"
	"html/template"
	"net/url"
	"sort"
	"strings"

	"github.com/trame-commun/trame/internal/domain"
	"github.com/trame-commun/trame/internal/rdfio"
)

// entityPage is a minimal, readable HTML view of an entity; the full web
// pages are built on top of the search and web packages.
var entityPage = template.Must(template.New("entity").Parse(`<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Label}} — Trame</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#161616}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem;border-bottom:1px solid #ddd}
th{width:30%;font-weight:600}a{color:#000091}a:focus{outline:3px solid #0a76f6}code{font-size:.9em}</style>
</head>
<body>
<a href="#contenu">Aller au contenu</a>
<header><p><a href="/">Trame</a></p></header>
<main id="contenu">
<h1>{{.Label}}</h1>
<p><code>{{.IRI}}</code>{{if .Draft}} — <strong>brouillon</strong>{{end}}</p>
<table>
<caption class="sr-only">Propriétés</caption>
{{range .Rows}}<tr><th scope="row">{{.Predicate}}</th><td>{{range $i, $v := .Values}}{{if $i}}<br>{{end}}{{if $v.Href}}<a href="{{$v.Href}}">{{$v.Text}}</a>{{else}}{{$v.Text}}{{end}}{{end}}</td></tr>
{{end}}</table>
<h2>Autres formats</h2>
<ul>{{range .Alternates}}<li><a href="{{.Href}}" type="{{.Type}}">{{.Text}}</a></li>{{end}}</ul>
</main>
</body>
</html>
`))

type htmlValue struct{ Text, Href, Type string }

type htmlRow struct {
	Predicate string
	Values    []htmlValue
}

func (s *Server) renderHTML(rec domain.Record) ([]byte, error) {
	e, err := s.cat.Entity(rec)
	if err != nil {
		return nil, err
	}
	byPred := map[string][]htmlValue{}
	subject := domain.NewIRI(e.IRI)
	for _, t := range e.Triples {
		if t.S != subject {
			continue
		}
		byPred[t.P.Value] = append(byPred[t.P.Value], s.htmlValue(e, t.O))
	}
	var rows []htmlRow
	for p, vs := range byPred {
		rows = append(rows, htmlRow{Predicate: shortIRI(p), Values: vs})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Predicate < rows[j].Predicate })
	var alts []htmlValue
	for _, f := range Formats {
		if f.Name == "html" || f.Name == "json" {
			continue
		}
		alts = append(alts, htmlValue{Text: f.MediaType, Href: s.href(e.IRI) + sepFor(s.href(e.IRI)) + "format=" + f.Name, Type: f.MediaType})
	}
	var buf bytes.Buffer
	err = entityPage.Execute(&buf, map[string]any{"Label": e.Label("fr"), "IRI": e.IRI, "Draft": rec.Draft, "Rows": rows, "Alternates": alts})
	return buf.Bytes(), err
}

func sepFor(href string) string {
	if strings.Contains(href, "?") {
		return "&"
	}
	return "?"
}

// href is where this server shows iri.
func (s *Server) href(iri string) string {
	if s.cat.IsLocal(iri) {
		return "/" + strings.TrimPrefix(iri, s.cat.BaseIRI())
	}
	return "/resource?uri=" + url.QueryEscape(iri)
}

func (s *Server) htmlValue(e *domain.Entity, t domain.Term) htmlValue {
	switch {
	case t.IsIRI():
		return htmlValue{Text: shortIRI(t.Value), Href: s.href(t.Value)}
	case t.IsBlank():
		var parts []string
		for _, tr := range e.Triples {
			if tr.S == t {
				parts = append(parts, shortIRI(tr.P.Value)+" = "+shortIRI(tr.O.Value))
			}
		}
		sort.Strings(parts)
		return htmlValue{Text: strings.Join(parts, " ; ")}
	}
	v := t.Value
	if t.Lang != "" {
		v += " (" + t.Lang + ")"
	}
	return htmlValue{Text: v}
}

func shortIRI(iri string) string {
	for _, p := range rdfio.Prefixes {
		if local, ok := strings.CutPrefix(iri, p.NS); ok {
			return p.Prefix + ":" + local
		}
	}
	return iri
}
