package token

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"
)

// Generating RSA keys is slow; the tests share two.
var testKeys = sync.OnceValues(func() ([2]*SigningKey, error) {
	var ks [2]*SigningKey
	for i := range ks {
		k, err := NewSigningKey(rand.Reader)
		if err != nil {
			return ks, err
		}
		ks[i] = k
	}
	return ks, nil
})

func testKey(t testing.TB, i int) *SigningKey {
	t.Helper()
	ks, err := testKeys()
	if err != nil {
		t.Fatal(err)
	}
	return ks[i]
}

type idClaims struct {
	Sub      string `json:"sub"`
	Aud      string `json:"aud"`
	TokenUse string `json:"token_use"`
	Username string `json:"cognito:username"`
	Exp      int64  `json:"exp"`
	Iat      int64  `json:"iat"`
	Verified bool   `json:"email_verified"`
}

var sampleClaims = idClaims{
	Sub: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Aud: "57cbishk4j24pabc1234567890",
	TokenUse: "id", Username: "janedoe", Exp: 1500013000, Iat: 1500009400, Verified: true,
}

func TestSignVerifyRoundTrip(t *testing.T) {
	k := testKey(t, 0)
	tok, err := Sign(k, sampleClaims)
	if err != nil {
		t.Fatal(err)
	}
	var got idClaims
	if err := Verify(tok, PublicKeys(k), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sampleClaims, got); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	// Maps work too, and marshal in sorted order so equal claims give equal tokens.
	m := map[string]any{"z": 1, "a": "x", "custom:tier": "gold"}
	t1, err := Sign(k, m)
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := Sign(k, m)
	if t1 != t2 {
		t.Error("signing the same map twice gave different tokens")
	}
	if payload := decodePart(t, t1, 1); payload != `{"a":"x","custom:tier":"gold","z":1}` {
		t.Errorf("payload = %s", payload)
	}
	if err := Verify(t1, PublicKeys(k), nil); err != nil {
		t.Errorf("Verify with nil claims: %v", err)
	}
}

func decodePart(t *testing.T, tok string, i int) string {
	t.Helper()
	b, err := b64url.DecodeString(strings.Split(tok, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSignHeaderShape(t *testing.T) {
	k := testKey(t, 0)
	tok, err := Sign(k, sampleClaims)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := decodePart(t, tok, 0), `{"kid":"`+k.ID+`","alg":"RS256"}`; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	if len(k.ID) != 43 {
		t.Errorf("kid %q has %d characters, want 43", k.ID, len(k.ID))
	}
	if _, err := Sign(k, []string{"not", "an", "object"}); err == nil {
		t.Error("Sign of a JSON array: no error")
	}
	if _, err := Sign(k, "string"); err == nil {
		t.Error("Sign of a JSON string: no error")
	}
	if _, err := Sign(nil, sampleClaims); err == nil {
		t.Error("Sign with nil key: no error")
	}
}

func TestVerifyRejectsTampering(t *testing.T) {
	k := testKey(t, 0)
	tok, err := Sign(k, sampleClaims)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	otherPayload := b64url.EncodeToString([]byte(`{"sub":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","token_use":"id","cognito:username":"admin"}`))
	otherHeader := b64url.EncodeToString([]byte(`{"kid":"` + k.ID + `","alg":"RS256","typ":"JWT"}`))
	sig, _ := b64url.DecodeString(parts[2])
	sig[len(sig)/2] ^= 1
	cases := map[string]string{
		"payload replaced":   parts[0] + "." + otherPayload + "." + parts[2],
		"header replaced":    otherHeader + "." + parts[1] + "." + parts[2],
		"signature flipped":  parts[0] + "." + parts[1] + "." + b64url.EncodeToString(sig),
		"signature dropped":  parts[0] + "." + parts[1] + ".",
		"signature padded":   tok + "=",
		"signature appended": tok + "AA",
		"extra part":         tok + ".x",
		"two parts":          parts[0] + "." + parts[1],
		"empty":              "",
		"header not base64":  "!!." + parts[1] + "." + parts[2],
	}
	// Every single-character change anywhere in the token must fail too;
	// strict base64 makes even the last character's spare bits count.
	for i := range tok {
		if tok[i] == '.' {
			continue
		}
		c := byte('A')
		if tok[i] == 'A' {
			c = 'B'
		}
		cases[fmt.Sprintf("char %d changed", i)] = tok[:i] + string(c) + tok[i+1:]
	}
	for name, bad := range cases {
		if err := Verify(bad, PublicKeys(k), new(idClaims)); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: err = %v, want ErrInvalidToken", name, err)
		}
	}
}

// forge builds a token with any header and payload and the given signature.
func forge(header, payload string, sig []byte) string {
	return b64url.EncodeToString([]byte(header)) + "." + b64url.EncodeToString([]byte(payload)) + "." + b64url.EncodeToString(sig)
}

func TestVerifyRejectsOtherAlgorithms(t *testing.T) {
	k := testKey(t, 0)
	payload := `{"sub":"x","cognito:username":"admin"}`

	// The classic confusion attack: HS256 keyed with the server's public key,
	// which anyone can fetch from the JWKS.
	pubDER, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		t.Fatal(err)
	}
	hsHeader := `{"kid":"` + k.ID + `","alg":"HS256"}`
	mac := hmac.New(sha256.New, pubDER)
	mac.Write([]byte(b64url.EncodeToString([]byte(hsHeader)) + "." + b64url.EncodeToString([]byte(payload))))

	// A real RS256 signature under a header that claims another alg.
	rsSigned, err := Sign(k, map[string]string{"sub": "x"})
	if err != nil {
		t.Fatal(err)
	}
	rsParts := strings.Split(rsSigned, ".")

	cases := map[string]string{
		"none":              forge(`{"kid":"`+k.ID+`","alg":"none"}`, payload, nil),
		"None":              forge(`{"kid":"`+k.ID+`","alg":"None"}`, payload, nil),
		"no alg":            forge(`{"kid":"`+k.ID+`"}`, payload, nil),
		"HS256 with pubkey": forge(hsHeader, payload, mac.Sum(nil)),
		"rs256 lower case":  b64url.EncodeToString([]byte(`{"kid":"`+k.ID+`","alg":"rs256"}`)) + "." + rsParts[1] + "." + rsParts[2],
		"RS512":             b64url.EncodeToString([]byte(`{"kid":"`+k.ID+`","alg":"RS512"}`)) + "." + rsParts[1] + "." + rsParts[2],
		"duplicate alg":     forge(`{"kid":"`+k.ID+`","alg":"RS256","alg":"none"}`, payload, nil),
		"crit":              forge(`{"kid":"`+k.ID+`","alg":"RS256","crit":["exp"]}`, payload, nil),
		"header not object": forge(`["RS256"]`, payload, nil),
	}
	for name, bad := range cases {
		if err := Verify(bad, PublicKeys(k), new(idClaims)); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: err = %v, want ErrInvalidToken", name, err)
		}
	}
}

