package userpool

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/go-json-experiment/json"
)

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// randomString draws n characters from alphabet, uniformly.
func randomString(rnd io.Reader, alphabet string, n int) (string, error) {
	var b strings.Builder
	for range n {
		i, err := randIndex(rnd, len(alphabet))
		if err != nil {
			return "", err
		}
		b.WriteByte(alphabet[i])
	}
	return b.String(), nil
}

const (
	alnum      = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// newPoolID returns an id shaped as AWS's: <region>_<9 alphanumerics>.
func (s *Service) newPoolID() (string, error) {
	suffix, err := randomString(s.rand, alnum, 9)
	return s.region + "_" + suffix, err
}

// newClientID returns an id shaped as AWS's: 26 lower-case alphanumerics.
func (s *Service) newClientID() (string, error) {
	return randomString(s.rand, lowerAlnum, 26)
}

// newClientSecret returns a secret shaped as AWS's: 51 characters of [a-z0-9].
func (s *Service) newClientSecret() (string, error) {
	return randomString(s.rand, lowerAlnum, 51)
}

// newUUID returns a random (version 4) UUID, as Cognito uses for sub.
func (s *Service) newUUID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(s.rand, b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32]), nil
}

func (s *Service) poolARN(id string) string {
	return fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", s.region, s.account, id)
}

// secretHash is Cognito's SecretHash: Base64(HMAC-SHA256(secret, username+clientID)).
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username))
	m.Write([]byte(clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// convert copies the members two model types share by name, through their JSON form.
// Requests that share a set of settings (Create/Update of pools and clients) are read this
// way into one struct, so that the list of members is written once.
func convert[T any](in any) (*T, error) {
	out := new(T)
	b, err := json.Marshal(in)
	if err == nil {
		err = json.Unmarshal(b, out)
	}
	return out, err
}
