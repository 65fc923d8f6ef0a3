package userpool

import (
	"context"
	"errors"
	htmlpkg "html"
	"slices"
	"strings"
	"time"
)

// AdminCreateUser creates a user with a temporary password (drawn to the pool's policy when
// not given) in FORCE_CHANGE_PASSWORD, and sends the invitation unless told to SUPPRESS it.
// MessageAction RESEND gives an existing FORCE_CHANGE_PASSWORD user a new invitation.
func (s *Service) AdminCreateUser(ctx context.Context, in *AdminCreateUserRequest) (*AdminCreateUserResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	if deref(in.MessageAction) == "RESEND" {
		return s.resendInvitation(ctx, p, in)
	}
	now := s.clock()
	u, err := s.newUser(p, deref(in.Username), in.UserAttributes, StatusForceChangePassword, now)
	if err != nil {
		return nil, err
	}
	if _, err := s.preSignUp(ctx, p, u, "PreSignUp_AdminCreateUser", "", in.ValidationData, in.ClientMetadata); err != nil {
		return nil, err
	}
	password := deref(in.TemporaryPassword)
	if password == "" {
		if password, err = temporaryPassword(s.rand, p.Doc.Policies.PasswordPolicy); err != nil {
			return nil, err
		}
	} else if err := checkPassword(p.Doc.Policies.PasswordPolicy, password); err != nil {
		return nil, asSignUpPasswordError(err)
	}
	u.PoolID = p.ID
	if err := s.storePassword(ctx, p, u, password, now); err != nil {
		return nil, err
	}
	p.computeAliases(u)

	var handoffs []*handoff
	if deref(in.MessageAction) != "SUPPRESS" {
		// The invitation is queued in the same transaction as the user it invites.
		if u.Outbox, handoffs, err = s.invitation(ctx, p, u, password, in.DesiredDeliveryMediums, in.ClientMetadata, now); err != nil {
			return nil, err
		}
	}
	outbox := u.Outbox
	writes := []UserWrite{{User: u, New: true}}
	if deref(in.ForceAliasCreation) {
		// The alias moves to the new user: whoever held it loses it, and its verification.
		moved, err := s.takeAliases(ctx, p, u, now)
		if err != nil {
			return nil, err
		}
		writes = append(writes, moved...)
	}
	switch err := s.saveUsers(ctx, p, writes...); {
	case errors.Is(err, ErrAliasConflict):
		return nil, s.aliasExists(ctx, p, u)
	case errors.Is(err, ErrConflict):
		return nil, newError("UsernameExistsException", "User account already exists")
	case errors.Is(err, ErrNotFound):
		return nil, poolNotFound(p.ID)
	case err != nil:
		return nil, err
	}
	s.handOffAll(ctx, handoffs)
	if err := s.deliverNow(ctx, outbox...); err != nil {
		return nil, err
	}
	out := userType(u, nil)
	return &AdminCreateUserResponse{User: &out}, nil
}

// newUser makes a user an administrator (or a migration) creates: its sub, its username
// from the name given (signInName), its attributes checked against the pool's schema.
func (s *Service) newUser(p *Pool, typed string, given []AttributeType, status string, now time.Time) (*User, error) {
	sub, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	u := &User{PoolID: p.ID, Sub: sub, Status: status, Enabled: true, CreatedAt: now, ModifiedAt: now}
	var attrs []AttributeType
	if u.Username, attrs, err = signInName(p, typed, sub, given); err != nil {
		return nil, err
	}
	if err := checkAttributes(p, u, attrs, attrsCreate); err != nil {
		return nil, err
	}
	u.Key = p.userKey(u.Username)
	u.Attributes = []Attribute{{Name: "sub", Value: sub}}
	applyAttributes(p, u, attrs)
	return u, nil
}

// takeAliases prepares the writes that strip u's aliases from the users holding them now.
func (s *Service) takeAliases(ctx context.Context, p *Pool, u *User, now time.Time) ([]UserWrite, error) {
	var writes []UserWrite
	for _, alias := range u.Aliases {
		holder, err := s.store.GetUserByAlias(ctx, p.ID, alias)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if holder.Key == u.Key {
			continue
		}
		name, _, _ := strings.Cut(alias, ":")
		if name == "preferred_username" {
			holder.setAttr(name, "")
		} else {
			holder.setAttr(name+"_verified", "false")
		}
		holder.ModifiedAt = now
		p.computeAliases(holder)
		writes = append(writes, UserWrite{User: holder})
	}
	return writes, nil
}

