package userpool

import (
	"context"
	"errors"
)

// ResetPool empties one pool of its users, their codes and sessions, its attempt counters
// and its messages, keeping the pool, its clients and groups: a test suite's fresh start
// that keeps the ids its app is configured with (POST /_cognate/reset?UserPoolId=).
func (s *Service) ResetPool(ctx context.Context, poolID string) error {
	err := s.store.ResetPool(ctx, poolID)
	if errors.Is(err, ErrNotFound) {
		return poolNotFound(poolID)
	}
	return err
}