func TestVerifyRejectsUnknownKid(t *testing.T) {
	k0, k1 := testKey(t, 0), testKey(t, 1)
	tok, err := Sign(k0, sampleClaims)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(tok, PublicKeys(k1), new(idClaims)); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("unknown kid: err = %v, want ErrInvalidToken", err)
	}
	// A known kid mapped to the wrong key (a rotation mix-up) fails on the signature.
	wrong := func(string) (*rsa.PublicKey, bool) { return k1.Public(), true }
	if err := Verify(tok, wrong, new(idClaims)); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("wrong key: err = %v, want ErrInvalidToken", err)
	}
	if err := Verify(tok, PublicKeys(k0, k1), new(idClaims)); err != nil {
		t.Errorf("key set with both keys: %v", err)
	}
}

func TestVerifyRejectsBadClaimsJSON(t *testing.T) {
	k := testKey(t, 0)
	header := `{"kid":"` + k.ID + `","alg":"RS256"}`
	for name, payload := range map[string]string{
		"duplicate name": `{"sub":"a","sub":"b"}`,
		"invalid UTF-8":  "{\"sub\":\"\xff\"}",
		"wrong type":     `{"exp":"soon"}`,
		"not JSON":       `sub=a`,
	} {
		signingInput := b64url.EncodeToString([]byte(header)) + "." + b64url.EncodeToString([]byte(payload))
		digest := sha256.Sum256([]byte(signingInput))
		sig, err := rsa.SignPKCS1v15(nil, k.Private, crypto.SHA256, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		tok := signingInput + "." + b64url.EncodeToString(sig)
		if err := Verify(tok, PublicKeys(k), new(idClaims)); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("%s: err = %v, want ErrInvalidToken", name, err)
		}
	}
}

