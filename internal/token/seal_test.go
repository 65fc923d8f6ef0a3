package token

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"testing"
)

func TestSealRoundTrip(t *testing.T) {
	key := DeriveKey([]byte("master secret of at least 32 bytes!!"), "secret-block")
	rnd := testRand(30)
	for _, pt := range [][]byte{nil, []byte("x"), bytes.Repeat([]byte("verifier"), 48)} {
		sealed, err := Seal(rnd, key, pt, []byte("pool|user|srp-verifier"))
		if err != nil {
			t.Fatal(err)
		}
		if len(sealed) != 12+len(pt)+16 {
			t.Errorf("sealed %d bytes into %d, want %d", len(pt), len(sealed), 12+len(pt)+16)
		}
		got, err := Open(key, sealed, []byte("pool|user|srp-verifier"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, pt) {
			t.Errorf("Open = %q, want %q", got, pt)
		}
	}
	a, _ := Seal(rnd, key, []byte("same"), nil)
	b, _ := Seal(rnd, key, []byte("same"), nil)
	if bytes.Equal(a, b) {
		t.Error("sealing twice gave the same bytes: nonce not fresh")
	}
}

func TestSealTamperingFails(t *testing.T) {
	key := testKey32(7)
	sealed, err := Seal(testRand(31), key, []byte("challenge session"), []byte("aad"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range sealed {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(sealed)
			bad[i] ^= bit
			if _, err := Open(key, bad, []byte("aad")); !errors.Is(err, ErrDecrypt) {
				t.Fatalf("byte %d bit %#x flipped: err = %v, want ErrDecrypt", i, bit, err)
			}
		}
	}
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"short":     sealed[:27],
		"truncated": sealed[:len(sealed)-1],
		"extended":  append(bytes.Clone(sealed), 0),
	} {
		if _, err := Open(key, bad, []byte("aad")); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: err = %v, want ErrDecrypt", name, err)
		}
	}
}

func TestSealWrongAADOrKeyFails(t *testing.T) {
	key := testKey32(7)
	sealed, err := Seal(testRand(32), key, []byte("b"), []byte("pool-1|alice|session"))
	if err != nil {
		t.Fatal(err)
	}
	for _, aad := range [][]byte{nil, []byte("pool-1|alice|secret-block"), []byte("pool-1|bob|session")} {
		if _, err := Open(key, sealed, aad); !errors.Is(err, ErrDecrypt) {
			t.Errorf("aad %q: err = %v, want ErrDecrypt", aad, err)
		}
	}
	if _, err := Open(testKey32(8), sealed, []byte("pool-1|alice|session")); !errors.Is(err, ErrDecrypt) {
		t.Errorf("wrong key: err = %v, want ErrDecrypt", err)
	}
	if _, err := Seal(bytes.NewReader([]byte{1, 2}), key, nil, nil); err == nil {
		t.Error("short random source: no error")
	}
}

func TestDeriveKey(t *testing.T) {
	master := []byte("0123456789abcdef0123456789abcdef")
	session, block := DeriveKey(master, "session"), DeriveKey(master, "secret-block")
	if session == block {
		t.Error("different purposes gave the same key")
	}
	if DeriveKey(master, "session") != session {
		t.Error("same purpose gave different keys")
	}
	if DeriveKey([]byte("another master secret, 32 bytes."), "session") == session {
		t.Error("different masters gave the same key")
	}
	// HKDF-SHA256 with no salt, written out: PRK = HMAC(0³², master);
	// key = HMAC(PRK, purpose ‖ 0x01).
	m := hmac.New(sha256.New, make([]byte, 32))
	m.Write(master)
	m = hmac.New(sha256.New, m.Sum(nil))
	m.Write([]byte("session\x01"))
	if want := [32]byte(m.Sum(nil)); session != want {
		t.Errorf("DeriveKey = %x, want %x", session, want)
	}
	// A key sealed for one purpose does not open with another's.
	sealed, _ := Seal(testRand(33), session, []byte("x"), nil)
	if _, err := Open(block, sealed, nil); !errors.Is(err, ErrDecrypt) {
		t.Errorf("opened with another purpose's key: %v", err)
	}
}
