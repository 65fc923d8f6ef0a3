// Package postgres is userpool.Store on PostgreSQL, through pgx: the store for running many
// cognate processes on one database. Everything that must be shared between them lives in
// the database — attempt counters, code state, the outbox and its leases, signing keys,
// sessions and their revocation, risk configurations.
//
// Every promise of the Store contract holds at Read Committed, PostgreSQL's default: one-time
// use is a conditional DELETE or UPDATE whose row count decides; users, pools and clients are
// replaced by a version compare-and-set in the UPDATE's WHERE; a limit's count runs after
// its counter row is locked, so concurrent counts queue on the row and each sees the last;
// outbox claims take rows FOR UPDATE SKIP LOCKED. It owns its schema (embedded migrations,
// serialised between processes by an advisory lock) and keeps descriptions as opaque JSON
// documents (internal/storedoc), as internal/sqlite does.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"cognate/internal/storedoc"
	"cognate/internal/userpool"
)

// Options configure Open. Start from DefaultOptions: the zero value does not migrate.
type Options struct {
	// Migrate applies pending migrations at Open.
	Migrate bool
	// MaxConns bounds the connections the store holds open; 0 means pgx's default
	// (the larger of 4 and the number of CPUs).
	MaxConns int
	// StatementTimeout is PostgreSQL's statement_timeout for the store's sessions: a
	// statement running longer is cancelled and its request fails. 0 leaves the server's.
	StatementTimeout time.Duration
	// ConnectTimeout bounds dialling PostgreSQL, so that a request arriving while the
	// database is away fails quickly instead of waiting on the network. 0 means 2 s.
	ConnectTimeout time.Duration
}

// DefaultOptions returns the options cognate serves with: migrate at open, a statement
// timeout of 10 s.
func DefaultOptions() Options {
	return Options{Migrate: true, StatementTimeout: 10 * time.Second}
}

// Store is userpool.Store on PostgreSQL. It is safe for concurrent use, and any number of
// Stores, in any number of processes, may share one database.
type Store struct {
	db   *pgxpool.Pool
	docs *storedoc.Codec
}

var _ userpool.Store = (*Store)(nil)

// Open connects to the database the DSN names (postgres://… or postgresql://…, or
// key=value pairs; a search_path parameter selects a schema) and, if opts.Migrate, brings
// its schema up to date.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = int32(opts.MaxConns)
	}
	if opts.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(opts.StatementTimeout.Milliseconds())
	}
	cfg.ConnConfig.ConnectTimeout = opts.ConnectTimeout
	if cfg.ConnConfig.ConnectTimeout <= 0 {
		cfg.ConnConfig.ConnectTimeout = 2 * time.Second
	}
	// A connection the database dropped (a restart) is found at its next use and replaced;
	// checking idle ones often finds them before a request does.
	cfg.HealthCheckPeriod = 5 * time.Second
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{db: db, docs: storedoc.New()}
	if err := s.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if opts.Migrate {
		if err := s.Migrate(ctx); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close closes the store's connections, waiting for those in use to be returned.
// Calling it twice is harmless.
func (s *Store) Close() error {
	s.db.Close()
	return nil
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Reset wipes all state but the schema and the signing keys, in one transaction. Pools
// cascade to clients, users, aliases, groups, memberships, counters, attempts, codes,
// sessions and the rest.
func (s *Store) Reset(ctx context.Context) error {
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		for _, stmt := range []string{"DELETE FROM pools", "DELETE FROM messages", "DELETE FROM provisioned_limits", "DELETE FROM request_counts"} {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return fmt.Errorf("postgres: reset: %w", err)
			}
		}
		return nil
	})
}

// ResetPool removes one pool's users, attempts and messages, keeping the pool, its clients
// and groups; ErrNotFound if the pool does not exist. The pool's row is locked first, so a
// concurrent DeletePool or ResetPool waits.
func (s *Store) ResetPool(ctx context.Context, poolID string) error {
	return s.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM pools WHERE id = $1 FOR UPDATE`, poolID).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("pool " + poolID)
		}
		if err != nil {
			return fmt.Errorf("postgres: reset pool %s: %w", poolID, err)
		}
		for _, stmt := range []string{
			`DELETE FROM users WHERE pool_id = $1`,
			`DELETE FROM attempt_counters WHERE pool_id = $1`,
			`DELETE FROM messages WHERE pool_id = $1`,
			`DELETE FROM shadow_codes WHERE pool_id = $1`,
			`DELETE FROM shadow_messages WHERE pool_id = $1`,
			`DELETE FROM shadow_auth_events WHERE pool_id = $1`,
		} {
			if _, err := tx.Exec(ctx, stmt, poolID); err != nil {
				return fmt.Errorf("postgres: reset pool %s: %w", poolID, err)
			}
		}
		return nil
	})
}

// maxTries bounds how often a transaction that PostgreSQL aborted to break a deadlock (or
// a serialization failure, which Read Committed raises only in rare cases) is run again.
const maxTries = 5

// inTx runs fn in a transaction and commits it; if fn returns an error, nothing it did
// happens. A transaction that the database aborted as a deadlock victim is run again from
// the start, so fn must leave nothing behind it but in tx.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx pgx.Tx) error) error {
	var err error
	for try := 0; try < maxTries; try++ {
		err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error { return fn(ctx, tx) })
		if !retryable(err) {
			return err
		}
	}
	return err
}

// retryable reports whether err is a transaction PostgreSQL aborted that may succeed if run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// constraint classifies a failed statement by the constraint it broke.
type constraint int

const (
	noConstraint constraint = iota
	uniqueConstraint
	foreignKeyConstraint
)

// violated reports which kind of constraint err broke, if any.
func violated(err error) constraint {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return noConstraint
	}
	switch pe.Code {
	case "23505":
		return uniqueConstraint
	case "23503":
		return foreignKeyConstraint
	}
	return noConstraint
}

// insertErr maps the error of an INSERT: a duplicate key is ErrConflict, a missing parent
// (the pool, the user, the group) is ErrNotFound.
func insertErr(what string, err error) error {
	switch violated(err) {
	case uniqueConstraint:
		return fmt.Errorf("postgres: %s: %w", what, userpool.ErrConflict)
	case foreignKeyConstraint:
		return fmt.Errorf("postgres: %s: %w", what, userpool.ErrNotFound)
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// notFound wraps ErrNotFound with what was looked for.
func notFound(what string) error {
	return fmt.Errorf("postgres: %s: %w", what, userpool.ErrNotFound)
}

// ts is a time as stored: truncated to the microsecond (PostgreSQL would round it, and the
// SQLite store truncates), in UTC.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// nullTS is ts for a time that may be zero, which is stored as NULL.
func nullTS(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	v := ts(t)
	return &v
}

// fromNull is a time read from a nullable column: zero for NULL, else in UTC.
func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// sqlLimit turns a Store limit into SQL's: a limit of zero or less means no limit (NULL).
func sqlLimit(limit int) *int {
	if limit <= 0 {
		return nil
	}
	return &limit
}

// execOne runs a statement that must touch exactly one row: none is ErrNotFound.
func (s *Store) execOne(ctx context.Context, what, query string, args ...any) error {
	tag, err := s.db.Exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound(what)
	}
	return nil
}

// collect scans every row with scan and closes rows.
func collect[T any](rows pgx.Rows, err error, what string, scan func(pgx.Row) (T, error)) ([]T, error) {
	if err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: %s: %w", what, err)
	}
	return out, nil
}