func (s *Service) resendInvitation(ctx context.Context, p *Pool, in *AdminCreateUserRequest) (*AdminCreateUserResponse, error) {
	var password string
	var outbox []*Message
	var handoffs []*handoff
	u, err := s.updateUser(ctx, p.ID, deref(in.Username), func(p *Pool, u *User) error {
		if u.Status != StatusForceChangePassword {
			return newError("UnsupportedUserStateException", "Resend not possible. %s status is not FORCE_CHANGE_PASSWORD", u.Username)
		}
		password = deref(in.TemporaryPassword)
		var err error
		if password == "" {
			if password, err = temporaryPassword(s.rand, p.Doc.Policies.PasswordPolicy); err != nil {
				return err
			}
		} else if err := checkPassword(p.Doc.Policies.PasswordPolicy, password); err != nil {
			return asSignUpPasswordError(err)
		}
		now := s.clock()
		u.ModifiedAt = now
		if err := s.storePassword(ctx, p, u, password, now); err != nil {
			return err
		}
		u.Outbox, handoffs, err = s.invitation(ctx, p, u, password, in.DesiredDeliveryMediums, in.ClientMetadata, now)
		outbox = u.Outbox
		return err
	})
	if err != nil {
		return nil, err
	}
	s.handOffAll(ctx, handoffs)
	if err := s.deliverNow(ctx, outbox...); err != nil {
		return nil, err
	}
	out := userType(u, nil)
	return &AdminCreateUserResponse{User: &out}, nil
}

// invitation composes the welcome message with the temporary password for each medium
// asked for (SMS when none is) for which the user has a destination, as the pool's
// CustomMessage function words it (CustomMessage_AdminCreateUser) when it has one. A medium
// the pool has a custom sender for gets a hand-off instead (CustomEmailSender_AdminCreateUser,
// CustomSMSSender_AdminCreateUser), its record among the messages; the caller invokes the
// hand-offs once the messages are written.
func (s *Service) invitation(ctx context.Context, p *Pool, u *User, password string, mediums []string, metadata map[string]string, now time.Time) ([]*Message, []*handoff, error) {
	if len(mediums) == 0 {
		mediums = []string{"SMS"}
	}
	tmpl := &MessageTemplateType{}
	if c := p.Doc.AdminCreateUserConfig; c != nil && c.InviteMessageTemplate != nil {
		tmpl = c.InviteMessageTemplate
	}
	const defaultBody = "Your username is {username} and temporary password is {####}."
	fill := func(t string) string {
		return strings.NewReplacer("{username}", u.Username, "{####}", password).Replace(t)
	}
	var (
		out      []*Message
		handoffs []*handoff
		cm       *customMessage
		ranCM    bool
	)
	for _, medium := range slices.Compact(slices.Sorted(slices.Values(mediums))) {
		attr, subject, body := "email", deref(or(tmpl.EmailSubject, "Your temporary password")), deref(or(tmpl.EmailMessage, defaultBody))
		if medium == "SMS" {
			attr, subject, body = "phone_number", "", deref(or(tmpl.SMSMessage, defaultBody))
		}
		to, ok := u.attr(attr)
		if !ok {
			continue
		}
		// The DG: temporary passwords are HTML-escaped before they are encrypted for a
		// custom sender (spec §6.6 [D]).
		h, err := s.prepareHandoff(ctx, p, sender{user: u, medium: medium, to: to, source: "AdminCreateUser", metadata: metadata},
			htmlpkg.EscapeString(password), now)
		if err != nil {
			return nil, nil, err
		}
		if h != nil {
			out, handoffs = append(out, h.record), append(handoffs, h)
			continue
		}
		if !ranCM {
			// Once, for the mediums a message goes to.
			if cm, err = s.runCustomMessage(ctx, p, u, "AdminCreateUser", "", metadata, true); err != nil {
				return nil, nil, err
			}
			ranCM = true
		}
		shaped, err := cm.apply(medium, &subject, &body, false)
		if err != nil {
			return nil, nil, err
		}
		m, err := s.newMessage(p, u, medium, to, subject, fill(body), "CustomMessage_AdminCreateUser", now)
		if err != nil {
			return nil, nil, err
		}
		m.ShapedBy = shapedBy(shaped)
		out = append(out, m)
	}
	return out, handoffs, nil
}

// handOffAll invokes the custom senders of hand-offs whose records have been written.
func (s *Service) handOffAll(ctx context.Context, hs []*handoff) {
	for _, h := range hs {
		s.handOff(ctx, h)
	}
}
