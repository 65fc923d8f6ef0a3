package token

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
)

// ErrDecrypt is returned by Open and OpenRefresh for anything that does not
// authenticate: a wrong key, a wrong AAD, a truncated or altered message. The
// causes are deliberately not told apart, so a caller cannot leak which one it
// was.
var ErrDecrypt = errors.New("token: message authentication failed")

const (
	gcmNonceLen = 12
	gcmTagLen   = 16
)

// Seal encrypts and authenticates plaintext with AES-256-GCM under key,
// binding it to aad (which is authenticated but not included). The result is
// a fresh 12-byte nonce drawn from rnd followed by the ciphertext and tag.
//
// It is for values the server hands out and must get back unchanged, or keeps
// encrypted at rest: SECRET_BLOCK, challenge Session tokens, SRP verifiers.
// Use a key from DeriveKey per purpose, and an aad naming what the blob is
// for (pool, user, purpose) so that one kind of blob cannot be replayed as
// another. Random 96-bit nonces stay safe for about 2^32 messages per key.
func Seal(rnd io.Reader, key [32]byte, plaintext, aad []byte) ([]byte, error) {
	aead := newGCM(key)
	out := make([]byte, gcmNonceLen, gcmNonceLen+len(plaintext)+gcmTagLen)
	if _, err := io.ReadFull(rnd, out); err != nil {
		return nil, fmt.Errorf("token: drawing nonce: %w", err)
	}
	return aead.Seal(out, out[:gcmNonceLen], plaintext, aad), nil
}

// Open reverses Seal. It returns ErrDecrypt unless sealed was made by Seal
// with the same key and aad and has not been altered.
func Open(key [32]byte, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < gcmNonceLen+gcmTagLen {
		return nil, ErrDecrypt
	}
	pt, err := newGCM(key).Open(nil, sealed[:gcmNonceLen], sealed[gcmNonceLen:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// newGCM builds AES-256-GCM; with a 32-byte key neither step can fail.
func newGCM(key [32]byte) cipher.AEAD {
	block, err := aes.NewCipher(key[:])
	if err != nil {
		panic("token: AES-256 key rejected: " + err.Error())
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("token: GCM setup failed: " + err.Error())
	}
	return aead
}

// DeriveKey derives a 32-byte key for one purpose from a master secret with
// HKDF-SHA256 (no salt, info = purpose). Giving every use its own key
// ("secret-block", "session", "srp-verifier", "refresh", …) means a value
// sealed for one purpose never opens as another, and one leaked derived key
// exposes nothing else. master should be at least 32 bytes of secret
// randomness kept outside the database.
func DeriveKey(master []byte, purpose string) [32]byte {
	k, err := hkdf.Key(sha256.New, master, nil, purpose, 32)
	if err != nil {
		// Only possible in FIPS 140-only mode with a master secret shorter
		// than 112 bits: a configuration error that must not go unnoticed.
		panic("token: deriving key: " + err.Error())
	}
	return [32]byte(k)
}
