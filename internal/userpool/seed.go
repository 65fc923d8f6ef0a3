package userpool

import (
	"context"
	"errors"
	"regexp"
	"strings"
)

// Seed files (cognate serve --seed) give pools and clients the ids an app under test is
// configured with; the API has no way to choose them, so these two methods do what
// CreateUserPool and CreateUserPoolClient do with the id given.

var (
	seedPoolID   = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
	seedClientID = regexp.MustCompile(`^[a-z0-9]+$`)
)

// CreateUserPoolWithID creates a pool as CreateUserPool does, with the id given, which must
// have AWS's form for this region (<region>_<alphanumerics>, at most 55 characters).
// ResourceExistsException names an id that is taken.
func (s *Service) CreateUserPoolWithID(ctx context.Context, id string, in *CreateUserPoolRequest) (*CreateUserPoolResponse, error) {
	if len(id) > 55 || !seedPoolID.MatchString(id) || !strings.HasPrefix(id, s.region+"_") {
		return nil, invalidParameter("A user pool id must be %s_ followed by letters and digits, at most 55 characters: %q is not.", s.region, id)
	}
	out, err := s.createUserPool(ctx, in, id)
	if errors.Is(err, ErrConflict) {
		return nil, newError("ResourceExistsException", "User pool %s already exists.", id)
	}
	return out, err
}

// CreateUserPoolClientWithID creates an app client as CreateUserPoolClient does, with the
// id given: lower-case letters and digits, 1 to 128 of them (AWS's are 26).
func (s *Service) CreateUserPoolClientWithID(ctx context.Context, id string, in *CreateUserPoolClientRequest) (*CreateUserPoolClientResponse, error) {
	if len(id) > 128 || !seedClientID.MatchString(id) {
		return nil, invalidParameter("An app client id must be 1 to 128 lower-case letters and digits: %q is not.", id)
	}
	out, err := s.createUserPoolClient(ctx, in, id)
	if errors.Is(err, ErrConflict) {
		return nil, newError("ResourceExistsException", "App client %s already exists.", id)
	}
	return out, err
}
