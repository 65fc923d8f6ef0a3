package sigv4

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
)

// FuzzVerify feeds Verify whole HTTP requests as they arrive on the wire, seeded with
// requests the AWS SDK's own signer signed. Whatever the bytes, Verify answers nil or an
// *Error (never a panic, never another error); and what it accepts is bound to the secret
// and to the body: the same request is refused under another secret, or with one byte of
// its body changed.
func FuzzVerify(f *testing.F) {
	for _, s := range []signing{
		defaultSigning(),
		func() signing { s := defaultSigning(); s.url += "?b=2&a=1&a=%20x"; return s }(),
		func() signing { s := defaultSigning(); s.body = ""; return s }(),
		func() signing { s := defaultSigning(); s.contentSHA256 = "UNSIGNED-PAYLOAD"; return s }(),
		func() signing {
			s := defaultSigning()
			s.header = http.Header{"X-Amz-Meta": {"  a   b  ", "c"}}
			s.sessionToken = "token"
			return s
		}(),
	} {
		var wire bytes.Buffer
		if err := signedRequest(f, s).Write(&wire); err != nil {
			f.Fatal(err)
		}
		f.Add(wire.Bytes())
	}
	f.Add([]byte("POST / HTTP/1.1\r\nHost: h\r\nAuthorization: AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=, Signature=\r\nX-Amz-Date: 2\r\n\r\n"))
	right, wrong := testVerifier(signTime), testVerifier(signTime)
	wrong.Credentials = Credentials{testKeyID: testSecret + "x", "AKIDOTHER": "other-secret"}
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return // not a request net/http would hand a handler
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		err = right.Verify(r, body)
		if err == nil {
			if err := wrong.Verify(r, body); err == nil {
				t.Fatalf("a request accepted under one secret is accepted under another:\n%q", raw)
			}
			if len(body) > 0 && r.Header.Get("X-Amz-Content-Sha256") != "UNSIGNED-PAYLOAD" {
				changed := bytes.Clone(body)
				changed[len(changed)/2] ^= 1
				if err := right.Verify(r, changed); err == nil {
					t.Fatalf("a signed request is still accepted with its body changed:\n%q", raw)
				}
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Code == "" {
			t.Fatalf("Verify = %v (%T), want nil or an *Error with a code", err, err)
		}
	})
}
