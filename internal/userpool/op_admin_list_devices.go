package userpool

import "context"

// AdminListDevices lists a user's devices, remembered or not, in device key order.
func (s *Service) AdminListDevices(ctx context.Context, in *AdminListDevicesRequest) (*AdminListDevicesResponse, error) {
	p, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	out := &AdminListDevicesResponse{}
	out.Devices, out.PaginationToken, err = s.listDevices(ctx, p, u, in.Limit, in.PaginationToken, false)
	if err != nil {
		return nil, err
	}
	return out, nil
}
