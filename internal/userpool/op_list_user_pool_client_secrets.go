package userpool

import "context"

// ListUserPoolClientSecrets names a client's active secrets, oldest first, without their
// values. There are two at most, so there is never a next page (the model: "The response
// does not include pagination tokens"); a NextToken given is ignored.
func (s *Service) ListUserPoolClientSecrets(ctx context.Context, in *ListUserPoolClientSecretsRequest) (*ListUserPoolClientSecretsResponse, error) {
	_, c, err := s.loadClient(ctx, deref(in.UserPoolId), deref(in.ClientId))
	if err != nil {
		return nil, err
	}
	out := &ListUserPoolClientSecretsResponse{ClientSecrets: []ClientSecretDescriptorType{}}
	for _, sec := range c.secrets() {
		out.ClientSecrets = append(out.ClientSecrets, secretDescriptor(sec))
	}
	return out, nil
}
