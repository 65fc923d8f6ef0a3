package userpool

import "context"

// UpdateDeviceStatus marks one of the signed-in user's devices remembered or not
// remembered. A request without DeviceRememberedStatus (the model lets it be left out)
// changes nothing but the device's modification date.
func (s *Service) UpdateDeviceStatus(ctx context.Context, in *UpdateDeviceStatusRequest) (*UpdateDeviceStatusResponse, error) {
	now := s.clock()
	_, u, _, err := s.authorize(ctx, deref(in.AccessToken), now)
	if err != nil {
		return nil, err
	}
	if err := s.setDeviceStatus(ctx, u, deref(in.DeviceKey), in.DeviceRememberedStatus, now); err != nil {
		return nil, err
	}
	return &UpdateDeviceStatusResponse{}, nil
}
