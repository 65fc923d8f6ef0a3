package main

import (
	"crypto/x509"
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestGetSigningCertificate: each pool has its own SAML signing certificate, the same on
// every call and after a restart, and none once the pool is gone.
func TestGetSigningCertificate(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "c.db")
	s := startServer(t, "--store", db)
	a := createPool(t, s.Client, &cip.CreateUserPoolInput{PoolName: aws.String("a")})
	b := createPool(t, s.Client, &cip.CreateUserPoolInput{PoolName: aws.String("b")})
	get := func(s *testServer, pool string) string {
		t.Helper()
		return *must(s.Client.GetSigningCertificate(bg, &cip.GetSigningCertificateInput{UserPoolId: aws.String(pool)}))(t).Certificate
	}
	certA := get(s, a)
	der, err := base64.StdEncoding.DecodeString(certA)
	if err != nil {
		t.Fatalf("the certificate is not base64 DER: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if years := cert.NotAfter.Sub(cert.NotBefore).Hours() / 24 / 365; years != 10 {
		t.Errorf("the certificate is valid %v years, want 10", years)
	}
	if get(s, a) != certA {
		t.Error("a second call answered another certificate")
	}
	if get(s, b) == certA {
		t.Error("two pools share a certificate")
	}
	s.Stop(t)

	s = startServer(t, "--store", db)
	if get(s, a) != certA {
		t.Error("after a restart the pool has another certificate")
	}
	must(s.Client.DeleteUserPool(bg, &cip.DeleteUserPoolInput{UserPoolId: aws.String(a)}))(t)
	_, err = s.Client.GetSigningCertificate(bg, &cip.GetSigningCertificateInput{UserPoolId: aws.String(a)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+a+" does not exist.")
}
