package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
)

// BackupTo writes a consistent copy of the database to path, a file that must not exist,
// while the store stays open for readers and writers (VACUUM INTO: one read transaction,
// so the copy is the state at one instant, compacted). A copy of ":memory:" is a file too.
func (s *Store) BackupTo(ctx context.Context, path string) error {
	if path == "" {
		return errors.New("sqlite: backup: empty path")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("sqlite: backup: %s exists; VACUUM INTO writes only a new file", path)
	}
	// On the writer's connection: readers are query_only, and VACUUM INTO may not run in a
	// transaction, so it waits for the writer's connection between two of its commits.
	if _, err := s.wdb.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", path, err)
	}
	return nil
}

// PendingMigrations reports how many embedded migrations the database has not had: zero
// when its schema is what this cognate expects (the readiness check).
func (s *Store) PendingMigrations(ctx context.Context) (int, error) {
	ms, err := loadMigrations()
	if err != nil {
		return 0, err
	}
	var applied int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&applied)
	if err != nil {
		// No table: nothing applied yet.
		return len(ms), nil
	}
	return max(len(ms)-applied, 0), nil
}
