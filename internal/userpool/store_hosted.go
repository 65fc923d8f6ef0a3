package userpool

import (
	"context"
	"time"
)

// The state of the hosted pages and the OAuth 2.0 authorization server: a pool's domains,
// resource servers and identity providers (as the admin operations keep them), and the
// short-lived records of a browser sign-in (authorization codes, hosted sessions). Each
// store is composed into Store; userpooltest checks every promise written here.

// DomainStore keeps user pool domains. A domain name is unique in the installation, and a
// pool has at most one prefix domain and one custom domain.
type DomainStore interface {
	// CreateDomain stores a domain; ErrConflict if the name is taken or the pool already has
	// a domain of its kind (prefix or custom), ErrNotFound if the pool does not exist. Of
	// concurrent creates that collide, exactly one succeeds.
	CreateDomain(ctx context.Context, d *Domain) error
	// GetDomain returns the domain with this name, or ErrNotFound.
	GetDomain(ctx context.Context, name string) (*Domain, error)
	// PoolDomains returns the pool's domains, the prefix domain first.
	PoolDomains(ctx context.Context, poolID string) ([]*Domain, error)
	// UpdateDomain replaces the domain's description; ErrNotFound if the pool has no domain
	// of that name. Of concurrent updates the last to commit stands whole.
	UpdateDomain(ctx context.Context, d *Domain) error
	// DeleteDomain removes the pool's domain of that name, or answers ErrNotFound; of
	// concurrent deletes one succeeds. Deleting the pool deletes its domains.
	DeleteDomain(ctx context.Context, poolID, name string) error
}

// ResourceServerStore keeps the OAuth 2.0 resource servers of pools.
type ResourceServerStore interface {
	// CreateResourceServer stores a resource server; ErrConflict if the pool has one with
	// that identifier, ErrNotFound if the pool does not exist.
	CreateResourceServer(ctx context.Context, rs *ResourceServerType) error
	// GetResourceServer returns the pool's resource server with that identifier, or ErrNotFound.
	GetResourceServer(ctx context.Context, poolID, identifier string) (*ResourceServerType, error)
	// UpdateResourceServer replaces a resource server, or answers ErrNotFound; the last of
	// concurrent updates stands whole.
	UpdateResourceServer(ctx context.Context, rs *ResourceServerType) error
	// DeleteResourceServer removes a resource server, or answers ErrNotFound.
	DeleteResourceServer(ctx context.Context, poolID, identifier string) error
	// ListResourceServers returns at most limit (0: all) of the pool's resource servers with
	// identifiers greater than after, in identifier order.
	ListResourceServers(ctx context.Context, poolID, after string, limit int) ([]*ResourceServerType, error)
}

// IdentityProviderStore keeps the third-party identity providers of pools, with their IdP
// identifiers, each unique in its pool.
type IdentityProviderStore interface {
	// CreateIdentityProvider stores a provider and its identifiers; ErrConflict if the pool
	// has a provider of that name or one of the identifiers is taken, ErrNotFound if the
	// pool does not exist. Of concurrent creates that collide, exactly one succeeds.
	CreateIdentityProvider(ctx context.Context, p *IdentityProviderType) error
	// GetIdentityProvider returns the pool's provider of that name, or ErrNotFound.
	GetIdentityProvider(ctx context.Context, poolID, name string) (*IdentityProviderType, error)
	// GetIdentityProviderByIdentifier returns the provider holding the identifier, or ErrNotFound.
	GetIdentityProviderByIdentifier(ctx context.Context, poolID, identifier string) (*IdentityProviderType, error)
	// UpdateIdentityProvider replaces a provider and its identifiers in one step;
	// ErrNotFound if it is gone, ErrConflict if an identifier is another provider's.
	UpdateIdentityProvider(ctx context.Context, p *IdentityProviderType) error
	// DeleteIdentityProvider removes a provider and its identifiers, or answers ErrNotFound.
	DeleteIdentityProvider(ctx context.Context, poolID, name string) error
	// ListIdentityProviders returns at most limit (0: all) of the pool's providers with names
	// greater than after, in name order.
	ListIdentityProviders(ctx context.Context, poolID, after string, limit int) ([]*IdentityProviderType, error)
}

// AuthorizationCodeStore keeps OAuth 2.0 authorization codes until they are redeemed.
type AuthorizationCodeStore interface {
	// PutAuthorizationCode stores a code; ErrConflict if its id exists, ErrNotFound if its
	// user does not.
	PutAuthorizationCode(ctx context.Context, c *AuthorizationCode) error
	// TakeAuthorizationCode deletes the code with this id and returns it, or answers
	// ErrNotFound. Of concurrent takes of one code exactly one gets it: a code is redeemed
	// at most once. An expired code is returned like any other; the caller judges it.
	TakeAuthorizationCode(ctx context.Context, id string) (*AuthorizationCode, error)
}

// HostedSessionStore keeps the sign-in sessions of the hosted pages (the browser's
// session cookie stands for one).
type HostedSessionStore interface {
	// CreateHostedSession stores a session; ErrConflict if its id exists, ErrNotFound if its
	// user does not.
	CreateHostedSession(ctx context.Context, s *HostedSession) error
	// GetHostedSession returns the session, or ErrNotFound. Deleting the user deletes its
	// sessions.
	GetHostedSession(ctx context.Context, id string) (*HostedSession, error)
	// DeleteHostedSession removes the session; removing one that is gone is not an error.
	DeleteHostedSession(ctx context.Context, id string) error
}

// Domain is a stored user pool domain: the description DescribeUserPoolDomain returns.
type Domain struct {
	Name   string
	PoolID string
	// Custom is true for a custom domain (one with a CustomDomainConfig), false for a prefix.
	Custom bool
	Doc    DomainDescriptionType
}

// AuthorizationCode is an OAuth 2.0 authorization code as stored: its id is a hash of the
// code the client holds, never the code itself, and it carries what the token endpoint
// needs to mint the tokens the sign-in earned.
type AuthorizationCode struct {
	ID          string
	PoolID      string
	ClientID    string
	UserSub     string
	RedirectURI string
	Scopes      []string
	Nonce       string
	// CodeChallenge is the PKCE S256 challenge, empty when the request had none.
	CodeChallenge string
	// Provider names the identity provider the user signed in with ("" for the pool's own).
	Provider  string
	AuthTime  time.Time
	CreatedAt time.Time
	ExpiresAt time.Time
}

// HostedSession is a sign-in at the hosted pages: what the browser's session cookie stands
// for (its id is a hash of the cookie), so that a second authorize request within its hour
// needs no password.
type HostedSession struct {
	ID        string
	PoolID    string
	UserSub   string
	Provider  string
	AuthTime  time.Time
	CreatedAt time.Time
	ExpiresAt time.Time
}
