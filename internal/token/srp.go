package token

import (
	"crypto/hkdf"
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
)

// ErrInvalidSRP marks an SRP value sent by the client that the protocol forbids
// or that cannot be read (a malformed or degenerate SRP_A, for instance).
// Callers tell it apart from other errors, which mean the server's own stored
// state (verifier, SRP_B, b) is unusable.
var ErrInvalidSRP = errors.New("token: invalid SRP parameter")

// srpGroupHex is the 3072-bit MODP prime of RFC 3526 §4, the group every
// Cognito SRP client hard-codes (spec Appendix F).
const srpGroupHex = "" +
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1" +
	"29024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245" +
	"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D" +
	"C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D" +
	"670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9" +
	"DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64" +
	"ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B" +
	"F12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31" +
	"43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

const (
	// srpInfo is the HKDF info string every Cognito client uses; "Caldera" was
	// the service's code name.
	srpInfo = "Caldera Derived Key"
	// srpSaltLen is the salt size in bytes; Cognito clients generate 16-byte
	// salts for device verifiers, and 128 bits is ample against precomputation.
	srpSaltLen = 16
	// srpSecretLen is the size of the server's private exponent b: 256 bits
	// gives the 128-bit security the 3072-bit group is sized for.
	srpSecretLen = 32
	// srpMaxHex bounds the hex numbers we accept from the wire so that a
	// hostile SRP_A cannot make us parse megabytes; a group element is 768 hex
	// digits, and the bound leaves room for zero padding.
	srpMaxHex = 2048
	// timestampLayout is Java's "EEE MMM d HH:mm:ss z yyyy" as the clients
	// write it: the day of the month is not zero padded.
	timestampLayout = "Mon Jan 2 15:04:05 UTC 2006"
)

// srpGroup holds the constants of the group. It is immutable after
// construction; a package variable saves recomputing k on every request.
type srpGroup struct {
	N, g, k *big.Int
	size    int // bytes in N, the fixed width verifiers are stored at
}

var group = newSRPGroup()

func newSRPGroup() *srpGroup {
	N, ok := new(big.Int).SetString(srpGroupHex, 16)
	if !ok {
		panic("token: bad SRP group constant")
	}
	g := big.NewInt(2)
	// k = H(padHex(N) + padHex(g)) over the hex-decoded bytes.
	k := hashInt(padBytes(N), padBytes(g))
	return &srpGroup{N: N, g: g, k: k, size: (N.BitLen() + 7) / 8}
}

// padBytes is the byte form of the clients' padHex: the big-endian bytes of a
// non-negative x, with a 0x00 byte in front when the top bit is set (so a
// two's-complement reader sees a positive number), and a single 0x00 for zero.
// padHex's "prepend 0 when the length is odd" step is what big-endian bytes do
// anyway, so hashing these bytes is hashing the hex-decoded padHex string.
func padBytes(x *big.Int) []byte {
	b := x.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// hashInt hashes the concatenation of parts with SHA-256 and reads the digest
// as a non-negative integer, as the clients' new BigInteger(hexHash(...), 16).
func hashInt(parts ...[]byte) *big.Int {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return new(big.Int).SetBytes(h.Sum(nil))
}

// parseHex reads a non-negative hexadecimal integer, refusing signs, prefixes,
// underscores and other forms big.Int.SetString would accept but no client
// sends.
func parseHex(s string) (*big.Int, bool) {
	if s == "" || len(s) > srpMaxHex {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return nil, false
		}
	}
	return new(big.Int).SetString(s, 16)
}

