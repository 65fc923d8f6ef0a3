package userpool

import (
	"context"
	"time"
)

// CertificateStore keeps each pool's SAML signing certificate (GetSigningCertificate).
type CertificateStore interface {
	// AddPoolCertificate stores a pool's certificate; ErrConflict if the pool has one (of
	// concurrent adds for a pool, exactly one succeeds, and the others can read it),
	// ErrNotFound if the pool does not exist. Deleting the pool deletes its certificate.
	AddPoolCertificate(ctx context.Context, c *PoolCertificate) error
	// PoolCertificate returns the pool's certificate, or ErrNotFound.
	PoolCertificate(ctx context.Context, poolID string) (*PoolCertificate, error)
}

// PoolCertificate is a pool's signing certificate with its private key, which is sealed
// under a key kept outside the store.
type PoolCertificate struct {
	PoolID    string
	DER       []byte
	SealedKey []byte
	CreatedAt time.Time
}
