package token

import (
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
)

const (
	// refreshHeaderJSON is the protected header of every Cognito refresh
	// token (spec §12.3). Clients and libraries that sniff tokens expect it.
	refreshHeaderJSON = `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}`
	// refreshHeader is refreshHeaderJSON in base64url, the first part of the
	// token and, as in JWE, the additional authenticated data.
	refreshHeader = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ"
	// refreshKeyPartLen is the size of a 2048-bit RSA-OAEP encrypted key,
	// which is what the second part of a real Cognito refresh token holds.
	refreshKeyPartLen = 256
	// refreshKDFInfo names the derivation of a token's content key.
	refreshKDFInfo = "cognate refresh token A256GCM"
)

// b64url is the strict unpadded base64url of JOSE. Strict decoding refuses
// non-zero trailing bits, so every token has exactly one spelling and
// changing any character is detected.
var b64url = base64.RawURLEncoding.Strict()

// SealRefresh wraps payload (typically the session id a refresh token stands
// for) in an opaque refresh token that looks like Cognito's: a compact JWE of
// five base64url parts — the exact protected header
// {"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}, a 256-byte "encrypted key",
// a 12-byte IV, the AES-256-GCM ciphertext and its 16-byte tag.
//
// It is not a JWE anyone else can open, and needs no RSA key: the
// "encrypted key" part is 256 random bytes that, with key, derive the
// token's content key through HKDF-SHA256. That keeps the part meaningful (a
// changed byte changes the content key, so the token no longer opens) and
// gives every token its own key. The AAD is the encoded header, as JWE
// specifies, so the header is authenticated too.
func SealRefresh(rnd io.Reader, key [32]byte, payload []byte) (string, error) {
	random := make([]byte, refreshKeyPartLen+gcmNonceLen)
	if _, err := io.ReadFull(rnd, random); err != nil {
		return "", fmt.Errorf("token: drawing refresh token randomness: %w", err)
	}
	ek, iv := random[:refreshKeyPartLen], random[refreshKeyPartLen:]
	aead, err := refreshAEAD(key, ek)
	if err != nil {
		return "", err
	}
	sealed := aead.Seal(nil, iv, payload, []byte(refreshHeader))
	ct, tag := sealed[:len(payload)], sealed[len(payload):]
	return strings.Join([]string{
		refreshHeader,
		b64url.EncodeToString(ek),
		b64url.EncodeToString(iv),
		b64url.EncodeToString(ct),
		b64url.EncodeToString(tag),
	}, "."), nil
}

// OpenRefresh returns the payload of a token made by SealRefresh under the
// same key. Any other string — a changed, reordered, truncated or foreign
// token, or the right token under another key — gives ErrDecrypt.
func OpenRefresh(key [32]byte, token string) ([]byte, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 5 || parts[0] != refreshHeader {
		return nil, ErrDecrypt
	}
	ek, err1 := b64url.DecodeString(parts[1])
	iv, err2 := b64url.DecodeString(parts[2])
	ct, err3 := b64url.DecodeString(parts[3])
	tag, err4 := b64url.DecodeString(parts[4])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil ||
		len(ek) != refreshKeyPartLen || len(iv) != gcmNonceLen || len(tag) != gcmTagLen {
		return nil, ErrDecrypt
	}
	aead, err := refreshAEAD(key, ek)
	if err != nil {
		return nil, err
	}
	pt, err := aead.Open(nil, iv, append(ct, tag...), []byte(refreshHeader))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// refreshAEAD derives the content key of one token from the server key and
// the token's "encrypted key" part.
func refreshAEAD(key [32]byte, ek []byte) (cipher.AEAD, error) {
	cek, err := hkdf.Key(sha256.New, key[:], ek, refreshKDFInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("token: deriving refresh content key: %w", err)
	}
	return newGCM([32]byte(cek)), nil
}
