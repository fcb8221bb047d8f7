package catalog

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/trame-commun/trame/internal/domain"
)

// Tokens are written as "trame_<id>_<secret>". The store keeps only the
// SHA-256 of the secret under the meta key "token/<id>"; the secret is shown
// once, at creation.
const tokenPrefix = "trame_"

// CreateToken makes a token with role and returns its secret form.
func (c *Catalog) CreateToken(ctx context.Context, role domain.Role, note string) (string, domain.Token, error) {
	id, secret := randomHex(6), randomHex(24)
	t := domain.Token{ID: id, Role: role, Hash: hashSecret(secret), Created: time.Now().UTC(), Note: note}
	b, err := json.Marshal(t)
	if err != nil {
		return "", t, err
	}
	if err := c.store.PutMeta(ctx, "token/"+id, b); err != nil {
		return "", t, err
	}
	return tokenPrefix + id + "_" + secret, t, nil
}

// Authenticate returns the principal of a bearer token. An empty token is
// Anonymous; a malformed, unknown or wrong token is KindUnauthorized.
// adminToken, when not empty, is accepted as an admin token (the
// TRAME_ADMIN_TOKEN given at start).
func (c *Catalog) Authenticate(ctx context.Context, token, adminToken string) (domain.Principal, error) {
	const op = "catalog.Authenticate"
	if token == "" {
		return domain.Anonymous, nil
	}
	bad := &domain.Error{Op: op, Kind: domain.KindUnauthorized, Message: "the token is not valid"}
	if adminToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(adminToken)) == 1 {
		return domain.Principal{TokenID: "env", Role: domain.RoleAdmin}, nil
	}
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	id, secret, ok2 := strings.Cut(rest, "_")
	if !ok || !ok2 || id == "" || secret == "" {
		return domain.Anonymous, bad
	}
	b, err := c.store.GetMeta(ctx, "token/"+id)
	if domain.IsKind(err, domain.KindNotFound) {
		return domain.Anonymous, bad
	}
	if err != nil {
		return domain.Anonymous, err
	}
	var t domain.Token
	if err := json.Unmarshal(b, &t); err != nil {
		return domain.Anonymous, domain.Wrap(op, domain.KindInternal, err)
	}
	if subtle.ConstantTimeCompare([]byte(hashSecret(secret)), []byte(t.Hash)) != 1 {
		return domain.Anonymous, bad
	}
	return domain.Principal{TokenID: t.ID, Role: t.Role}, nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
