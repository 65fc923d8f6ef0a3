package main

// A test-only USER_SRP_AUTH client. It computes what amazon-cognito-identity-js computes
// (AuthenticationHelper and CognitoUser.authenticateUser; spec Appendix F), step by step and
// in the library's own terms (hex strings, padHex, hexHash), and it does not import
// internal/token: the end-to-end tests then check the server against an independent client
// rather than against its own arithmetic.

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"
)

// srpNHex is the 3072-bit MODP prime of RFC 3526 §4, as the library hard-codes it.
const srpNHex = "" +
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

var (
	srpN = srpMustHex(srpNHex)
	srpG = big.NewInt(2)
	// k = hexHash(padHex(N) + padHex(g)), read as a big integer.
	srpK = srpHexInt(srpHexHash(srpPadHex(srpN) + srpPadHex(srpG)))
)

func srpMustHex(s string) *big.Int {
	n, ok := new(big.Int).SetString(s, 16)
	if !ok {
		panic("srp: bad hex constant")
	}
	return n
}

// srpPadHex is the library's padHex for a non-negative integer: its hex, with "0" in front
// when the length is odd, or "00" in front when the first digit is 8–f (so that it reads
// as a positive number).
func srpPadHex(x *big.Int) string {
	h := x.Text(16)
	switch {
	case len(h)%2 == 1:
		h = "0" + h
	case strings.ContainsRune("89abcdef", rune(h[0])):
		h = "00" + h
	}
	return h
}

