package userpool

import "context"

// GetDevice describes one of the signed-in user's remembered devices.
func (s *Service) GetDevice(ctx context.Context, in *GetDeviceRequest) (*GetDeviceResponse, error) {
	p, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	d, err := s.userDevice(ctx, u, deref(in.DeviceKey), true)
	if err != nil {
		return nil, err
	}
	dt := s.deviceType(p, u, d)
	return &GetDeviceResponse{Device: &dt}, nil
}
