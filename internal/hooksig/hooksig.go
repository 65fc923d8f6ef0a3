// Package hooksig signs and verifies the POSTs cognate sends to webhooks (SMS delivery,
// Lambda triggers delivered as webhooks): a header "t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, t + "." + body)>", the scheme Stripe uses, so that a receiver can check
// both origin and freshness. It knows nothing of what the body carries.
package hooksig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header is the request header that carries the signature.
const Header = "X-Cognate-Signature"

// DefaultTolerance is how far a signature's timestamp may be from the receiver's clock when
// Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// ErrInvalidSignature is wrapped by every error Verify returns.
var ErrInvalidSignature = errors.New("invalid webhook signature")

// Sign builds the Header value for body sent at unix time ts.
func Sign(secret []byte, ts int64, body []byte) string {
	t := strconv.FormatInt(ts, 10)
	return "t=" + t + ",v1=" + hex.EncodeToString(mac(secret, t, body))
}

// mac is HMAC-SHA256(secret, t + "." + body).
func mac(secret []byte, t string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(t))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a Header value against the raw request body, as a receiver
// should before trusting a POST: the header must carry a timestamp within tolerance of now
// (either way; tolerance ≤ 0 means DefaultTolerance) and at least one v1 signature that is
// HMAC-SHA256(secret, t + "." + body). Several v1 values are allowed so that a sender can sign
// with an old and a new secret while they are rotated; unknown keys are ignored. Errors wrap
// ErrInvalidSignature.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var (
		t    string
		sigs [][]byte
	)
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			if t != "" {
				return fmt.Errorf("%w: more than one timestamp", ErrInvalidSignature)
			}
			t = v
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				continue // cannot match; another v1 still may
			}
			sigs = append(sigs, sig)
		}
	}
	if t == "" {
		return fmt.Errorf("%w: no timestamp", ErrInvalidSignature)
	}
	ts, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: malformed timestamp", ErrInvalidSignature)
	}
	if len(sigs) == 0 {
		return fmt.Errorf("%w: no v1 signature", ErrInvalidSignature)
	}
	want := mac(secret, t, body)
	matched := false
	for _, sig := range sigs {
		if hmac.Equal(sig, want) {
			matched = true
		}
	}
	if !matched {
		return fmt.Errorf("%w: no v1 signature matches", ErrInvalidSignature)
	}
	// Checked after the MAC, so that a forged timestamp is reported as a forgery.
	age := now.Sub(time.Unix(ts, 0))
	if age > tolerance || age < -tolerance {
		return fmt.Errorf("%w: timestamp %s is outside the tolerance of %s", ErrInvalidSignature,
			time.Unix(ts, 0).UTC().Format(time.RFC3339), tolerance)
	}
	return nil
}
