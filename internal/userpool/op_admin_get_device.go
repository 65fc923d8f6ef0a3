package userpool

import "context"

// AdminGetDevice describes one of a user's devices, remembered or not.
func (s *Service) AdminGetDevice(ctx context.Context, in *AdminGetDeviceRequest) (*AdminGetDeviceResponse, error) {
	p, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	d, err := s.userDevice(ctx, u, deref(in.DeviceKey), false)
	if err != nil {
		return nil, err
	}
	dt := s.deviceType(p, u, d)
	return &AdminGetDeviceResponse{Device: &dt}, nil
}
