// Package pgtest gives tests a fresh PostgreSQL schema on the database that
// COGNATE_TEST_POSTGRES_DSN names. Without the variable a test skips with a one-line
// reason, unless COGNATE_TEST_REQUIRE names postgres: then it fails.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN is the variable naming the test database.
const EnvDSN = "COGNATE_TEST_POSTGRES_DSN"

// Available reports whether a test database is configured.
func Available() bool { return os.Getenv(EnvDSN) != "" }

// Required reports whether COGNATE_TEST_REQUIRE names postgres.
func Required() bool {
	for _, f := range strings.FieldsFunc(os.Getenv("COGNATE_TEST_REQUIRE"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if f == "postgres" {
			return true
		}
	}
	return false
}

// DSN returns the test database's DSN, skipping the test (or failing it, when postgres is
// required) when there is none.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		if Required() {
			t.Fatalf("%s is not set and COGNATE_TEST_REQUIRE names postgres", EnvDSN)
		}
		t.Skipf("PostgreSQL tests need %s (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", EnvDSN)
	}
	return dsn
}

// Schema creates a schema of its own for the test and returns a DSN whose search_path
// selects it; the schema is dropped when the test ends. The DSN turns synchronous_commit
// off: a commit is visible to every session as before, it only does not wait for the
// disk, which no test here examines (a crash of PostgreSQL would lose the last commits).
func Schema(t testing.TB) string {
	t.Helper()
	dsn := DSN(t)
	b := make([]byte, 8)
	rand.Read(b)
	name := "cognate_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("pgtest: connect to %s: %v", EnvDSN, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+name); err != nil {
		t.Fatalf("pgtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("pgtest: connect to drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+name+` CASCADE`); err != nil {
			t.Errorf("pgtest: drop schema %s: %v", name, err)
		}
	})
	return withParam(WithSchema(dsn, name), "synchronous_commit", "off")
}

// WithSchema returns dsn with its search_path set to schema.
func WithSchema(dsn, schema string) string { return withParam(dsn, "search_path", schema) }

// withParam returns dsn with the run-time parameter key set to value.
func withParam(dsn, key, value string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set(key, value)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " " + key + "=" + value
}
