package userpool

import "context"

// AdminForgetDevice stops tracking one of a user's devices.
func (s *Service) AdminForgetDevice(ctx context.Context, in *AdminForgetDeviceRequest) (*AdminForgetDeviceResponse, error) {
	_, u, err := s.loadUser(ctx, deref(in.UserPoolId), deref(in.Username))
	if err != nil {
		return nil, err
	}
	if err := s.forgetDevice(ctx, u, deref(in.DeviceKey)); err != nil {
		return nil, err
	}
	return &AdminForgetDeviceResponse{}, nil
}
