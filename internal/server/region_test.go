package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestRequestRegion reads a request's Region from its credential scope first, else from a
// host named as AWS's regional endpoint, else none.
func TestRequestRegion(t *testing.T) {
	const signedEU = "AWS4-HMAC-SHA256 Credential=AKID/20261127/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00"
	for _, tc := range []struct{ host, auth, want string }{
		{"cognito-idp.eu-west-1.amazonaws.com", "", "eu-west-1"},
		{"cognito-idp.ap-south-1.amazonaws.com:8080", "", "ap-south-1"},
		{"COGNITO-IDP.EU-WEST-2.AMAZONAWS.COM", "", "eu-west-2"},
		{"cognito-idp.us-east-1.amazonaws.com", signedEU, "eu-west-1"}, // the signature's scope wins
		{"127.0.0.1:9229", signedEU, "eu-west-1"},
		{"127.0.0.1:9229", "", ""},
		{"cognito-idp.amazonaws.com", "", ""},
		{"cognito-idp.a.b.amazonaws.com", "", ""},
		{"auth.example.com", "", ""},
	} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Host = tc.host
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		if got := requestRegion(r); got != tc.want {
			t.Errorf("requestRegion(host %s, signed %v) = %q, want %q", tc.host, tc.auth != "", got, tc.want)
		}
	}
}
