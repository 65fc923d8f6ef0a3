package userpool

import (
	"context"
	"slices"
)

// AddUserPoolClientSecret gives a confidential client a second secret, generated unless the
// request names one; its value is answered only when generated, as the model documents.
func (s *Service) AddUserPoolClientSecret(ctx context.Context, in *AddUserPoolClientSecretRequest) (*AddUserPoolClientSecretResponse, error) {
	value := deref(in.ClientSecret)
	generated := value == ""
	if generated {
		var err error
		if value, err = s.newClientSecret(); err != nil {
			return nil, err
		}
	}
	now := s.clock()
	var added ClientSecret
	err := s.changeClientSecrets(ctx, deref(in.UserPoolId), deref(in.ClientId), func(c *Client, secrets []ClientSecret) ([]ClientSecret, error) {
		if len(secrets) >= maxClientSecrets {
			// cognate's sentence for the documented limit of two.
			return nil, newError("LimitExceededException", "Client %s has %d secrets already, the most it can have.", c.ID, maxClientSecrets)
		}
		added = ClientSecret{ID: clientSecretID(c.ID, now), Value: value, CreatedAt: now}
		for slices.ContainsFunc(secrets, func(sec ClientSecret) bool { return sec.ID == added.ID }) { // the same millisecond as the other
			added.CreatedAt = added.CreatedAt.Add(1e6)
			added.ID = clientSecretID(c.ID, added.CreatedAt)
		}
		return append(secrets, added), nil
	})
	if err != nil {
		return nil, err
	}
	d := secretDescriptor(added)
	if generated {
		d.ClientSecretValue = ptr(value)
	}
	return &AddUserPoolClientSecretResponse{ClientSecretDescriptor: &d}, nil
}
