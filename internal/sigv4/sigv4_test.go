package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/google/go-cmp/cmp"
)

const (
	testKeyID  = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	testBody   = `{"MaxResults":10}`
	testTarget = "AWSCognitoIdentityProviderService.ListUserPools"
)

// signTime is the moment every test request is signed at.
var signTime = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func testVerifier(now time.Time) *Verifier {
	return &Verifier{
		Credentials: Credentials{testKeyID: testSecret, "AKIDOTHER": "other-secret"},
		Service:     "cognito-idp",
		Now:         func() time.Time { return now },
	}
}

// signing describes how a test request is built and signed.
type signing struct {
	url           string
	body          string
	keyID, secret string
	sessionToken  string
	service       string
	region        string
	at            time.Time
	contentSHA256 string // sent as X-Amz-Content-Sha256 and signed with, if set
	header        http.Header
}

func defaultSigning() signing {
	return signing{
		url:     "https://cognito-idp.us-east-1.amazonaws.com/",
		body:    testBody,
		keyID:   testKeyID,
		secret:  testSecret,
		service: "cognito-idp",
		region:  "us-east-1",
		at:      signTime,
	}
}

// signedRequest builds a client request the way an AWS SDK sends a Cognito call
// and signs it with the SDK's own signer.
func signedRequest(t testing.TB, s signing) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url, strings.NewReader(s.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", testTarget)
	for k, vs := range s.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	hash := s.contentSHA256
	if hash != "" {
		req.Header.Set("X-Amz-Content-Sha256", hash)
	} else {
		sum := sha256.Sum256([]byte(s.body))
		hash = hex.EncodeToString(sum[:])
	}
	creds := aws.Credentials{AccessKeyID: s.keyID, SecretAccessKey: s.secret, SessionToken: s.sessionToken}
	rawQuery := req.URL.RawQuery
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, s.service, s.region, s.at); err != nil {
		t.Fatal(err)
	}
	// The Go signer rewrites the query into canonical order; other SDKs send it as
	// written, so the original order is restored to make Verify do the sorting.
	req.URL.RawQuery = rawQuery
	return req
}

// arrive serializes a client request and parses it back as net/http's server
// would, so that Host, Content-Length and the URL are where a handler finds them.
func arrive(t testing.TB, req *http.Request) (*http.Request, []byte) {
	t.Helper()
	var wire bytes.Buffer
	if err := req.Write(&wire); err != nil {
		t.Fatal(err)
	}
	got, err := http.ReadRequest(bufio.NewReader(&wire))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	return got, body
}

// checkErr compares Verify's result with the wanted error; want nil means success.
func checkErr(t *testing.T, err error, want *Error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Verify = %v, want nil", err)
		}
		return
	}
	var got *Error
	if !errors.As(err, &got) {
		t.Fatalf("Verify = %v (%T), want *Error %v", err, err, want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Verify error mismatch (-want +got):\n%s", diff)
	}
}

var (
	errMismatch    = &Error{CodeInvalidSignature, msgSignatureMismatch}
	errUnknownKey  = &Error{CodeUnrecognizedClient, "The security token included in the request is invalid."}
	errMissingAuth = &Error{CodeMissingAuthenticationToken, "Missing Authentication Token"}
)

