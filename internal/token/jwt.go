package token

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// ErrInvalidToken is wrapped by every error Verify returns, so the caller can
// answer one way ("Invalid Access Token", say) whatever the detail was.
var ErrInvalidToken = errors.New("token: invalid JWT")

// signingKeyBits is the RSA modulus size Cognito uses for its JWKS keys.
const signingKeyBits = 2048

// SigningKey is one RS256 key that signs ID and access tokens. ID is the kid
// that names it in token headers and in the JWKS; Private must not leave the
// server except sealed for persistence (see MarshalPrivate).
type SigningKey struct {
	ID      string
	Private *rsa.PrivateKey
}

// NewSigningKey generates a 2048-bit RSA key whose ID is derived from its
// public half (see KeyID), so the same key always gets the same kid.
//
// rnd is handed to rsa.GenerateKey, which since Go 1.26 ignores it and always
// uses a secure source; tests that need a fixed key use ParseSigningKey with
// a stored one (or testing/cryptotest.SetGlobalRandom).
func NewSigningKey(rnd io.Reader) (*SigningKey, error) {
	priv, err := rsa.GenerateKey(rnd, signingKeyBits)
	if err != nil {
		return nil, fmt.Errorf("token: generating signing key: %w", err)
	}
	id, err := KeyID(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	return &SigningKey{ID: id, Private: priv}, nil
}

// KeyID returns a stable kid for a public key: the unpadded base64url
// SHA-256 of its PKIX DER encoding (43 characters). Being derived from the
// key, it needs no counter and cannot collide between instances.
func KeyID(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("token: encoding public key: %w", err)
	}
	sum := sha256.Sum256(der)
	return b64url.EncodeToString(sum[:]), nil
}

// MarshalPrivate encodes the private key as PKCS#8 DER for persistence. The
// bytes are as secret as the key: seal them (Seal) before storing.
func (k *SigningKey) MarshalPrivate() ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k.Private)
	if err != nil {
		return nil, fmt.Errorf("token: encoding signing key: %w", err)
	}
	return der, nil
}

// ParseSigningKey restores a key stored with MarshalPrivate under the kid it
// was published with; an empty id is derived with KeyID. It refuses keys that
// are not RSA or are smaller than 2048 bits, so a tampered store cannot make
// the server sign with something weak.
func ParseSigningKey(id string, der []byte) (*SigningKey, error) {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("token: parsing signing key: %w", err)
	}
	priv, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("token: signing key is %T, not RSA", key)
	}
	if priv.N.BitLen() < signingKeyBits {
		return nil, fmt.Errorf("token: signing key has %d bits, want at least %d", priv.N.BitLen(), signingKeyBits)
	}
	if id == "" {
		if id, err = KeyID(&priv.PublicKey); err != nil {
			return nil, err
		}
	}
	return &SigningKey{ID: id, Private: priv}, nil
}

// Public returns the public half, the one Verify needs.
func (k *SigningKey) Public() *rsa.PublicKey { return &k.Private.PublicKey }

// String names the key by kid only, so printing a key never prints its
// private half.
func (k *SigningKey) String() string { return "SigningKey(" + k.ID + ")" }

// GoString keeps %#v as discreet as %v.
func (k *SigningKey) GoString() string { return k.String() }

// LogValue makes slog log the kid only (ARCHITECTURE rule 5: secrets redact
// themselves).
func (k *SigningKey) LogValue() slog.Value {
	return slog.GroupValue(slog.String("kid", k.ID))
}

// jwtHeader is the JOSE header Cognito writes, in its field order.
type jwtHeader struct {
	Kid string `json:"kid"`
	Alg string `json:"alg"`
}

// Sign encodes claims as the payload of a compact JWS signed with RS256 under
// k, with the header {"kid":k.ID,"alg":"RS256"} that Cognito's tokens carry.
// claims must marshal to a JSON object (a struct or map); go-json-experiment
// marshals it deterministically (map keys sorted), so equal claims give equal
// tokens.
func Sign(k *SigningKey, claims any) (string, error) {
	if k == nil || k.Private == nil {
		return "", errors.New("token: no signing key")
	}
	header, err := json.Marshal(jwtHeader{Kid: k.ID, Alg: "RS256"})
	if err != nil {
		return "", fmt.Errorf("token: encoding JWT header: %w", err)
	}
	payload, err := json.Marshal(claims, json.Deterministic(true))
	if err != nil {
		return "", fmt.Errorf("token: encoding JWT claims: %w", err)
	}
	if len(payload) == 0 || payload[0] != '{' {
		return "", errors.New("token: JWT claims must be a JSON object")
	}
	signingInput := b64url.EncodeToString(header) + "." + b64url.EncodeToString(payload)
	digest := sha256.Sum256([]byte(signingInput))
	sig, err := rsa.SignPKCS1v15(nil, k.Private, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("token: signing JWT: %w", err)
	}
	return signingInput + "." + b64url.EncodeToString(sig), nil
}

