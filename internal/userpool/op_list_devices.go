package userpool

import "context"

// ListDevices lists the signed-in user's remembered devices, in device key order
// ([O] amazon-archives/amazon-cognito-identity-js#199: only remembered devices are listed).
func (s *Service) ListDevices(ctx context.Context, in *ListDevicesRequest) (*ListDevicesResponse, error) {
	p, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	out := &ListDevicesResponse{}
	out.Devices, out.PaginationToken, err = s.listDevices(ctx, p, u, in.Limit, in.PaginationToken, true)
	if err != nil {
		return nil, err
	}
	return out, nil
}