func TestVerifySignedRequests(t *testing.T) {
	tests := []struct {
		name string
		edit func(*signing)
		want *Error
	}{
		{"valid", func(*signing) {}, nil},
		{"other region is accepted", func(s *signing) { s.region = "eu-west-1" }, nil},
		{"second key pair", func(s *signing) { s.keyID, s.secret = "AKIDOTHER", "other-secret" }, nil},
		{"session token is tolerated", func(s *signing) { s.sessionToken = "FQoGZXIvYXdzEXAMPLE" }, nil},
		{"empty body", func(s *signing) { s.body = "" }, nil},
		{"path and query are canonicalized", func(s *signing) {
			s.url = "https://cognito-idp.us-east-1.amazonaws.com/a%20b/c~d/%C3%A9?b=2&a=1&a-b=3&sp=x%20y&empty=&r=2&r=1&r=10"
		}, nil},
		{"header values are trimmed, collapsed and joined", func(s *signing) {
			s.header = http.Header{"X-Custom": {"a  b   c", "second\tvalue"}}
		}, nil},
		{"X-Amz-Content-Sha256 with the body's hash", func(s *signing) {
			sum := sha256.Sum256([]byte(s.body))
			s.contentSHA256 = hex.EncodeToString(sum[:])
		}, nil},
		{"X-Amz-Content-Sha256 UNSIGNED-PAYLOAD", func(s *signing) { s.contentSHA256 = "UNSIGNED-PAYLOAD" }, nil},
		{"X-Amz-Content-Sha256 not the body's hash", func(s *signing) {
			sum := sha256.Sum256([]byte("something else"))
			s.contentSHA256 = hex.EncodeToString(sum[:])
		}, errMismatch},
		{"another secret", func(s *signing) { s.secret = "not-the-secret" }, errMismatch},
		{"unknown key", func(s *signing) { s.keyID = "AKIDUNKNOWN" }, errUnknownKey},
		{"wrong service", func(s *signing) { s.service = "cognito-identity" },
			&Error{CodeInvalidSignature, "Credential should be scoped to correct service: 'cognito-idp'. "}},
		{"expired", func(s *signing) { s.at = signTime.Add(-20 * time.Minute) },
			&Error{CodeInvalidSignature, "Signature expired: 20261127T114000Z is now earlier than 20261127T114500Z (20261127T120000Z - 15 min.)"}},
		{"not yet current", func(s *signing) { s.at = signTime.Add(20 * time.Minute) },
			&Error{CodeInvalidSignature, "Signature not yet current: 20261127T122000Z is still later than 20261127T121500Z (20261127T120000Z + 15 min.)"}},
		{"15 minutes old is still in the window", func(s *signing) { s.at = signTime.Add(-15 * time.Minute) }, nil},
		{"15 minutes ahead is still in the window", func(s *signing) { s.at = signTime.Add(15 * time.Minute) }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultSigning()
			tt.edit(&s)
			req, body := arrive(t, signedRequest(t, s))
			checkErr(t, testVerifier(signTime).Verify(req, body), tt.want)
		})
	}
}

func TestVerifyTamperedRequests(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(r *http.Request, body []byte) []byte
		want   *Error
	}{
		{"body", func(_ *http.Request, _ []byte) []byte { return []byte(`{"MaxResults":60}`) }, errMismatch},
		{"X-Amz-Target", func(r *http.Request, body []byte) []byte {
			r.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminDeleteUser")
			return body
		}, errMismatch},
		{"host", func(r *http.Request, body []byte) []byte { r.Host = "evil.example.com"; return body }, errMismatch},
		{"path", func(r *http.Request, body []byte) []byte { r.URL.Path = "/other"; return body }, errMismatch},
		{"query added", func(r *http.Request, body []byte) []byte { r.URL.RawQuery = "x=1"; return body }, errMismatch},
		{"method", func(r *http.Request, body []byte) []byte { r.Method = http.MethodPut; return body }, errMismatch},
		{"signature", func(r *http.Request, body []byte) []byte {
			auth := r.Header.Get("Authorization")
			r.Header.Set("Authorization", auth[:len(auth)-1]+flipHex(auth[len(auth)-1]))
			return body
		}, errMismatch},
		{"unsigned header added", func(r *http.Request, body []byte) []byte {
			r.Header.Set("User-Agent", "something else")
			r.Header.Set("X-Extra", "not signed")
			return body
		}, nil},
		{"Authorization removed", func(r *http.Request, body []byte) []byte {
			r.Header.Del("Authorization")
			return body
		}, errMissingAuth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, body := arrive(t, signedRequest(t, defaultSigning()))
			body = tt.tamper(req, body)
			checkErr(t, testVerifier(signTime).Verify(req, body), tt.want)
		})
	}
}

