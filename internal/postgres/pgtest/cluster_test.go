package pgtest

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCluster starts a cluster of its own, writes to it, restarts it after a simulated
// crash, and finds the write there.
func TestCluster(t *testing.T) {
	c := NewCluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	exec := func(sql string) (string, error) {
		conn, err := pgx.Connect(ctx, c.DSN)
		if err != nil {
			return "", err
		}
		defer conn.Close(ctx)
		var s string
		err = conn.QueryRow(ctx, sql).Scan(&s)
		return s, err
	}
	if _, err := exec(`CREATE TABLE t AS SELECT 'kept'::text AS v`); err != nil && err != pgx.ErrNoRows {
		t.Fatal(err)
	}
	c.Stop(t, "immediate")
	if _, err := exec(`SELECT 1::text`); err == nil {
		t.Fatal("a stopped cluster answered")
	}
	c.Start(t)
	got, err := exec(`SELECT v FROM t`)
	if err != nil || got != "kept" {
		t.Fatalf("after the restart: %q, %v; want the committed row", got, err)
	}
}
