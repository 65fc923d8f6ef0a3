package userpool

import "context"

// ForgetDevice stops tracking one of the signed-in user's devices. The model lets the
// access token be left out; cognate needs it to know whose device it is, and refuses a
// request without one as an invalid token.
func (s *Service) ForgetDevice(ctx context.Context, in *ForgetDeviceRequest) (*ForgetDeviceResponse, error) {
	_, u, _, err := s.authorize(ctx, deref(in.AccessToken), s.clock())
	if err != nil {
		return nil, err
	}
	if err := s.forgetDevice(ctx, u, deref(in.DeviceKey)); err != nil {
		return nil, err
	}
	return &ForgetDeviceResponse{}, nil
}
