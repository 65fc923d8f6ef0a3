package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"cognate/internal/token"
)

// Remembered devices (developer guide, "Working with user devices in your user pool"): a
// pool with a DeviceConfiguration hands every sign-in that names no device of the user a
// NewDeviceMetadata (a device key and a device group key); the app confirms the device
// with an SRP verifier of a secret only it knows (ConfirmDevice), and a remembered device
// then proves that secret at sign-in (DEVICE_SRP_AUTH, auth_device.go), in place of MFA
// when the pool's ChallengeRequiredOnNewDevice says so.
//
// A device key is made so that cognate can tell one it issued to this user without
// storing anything at sign-in: 8 random bytes and 8 bytes of an HMAC over them, the pool
// and the user, written like a UUID after the pool's region (AWS's form, "Region_UUID").
// Only ConfirmDevice writes a device, so sign-ins that never confirm one leave nothing behind.

var errNoDevice = newError("ResourceNotFoundException", "Device does not exist.") // [O] aws-amplify/amplify-android#2603

// deviceTracking reports whether the pool remembers devices: setting any member of
// DeviceConfiguration turns it on (CloudFormation, AWS::Cognito::UserPool DeviceConfiguration).
func deviceTracking(p *Pool) bool {
	dc := p.Doc.DeviceConfiguration
	return dc != nil && (dc.ChallengeRequiredOnNewDevice != nil || dc.DeviceOnlyRememberedOnUserPrompt != nil)
}

// deviceSkipsMFA reports whether signing in on the device stands in for MFA: a remembered
// device, in a pool whose ChallengeRequiredOnNewDevice is true ("a remembered device can
// sign in with device authentication instead of SMS and TOTP factors"; a device not
// confirmed or not remembered must still give the second factor).
func deviceSkipsMFA(p *Pool, d *Device) bool {
	return d != nil && d.Doc.Remembered && deviceTracking(p) && deref(p.Doc.DeviceConfiguration.ChallengeRequiredOnNewDevice)
}

// deviceMACKey is the key device keys and group keys are made with.
func (s *Service) deviceMACKey() [32]byte {
	return token.DeriveKey(s.keys.srp[:], "cognate device key v1")
}

// deviceMAC is the HMAC binding a device key's random part to the pool and the user.
func (s *Service) deviceMAC(poolID, sub string, random []byte) []byte {
	k := s.deviceMACKey()
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte("key\x00" + poolID + "\x00" + sub + "\x00"))
	m.Write(random)
	return m.Sum(nil)[:8]
}

// newDeviceKey makes a device key for the user: Region_UUID.
func (s *Service) newDeviceKey(p *Pool, u *User) (string, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(s.rand, b[:8]); err != nil {
		return "", err
	}
	copy(b[8:], s.deviceMAC(p.ID, u.Sub, b[:8]))
	h := hex.EncodeToString(b)
	region, _, _ := strings.Cut(p.ID, "_")
	return fmt.Sprintf("%s_%s-%s-%s-%s-%s", region, h[0:8], h[8:12], h[12:16], h[16:20], h[20:32]), nil
}

// issuedDeviceKey reports whether key is one newDeviceKey made for this user of this pool.
func (s *Service) issuedDeviceKey(p *Pool, u *User, key string) bool {
	region, id, ok := strings.Cut(key, "_")
	if !ok || !strings.HasPrefix(p.ID, region+"_") {
		return false
	}
	b, err := hex.DecodeString(strings.ReplaceAll(id, "-", ""))
	if err != nil || len(b) != 16 || len(id) != 36 {
		return false
	}
	return hmac.Equal(b[8:], s.deviceMAC(p.ID, u.Sub, b[:8]))
}

// deviceGroupKey is the group key of a device key: the name the device's SRP hashes in
// place of the pool's, derived so that it needs no storing before ConfirmDevice.
func (s *Service) deviceGroupKey(p *Pool, u *User, key string) string {
	k := s.deviceMACKey()
	m := hmac.New(sha256.New, k[:])
	m.Write([]byte("group\x00" + p.ID + "\x00" + u.Sub + "\x00" + key))
	return "-" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:9])
}

// newDeviceMetadata is the NewDeviceMetadata of a sign-in that named no device: a fresh
// device key for the user, or nil when the pool does not remember devices.
func (s *Service) newDeviceMetadata(p *Pool, u *User) (*NewDeviceMetadataType, error) {
	if !deviceTracking(p) {
		return nil, nil
	}
	key, err := s.newDeviceKey(p, u)
	if err != nil {
		return nil, err
	}
	return &NewDeviceMetadataType{DeviceKey: ptr(key), DeviceGroupKey: ptr(s.deviceGroupKey(p, u, key))}, nil
}

// deviceVerifierAAD binds a sealed device verifier to its device.
func deviceVerifierAAD(d *Device) []byte {
	return []byte("device\x00" + d.PoolID + "\x00" + d.Key)
}