// verifyHeader is what Verify reads of a header. Crit is read only to refuse
// it: RFC 7515 §4.1.11 says a header with extensions we do not understand
// must be rejected.
type verifyHeader struct {
	Alg  string         `json:"alg"`
	Kid  string         `json:"kid"`
	Crit jsontext.Value `json:"crit"`
}

// Verify checks a compact JWS and decodes its payload into claims (a pointer;
// nil to skip decoding). The header's alg must be exactly RS256 — never
// "none", never HS256 keyed with a public key, whatever the token says — and
// its kid must be one keys knows. The payload must be strict JSON: invalid
// UTF-8 and duplicate names are refused, unknown names ignored.
//
// It checks no claims, not even exp: the caller knows which claims matter
// and owns the clock (see Expired). Every error wraps ErrInvalidToken.
func Verify(token string, keys func(kid string) (*rsa.PublicKey, bool), claims any) error {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return fmt.Errorf("%w: want 3 parts, have %d", ErrInvalidToken, len(parts))
	}
	rawHeader, err := b64url.DecodeString(parts[0])
	if err != nil {
		return fmt.Errorf("%w: header is not base64url", ErrInvalidToken)
	}
	var h verifyHeader
	if err := json.Unmarshal(rawHeader, &h); err != nil {
		return fmt.Errorf("%w: header: %v", ErrInvalidToken, err)
	}
	if h.Alg != "RS256" {
		return fmt.Errorf("%w: alg %q is not RS256", ErrInvalidToken, h.Alg)
	}
	if len(h.Crit) != 0 {
		return fmt.Errorf("%w: crit header is not supported", ErrInvalidToken)
	}
	pub, ok := keys(h.Kid)
	if !ok || pub == nil {
		return fmt.Errorf("%w: unknown kid %q", ErrInvalidToken, h.Kid)
	}
	sig, err := b64url.DecodeString(parts[2])
	if err != nil {
		return fmt.Errorf("%w: signature is not base64url", ErrInvalidToken)
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig); err != nil {
		return fmt.Errorf("%w: bad signature", ErrInvalidToken)
	}
	payload, err := b64url.DecodeString(parts[1])
	if err != nil {
		return fmt.Errorf("%w: payload is not base64url", ErrInvalidToken)
	}
	if claims == nil {
		return nil
	}
	if err := json.Unmarshal(payload, claims); err != nil {
		return fmt.Errorf("%w: claims: %v", ErrInvalidToken, err)
	}
	return nil
}

// PublicKeys returns a key lookup for Verify over the given signing keys.
func PublicKeys(keys ...*SigningKey) func(kid string) (*rsa.PublicKey, bool) {
	m := make(map[string]*rsa.PublicKey, len(keys))
	for _, k := range keys {
		m[k.ID] = k.Public()
	}
	return func(kid string) (*rsa.PublicKey, bool) {
		pub, ok := m[kid]
		return pub, ok
	}
}

// Expired reports whether a token whose exp claim (seconds since the epoch)
// is exp has expired at now. RFC 7519 §4.1.4: it must not be accepted on or
// after exp.
func Expired(exp int64, now time.Time) bool {
	return now.Unix() >= exp
}

// jwk is one entry of the JWKS, with the members Cognito publishes, in its
// order.
type jwk struct {
	Alg string `json:"alg"`
	E   string `json:"e"`
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	N   string `json:"n"`
	Use string `json:"use"`
}

// JWKS returns the JSON Web Key Set that relying parties fetch from
// /.well-known/jwks.json to verify tokens: the public half of each key,
// {"keys":[{"alg":"RS256","e":"AQAB","kid":…,"kty":"RSA","n":…,"use":"sig"}]}.
// An empty list gives {"keys":[]}.
func JWKS(keys []*SigningKey) []byte {
	set := struct {
		Keys []jwk `json:"keys"`
	}{Keys: make([]jwk, 0, len(keys))}
	for _, k := range keys {
		pub := k.Public()
		set.Keys = append(set.Keys, jwk{
			Alg: "RS256",
			E:   b64url.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
			Kid: k.ID,
			Kty: "RSA",
			N:   b64url.EncodeToString(pub.N.Bytes()),
			Use: "sig",
		})
	}
	// AllowInvalidUTF8 makes the encoding total (a hand-made kid with bad
	// UTF-8 is written with U+FFFD), so the error below cannot happen.
	out, err := json.Marshal(set, jsontext.AllowInvalidUTF8(true))
	if err != nil {
		panic("token: encoding JWKS: " + err.Error())
	}
	return out
}
