package userpool

import "context"

// AdminUpdateDeviceStatus marks one of a user's devices remembered or not remembered.
func (s *Service) AdminUpdateDeviceStatus(ctx context.Context, in *AdminUpdateDeviceStatusRequest) (*AdminUpdateDeviceStatusResponse, error) {
	now := s.clock()
	_, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	if err := s.setDeviceStatus(ctx, u, deref(in.DeviceKey), in.DeviceRememberedStatus, now); err != nil {
		return nil, err
	}
	return &AdminUpdateDeviceStatusResponse{}, nil
}
