// Package sqlite is cognate's default Store: userpool.Store on a single SQLite file
// (or an in-memory database), through modernc.org/sqlite, a pure-Go SQLite, so the binary
// needs no C toolchain.
//
// It owns the schema (embedded migrations) and the mapping of SQLite's constraint errors to
// userpool.ErrNotFound, ErrConflict and ErrAliasConflict. It knows no Cognito rules and keeps
// pool, client and user descriptions as opaque JSON documents. It does not serve several
// processes on different machines; that is what internal/postgres is for.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"cognate/internal/storedoc"
	"cognate/internal/userpool"
)

// Options configure Open. Start from DefaultOptions: the zero value does not migrate.
type Options struct {
	// Migrate applies pending migrations at Open. DefaultOptions sets it; turn it off to
	// run `cognate migrate` as a separate step.
	Migrate bool
	// Synchronous is SQLite's synchronous setting: OFF, NORMAL, FULL or EXTRA.
	// Empty means FULL, under which an acknowledged write survives a power loss.
	Synchronous string
}

// DefaultOptions returns the options cognate serves with: migrate at open, synchronous FULL.
func DefaultOptions() Options {
	return Options{Migrate: true, Synchronous: "FULL"}
}

// busyTimeout is how long the writer waits for the write lock when another process holds
// it (within a process, the one writer never contends with itself), and how long a reader
// waits on a database another process is recovering.
const busyTimeout = 5 * time.Second

// Store is userpool.Store on SQLite. It is safe for concurrent use. Reads go to db, a pool
// of connections; every write goes through w, the one writer (writer.go).
type Store struct {
	db   *sql.DB
	read *stmts // statements kept on db
	w    *writer
	wdb  *sql.DB // the writer's connection; db itself for ":memory:"
	docs *storedoc.Codec
}

var _ userpool.Store = (*Store)(nil)

// Open opens (creating if need be) the database at path, a file path or ":memory:", and,
// if opts.Migrate, brings its schema up to date. The file's parent directories are created,
// so that a default such as ./cognate-data/cognate.db works on a fresh checkout.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	sync := strings.ToUpper(opts.Synchronous)
	switch sync {
	case "":
		sync = "FULL"
	case "OFF", "NORMAL", "FULL", "EXTRA":
	default:
		return nil, fmt.Errorf("sqlite: synchronous %q is not one of OFF, NORMAL, FULL, EXTRA", opts.Synchronous)
	}
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}

	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous("+sync+")")
	// Deleted and overwritten content is zeroed, not left in free pages: a message body a
	// real channel delivered (it holds a code) is wiped from the file, not just unlinked.
	q.Add("_pragma", "secure_delete(1)")
	// Every write transaction takes the write lock at BEGIN. A deferred transaction that
	// reads and then writes can fail with SQLITE_BUSY at once, unhelped by busy_timeout,
	// when another process wrote in between.
	q.Set("_txlock", "immediate")

	memory := path == ":memory:"
	var dsn, readDSN string
	if memory {
		dsn = ":memory:?" + q.Encode()
	} else {
		abs, err := filepath.Abs(path)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: create the database directory: %w", err)
		}
		// WAL lets readers proceed while one connection writes.
		q.Add("_pragma", "journal_mode(WAL)")
		// A file: URI, so that a path holding '?' or '#' stays a path.
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
		dsn = u.String()
		// Readers cannot write, so that no write can take a path around the writer.
		q.Add("_pragma", "query_only(1)")
		q.Del("_txlock")
		u.RawQuery = q.Encode()
		readDSN = u.String()
	}

	wdb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// The writer's one connection, kept open: SQLite serialises writers anyway, and one
	// connection fed by a queue commits many requests at once instead of making them take
	// turns through the busy handler. Each connection to ":memory:" is a database of its
	// own, so there the same connection serves the readers too.
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)
	wdb.SetConnMaxIdleTime(0)
	db := wdb
	if !memory {
		if db, err = sql.Open("sqlite", readDSN); err != nil {
			wdb.Close()
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
		// Readers run on the cores: a few connections, kept open (opening one costs more
		// than most reads), serve any number of requests.
		n := 2 * runtime.GOMAXPROCS(0)
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
	}
	s := &Store{db: db, read: newStmts(db), wdb: wdb, w: newWriter(wdb), docs: storedoc.New()}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if opts.Migrate {
		if err := s.Migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close stops the writer (after the transaction it is running) and closes the database.
// Calling it twice is harmless.
func (s *Store) Close() error {
	s.w.close()
	s.read.close()
	err := s.wdb.Close()
	if s.db != s.wdb {
		err = errors.Join(err, s.db.Close())
	}
	return err
}

// Ping reports whether the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// Reset wipes all state but the schema and the signing keys. The keys are the
// installation's identity, not state a test builds up: tokens signed before a reset stay
// verifiable, and a client that cached the JWKS need not fetch it again.
func (s *Store) Reset(ctx context.Context) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		// Pools cascade to clients, users, aliases, groups, memberships and attempts, and
		// users to codes and sessions.
		for _, stmt := range []string{"DELETE FROM pools", "DELETE FROM messages", "DELETE FROM provisioned_limits", "DELETE FROM request_counts"} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("sqlite: reset: %w", err)
			}
		}
		return nil
	})
}

