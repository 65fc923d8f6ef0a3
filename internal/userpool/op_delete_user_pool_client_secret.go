package userpool

import (
	"context"
	"slices"
)

// DeleteUserPoolClientSecret retires one of a client's two secrets; the last one stays
// ("You cannot delete the last remaining secret for an app client", the model).
func (s *Service) DeleteUserPoolClientSecret(ctx context.Context, in *DeleteUserPoolClientSecretRequest) (*DeleteUserPoolClientSecretResponse, error) {
	id := deref(in.ClientSecretId)
	err := s.changeClientSecrets(ctx, deref(in.UserPoolId), deref(in.ClientId), func(c *Client, secrets []ClientSecret) ([]ClientSecret, error) {
		i := slices.IndexFunc(secrets, func(sec ClientSecret) bool { return sec.ID == id })
		if i < 0 {
			return nil, newError("ResourceNotFoundException", "Client secret %s does not exist.", id)
		}
		if len(secrets) == 1 {
			return nil, invalidParameter("You cannot delete the last remaining secret for an app client.")
		}
		return slices.Delete(secrets, i, i+1), nil
	})
	if err != nil {
		return nil, err
	}
	return &DeleteUserPoolClientSecretResponse{}, nil
}