func TestJWKS(t *testing.T) {
	k0, k1 := testKey(t, 0), testKey(t, 1)
	doc := JWKS([]*SigningKey{k0, k1})

	// The members and their order are Cognito's.
	prefix := `{"keys":[{"alg":"RS256","e":"AQAB","kid":"` + k0.ID + `","kty":"RSA","n":"`
	if !bytes.HasPrefix(doc, []byte(prefix)) {
		t.Errorf("JWKS starts %.120s, want %s", doc, prefix)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 {
		t.Fatalf("JWKS has %d keys, want 2", len(set.Keys))
	}
	// A relying party rebuilds each key from n and e alone and verifies with it.
	byKid := map[string]*rsa.PublicKey{}
	for _, jk := range set.Keys {
		if jk["kty"] != "RSA" || jk["use"] != "sig" || jk["alg"] != "RS256" {
			t.Errorf("key %v: wrong kty/use/alg", jk)
		}
		n, err1 := b64url.DecodeString(jk["n"])
		e, err2 := b64url.DecodeString(jk["e"])
		if err1 != nil || err2 != nil {
			t.Fatalf("key %s: n or e not base64url", jk["kid"])
		}
		byKid[jk["kid"]] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	}
	lookup := func(kid string) (*rsa.PublicKey, bool) { pub, ok := byKid[kid]; return pub, ok }
	for _, k := range []*SigningKey{k0, k1} {
		if !byKid[k.ID].Equal(k.Public()) {
			t.Errorf("key %s rebuilt from the JWKS differs", k.ID)
		}
		tok, err := Sign(k, sampleClaims)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(tok, lookup, new(idClaims)); err != nil {
			t.Errorf("token from %s does not verify against the JWKS: %v", k.ID, err)
		}
		// And with the standard library directly, as any JWT library would.
		parts := strings.Split(tok, ".")
		sig, _ := b64url.DecodeString(parts[2])
		digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		if err := rsa.VerifyPKCS1v15(byKid[k.ID], crypto.SHA256, digest[:], sig); err != nil {
			t.Errorf("crypto/rsa rejects a token from %s: %v", k.ID, err)
		}
	}
	if got := string(JWKS(nil)); got != `{"keys":[]}` {
		t.Errorf("empty JWKS = %s", got)
	}
}

func TestSigningKeyPersistence(t *testing.T) {
	k := testKey(t, 0)
	der, err := k.MarshalPrivate()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseSigningKey(k.ID, der)
	if err != nil {
		t.Fatal(err)
	}
	if back.ID != k.ID || !back.Private.Equal(k.Private) {
		t.Error("key changed through MarshalPrivate/ParseSigningKey")
	}
	derived, err := ParseSigningKey("", der)
	if err != nil || derived.ID != k.ID {
		t.Errorf("ParseSigningKey with empty id: kid %q, %v; want %q", derived.ID, err, k.ID)
	}
	// A token signed before the restart verifies with the restored key.
	tok, _ := Sign(k, sampleClaims)
	if err := Verify(tok, PublicKeys(back), new(idClaims)); err != nil {
		t.Error(err)
	}

	if _, err := ParseSigningKey("x", []byte("garbage")); err == nil {
		t.Error("garbage DER: no error")
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	smallDER, _ := x509.MarshalPKCS8PrivateKey(small)
	if _, err := ParseSigningKey("x", smallDER); err == nil {
		t.Error("1024-bit key: no error")
	}
}

func TestSigningKeyRedactsItself(t *testing.T) {
	k := testKey(t, 0)
	secret := k.Private.D.String()[:20]
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("key", "key", k)
	for _, s := range []string{fmt.Sprint(k), fmt.Sprintf("%v %+v %#v %s", k, k, k, k), logged.String()} {
		if strings.Contains(s, secret) || strings.Contains(s, k.Private.N.String()[:20]) {
			t.Errorf("key material printed: %.200s", s)
		}
		if !strings.Contains(s, k.ID) {
			t.Errorf("kid not printed: %.200s", s)
		}
	}
}

func TestExpired(t *testing.T) {
	exp := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{exp.Add(-time.Second), false},
		{exp.Add(-time.Millisecond), false},
		{exp, true},
		{exp.Add(time.Hour), true},
	} {
		if got := Expired(exp.Unix(), tc.now); got != tc.want {
			t.Errorf("Expired(exp, exp%+v) = %v, want %v", tc.now.Sub(exp), got, tc.want)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	k := testKey(b, 0)
	for b.Loop() {
		if _, err := Sign(k, sampleClaims); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	k := testKey(b, 0)
	tok, err := Sign(k, sampleClaims)
	if err != nil {
		b.Fatal(err)
	}
	keys := PublicKeys(k)
	for b.Loop() {
		var c idClaims
		if err := Verify(tok, keys, &c); err != nil {
			b.Fatal(err)
		}
	}
}
