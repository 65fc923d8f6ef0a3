package userpool_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"testing"
	"time"

	"cognate/internal/sqlite"
	"cognate/internal/token"
	"cognate/internal/userpool"
)

// TestSigningCertificateKey: the pool's certificate is self-signed for ten years, and its
// private key is kept only sealed under the key derived from the master key for it, the
// pair matching.
func TestSigningCertificateKey(t *testing.T) {
	st, err := sqlite.Open(ctx, ":memory:", sqlite.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	master := bytes.Repeat([]byte{7}, 32)
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	svc := userpool.New(st, userpool.Options{MasterKey: master, Now: func() time.Time { return now }})
	p, err := svc.CreateUserPool(ctx, &userpool.CreateUserPoolRequest{PoolName: ptr("saml")})
	if err != nil {
		t.Fatal(err)
	}
	pool := *p.UserPool.Id
	out, err := svc.GetSigningCertificate(ctx, &userpool.GetSigningCertificateRequest{UserPoolId: &pool})
	if err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(*out.Certificate)
	if err != nil {
		t.Fatalf("the certificate is not base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		t.Errorf("the certificate is not self-signed: %v", err)
	}
	if !cert.NotBefore.Equal(now) || !cert.NotAfter.Equal(now.Add(10*365*24*time.Hour)) || cert.Subject.CommonName != pool {
		t.Errorf("certificate for %q valid %v to %v, want the pool's, from now for ten years", cert.Subject.CommonName, cert.NotBefore, cert.NotAfter)
	}

	stored, err := st.PoolCertificate(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored.DER, der) {
		t.Error("the stored certificate is not the one answered")
	}
	plain, err := token.Open(token.DeriveKey(master, "cognate pool certificate key v1"), stored.SealedKey, []byte(pool))
	if err != nil {
		t.Fatalf("the stored key does not open under the master key's certificate key: %v", err)
	}
	if bytes.Contains(stored.SealedKey, plain) {
		t.Error("the stored key holds the private key in the clear")
	}
	key, err := x509.ParsePKCS8PrivateKey(plain)
	if err != nil {
		t.Fatal(err)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok || !rk.PublicKey.Equal(cert.PublicKey) || rk.N.BitLen() != 2048 {
		t.Errorf("the sealed key (%T) is not the certificate's RSA-2048 key", key)
	}
	if _, err := token.Open(token.DeriveKey(master, "cognate pool certificate key v1"), stored.SealedKey, []byte("us-east-1_other")); err == nil {
		t.Error("the sealed key opens for another pool's id")
	}
}
