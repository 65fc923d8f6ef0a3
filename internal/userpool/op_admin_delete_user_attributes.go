package userpool

import (
	"context"
)

// AdminDeleteUserAttributes removes attributes from a user; required and immutable ones stay.
func (s *Service) AdminDeleteUserAttributes(ctx context.Context, in *AdminDeleteUserAttributesRequest) (*AdminDeleteUserAttributesResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		if err := deleteAttributes(p, u, in.UserAttributeNames); err != nil {
			return err
		}
		u.ModifiedAt = s.clock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminDeleteUserAttributesResponse{}, nil
}

// deleteAttributes removes attributes from a user; required and immutable ones stay.
func deleteAttributes(p *Pool, u *User, names []string) error {
	var problems []string
	for _, name := range names {
		sa, ok := schemaAttribute(p, name)
		switch {
		case !ok:
			problems = append(problems, name+": Attribute does not exist in the schema.")
		case name == "sub" || deref(sa.Required):
			problems = append(problems, name+": The attribute is required")
		case !deref(sa.Mutable):
			problems = append(problems, name+": Attribute cannot be updated.")
		}
	}
	if err := schemaProblems(problems, attrsUpdate); err != nil {
		return err
	}
	for _, name := range names {
		u.setAttr(name, "")
		if name == "email" || name == "phone_number" {
			u.setAttr(name+"_verified", "")
		}
	}
	return nil
}