// deviceVerifier reads a DeviceSecretVerifierConfig as the clients send it: the
// verifier's and the salt's bytes (their padded hex decoded), each in base64
// (amazon-cognito-identity-js, CognitoUser confirmDevice). It answers the salt as hex, as
// SALT carries it, and the verifier as the group element's fixed-width bytes.
func deviceVerifier(cfg *DeviceSecretVerifierConfigType) (string, []byte, error) {
	if cfg == nil || deref(cfg.PasswordVerifier) == "" || deref(cfg.Salt) == "" {
		return "", nil, invalidParameter("DeviceSecretVerifierConfig needs a PasswordVerifier and a Salt.")
	}
	v, err := base64.StdEncoding.DecodeString(*cfg.PasswordVerifier)
	if err != nil || len(v) > 512 {
		return "", nil, invalidParameter("Invalid PasswordVerifier.")
	}
	salt, err := base64.StdEncoding.DecodeString(*cfg.Salt)
	if err != nil || len(salt) == 0 || len(salt) > 128 {
		return "", nil, invalidParameter("Invalid Salt.")
	}
	n := new(big.Int).SetBytes(v)
	if n.BitLen() > 3072 || !token.ValidVerifier(n.Bytes()) {
		return "", nil, invalidParameter("Invalid PasswordVerifier.")
	}
	return hex.EncodeToString(salt), n.FillBytes(make([]byte, 384)), nil
}

// userDevice returns the user's device with this key; errNoDevice for a device that is
// another's or none, and, when remembered is asked, for one that is not remembered (the
// user's own GetDevice does not see those [O: aws-amplify/aws-sdk-android
// AWSMobileClient integration tests, testRememberDevice]).
func (s *Service) userDevice(ctx context.Context, u *User, key string, remembered bool) (*Device, error) {
	d, err := s.store.GetDevice(ctx, u.PoolID, key)
	if errors.Is(err, ErrNotFound) || (err == nil && (d.UserSub != u.Sub || (remembered && !d.Doc.Remembered))) {
		return nil, errNoDevice
	}
	return d, err
}

// deviceType describes a device as GetDevice and ListDevices answer it, with the
// attributes AWS documents (API reference, AdminListDevices example).
func (s *Service) deviceType(p *Pool, u *User, d *Device) DeviceType {
	status := "not_remembered"
	if d.Doc.Remembered {
		status = "remembered"
	}
	owner := u.Username + "." + p.ID
	attrs := []AttributeType{{Name: ptr("device_status"), Value: ptr("valid")}}
	if d.Doc.Name != "" {
		attrs = append(attrs, AttributeType{Name: ptr("device_name"), Value: ptr(d.Doc.Name)})
	}
	attrs = append(attrs,
		AttributeType{Name: ptr("dev:device_arn"), Value: ptr(fmt.Sprintf("arn:aws:cognito-idp:%s:%s:owner/%s/device/%s", s.region, s.account, owner, d.Key))},
		AttributeType{Name: ptr("dev:device_owner"), Value: ptr(owner)},
		AttributeType{Name: ptr("dev:device_remembered_status"), Value: ptr(status)},
	)
	return DeviceType{DeviceKey: ptr(d.Key), DeviceAttributes: attrs, DeviceCreateDate: At(d.Doc.CreatedAt),
		DeviceLastModifiedDate: At(d.Doc.ModifiedAt), DeviceLastAuthenticatedDate: At(d.Doc.LastAuthAt)}
}

// listDevices pages through the user's devices (only the remembered ones when asked),
// limit at a time, after the pagination token.
func (s *Service) listDevices(ctx context.Context, p *Pool, u *User, limit *int32, token *string, remembered bool) ([]DeviceType, *string, error) {
	after, err := pageAfter(token)
	if err != nil {
		return nil, nil, err
	}
	n := pageLimit(limit, 60)
	var out []DeviceType
	for {
		ds, err := s.store.ListDevices(ctx, p.ID, u.Sub, after, n+1)
		if err != nil {
			return nil, nil, err
		}
		for i, d := range ds {
			if i == n {
				break
			}
			after = d.Key
			if remembered && !d.Doc.Remembered {
				continue
			}
			out = append(out, s.deviceType(p, u, d))
			if len(out) == n {
				if i+1 < len(ds) {
					return out, pageToken(after), nil
				}
				return out, nil, nil
			}
		}
		if len(ds) <= n {
			return out, nil, nil
		}
	}
}

// setDeviceStatus sets whether the user's device is remembered.
func (s *Service) setDeviceStatus(ctx context.Context, u *User, key string, status *string, now time.Time) error {
	d, err := s.userDevice(ctx, u, key, false)
	if err != nil {
		return err
	}
	if status != nil {
		d.Doc.Remembered = *status == "remembered"
	}
	d.Doc.ModifiedAt = now
	if err := s.store.UpdateDevice(ctx, d); errors.Is(err, ErrNotFound) {
		return errNoDevice
	} else if err != nil {
		return err
	}
	return nil
}

// forgetDevice removes the user's device: it signs in as a new device from then on.
func (s *Service) forgetDevice(ctx context.Context, u *User, key string) error {
	if _, err := s.userDevice(ctx, u, key, false); err != nil {
		return err
	}
	if err := s.store.DeleteDevice(ctx, u.PoolID, key); errors.Is(err, ErrNotFound) {
		return errNoDevice
	} else if err != nil {
		return err
	}
	return nil
}
