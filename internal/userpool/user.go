package userpool

import (
	"cmp"
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// User statuses (the model's UserStatusType).
const (
	StatusUnconfirmed         = "UNCONFIRMED"
	StatusConfirmed           = "CONFIRMED"
	StatusResetRequired       = "RESET_REQUIRED"
	StatusForceChangePassword = "FORCE_CHANGE_PASSWORD"
	StatusExternalProvider    = "EXTERNAL_PROVIDER"
)

// attr returns the value of a user attribute and whether it is set.
func (u *User) attr(name string) (string, bool) {
	for _, a := range u.Attributes {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// setAttr sets (or, with an empty value, removes) one attribute, keeping the order.
func (u *User) setAttr(name, value string) {
	i := slices.IndexFunc(u.Attributes, func(a Attribute) bool { return a.Name == name })
	switch {
	case value == "" && i >= 0:
		u.Attributes = slices.Delete(u.Attributes, i, i+1)
	case value == "":
	case i >= 0:
		u.Attributes[i].Value = value
	default:
		u.Attributes = append(u.Attributes, Attribute{Name: name, Value: value})
	}
}

func (u *User) verified(name string) bool {
	v, _ := u.attr(name + "_verified")
	return v == "true"
}

// computeAliases sets the user's aliases: what other users can't hold and what the user can
// be found by. Emails and phone numbers count only when verified (developer guide: "Phone
// numbers and email addresses only become active aliases for a user after your user verifies
// them"), except in a pool that signs in with them as usernames, where they always count.
func (p *Pool) computeAliases(u *User) {
	u.Aliases = nil
	for _, name := range []string{"email", "phone_number"} {
		v, ok := u.attr(name)
		if !ok {
			continue
		}
		if slices.Contains(p.Doc.UsernameAttributes, name) ||
			(slices.Contains(p.Doc.AliasAttributes, name) && u.verified(name)) {
			u.Aliases = append(u.Aliases, p.aliasKey(name, v))
		}
	}
	if v, ok := u.attr("preferred_username"); ok && slices.Contains(p.Doc.AliasAttributes, "preferred_username") {
		u.Aliases = append(u.Aliases, p.aliasKey("preferred_username", v))
	}
	for _, id := range u.identities() {
		u.Aliases = append(u.Aliases, identityAlias(id.ProviderName, id.UserID))
	}
}

func (p *Pool) aliasKey(name, value string) string {
	if name != "phone_number" && !p.caseSensitive() {
		value = strings.ToLower(value)
	}
	if name == "email" {
		value = strings.ToLower(value) // email addresses are found whatever their case
	}
	return name + ":" + value
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// findUser resolves what a request calls a user: its username, its sub, or an alias
// (a verified email or phone number, a preferred_username, or the email or phone number of
// a pool that signs in with them). It answers nil and ErrNotFound when nothing matches.
func (s *Service) findUser(ctx context.Context, p *Pool, name string) (*User, error) {
	u, err := s.store.GetUser(ctx, p.ID, p.userKey(name))
	if !errors.Is(err, ErrNotFound) {
		return u, err
	}
	if uuidPattern.MatchString(name) {
		if u, err := s.store.GetUserBySub(ctx, p.ID, name); !errors.Is(err, ErrNotFound) {
			return u, err
		}
	}
	for _, a := range []string{"email", "phone_number", "preferred_username"} {
		if !slices.Contains(p.Doc.AliasAttributes, a) && !slices.Contains(p.Doc.UsernameAttributes, a) {
			continue
		}
		if u, err := s.store.GetUserByAlias(ctx, p.ID, p.aliasKey(a, name)); !errors.Is(err, ErrNotFound) {
			return u, err
		}
	}
	return nil, ErrNotFound
}

// findHiding is findUser, or findUserEvenly when the client hides whether users exist.
func (s *Service) findHiding(ctx context.Context, p *Pool, name string, hide bool) (*User, error) {
	if hide {
		return s.findUserEvenly(ctx, p, name)
	}
	return s.findUser(ctx, p, name)
}

// findUserEvenly is findUser for a client that hides whether users exist: it makes every
// lookup the name calls for (its username, its sub if it looks like one, each alias the
// pool has) whether or not an earlier one found the user, so that the reads, and their
// time, depend on what was typed and on the pool, not on whether a user was found. The
// answer is findUser's: the first lookup that finds a user wins.
func (s *Service) findUserEvenly(ctx context.Context, p *Pool, name string) (*User, error) {
	var found *User
	take := func(u *User, err error) error {
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err == nil && found == nil {
			found = u
		}
		return err
	}
	if err := take(s.store.GetUser(ctx, p.ID, p.userKey(name))); err != nil {
		return nil, err
	}
	if uuidPattern.MatchString(name) {
		if err := take(s.store.GetUserBySub(ctx, p.ID, name)); err != nil {
			return nil, err
		}
	}
	for _, a := range []string{"email", "phone_number", "preferred_username"} {
		if !slices.Contains(p.Doc.AliasAttributes, a) && !slices.Contains(p.Doc.UsernameAttributes, a) {
			continue
		}
		if err := take(s.store.GetUserByAlias(ctx, p.ID, p.aliasKey(a, name))); err != nil {
			return nil, err
		}
	}
	if found == nil {
		return nil, ErrNotFound
	}
	return found, nil
}

// loadUser is findUser for admin operations: a missing pool or user is the caller's error.
func (s *Service) loadUser(ctx context.Context, poolID, username string) (*Pool, *User, error) {
	p, err := s.loadPool(ctx, poolID)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.findUser(ctx, p, username)
	if errors.Is(err, ErrNotFound) {
		return nil, nil, userNotFound()
	}
	return p, u, err
}

// saveUser writes one changed user, re-reading and re-applying change when another write
// went first. change may refuse by returning an error.
func (s *Service) updateUser(ctx context.Context, poolID, username string, change func(p *Pool, u *User) error) (*User, error) {
	var (
		p *Pool
		u *User
	)
	err := retryConflicts(ctx, func() error {
		var err error
		if p, u, err = s.loadUser(ctx, poolID, username); err != nil {
			return err
		}
		if err := change(p, u); err != nil {
			return err
		}
		p.computeAliases(u)
		return s.saveUsers(ctx, p, UserWrite{User: u})
	})
	switch {
	case errors.Is(err, ErrAliasConflict):
		return nil, s.aliasExists(ctx, p, u)
	case errors.Is(err, ErrNotFound):
		return nil, userNotFound()
	case err != nil:
		return nil, err
	}
	return u, nil
}

// saveUsers writes users with the messages of their Outbox, counting an email among them
// against the pool's email quota in the same transaction (IssueCode); answers as
// SaveUsers does, or errEmailQuota with nothing written.
func (s *Service) saveUsers(ctx context.Context, p *Pool, writes ...UserWrite) error {
	var quota *Limit
	for _, w := range writes {
		for _, m := range w.User.Outbox {
			quota = cmp.Or(quota, s.quotaLimit(p, m.DeliveryMedium))
		}
	}
	if quota == nil {
		return s.store.SaveUsers(ctx, writes...)
	}
	is := &issue{users: writes}
	is.limit(quota, errEmailQuota)
	refused, err := s.store.IssueCode(ctx, &CodeIssue{PoolID: p.ID, At: s.clock(), Limits: is.limits, Users: writes})
	if err == nil && refused >= 0 {
		return is.refusals[refused]
	}
	return err
}

// aliasExists is the error for an alias another user holds: it names the attribute whose
// value collided. In a pool that signs in with email or phone number, that is a username
// clash.
func (s *Service) aliasExists(ctx context.Context, p *Pool, u *User) error {
	name := "email"
	for _, alias := range u.Aliases {
		holder, err := s.store.GetUserByAlias(ctx, p.ID, alias)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if holder.Key != u.Key {
			name, _, _ = strings.Cut(alias, ":")
			break
		}
	}
	if slices.Contains(p.Doc.UsernameAttributes, name) {
		return newError("UsernameExistsException", "An account with the given %s already exists.", name)
	}
	return newError("AliasExistsException", "An account with the %s already exists.", name)
}

var (
	emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+$`)
	phonePattern = regexp.MustCompile(`^\+[0-9]{4,15}$`)
)

// attributeMode says which rules of the schema a write of attributes is held to.
type attributeMode int

const (
	attrsCreate attributeMode = iota // a new user: every required attribute must be there
	attrsUpdate                      // an existing user: immutable attributes can't change
)

// checkAttributes validates attributes against the pool's schema and answers
// InvalidParameterException with every problem, as AWS lists them.
func checkAttributes(p *Pool, u *User, attrs []AttributeType, mode attributeMode) error {
	var problems []string
	seen := map[string]bool{}
	for _, a := range attrs {
		name, value := deref(a.Name), deref(a.Value)
		seen[name] = true
		sa, ok := schemaAttribute(p, name)
		if !ok {
			problems = append(problems, name+": Attribute does not exist in the schema.")
			continue
		}
		if name == "sub" {
			return invalidParameter("Cannot modify the non-mutable attribute sub")
		}
		if mode == attrsUpdate && !deref(sa.Mutable) {
			if _, had := u.attr(name); had {
				problems = append(problems, name+": Attribute cannot be updated.")
				continue
			}
		}
		switch deref(sa.AttributeDataType) {
		case "Boolean":
			// Any case: "True" is common in real code, and AWS takes it (issue 8).
			if !strings.EqualFold(value, "true") && !strings.EqualFold(value, "false") && value != "" {
				problems = append(problems, name+": Invalid boolean value.")
			}
		case "Number":
			if value == "" {
				break
			}
			n, err := strconv.ParseFloat(value, 64)
			if err != nil {
				problems = append(problems, name+": Number must be a valid number.")
				break
			}
			if c := sa.NumberAttributeConstraints; c != nil {
				if mn, err := strconv.ParseFloat(deref(c.MinValue), 64); err == nil && n < mn {
					problems = append(problems, name+": Number must be no less than "+deref(c.MinValue))
				}
				if mx, err := strconv.ParseFloat(deref(c.MaxValue), 64); err == nil && n > mx {
					problems = append(problems, name+": Number must be no greater than "+deref(c.MaxValue))
				}
			}
		case "String":
			if c := sa.StringAttributeConstraints; c != nil {
				n := len(utf16.Encode([]rune(value)))
				if mx, err := strconv.Atoi(deref(c.MaxLength)); err == nil && n > mx {
					problems = append(problems, name+": String must be no longer than "+deref(c.MaxLength)+" characters")
				}
				if mn, err := strconv.Atoi(deref(c.MinLength)); err == nil && value != "" && n < mn {
					problems = append(problems, name+": String must be no shorter than "+deref(c.MinLength)+" characters")
				}
			}
		}
	}
	for _, a := range attrs {
		switch v := deref(a.Value); deref(a.Name) {
		case "email":
			if v != "" && !emailPattern.MatchString(v) {
				return invalidParameter("Invalid email address format.")
			}
		case "phone_number":
			if v != "" && !phonePattern.MatchString(v) {
				return invalidParameter("Invalid phone number format.")
			}
		}
	}
	if mode == attrsCreate {
		for _, sa := range p.Doc.SchemaAttributes {
			name := deref(sa.Name)
			if deref(sa.Required) && name != "sub" && !seen[name] {
				problems = append(problems, name+": The attribute is required")
			}
		}
	}
	return schemaProblems(problems, mode)
}

// schemaProblems words a list of attribute problems as AWS does: one line each, after
// "Attributes did not conform to the schema: " for a new user, as "user.<name>: …" for an
// existing one.
func schemaProblems(problems []string, mode attributeMode) error {
	if len(problems) == 0 {
		return nil
	}
	if mode == attrsCreate {
		return invalidParameter("Attributes did not conform to the schema: %s\n", strings.Join(problems, "\n"))
	}
	return invalidParameter("user.%s\n", strings.Join(problems, "\nuser."))
}

// applyAttributes writes attributes onto a user. Boolean values are stored in lower case,
// the form AWS returns, whatever case they were given in. Changing an email or phone number
// makes it unverified again unless the same call says otherwise.
func applyAttributes(p *Pool, u *User, attrs []AttributeType) {
	given := map[string]bool{}
	for _, a := range attrs {
		given[deref(a.Name)] = true
	}
	for _, a := range attrs {
		name, value := deref(a.Name), deref(a.Value)
		if sa, ok := schemaAttribute(p, name); ok && deref(sa.AttributeDataType) == "Boolean" {
			value = strings.ToLower(value)
		}
		old, had := u.attr(name)
		u.setAttr(name, value)
		if (name == "email" || name == "phone_number") && had && old != value && !given[name+"_verified"] {
			u.setAttr(name+"_verified", "false")
		}
	}
}

// userType is a user as the list and create operations describe one.
func userType(u *User, only []string) UserType {
	return UserType{
		Username:             ptr(u.Username),
		Attributes:           attributeTypes(u, only),
		UserCreateDate:       At(u.CreatedAt),
		UserLastModifiedDate: At(u.ModifiedAt),
		Enabled:              ptr(u.Enabled),
		UserStatus:           ptr(u.Status),
	}
}

// attributeTypes lists a user's attributes, all or only those named.
func attributeTypes(u *User, only []string) []AttributeType {
	out := []AttributeType{}
	for _, a := range u.Attributes {
		if only != nil && !slices.Contains(only, a.Name) {
			continue
		}
		out = append(out, AttributeType{Name: ptr(a.Name), Value: ptr(a.Value)})
	}
	return out
}

// signInName works out the username of a new user from the name a request gives. In a pool
// that signs in with email or phone number, the name must be one of those: it becomes that
// attribute (unless given too) and the username proper is the sub. Elsewhere the name is the
// username; a UUID-shaped one is an ordinary username (AWS accepts it in AdminCreateUser and
// SignUp, and apps name users by their own UUIDs), found by name before any sub.
func signInName(p *Pool, typed, sub string, attrs []AttributeType) (string, []AttributeType, error) {
	if len(p.Doc.UsernameAttributes) == 0 {
		switch {
		case emailPattern.MatchString(typed) && slices.Contains(p.Doc.AliasAttributes, "email"):
			// Else the username could be another user's email alias.
			return "", nil, invalidParameter("Username cannot be of email format, since user pool is configured for email alias.")
		case phonePattern.MatchString(typed) && slices.Contains(p.Doc.AliasAttributes, "phone_number"):
			return "", nil, invalidParameter("Username cannot be of phone number format, since user pool is configured for phone number alias.")
		}
		return typed, attrs, nil
	}
	kind := ""
	switch {
	case emailPattern.MatchString(typed) && slices.Contains(p.Doc.UsernameAttributes, "email"):
		kind = "email"
	case phonePattern.MatchString(typed) && slices.Contains(p.Doc.UsernameAttributes, "phone_number"):
		kind = "phone_number"
	default:
		return "", nil, invalidParameter("Username should be either an email or a phone number.")
	}
	if !slices.ContainsFunc(attrs, func(a AttributeType) bool { return deref(a.Name) == kind }) {
		attrs = append(slices.Clone(attrs), AttributeType{Name: ptr(kind), Value: ptr(typed)})
	}
	return sub, attrs, nil
}
