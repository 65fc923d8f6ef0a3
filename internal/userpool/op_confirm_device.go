package userpool

import (
	"context"
	"errors"

	"cognate/internal/token"
)

// ConfirmDevice starts tracking the device a sign-in's NewDeviceMetadata named, with the
// SRP verifier of the device's secret that DEVICE_SRP_AUTH will check. The device is
// remembered at once unless the pool's DeviceOnlyRememberedOnUserPrompt asks the user
// first (UserConfirmationNecessary, then UpdateDeviceStatus).
func (s *Service) ConfirmDevice(ctx context.Context, in *ConfirmDeviceRequest) (*ConfirmDeviceResponse, error) {
	now := s.clock()
	p, u, _, err := s.authorize(ctx, deref(in.AccessToken), now)
	if err != nil {
		return nil, err
	}
	key := deref(in.DeviceKey)
	if !deviceTracking(p) || !s.issuedDeviceKey(p, u, key) {
		return nil, errNoDevice
	}
	salt, verifier, err := deviceVerifier(in.DeviceSecretVerifierConfig)
	if err != nil {
		return nil, err
	}
	prompt := deref(p.Doc.DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt)
	d := &Device{PoolID: p.ID, Key: key, UserSub: u.Sub, Doc: DeviceDoc{
		Name: deref(in.DeviceName), GroupKey: s.deviceGroupKey(p, u, key), Salt: salt, Remembered: !prompt,
		CreatedAt: now, ModifiedAt: now, LastAuthAt: now,
	}}
	if d.Doc.Verifier, err = token.Seal(s.rand, s.keys.srp, verifier, deviceVerifierAAD(d)); err != nil {
		return nil, err
	}
	switch err := s.store.CreateDevice(ctx, d); {
	case errors.Is(err, ErrConflict):
		return nil, newError("DeviceKeyExistsException", "Device key already exists.")
	case errors.Is(err, ErrNotFound):
		return nil, userNotFound()
	case err != nil:
		return nil, err
	}
	return &ConfirmDeviceResponse{UserConfirmationNecessary: ptr(prompt)}, nil
}