// ResetPool removes one pool's users, attempts and messages, keeping the pool, its clients
// and groups; ErrNotFound if the pool does not exist.
func (s *Store) ResetPool(ctx context.Context, poolID string) error {
	return s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM pools WHERE id = ?`, poolID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("pool " + poolID)
		}
		if err != nil {
			return fmt.Errorf("sqlite: reset pool %s: %w", poolID, err)
		}
		// Users cascade to aliases, memberships, codes, sessions and auth events.
		for _, stmt := range []string{
			`DELETE FROM users WHERE pool_id = ?`,
			`DELETE FROM attempts WHERE pool_id = ?`,
			`DELETE FROM messages WHERE pool_id = ?`,
			`DELETE FROM shadow_codes WHERE pool_id = ?`,
			`DELETE FROM shadow_messages WHERE pool_id = ?`,
			`DELETE FROM shadow_auth_events WHERE pool_id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, stmt, poolID); err != nil {
				return fmt.Errorf("sqlite: reset pool %s: %w", poolID, err)
			}
		}
		return nil
	})
}

// inTx runs fn through the writer, in a write transaction (BEGIN IMMEDIATE, from the DSN)
// that it may share with other requests, and answers once that transaction has committed:
// fn's writes are then durable, or, if fn returned an error, none of them happened. fn must
// use only tx and the ctx it is given: a statement on s.db inside fn would wait for the
// writer's own connection (":memory:") or read around the transaction.
func (s *Store) inTx(ctx context.Context, fn writeFunc) error {
	return s.w.do(ctx, fn)
}

// exec runs one write statement through the writer.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.inTx(ctx, func(ctx context.Context, tx *txn) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// constraint classifies a failed statement by the SQLite constraint it broke.
type constraint int

const (
	noConstraint constraint = iota
	uniqueConstraint
	foreignKeyConstraint
)

// violated reports which kind of constraint err broke, if any.
func violated(err error) constraint {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return noConstraint
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return uniqueConstraint
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return foreignKeyConstraint
	}
	return noConstraint
}

// insertErr maps the error of an INSERT: a duplicate key is ErrConflict, a missing parent
// (the pool, the user, the group) is ErrNotFound.
func insertErr(what string, err error) error {
	switch violated(err) {
	case uniqueConstraint:
		return fmt.Errorf("sqlite: %s: %w", what, userpool.ErrConflict)
	case foreignKeyConstraint:
		return fmt.Errorf("sqlite: %s: %w", what, userpool.ErrNotFound)
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

// notFound wraps ErrNotFound with what was looked for.
func notFound(what string) error {
	return fmt.Errorf("sqlite: %s: %w", what, userpool.ErrNotFound)
}

// micros and fromMicros carry times as unix microseconds: the precision PostgreSQL keeps
// too, so both stores read back the same instant. Values read back are in UTC.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// sqlLimit turns a Store limit into SQL's: a limit of zero or less means no limit.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// scanner is what *sql.Row and *sql.Rows share.
type scanner interface {
	Scan(dest ...any) error
}
