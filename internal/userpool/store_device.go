package userpool

import (
	"context"
	"time"
)

// DeviceStore keeps what a user signs in with besides a password: the devices it confirmed
// (ConfirmDevice, remembered devices) and its passkeys (CompleteWebAuthnRegistration). Each
// belongs to one user and goes with it: deleting the user (or its pool) deletes them.
type DeviceStore interface {
	// CreateDevice stores a confirmed device; ErrConflict if the pool has a device with its
	// key, ErrNotFound if the user does not exist. Of concurrent creates of one key,
	// exactly one succeeds.
	CreateDevice(ctx context.Context, d *Device) error
	// GetDevice returns the pool's device with this key, whoever's it is, or ErrNotFound.
	GetDevice(ctx context.Context, poolID, key string) (*Device, error)
	// UpdateDevice replaces the device's document, or answers ErrNotFound; of concurrent
	// updates the last to commit stands whole.
	UpdateDevice(ctx context.Context, d *Device) error
	// DeleteDevice removes the device or answers ErrNotFound; of concurrent deletes, one
	// succeeds and the others answer ErrNotFound.
	DeleteDevice(ctx context.Context, poolID, key string) error
	// ListDevices returns at most limit of the user's devices with keys greater than
	// after, in key order, read at one instant.
	ListDevices(ctx context.Context, poolID, userSub, after string, limit int) ([]*Device, error)

	// CreatePasskey stores a registered passkey; ErrConflict if the pool has a passkey with
	// its credential id (a credential is registered once), ErrNotFound if the user does
	// not exist. Of concurrent creates of one id, exactly one succeeds.
	CreatePasskey(ctx context.Context, k *Passkey) error
	// GetPasskey returns the pool's passkey with this credential id, or ErrNotFound.
	GetPasskey(ctx context.Context, poolID, credentialID string) (*Passkey, error)
	// UpdatePasskey replaces the passkey's document (its signature counter after a
	// sign-in), or answers ErrNotFound; the last to commit stands whole.
	UpdatePasskey(ctx context.Context, k *Passkey) error
	// DeletePasskey removes the passkey or answers ErrNotFound.
	DeletePasskey(ctx context.Context, poolID, credentialID string) error
	// ListPasskeys returns at most limit of the user's passkeys with credential ids greater
	// than after, in id order, read at one instant.
	ListPasskeys(ctx context.Context, poolID, userSub, after string, limit int) ([]*Passkey, error)
}

// Device is a device a user confirmed for device authentication (DEVICE_SRP_AUTH). Key is
// unique in its pool.
type Device struct {
	PoolID  string
	Key     string
	UserSub string
	Doc     DeviceDoc
}

// DeviceDoc is what is kept of a device, opaque to the store.
type DeviceDoc struct {
	Name     string `json:"name,omitempty"`
	GroupKey string `json:"groupKey"`
	// Salt and Verifier are the device's SRP secret verifier (DeviceSecretVerifierConfig):
	// the salt as hex, the verifier sealed under a key kept outside the store.
	Salt       string    `json:"salt"`
	Verifier   []byte    `json:"verifier"`
	Remembered bool      `json:"remembered"`
	LastIP     string    `json:"lastIp,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
	ModifiedAt time.Time `json:"modifiedAt"`
	LastAuthAt time.Time `json:"lastAuthAt"`
}

// Passkey is a WebAuthn credential a user registered. ID, the credential id as unpadded
// base64url, is unique in its pool.
type Passkey struct {
	PoolID  string
	ID      string
	UserSub string
	Doc     PasskeyDoc
}

// PasskeyDoc is what is kept of a passkey, opaque to the store: what verifying its
// assertions needs, and what ListWebAuthnCredentials describes.
type PasskeyDoc struct {
	PublicKey       []byte    `json:"publicKey"` // COSE_Key, as the authenticator made it
	AttestationType string    `json:"attestationType,omitempty"`
	AAGUID          []byte    `json:"aaguid,omitempty"`
	SignCount       uint32    `json:"signCount"`
	UserPresent     bool      `json:"userPresent"`
	UserVerified    bool      `json:"userVerified"`
	BackupEligible  bool      `json:"backupEligible"`
	BackupState     bool      `json:"backupState"`
	Transports      []string  `json:"transports,omitempty"`
	Attachment      string    `json:"attachment,omitempty"`
	RelyingPartyID  string    `json:"relyingPartyId"`
	Name            string    `json:"name"`
	CreatedAt       time.Time `json:"createdAt"`
}
