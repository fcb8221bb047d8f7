package ontology

// Classes.
const (
	LearningResource     = Schema + "LearningResource"
	Course               = Schema + "Course"
	AlignmentObject      = Schema + "AlignmentObject"
	Organization         = Schema + "Organization"
	Place                = Schema + "Place"
	Project              = Schema + "Project"
	Grain                = NS + "Grain"
	LearningPath         = NS + "LearningPath"
	Training             = NS + "Training"
	Tool                 = NS + "Tool"
	CompetencyFramework  = NS + "CompetencyFramework"
	Competency           = NS + "Competency"
	CompetencyArea       = NS + "CompetencyArea"
	ProficiencyLevel     = NS + "ProficiencyLevel"
	CooperationAgreement = NS + "CooperationAgreement"
	Commitment           = NS + "Commitment"
	Membership           = NS + "Membership"
	GovernanceBody       = NS + "GovernanceBody"
	Crosswalk            = NS + "Crosswalk"
	Mapping              = NS + "Mapping"
	IndexTerm            = NS + "IndexTerm"
	IndexVocabulary      = NS + "IndexVocabulary"
	ConceptScheme        = SKOS + "ConceptScheme"
	Concept              = SKOS + "Concept"
	License              = CC + "License"
	Dataset              = VoID + "Dataset"
)

// Properties of resources (schema.org / LRMI unless noted).
const (
	Name                 = Schema + "name"
	Description          = Schema + "description"
	Text                 = Schema + "text"
	URL                  = Schema + "url"
	Keywords             = Schema + "keywords"
	Identifier           = Schema + "identifier"
	LicenseProp          = Schema + "license"
	Publisher            = Schema + "publisher"
	Author               = Schema + "author"
	InLanguage           = Schema + "inLanguage"
	TimeRequired         = Schema + "timeRequired"
	IsAccessibleForFree  = Schema + "isAccessibleForFree"
	DateCreated          = Schema + "dateCreated"
	DateModified         = Schema + "dateModified"
	DatePublished        = Schema + "datePublished"
	About                = Schema + "about"
	LearningResourceType = Schema + "learningResourceType"
	Audience             = Schema + "audience"
	SpatialCoverage      = Schema + "spatialCoverage"
	EducationalAlignment = Schema + "educationalAlignment"
	AlignmentType        = Schema + "alignmentType"
	TargetURL            = Schema + "targetUrl"
	EducationalLevel     = Schema + "educationalLevel"
	EducationalFramework = Schema + "educationalFramework"
	Teaches              = Schema + "teaches"
	Assesses             = Schema + "assesses"
	CompetencyRequired   = Schema + "competencyRequired"
	HasPart              = Schema + "hasPart"
	Version              = Schema + "version"
	ProfessionalSector   = NS + "professionalSector"
)

// Properties of competencies, frameworks and levels (SKOS unless noted).
const (
	PrefLabel    = SKOS + "prefLabel"
	AltLabel     = SKOS + "altLabel"
	Definition   = SKOS + "definition"
	Notation     = SKOS + "notation"
	InScheme     = SKOS + "inScheme"
	TopConceptOf = SKOS + "topConceptOf"
	Broader      = SKOS + "broader"
	Narrower     = SKOS + "narrower"
	ExactMatch   = SKOS + "exactMatch"
	CloseMatch   = SKOS + "closeMatch"
	BroadMatch   = SKOS + "broadMatch"
	NarrowMatch  = SKOS + "narrowMatch"
	Prerequisite = NS + "prerequisite"
	LevelNumber  = NS + "levelNumber"
	LevelScale   = NS + "levelScale"
	IsVersionOf  = DCTerms + "isVersionOf"
)

// Properties of crosswalk mappings (OWL axiom annotation, as SSSOM's RDF form).
const (
	MappingProp     = NS + "mapping"
	AnnotatedSource = OWL + "annotatedSource"
	AnnotatedProp   = OWL + "annotatedProperty"
	AnnotatedTarget = OWL + "annotatedTarget"
)

// Properties of partners, agreements and licences.
const (
	Member         = NS + "member"
	MemberOf       = NS + "memberOf"
	Party          = NS + "party"
	CommitmentProp = NS + "commitment"
	CommittedBy    = NS + "committedBy"
	Governs        = NS + "governs"
	Siret          = NS + "siret"
	Permits        = CC + "permits"
	Requires       = CC + "requires"
	Prohibits      = CC + "prohibits"
	Legalcode      = CC + "legalcode"
)

// Provenance, datasets and RDF plumbing.
const (
	WasDerivedFrom  = PROV + "wasDerivedFrom"
	WasAttributedTo = PROV + "wasAttributedTo"
	GeneratedAtTime = PROV + "generatedAtTime"
	InDataset       = VoID + "inDataset"
	Type            = RDF + "type"
	RDFFirst        = RDF + "first"
	RDFRest         = RDF + "rest"
	RDFNil          = RDF + "nil"
	LangString      = RDF + "langString"
	Label           = RDFS + "label"
	Comment         = RDFS + "comment"
	SubClassOf      = RDFS + "subClassOf"
)

// Terms of the coverage report, the JSON-LD answer of GET /coverage: it is
// computed, never stored, so CoverageReport is not a class entities may be
// written with (see Classes). Each cell is a schema:AlignmentObject.
const (
	CoverageReport       = NS + "CoverageReport"
	CoveredBy            = NS + "coveredBy"
	CoveredViaExactMatch = NS + "coveredViaExactMatch"
	CoveredViaCloseMatch = NS + "coveredViaCloseMatch"
	CoverageCount        = NS + "coverageCount"
	ResourceCount        = NS + "resourceCount"
	LevelCount           = NS + "levelCount"
	CountsCloseMatch     = NS + "countsCloseMatch"
)

// Datatypes.
const (
	XSDString             = XSD + "string"
	XSDInteger            = XSD + "integer"
	XSDNonNegativeInteger = XSD + "nonNegativeInteger"
	XSDBoolean            = XSD + "boolean"
	XSDDate               = XSD + "date"
	XSDDateTime           = XSD + "dateTime"
	XSDDecimal            = XSD + "decimal"
	XSDDouble             = XSD + "double"
	Duration              = Schema + "Duration"
)

// Creative Commons licence terms used to compute licence compatibility.
const (
	CCReproduction   = CC + "Reproduction"
	CCDistribution   = CC + "Distribution"
	CCDerivativeWork = CC + "DerivativeWorks"
	CCSharing        = CC + "Sharing"
	CCNotice         = CC + "Notice"
	CCAttribution    = CC + "Attribution"
	CCShareAlike     = CC + "ShareAlike"
	CCCommercialUse  = CC + "CommercialUse"
)
