package userpool

import (
	"context"
	"errors"
	"time"
)

// conflictTries bounds how often an operation reads, changes and writes again when another
// write went first. Each round lets at least one of the racing writers through, so the bound
// is reached only when more writers than this keep changing one thing at once; the caller
// then gets ConcurrentModificationException and may try again, as with AWS.
const conflictTries = 32

var errConcurrentModification = newError("ConcurrentModificationException",
	"The resource was changed by another request at the same time; try again.")

// retryConflicts runs attempt, which reads what it changes and writes it back with the
// version it read, again while the write answers ErrConflict because another write went
// first (ErrAliasConflict is an answer, not a race, and is returned). Between tries it
// waits a little longer each time, so that racing writers spread out, and gives up when ctx
// ends.
func retryConflicts(ctx context.Context, attempt func() error) error {
	for try := 1; ; try++ {
		err := attempt()
		if !errors.Is(err, ErrConflict) || errors.Is(err, ErrAliasConflict) {
			return err
		}
		if try == conflictTries {
			return errConcurrentModification
		}
		wait := time.NewTimer(min(50*time.Microsecond<<try, 5*time.Millisecond))
		select {
		case <-ctx.Done():
			wait.Stop()
			return ctx.Err()
		case <-wait.C:
		}
	}
}
