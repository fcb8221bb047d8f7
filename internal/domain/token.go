package domain

import "time"

// Role is what a token may do. Editors write content; admins also manage
// tokens and run maintenance endpoints.
type Role string

// Roles.
const (
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// ParseRole returns the role named s.
func ParseRole(s string) (Role, bool) {
	switch Role(s) {
	case RoleEditor, RoleAdmin:
		return Role(s), true
	}
	return "", false
}

// Can reports whether r includes the rights of want.
func (r Role) Can(want Role) bool { return r == RoleAdmin || r == want }

// Principal is who makes a request: Anonymous, or the holder of a token.
type Principal struct {
	TokenID string
	Role    Role
}

// Anonymous is the principal of a request without a token.
var Anonymous = Principal{}

// IsAnonymous reports whether p holds no token.
func (p Principal) IsAnonymous() bool { return p.Role == "" }

// Token describes an API token. Only the SHA-256 hash of the secret is kept.
type Token struct {
	ID      string    `json:"id"`
	Role    Role      `json:"role"`
	Hash    string    `json:"hash"`
	Created time.Time `json:"created"`
	Note    string    `json:"note,omitempty"`
}
