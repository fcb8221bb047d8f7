package competency

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/trame-commun/trame/ontology"
)

// ParcoursDocument renders rec as the JSON-LD of a parcours
// (schema:LearningResource + trame:LearningPath) to write through the
// catalog like any entity: its steps as the ordered schema:hasPart list,
// its total schema:timeRequired, and its provenance: the gap it closes as
// alignments (requires the starting levels, teaches the levels reached),
// prov:generatedAtTime at, prov:wasAttributedTo agent (the service), and an
// rdfs:comment saying it was computed, by which method, from which gap.
// A path without steps cannot be saved (KindInvalid).
func (rec *Recommendation) ParcoursDocument(name, description string, at time.Time, agent string) ([]byte, error) {
	if len(rec.Steps) == 0 {
		return nil, invalid("competency.ParcoursDocument", "nothing to save: the recommendation has no step (nothing to do, or nothing can be closed)")
	}
	steps := make([]map[string]string, len(rec.Steps))
	for i, s := range rec.Steps {
		steps[i] = map[string]string{"@id": s.Resource}
	}
	reached := map[string]int{}
	for _, s := range rec.Steps {
		for _, c := range s.Closes {
			reached[c.Competency] = max(reached[c.Competency], c.Level)
		}
	}
	var aligns []map[string]any
	for _, c := range slices.Sorted(maps.Keys(reached)) {
		aligns = append(aligns, alignment("teaches", c, reached[c]))
		if lv := rec.current[c]; lv >= 1 {
			aligns = append(aligns, alignment("requires", c, lv))
		}
	}
	doc := map[string]any{
		"@context": map[string]string{"schema": ontology.Schema, "trame": ontology.NS, "prov": ontology.PROV,
			"rdfs": ontology.RDFS, "xsd": ontology.XSD},
		"@type":                       []string{"schema:LearningResource", "trame:LearningPath"},
		"schema:name":                 map[string]string{"@value": name, "@language": "fr"},
		"schema:hasPart":              map[string]any{"@list": steps},
		"schema:timeRequired":         map[string]string{"@value": rec.TotalDuration, "@type": "schema:Duration"},
		"schema:educationalAlignment": aligns,
		"prov:generatedAtTime":        map[string]string{"@value": at.UTC().Format(time.RFC3339), "@type": "xsd:dateTime"},
		"prov:wasAttributedTo":        map[string]string{"@id": agent},
		"rdfs:comment":                map[string]string{"@value": rec.provenance(at), "@language": "fr"},
	}
	if description != "" {
		doc["schema:description"] = map[string]string{"@value": description, "@language": "fr"}
	}
	return json.Marshal(doc)
}

func alignment(kind, competency string, level int) map[string]any {
	return map[string]any{"@type": "schema:AlignmentObject", "schema:alignmentType": kind,
		"schema:targetUrl": map[string]string{"@id": competency}, "schema:educationalLevel": level}
}

// provenance says, in French, how and from which gap the parcours was
// computed.
func (rec *Recommendation) provenance(at time.Time) string {
	var gap []string
	for _, c := range slices.Sorted(maps.Keys(rec.target)) {
		gap = append(gap, fmt.Sprintf("%s %d → %d", c, rec.current[c], rec.target[c]))
	}
	sort.Strings(gap)
	how := "recherche exacte, parcours optimal"
	switch {
	case rec.method == "greedy":
		how = fmt.Sprintf("algorithme glouton, au plus %.3g fois la durée optimale", rec.Bound.Ratio)
	case !rec.Optimal:
		how = "recherche exacte interrompue, optimalité non prouvée"
	}
	s := fmt.Sprintf("Parcours calculé par Trame (POST /recommendations, %s) le %s, à partir de l'écart : %s.",
		how, at.UTC().Format(time.RFC3339), strings.Join(gap, " ; "))
	if n := len(rec.Uncovered); n > 0 {
		s += fmt.Sprintf(" %d cellule(s) de l'écart restent ouvertes.", n)
	}
	return s
}