// SRPPoolName returns the pool name that SRP hashes into x and the claim
// signature: the part of a user pool id after the underscore
// ("us-east-1_Ab12Cd34E" → "Ab12Cd34E"), read as the clients read it
// (userPoolId.split('_')[1]). It returns "" for an id without an underscore.
func SRPPoolName(userPoolID string) string {
	parts := strings.Split(userPoolID, "_")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

// NewVerifier draws a fresh 16-byte salt from rnd and computes the password
// verifier v = g^x mod N that USER_SRP_AUTH later checks the client against.
//
// poolName is SRPPoolName of the pool id and userID is the USER_ID_FOR_SRP the
// server will announce (cognate's username). The salt is returned as the 32
// lower-case hex digits the client will receive in SALT; leading zero bytes
// are kept, because the client parses SALT as a big integer and the verifier
// is computed the same way (spec Appendix F). The verifier is returned as the
// fixed-width (384-byte) big-endian encoding so that, sealed at rest, every
// verifier has the same length.
func NewVerifier(rnd io.Reader, poolName, userID, password string) (salt string, verifier []byte, err error) {
	raw := make([]byte, srpSaltLen)
	if _, err := io.ReadFull(rnd, raw); err != nil {
		return "", nil, fmt.Errorf("token: drawing SRP salt: %w", err)
	}
	salt = hex.EncodeToString(raw)
	verifier, err = verifierForSalt(salt, poolName, userID, password)
	if err != nil {
		return "", nil, err
	}
	return salt, verifier, nil
}

// verifierForSalt computes the verifier for a given salt; NewVerifier draws the
// salt, tests force awkward ones (leading "00").
func verifierForSalt(salt, poolName, userID, password string) ([]byte, error) {
	x, err := srpX(salt, poolName, userID, password)
	if err != nil {
		return nil, err
	}
	v := new(big.Int).Exp(group.g, x, group.N)
	return v.FillBytes(make([]byte, group.size)), nil
}

// srpX computes x = H(padHex(BigInteger(salt)) + H(poolName + userID + ":" +
// password)). The salt goes through a big integer on purpose: that is what the
// clients do, and hashing the salt string as sent would break every user whose
// salt starts with "00".
func srpX(salt, poolName, userID, password string) (*big.Int, error) {
	s, ok := parseHex(salt)
	if !ok {
		return nil, errors.New("token: SRP salt is not hexadecimal")
	}
	inner := sha256.Sum256([]byte(poolName + userID + ":" + password))
	return hashInt(padBytes(s), inner[:]), nil
}

// parseVerifier reads a stored verifier and checks it is a usable group
// element; anything else means corrupted storage, not a client mistake.
func parseVerifier(verifier []byte) (*big.Int, error) {
	v := new(big.Int).SetBytes(verifier)
	if v.Sign() == 0 || v.Cmp(group.N) >= 0 {
		return nil, errors.New("token: SRP verifier is out of range")
	}
	return v, nil
}

// Challenge starts the server's side of PASSWORD_VERIFIER: it draws the
// private exponent b from rnd and computes B = (k·v + g^b) mod N.
//
// It returns b, which the caller must keep secret until VerifyClaim (cognate
// seals it into the challenge Session), and SRP_B as the lower-case hex the
// client parses. A b that would give B ≡ 0 is drawn again, since a client must
// refuse such a B.
func Challenge(rnd io.Reader, verifier []byte) (b []byte, srpB string, err error) {
	v, err := parseVerifier(verifier)
	if err != nil {
		return nil, "", err
	}
	kv := new(big.Int).Mul(group.k, v)
	// Real randomness never needs a second draw; the bound only stops a broken
	// reader (all zeros, say) from looping forever.
	for range 8 {
		b = make([]byte, srpSecretLen)
		if _, err := io.ReadFull(rnd, b); err != nil {
			return nil, "", fmt.Errorf("token: drawing SRP b: %w", err)
		}
		bi := new(big.Int).SetBytes(b)
		if bi.Sign() == 0 {
			continue
		}
		B := new(big.Int).Exp(group.g, bi, group.N)
		B.Add(B, kv)
		B.Mod(B, group.N)
		if B.Sign() == 0 {
			continue
		}
		return b, B.Text(16), nil
	}
	return nil, "", errors.New("token: random source gave no usable SRP b")
}

// VerifyClaim finishes PASSWORD_VERIFIER: it recomputes the session key the
// client must have derived from its password and checks PASSWORD_CLAIM_SIGNATURE
// in constant time.
//
// poolName and userID are those announced in the challenge (the salt is not
// needed: it is already folded into the verifier); verifier, b and srpB come
// from NewVerifier and Challenge; srpA is the client's SRP_A;
// secretBlock is the Base64-decoded PASSWORD_CLAIM_SECRET_BLOCK (the caller
// should also check that it is the block it issued); timestamp and
// signatureB64 are the client's TIMESTAMP and PASSWORD_CLAIM_SIGNATURE as sent.
//
// It returns false, nil for a wrong password or any signature that does not
// match (including one that is not Base64). It returns an error wrapping
// ErrInvalidSRP for an SRP_A that is malformed, ≥ N or ≡ 0 mod N (which would
// let a client fix S without knowing the password) or that makes u = 0, and a
// plain error when the server's own stored values are unusable. It does not
// judge the timestamp: ParseTimestamp lets the caller check skew with its clock.
func VerifyClaim(poolName, userID string, verifier, b []byte, srpA, srpB string, secretBlock []byte, timestamp, signatureB64 string) (bool, error) {
	A, ok := parseHex(srpA)
	if !ok {
		return false, fmt.Errorf("%w: SRP_A is not a hexadecimal number", ErrInvalidSRP)
	}
	// A ≡ 0 mod N makes S = 0 whatever the password. Values ≥ N are never
	// produced by a client (it reduces mod N), so they are refused outright.
	if A.Sign() == 0 || A.Cmp(group.N) >= 0 {
		return false, fmt.Errorf("%w: SRP_A mod N is zero or SRP_A is not below N", ErrInvalidSRP)
	}
	B, ok := parseHex(srpB)
	if !ok || B.Sign() == 0 || B.Cmp(group.N) >= 0 {
		return false, errors.New("token: stored SRP_B is unusable")
	}
	v, err := parseVerifier(verifier)
	if err != nil {
		return false, err
	}
	bi := new(big.Int).SetBytes(b)
	if bi.Sign() == 0 {
		return false, errors.New("token: stored SRP b is zero")
	}

	u := hashInt(padBytes(A), padBytes(B))
	if u.Sign() == 0 {
		return false, fmt.Errorf("%w: u is zero", ErrInvalidSRP)
	}

	// S = (A · v^u)^b mod N, the server's mirror of the client's
	// (B − k·g^x)^(a + u·x) mod N.
	S := new(big.Int).Exp(v, u, group.N)
	S.Mul(S, A)
	S.Mod(S, group.N)
	S.Exp(S, bi, group.N)

	key, err := hkdf.Key(sha256.New, padBytes(S), padBytes(u), srpInfo, 16)
	if err != nil {
		return false, fmt.Errorf("token: deriving SRP key: %w", err)
	}

	want := claimSignature(key, poolName, userID, secretBlock, timestamp)
	got, err := base64.StdEncoding.DecodeString(signatureB64)
	if err != nil {
		return false, nil
	}
	return hmac.Equal(got, want), nil
}

// claimSignature is HMAC-SHA256(key, poolName ‖ userID ‖ secretBlock ‖
// timestamp), the message the clients sign.
func claimSignature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// FormatTimestamp writes t the way Cognito clients write TIMESTAMP:
// "Tue Nov 3 09:05:07 UTC 2026", always in UTC, the day not zero padded.
// The server needs it to build test clients and to show what it expects.
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format(timestampLayout)
}

// ParseTimestamp reads a client's TIMESTAMP so the caller can compare it with
// its own clock. It accepts the day with or without a leading zero, since
// some clients (Python's strftime "%d") pad it.
func ParseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(timestampLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("token: TIMESTAMP %q: %w", s, err)
	}
	return t, nil
}

// ValidVerifier reports whether verifier (big-endian bytes) is a usable SRP verifier: a
// group element other than zero, as a client computes g^x mod N. A device's verifier
// comes from its client (ConfirmDevice), so it is checked before it is stored.
func ValidVerifier(verifier []byte) bool {
	_, err := parseVerifier(verifier)
	return err == nil
}
