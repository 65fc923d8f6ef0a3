package token

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func testKey32(b byte) [32]byte {
	var k [32]byte
	for i := range k {
		k[i] = b + byte(i)
	}
	return k
}

func TestRefreshRoundTrip(t *testing.T) {
	key := testKey32(1)
	rnd := testRand(20)
	for _, payload := range [][]byte{
		[]byte("session-7f3c9a"),
		nil,
		bytes.Repeat([]byte{0xff}, 1000),
	} {
		tok, err := SealRefresh(rnd, key, payload)
		if err != nil {
			t.Fatal(err)
		}
		got, err := OpenRefresh(key, tok)
		if err != nil {
			t.Fatalf("OpenRefresh: %v", err)
		}
		if !bytes.Equal(got, payload) {
			t.Errorf("payload = %q, want %q", got, payload)
		}
	}
	// Two tokens for the same payload differ: nothing links them.
	t1, _ := SealRefresh(rnd, key, []byte("same"))
	t2, _ := SealRefresh(rnd, key, []byte("same"))
	if t1 == t2 {
		t.Error("two tokens for the same payload are equal")
	}
}

func TestRefreshShape(t *testing.T) {
	tok, err := SealRefresh(testRand(21), testKey32(1), []byte("session-1"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.") {
		t.Errorf("token does not start like Cognito's: %.80s", tok)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 5 {
		t.Fatalf("token has %d parts, want 5", len(parts))
	}
	header, err := b64url.DecodeString(parts[0])
	if err != nil || string(header) != `{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}` {
		t.Errorf("header = %s, %v", header, err)
	}
	for i, want := range map[int]int{1: 256, 2: 12, 3: len("session-1"), 4: 16} {
		b, err := b64url.DecodeString(parts[i])
		if err != nil || len(b) != want {
			t.Errorf("part %d: %d bytes, %v; want %d", i, len(b), err, want)
		}
	}
	if bytes.Contains([]byte(tok), []byte("session")) {
		t.Error("payload visible in token")
	}
}

func TestRefreshTamperingFails(t *testing.T) {
	key := testKey32(1)
	tok, err := SealRefresh(testRand(22), key, []byte("session-7f3c9a"))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	cases := map[string]string{
		"empty":             "",
		"four parts":        strings.Join(parts[:4], "."),
		"six parts":         tok + ".",
		"parts swapped":     strings.Join([]string{parts[0], parts[1], parts[2], parts[4], parts[3]}, "."),
		"empty key part":    strings.Join([]string{parts[0], "", parts[2], parts[3], parts[4]}, "."),
		"ciphertext cut":    strings.Join([]string{parts[0], parts[1], parts[2], parts[3][:4], parts[4]}, "."),
		"padded":            tok + "=",
		"other header":      b64url.EncodeToString([]byte(`{"cty":"JWT","enc":"A256GCM","alg":"dir"}`)) + tok[strings.Index(tok, "."):],
		"standard base64":   strings.ReplaceAll(strings.ReplaceAll(tok, "-", "+"), "_", "/") + "+",
		"appended char":     tok + "A",
		"key part appended": strings.Join([]string{parts[0], parts[1] + "AAAA", parts[2], parts[3], parts[4]}, "."),
	}
	// Every single-character change in any of the five parts must be caught.
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
		if bad == tok {
			continue
		}
		if _, err := OpenRefresh(key, bad); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: err = %v, want ErrDecrypt", name, err)
		}
	}
}

func TestRefreshWrongKeyFails(t *testing.T) {
	tok, err := SealRefresh(testRand(23), testKey32(1), []byte("session-7f3c9a"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenRefresh(testKey32(2), tok); !errors.Is(err, ErrDecrypt) {
		t.Errorf("wrong key: err = %v, want ErrDecrypt", err)
	}
	if _, err := SealRefresh(bytes.NewReader(make([]byte, 10)), testKey32(1), nil); err == nil {
		t.Error("short random source: no error")
	}
}
