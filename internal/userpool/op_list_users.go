package userpool

import (
	"context"
	"regexp"
	"slices"
	"strings"
)

// filterable lists the attributes ListUsers can filter on (API reference, ListUsers Filter).
var filterable = []string{
	"username", "email", "phone_number", "name", "given_name", "family_name",
	"preferred_username", "cognito:user_status", "status", "sub",
}

var filterPattern = regexp.MustCompile(`^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$`)

// userFilter is a parsed ListUsers Filter: attribute = "value" or attribute ^= "value".
type userFilter struct {
	attr   string
	prefix bool
	value  string
}

func parseFilter(s string) (*userFilter, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	m := filterPattern.FindStringSubmatch(s)
	if m == nil {
		return nil, invalidParameter("Error while parsing filter.")
	}
	if !slices.Contains(filterable, m[1]) {
		return nil, invalidParameter("Invalid search attribute: %s", m[1])
	}
	value := strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(m[3])
	return &userFilter{attr: m[1], prefix: m[2] == "^=", value: value}, nil
}

func (f *userFilter) match(p *Pool, u *User) bool {
	if f == nil {
		return true
	}
	var have string
	switch f.attr {
	case "username":
		have = u.Username
	case "cognito:user_status":
		have = u.Status
	case "status":
		have = "Disabled"
		if u.Enabled {
			have = "Enabled"
		}
	case "sub":
		have = u.Sub
	default:
		v, ok := u.attr(f.attr)
		if !ok {
			return false
		}
		have = v
	}
	want := f.value
	if f.attr == "username" && !p.caseSensitive() {
		have, want = strings.ToLower(have), strings.ToLower(want)
	}
	if f.prefix {
		return strings.HasPrefix(have, want)
	}
	return have == want
}

// ListUsers lists a pool's users in username order, filtered by Filter, Limit at a time.
// The pagination token marks the last user seen, so pages stay right while users are added.
func (s *Service) ListUsers(ctx context.Context, in *ListUsersRequest) (*ListUsersResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	f, err := parseFilter(deref(in.Filter))
	if err != nil {
		return nil, err
	}
	for _, a := range in.AttributesToGet {
		if _, ok := schemaAttribute(p, a); !ok {
			return nil, invalidParameter("One or more requested attributes do not exist.")
		}
	}
	after, err := pageAfter(in.PaginationToken)
	if err != nil {
		return nil, err
	}
	limit := int(deref(in.Limit))
	if limit == 0 {
		limit = 60
	}
	only := in.AttributesToGet // nil: every attribute; empty: none
	out := &ListUsersResponse{Users: []UserType{}}
	const batch = 200
	for {
		users, err := s.store.ListUsers(ctx, p.ID, after, batch)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if !f.match(p, u) {
				after = u.Key
				continue
			}
			if len(out.Users) == limit {
				out.PaginationToken = pageToken(after)
				return out, nil
			}
			out.Users = append(out.Users, userType(u, only))
			after = u.Key
		}
		if len(users) < batch {
			return out, nil
		}
	}
}
