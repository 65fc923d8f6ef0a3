package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// Limits of resource servers, from the developer guide's quotas: 25 resource servers a pool,
// 100 custom scopes a resource server.
const (
	maxResourceServers = 25
	maxCustomScopes    = 100
)

// standardScopes are the scopes every pool has (developer guide, authorization endpoint).
var standardScopes = []string{"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"}

// resourceServerNotFound is the answer for an identifier the pool has no resource server
// under. [I] AWS's wording is not recorded.
func resourceServerNotFound(id string) *Error {
	return newError("ResourceNotFoundException", "Resource server %s does not exist.", id)
}

// checkResourceServer judges a resource server's scopes: names unique, at most 100.
func checkResourceServer(scopes []ResourceServerScopeType) error {
	if len(scopes) > maxCustomScopes {
		return newError("LimitExceededException", "A resource server can have at most %d custom scopes.", maxCustomScopes)
	}
	seen := map[string]bool{}
	for _, sc := range scopes {
		if seen[deref(sc.ScopeName)] {
			return invalidParameter("Duplicate scope name %s.", deref(sc.ScopeName))
		}
		seen[deref(sc.ScopeName)] = true
	}
	return nil
}

// customScopes returns the pool's custom scopes as clients ask for them:
// "<resource server identifier>/<scope name>".
func (s *Service) customScopes(ctx context.Context, poolID string) (map[string]bool, error) {
	servers, err := s.store.ListResourceServers(ctx, poolID, "", 0)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, rs := range servers {
		for _, sc := range rs.Scopes {
			out[deref(rs.Identifier)+"/"+deref(sc.ScopeName)] = true
		}
	}
	return out, nil
}

// checkClientScopes refuses AllowedOAuthScopes that are neither standard nor a custom scope
// of the pool: ScopeDoesNotExistException "Invalid scope requested: <scope>" [O:
// github.com/awsdocs/aws-cloudformation-user-guide/issues/564].
func (s *Service) checkClientScopes(ctx context.Context, poolID string, scopes []string) error {
	var custom map[string]bool
	for _, sc := range scopes {
		if slices.Contains(standardScopes, sc) {
			continue
		}
		if custom == nil {
			var err error
			if custom, err = s.customScopes(ctx, poolID); err != nil {
				return err
			}
		}
		if !custom[sc] || !strings.Contains(sc, "/") {
			return newError("ScopeDoesNotExistException", "Invalid scope requested: %s", sc)
		}
	}
	return nil
}

// loadResourceServer reads a pool's resource server for Describe, Update and Delete.
func (s *Service) loadResourceServer(ctx context.Context, poolID, id string) (*ResourceServerType, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	rs, err := s.store.GetResourceServer(ctx, poolID, id)
	if errors.Is(err, ErrNotFound) {
		return nil, resourceServerNotFound(id)
	}
	return rs, err
}
