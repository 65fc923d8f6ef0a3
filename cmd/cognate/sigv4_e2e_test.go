package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

const signatureMismatch = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// signedServer starts a server that verifies signatures against one key, AKIDTEST/secret1.
func signedServer(t *testing.T) *testServer {
	t.Helper()
	file := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(file, []byte("[default]\naws_access_key_id = AKIDTEST\naws_secret_access_key = secret1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, "--credentials", file)
	s.Client = newClient(s.URL, "AKIDTEST", "secret1")
	return s
}

func TestSigV4(t *testing.T) {
	t.Parallel()
	s := signedServer(t)

	t.Run("valid signature", func(t *testing.T) {
		pool := createPool(t, s.Client, nil)
		out := must(s.Client.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)}))(t)
		if len(out.UserPools) != 1 || aws.ToString(out.UserPools[0].Id) != pool {
			t.Errorf("ListUserPools with a valid signature: %+v", out.UserPools)
		}
	})

	t.Run("wrong secret", func(t *testing.T) {
		c := newClient(s.URL, "AKIDTEST", "secret2")
		_, err := c.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		wantCodeMsg(t, err, "InvalidSignatureException", signatureMismatch)
	})

	t.Run("unknown access key", func(t *testing.T) {
		c := newClient(s.URL, "AKIDOTHER", "secret1")
		_, err := c.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
		wantCodeMsg(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")
	})

	t.Run("no signature", func(t *testing.T) {
		status, h, body := callRaw(t, s.URL, "ListUserPools", `{"MaxResults":10}`)
		code, msg := wireError(t, body)
		if status != http.StatusBadRequest || code != "MissingAuthenticationTokenException" || msg != "Missing Authentication Token" {
			t.Errorf("unsigned ListUserPools: %d %s %q", status, code, msg)
		}
		if h.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException:" {
			t.Errorf("x-amzn-ErrorType = %q", h.Get("x-amzn-ErrorType"))
		}
	})

	t.Run("expired signature", func(t *testing.T) {
		status, body := signAndPost(t, s.URL, "ListUserPools", `{"MaxResults":10}`, "secret1", time.Now().Add(-20*time.Minute), nil)
		code, msg := wireError(t, body)
		if status != http.StatusBadRequest || code != "InvalidSignatureException" || !strings.HasPrefix(msg, "Signature expired: ") {
			t.Errorf("a request signed 20 minutes ago: %d %s %q", status, code, msg)
		}
	})

	t.Run("body changed after signing", func(t *testing.T) {
		status, body := signAndPost(t, s.URL, "ListUserPools", `{"MaxResults":10}`, "secret1", time.Now(), []byte(`{"MaxResults":11}`))
		code, msg := wireError(t, body)
		if status != http.StatusBadRequest || code != "InvalidSignatureException" || msg != signatureMismatch {
			t.Errorf("a request whose body changed after signing: %d %s %q", status, code, msg)
		}
	})

	t.Run("signed by hand", func(t *testing.T) {
		status, body := signAndPost(t, s.URL, "ListUserPools", `{"MaxResults":10}`, "secret1", time.Now(), nil)
		if status != http.StatusOK {
			t.Errorf("a request signed with the SDK's signer: %d %s", status, body)
		}
	})

	t.Run("public operation needs no signature", func(t *testing.T) {
		// ForgotPassword is public (the model's authtype none): it must reach the operation,
		// which answers for the unknown client, whatever credentials came with it or none.
		status, _, body := callRaw(t, s.URL, "ForgotPassword", `{"ClientId":"nosuchclient","Username":"jane"}`)
		code, msg := wireError(t, body)
		if code != "UnsupportedOperationException" && code != "ResourceNotFoundException" {
			t.Errorf("unsigned ForgotPassword: %d %s %q; want it to reach the operation", status, code, msg)
		}
		c := newClient(s.URL, "AKIDOTHER", "wrong")
		_, err := c.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String("nosuchclient"), Username: aws.String("jane")})
		if !isCode(err, "UnsupportedOperationException") && !isCode(err, "ResourceNotFoundException") {
			t.Errorf("ForgotPassword through the SDK with unknown credentials: %v; want it to reach the operation", err)
		}
	})
}

// signAndPost signs an AWS JSON 1.1 request with the SDK's SigV4 signer as AKIDTEST at
// signedAt and posts it, with sendBody instead of body when that is not nil.
func signAndPost(t *testing.T, url, op, body, secret string, signedAt time.Time, sendBody []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "AKIDTEST", SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(bg, creds, req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", signedAt); err != nil {
		t.Fatal(err)
	}
	if sendBody != nil {
		req.Body = io.NopCloser(bytes.NewReader(sendBody))
		req.ContentLength = int64(len(sendBody))
	}
	resp, err := testHTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
