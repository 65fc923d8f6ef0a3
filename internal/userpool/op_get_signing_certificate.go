package userpool

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"math/big"
	"time"

	"cognate/internal/token"
)

// GetSigningCertificate returns the pool's SAML 2.0 signing certificate, made at the first
// request and kept, so that every later answer, in any process and after restarts, is the
// same. AWS's certificates are "valid for 10 years from the date of issue" (the model);
// AWS also issues a new one each year, which cognate does not (yet). The answer is the
// certificate's DER in base64, as a SAML metadata document's X509Certificate carries it
// (inferred: AWS does not document the encoding).
func (s *Service) GetSigningCertificate(ctx context.Context, in *GetSigningCertificateRequest) (*GetSigningCertificateResponse, error) {
	p, err := s.loadPool(ctx, deref(in.UserPoolId))
	if err != nil {
		return nil, err
	}
	c, err := s.store.PoolCertificate(ctx, p.ID)
	if errors.Is(err, ErrNotFound) {
		c, err = s.newPoolCertificate(p.ID)
		if err == nil {
			err = s.store.AddPoolCertificate(ctx, c)
		}
		if errors.Is(err, ErrConflict) { // another request made one first: that one stands
			c, err = s.store.PoolCertificate(ctx, p.ID)
		}
		if errors.Is(err, ErrNotFound) {
			return nil, poolNotFound(p.ID) // deleted meanwhile
		}
	}
	if err != nil {
		return nil, err
	}
	return &GetSigningCertificateResponse{Certificate: ptr(base64.StdEncoding.EncodeToString(c.DER))}, nil
}

// certificateValidity is how long a pool's signing certificate is valid, as AWS's are.
const certificateValidity = 10 * 365 * 24 * time.Hour

// newPoolCertificate makes a pool's self-signed RSA certificate, its key sealed.
func (s *Service) newPoolCertificate(poolID string) (*PoolCertificate, error) {
	now := s.clock()
	key, err := rsa.GenerateKey(rand.Reader, 2048) // crypto/rsa takes no other source since Go 1.20
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(s.rand, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: poolID},
		NotBefore:             now,
		NotAfter:              now.Add(certificateValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(s.rand, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	sealed, err := token.Seal(s.rand, s.keys.certificate, pkcs8, []byte(poolID))
	if err != nil {
		return nil, err
	}
	return &PoolCertificate{PoolID: poolID, DER: der, SealedKey: sealed, CreatedAt: now}, nil
}
