package domain

// Codec converts between JSON-LD and entities (implemented by
// internal/jsonld over json-gold).
//
// Contract: Decode parses a client document into its top-level entities,
// calling mint for each node without an @id, and fails with KindInvalid
// listing every problem (syntax with line and column, refused contexts,
// JSON-LD errors). Encode renders an entity as the context-free document the
// store keeps; DecodeStored reads it back to an equal entity (same IRI,
// types and triples up to blank node labels). Compact renders a stored
// document with Trame's context, or with the embedded context named by
// contextURL.
type Codec interface {
	Decode(body []byte, mint func(types []string) string) ([]*Entity, error)
	Encode(e *Entity) ([]byte, error)
	DecodeStored(iri string, doc []byte) (*Entity, error)
	Compact(doc []byte, contextURL string) ([]byte, error)
}
