package userpool

import (
	"context"
	"time"

	"cognate/internal/token"
)

// AdminSetUserPassword sets a user's password under the pool's policy and history:
// permanent (CONFIRMED) or temporary (FORCE_CHANGE_PASSWORD, to be changed at sign-in).
func (s *Service) AdminSetUserPassword(ctx context.Context, in *AdminSetUserPasswordRequest) (*AdminSetUserPasswordResponse, error) {
	_, err := s.updateUser(ctx, deref(in.UserPoolId), deref(in.Username), func(p *Pool, u *User) error {
		now := s.clock()
		if err := s.setPassword(ctx, p, u, deref(in.Password), now); err != nil {
			return err
		}
		if deref(in.Permanent) {
			u.Status = StatusConfirmed
		} else {
			u.Status = StatusForceChangePassword
		}
		u.ModifiedAt = now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &AdminSetUserPasswordResponse{}, nil
}

// setPassword checks a new password against the pool's policy and the user's history,
// then stores its hash and remembers the old one as far as the history reaches.
func (s *Service) setPassword(ctx context.Context, p *Pool, u *User, password string, now time.Time) error {
	policy := p.Doc.Policies.PasswordPolicy
	if err := checkPassword(policy, password); err != nil {
		return err
	}
	keep := int(deref(policy.PasswordHistorySize))
	if keep > 0 {
		recent := append([]string{u.PasswordHash}, u.PasswordHistory...)
		for i, h := range recent {
			if i >= keep || h == "" {
				break
			}
			same, err := s.passwords.Verify(ctx, h, password)
			if err != nil {
				return err
			}
			if same {
				return newError("PasswordHistoryPolicyViolationException", "The password you entered has been used recently. Choose a different password.")
			}
		}
	}
	if keep > 1 && u.PasswordHash != "" {
		u.PasswordHistory = append([]string{u.PasswordHash}, u.PasswordHistory...)
		if len(u.PasswordHistory) > keep-1 {
			u.PasswordHistory = u.PasswordHistory[:keep-1]
		}
	} else {
		u.PasswordHistory = nil
	}
	return s.storePassword(ctx, p, u, password, now)
}

// storePassword sets a password that has passed its checks: its argon2id hash, and the SRP
// salt and verifier that USER_SRP_AUTH needs, the verifier sealed under a key kept outside
// the store and bound to the user.
func (s *Service) storePassword(ctx context.Context, p *Pool, u *User, password string, now time.Time) error {
	hash, err := s.passwords.Hash(ctx, s.rand, password)
	if err != nil {
		return err
	}
	salt, verifier, err := token.NewVerifier(s.rand, srpPoolName(p.ID), u.Username, password)
	if err != nil {
		return err
	}
	sealed, err := token.Seal(s.rand, s.keys.srp, verifier, []byte(u.PoolID+"\x00"+u.Sub))
	if err != nil {
		return err
	}
	u.PasswordHash, u.SRPSalt, u.SRPVerifier = hash, salt, sealed
	u.PasswordSetAt = now
	return nil
}