func flipHex(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// TestVerifyMalformed covers requests that are refused before any signature is
// computed, with hand-written headers since no SDK would send them.
func TestVerifyMalformed(t *testing.T) {
	const (
		cred   = "Credential=AKIDEXAMPLE/20261127/us-east-1/cognito-idp/aws4_request"
		signed = "SignedHeaders=host;x-amz-date;x-amz-target"
		sig    = "Signature=0000000000000000000000000000000000000000000000000000000000000000"
	)
	tests := []struct {
		name    string
		auth    string
		amzDate string
		date    string
		want    *Error
	}{
		{
			name: "no Authorization",
			want: errMissingAuth,
		},
		{
			name:    "not a key=value list",
			auth:    "Bearer eyJraWQiOiJ4In0",
			amzDate: "20261127T120000Z",
			want: &Error{CodeIncompleteSignature,
				"'eyJraWQiOiJ4In0' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer eyJraWQiOiJ4In0'."},
		},
		{
			name:    "no Signature",
			auth:    "AWS4-HMAC-SHA256 " + cred + ", " + signed,
			amzDate: "20261127T120000Z",
			want: &Error{CodeIncompleteSignature,
				"Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 " + cred + ", " + signed},
		},
		{
			name: "nothing at all",
			auth: "AWS4-HMAC-SHA256",
			want: &Error{CodeIncompleteSignature,
				"Authorization header requires 'Credential' parameter. " +
					"Authorization header requires 'Signature' parameter. " +
					"Authorization header requires 'SignedHeaders' parameter. " +
					"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
					"Authorization=AWS4-HMAC-SHA256"},
		},
		{
			name:    "date not ISO 8601",
			auth:    "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			amzDate: "2026-11-27T12:00:00Z",
			want: &Error{CodeIncompleteSignature,
				"Date must be in ISO-8601 'basic format'. Got '2026-11-27T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"},
		},
		{
			name: "Date header, expired",
			auth: "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			date: "Fri, 27 Nov 2026 11:00:00 GMT",
			want: &Error{CodeInvalidSignature,
				"Signature expired: 20261127T110000Z is now earlier than 20261127T114500Z (20261127T120000Z - 15 min.)"},
		},
		{
			name:    "host not signed",
			auth:    "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date, " + sig,
			amzDate: "20261127T120000Z",
			want:    &Error{CodeInvalidSignature, "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		},
		{
			name:    "other algorithm",
			auth:    "AWS4-HMAC-SHA512 " + cred + ", " + signed + ", " + sig,
			amzDate: "20261127T120000Z",
			want: &Error{CodeIncompleteSignature,
				"Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). "},
		},
		{
			name:    "short credential",
			auth:    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127/us-east-1/cognito-idp, " + signed + ", " + sig,
			amzDate: "20261127T120000Z",
			want: &Error{CodeIncompleteSignature,
				"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20261127/us-east-1/cognito-idp'"},
		},
		{
			name:    "everything wrong in the scope",
			auth:    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/US_EAST/s3/aws5_request, " + signed + ", " + sig,
			amzDate: "20261127T120000Z",
			want: &Error{CodeInvalidSignature,
				"Credential should be scoped to a valid region, not 'US_EAST'. " +
					"Credential should be scoped to correct service: 'cognito-idp'. " +
					"Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. " +
					"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261126' != '20261127', from '20261127T120000Z'."},
		},
		{
			name:    "unknown key before signature",
			auth:    "AWS4-HMAC-SHA256 Credential=AKIDNOBODY/20261127/us-east-1/cognito-idp/aws4_request, " + signed + ", " + sig,
			amzDate: "20261127T120000Z",
			want:    errUnknownKey,
		},
		{
			name:    "wrong signature",
			auth:    "AWS4-HMAC-SHA256 " + cred + ", " + signed + ", " + sig,
			amzDate: "20261127T120000Z",
			want:    errMismatch,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "http://localhost/", strings.NewReader(testBody))
			req.Header.Set("X-Amz-Target", testTarget)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			if tt.amzDate != "" {
				req.Header.Set("X-Amz-Date", tt.amzDate)
			}
			if tt.date != "" {
				req.Header.Set("Date", tt.date)
			}
			checkErr(t, testVerifier(signTime).Verify(req, []byte(testBody)), tt.want)
		})
	}
}

func TestVerifyMaxSkew(t *testing.T) {
	s := defaultSigning()
	s.at = signTime.Add(-90 * time.Second)
	req, body := arrive(t, signedRequest(t, s))
	v := testVerifier(signTime)
	v.MaxSkew = time.Minute
	checkErr(t, v.Verify(req, body), &Error{CodeInvalidSignature,
		"Signature expired: 20261127T115830Z is now earlier than 20261127T115900Z (20261127T120000Z - 1 min.)"})
}

func TestErrorString(t *testing.T) {
	err := error(&Error{CodeUnrecognizedClient, "The security token included in the request is invalid."})
	if got, want := err.Error(), "UnrecognizedClientException: The security token included in the request is invalid."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// verifyingServer answers 200 to requests that pass Verify and 403 with the
// exception name otherwise, the way cognate's server will use the package.
func verifyingServer(t *testing.T, v *Verifier) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := v.Verify(r, body); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"__type":"`+e.Code+`","message":"`+e.Message+`"}`)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		io.WriteString(w, `{"UserPools":[]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestVerifyOverHTTP sends SDK-signed requests through a real HTTP connection,
// so the Host header reaches Verify only as r.Host.
func TestVerifyOverHTTP(t *testing.T) {
	srv := verifyingServer(t, testVerifier(signTime))
	tests := []struct {
		name     string
		secret   string
		wantCode int
	}{
		{"signed correctly", testSecret, http.StatusOK},
		{"signed with another secret", "not-the-secret", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := defaultSigning()
			s.url = srv.URL + "/"
			s.secret = tt.secret
			resp, err := srv.Client().Do(signedRequest(t, s))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantCode {
				t.Errorf("status = %d (%s), want %d", resp.StatusCode, got, tt.wantCode)
			}
		})
	}
}

// TestVerifyCognitoClient calls the server with the real Cognito SDK client, so
// every header and middleware the SDK adds is part of what gets verified.
func TestVerifyCognitoClient(t *testing.T) {
	v := testVerifier(time.Time{})
	v.Now = time.Now // the SDK signs with the wall clock
	srv := verifyingServer(t, v)

	client := func(secret string) *cognitoidentityprovider.Client {
		return cognitoidentityprovider.New(cognitoidentityprovider.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(srv.URL),
			Credentials:  credentials.NewStaticCredentialsProvider(testKeyID, secret, ""),
			HTTPClient:   srv.Client(),
		})
	}
	ctx := context.Background()
	if _, err := client(testSecret).ListUserPools(ctx, &cognitoidentityprovider.ListUserPoolsInput{MaxResults: aws.Int32(10)}); err != nil {
		t.Fatalf("ListUserPools with the right secret: %v", err)
	}
	_, err := client("not-the-secret").ListUserPools(ctx, &cognitoidentityprovider.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if err == nil || !strings.Contains(err.Error(), CodeInvalidSignature) {
		t.Fatalf("ListUserPools with the wrong secret: err = %v, want %s", err, CodeInvalidSignature)
	}
}

// TestScopeRegion reads the region of the credential scope of requests the SDK's signer
// signed, and none from requests that carry no usable scope.
func TestScopeRegion(t *testing.T) {
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2"} {
		s := defaultSigning()
		s.region = region
		req, _ := arrive(t, signedRequest(t, s))
		if got := ScopeRegion(req); got != region {
			t.Errorf("ScopeRegion of a request signed for %s = %q", region, got)
		}
	}
	for name, auth := range map[string]string{
		"no header":       "",
		"another scheme":  "Bearer abc",
		"short scope":     "AWS4-HMAC-SHA256 Credential=AKID/20261127/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
		"empty region":    "AWS4-HMAC-SHA256 Credential=AKID/20261127//cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
		"not a region":    "AWS4-HMAC-SHA256 Credential=AKID/20261127/EU_West/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
		"malformed parts": "AWS4-HMAC-SHA256 Credential",
	} {
		req := httptest.NewRequest(http.MethodPost, "/", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if got := ScopeRegion(req); got != "" {
			t.Errorf("ScopeRegion with %s = %q, want none", name, got)
		}
	}
}