// srpHash is the library's hash(string): SHA-256 of the UTF-8 bytes, as 64 hex digits.
func srpHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// srpHexHash is the library's hexHash: SHA-256 of the bytes a hex string stands for.
func srpHexHash(h string) string {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic("srp: hexHash of odd or non-hex string " + h)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func srpHexInt(h string) *big.Int { return srpMustHex(h) }

// srpHKDF is the library's computehkdf: HMAC-SHA256(salt, ikm) as the pseudo-random key, then
// the first 16 bytes of HMAC-SHA256(prk, "Caldera Derived Key" ‖ 0x01).
func srpHKDF(ikm, salt []byte) []byte {
	m := hmac.New(sha256.New, salt)
	m.Write(ikm)
	prk := m.Sum(nil)
	m = hmac.New(sha256.New, prk)
	m.Write([]byte("Caldera Derived Key"))
	m.Write([]byte{1})
	return m.Sum(nil)[:16]
}

// srpTimestamp is the library's getNowString: "Tue Nov 3 09:05:07 UTC 2026", in UTC, the day
// of the month not padded, hours, minutes and seconds padded to two digits.
func srpTimestamp(t time.Time) string {
	t = t.UTC()
	days := []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	return fmt.Sprintf("%s %s %d %02d:%02d:%02d UTC %d", days[t.Weekday()], months[t.Month()-1], t.Day(),
		t.Hour(), t.Minute(), t.Second(), t.Year())
}

// srpClient is one sign-in attempt: the random a and A = g^a mod N.
type srpClient struct {
	poolName string // the part of the pool id after "_"
	a, A     *big.Int
}

// newSRPClient starts an attempt for a pool, as new AuthenticationHelper(poolName) does.
func newSRPClient(t testing.TB, poolID string) *srpClient {
	t.Helper()
	_, name, ok := strings.Cut(poolID, "_")
	if !ok {
		t.Fatalf("pool id %q has no underscore", poolID)
	}
	return newSRPClientNamed(t, name)
}

// newSRPClientNamed starts an attempt that hashes name in place of the pool's: a device's
// group key, as new AuthenticationHelper(deviceGroupKey) does for DEVICE_SRP_AUTH.
func newSRPClientNamed(t testing.TB, name string) *srpClient {
	t.Helper()
	for {
		// generateRandomSmallA: 128 random bytes read as a big integer.
		buf := make([]byte, 128)
		if _, err := rand.Read(buf); err != nil {
			t.Fatal(err)
		}
		a := new(big.Int).SetBytes(buf)
		A := new(big.Int).Exp(srpG, a, srpN)
		if A.Sign() != 0 { // the library refuses A mod N == 0
			return &srpClient{poolName: name, a: a, A: A}
		}
	}
}

// SRPA is the SRP_A auth parameter: largeAValue.toString(16).
func (c *srpClient) SRPA() string { return c.A.Text(16) }

// key derives the 16-byte session key from the PASSWORD_VERIFIER challenge, as
// getPasswordAuthenticationKey(USER_ID_FOR_SRP, password, B, salt) does.
func (c *srpClient) key(userID, password, srpB, saltHex string) ([]byte, error) {
	B, ok := new(big.Int).SetString(srpB, 16)
	if !ok {
		return nil, fmt.Errorf("SRP_B %q is not hexadecimal", srpB)
	}
	if new(big.Int).Mod(B, srpN).Sign() == 0 {
		return nil, errors.New("B cannot be zero")
	}
	u := srpHexInt(srpHexHash(srpPadHex(c.A) + srpPadHex(B)))
	if u.Sign() == 0 {
		return nil, errors.New("U cannot be zero")
	}
	// The salt is parsed as a big integer (new BigInteger(SALT, 16)), so its leading zero
	// digits vanish before padHex.
	salt, ok := new(big.Int).SetString(saltHex, 16)
	if !ok {
		return nil, fmt.Errorf("SALT %q is not hexadecimal", saltHex)
	}
	x := srpHexInt(srpHexHash(srpPadHex(salt) + srpHash(c.poolName+userID+":"+password)))
	// S = (B − k·g^x)^(a + u·x) mod N. jsbn takes the negative base as it is; reducing it
	// mod N first gives the same residue.
	base := new(big.Int).Sub(B, new(big.Int).Mul(srpK, new(big.Int).Exp(srpG, x, srpN)))
	base.Mod(base, srpN)
	exp := new(big.Int).Add(c.a, new(big.Int).Mul(u, x))
	S := new(big.Int).Exp(base, exp, srpN)
	ikm, _ := hex.DecodeString(srpPadHex(S))
	salt2, _ := hex.DecodeString(srpPadHex(u))
	return srpHKDF(ikm, salt2), nil
}

// Respond answers a PASSWORD_VERIFIER challenge with the ChallengeResponses the library
// sends: the claim signature over poolName ‖ USER_ID_FOR_SRP ‖ SECRET_BLOCK ‖ TIMESTAMP,
// and USERNAME = USER_ID_FOR_SRP.
func (c *srpClient) Respond(params map[string]string, password string, now time.Time) (map[string]string, error) {
	return c.RespondAs(params["USER_ID_FOR_SRP"], params, password, now)
}

// RespondAs answers a verifier challenge for userID: USER_ID_FOR_SRP for a user, the device
// key for DEVICE_PASSWORD_VERIFIER.
func (c *srpClient) RespondAs(userID string, params map[string]string, password string, now time.Time) (map[string]string, error) {
	key, err := c.key(userID, password, params["SRP_B"], params["SALT"])
	if err != nil {
		return nil, err
	}
	block, err := base64.StdEncoding.DecodeString(params["SECRET_BLOCK"])
	if err != nil {
		return nil, fmt.Errorf("SECRET_BLOCK: %v", err)
	}
	ts := srpTimestamp(now)
	m := hmac.New(sha256.New, key)
	m.Write([]byte(c.poolName))
	m.Write([]byte(userID))
	m.Write(block)
	m.Write([]byte(ts))
	return map[string]string{
		"PASSWORD_CLAIM_SIGNATURE":    base64.StdEncoding.EncodeToString(m.Sum(nil)),
		"PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
		"TIMESTAMP":                   ts,
		"USERNAME":                    userID,
	}, nil
}

// TestSRPClientSelfCheck checks the test client's arithmetic against the server side of SRP
// computed here from a verifier (v = g^x, B = k·v + g^b, S = (A·v^u)^b), so that a failure of
// the end-to-end SRP tests points at the server and not at the client. A salt with leading
// zero digits is among those tried.
func TestSRPClientSelfCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ h, want string }{
		{"f", "0f"}, {"7f", "7f"}, {"80", "0080"}, {"123", "0123"}, {"abcd", "00abcd"},
	} {
		if got := srpPadHex(srpMustHex(tc.h)); got != tc.want {
			t.Errorf("padHex(0x%s) = %s, want %s", tc.h, got, tc.want)
		}
	}
	if got, want := srpPadHex(srpN)[:4], "00ff"; got != want {
		t.Errorf("padHex(N) starts %s, want %s", got, want)
	}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 3, 9, 5, 7, 0, time.UTC), "Tue Nov 3 09:05:07 UTC 2026"},
		{time.Date(2026, 11, 27, 12, 0, 0, 0, time.FixedZone("CET", 3600)), "Fri Nov 27 11:00:00 UTC 2026"},
	} {
		if got := srpTimestamp(tc.at); got != tc.want {
			t.Errorf("timestamp of %v = %q, want %q", tc.at, got, tc.want)
		}
	}

	const pool, user, password = "us-east-1_AbCdEfGhI", "jane", "Passw0rd!"
	for _, salt := range []string{"00a1b2c3d4e5f60718293a4b5c6d7e8f", "f0e1d2c3b4a5968778695a4b3c2d1e0f"} {
		s, _ := new(big.Int).SetString(salt, 16)
		x := srpHexInt(srpHexHash(srpPadHex(s) + srpHash("AbCdEfGhI"+user+":"+password)))
		v := new(big.Int).Exp(srpG, x, srpN)
		b := new(big.Int).SetBytes([]byte("a server secret of thirty-two b."))
		B := new(big.Int).Exp(srpG, b, srpN)
		B.Add(B, new(big.Int).Mul(srpK, v)).Mod(B, srpN)

		c := newSRPClient(t, pool)
		got, err := c.key(user, password, B.Text(16), salt)
		if err != nil {
			t.Fatal(err)
		}
		u := srpHexInt(srpHexHash(srpPadHex(c.A) + srpPadHex(B)))
		S := new(big.Int).Exp(v, u, srpN)
		S.Mul(S, c.A).Mod(S, srpN).Exp(S, b, srpN)
		ikm, _ := hex.DecodeString(srpPadHex(S))
		us, _ := hex.DecodeString(srpPadHex(u))
		if want := srpHKDF(ikm, us); !hmac.Equal(got, want) {
			t.Errorf("salt %s: client key %x, server key %x", salt, got, want)
		}
		wrong, err := c.key(user, "Passw0rd?", B.Text(16), salt)
		if err != nil {
			t.Fatal(err)
		}
		if hmac.Equal(wrong, got) {
			t.Errorf("salt %s: a wrong password derives the same key", salt)
		}
	}
}
