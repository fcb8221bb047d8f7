package ontology

// superClasses mirrors the rdfs:subClassOf statements of trame.ttl between
// classes the validator and the views reason about (a test keeps the two in
// step). Only direct superclasses are listed.
var superClasses = map[string][]string{
	Grain:                {LearningResource},
	LearningPath:         {LearningResource},
	Training:             {LearningResource, Course},
	Tool:                 {LearningResource},
	CompetencyFramework:  {ConceptScheme},
	Competency:           {Concept},
	CompetencyArea:       {Concept},
	ProficiencyLevel:     {Concept},
	GovernanceBody:       {Organization},
	Project:              {Organization},
	IndexTerm:            {Concept},
	IndexVocabulary:      {ConceptScheme},
	CooperationAgreement: {Schema + "CreativeWork"},
	Crosswalk:            {VoID + "Linkset"},
	Mapping:              {OWL + "Axiom"},
}

// SuperClasses returns the direct superclasses of class c declared in the
// ontology (nil for a root or unknown class). The slice must not be modified.
func SuperClasses(c string) []string { return superClasses[c] }

// IsA reports whether class c is class want or one of its (transitive)
// subclasses.
func IsA(c, want string) bool {
	if c == want {
		return true
	}
	for _, s := range superClasses[c] {
		if IsA(s, want) {
			return true
		}
	}
	return false
}

// classes lists every class an entity may be typed with. A document typed
// with anything else is refused as an unknown @type.
var classes = map[string]bool{
	LearningResource: true, Course: true, AlignmentObject: true, Organization: true,
	Project: true, Place: true, Schema + "Person": true, Grain: true, LearningPath: true, Training: true,
	Tool: true, CompetencyFramework: true, Competency: true, CompetencyArea: true,
	ProficiencyLevel: true, CooperationAgreement: true, Commitment: true, Membership: true,
	GovernanceBody: true, Crosswalk: true, Mapping: true, IndexTerm: true,
	IndexVocabulary: true, ConceptScheme: true, Concept: true, License: true, Dataset: true,
}

// IsClass reports whether c is a class of the Trame vocabulary that entities
// may be typed with.
func IsClass(c string) bool { return classes[c] }

// Classes returns the IRIs of every class entities may be typed with.
func Classes() []string {
	out := make([]string, 0, len(classes))
	for c := range classes {
		out = append(out, c)
	}
	return out
}
