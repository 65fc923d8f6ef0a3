package userpool

import (
	"context"
	"crypto/subtle"
	"errors"
)

// publicClient resolves the app client a public operation names, with its pool, and checks
// the SecretHash when the client has a secret. A hash over the name the caller typed or over
// the user's canonical username is accepted (spec §8), compared in constant time; the check
// comes before anything about the user is answered. authWording picks InitiateAuth's
// wording of the missing-secret error.
func (s *Service) publicClient(ctx context.Context, clientID string, hash *string, authWording bool, typed string) (*Pool, *Client, error) {
	c, err := s.store.FindClient(ctx, clientID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, clientNotFound(clientID)
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := s.loadPool(ctx, c.PoolID)
	if err != nil {
		return nil, nil, err
	}
	if !c.hasSecret() {
		return p, c, nil
	}
	if hash == nil || *hash == "" {
		if authWording {
			return nil, nil, notAuthorized("Client %s is configured with secret but SECRET_HASH was not received", clientID)
		}
		return nil, nil, notAuthorized("Client %s is configured for secret but secret was not received", clientID)
	}
	matches := func(name string) bool {
		return c.anySecret(func(secret string) bool { // during a rotation, either secret
			return subtle.ConstantTimeCompare([]byte(*hash), []byte(secretHash(secret, name, clientID))) == 1
		})
	}
	ok := matches(typed)
	if !ok {
		if u, err := s.findUser(ctx, p, typed); err == nil {
			ok = matches(u.Username)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, nil, err
		}
	}
	if !ok {
		return nil, nil, notAuthorized("Unable to verify secret hash for client %s", clientID)
	}
	return p, c, nil
}

// preventsEnumeration reports whether the client hides whether users exist.
func (c *Client) preventsEnumeration() bool {
	return deref(c.Doc.PreventUserExistenceErrors) == "ENABLED"
}
