package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// stmts runs statements through prepared statements kept by their text. Parsing SQL is
// what a request spent most of its store time on; a statement prepared once is kept by
// database/sql for each connection it runs on (the writer's one, and each reader's).
type stmts struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmts(db *sql.DB) *stmts { return &stmts{db: db, m: map[string]*sql.Stmt{}} }

// stmt returns the prepared statement for query, preparing it the first time. The lock
// is not held while preparing, which waits for a connection.
func (c *stmts) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	c.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept, ok := c.m[query]; ok {
		st.Close() // another caller prepared it meanwhile
		return kept, nil
	}
	c.m[query] = st
	return st, nil
}

func (c *stmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return c.db.QueryRowContext(ctx, query, args...) // which answers the same error
	}
	return st.QueryRowContext(ctx, args...)
}

// close closes every statement kept.
func (c *stmts) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// txn is a write transaction whose statements come from the writer's kept ones. A
// statement cannot be prepared on the writer's one connection while a transaction holds
// it, so one not kept yet runs unprepared and is prepared after the commit (writer.keep).
type txn struct {
	tx *sql.Tx
	w  *writer
}

func (t *txn) stmt(ctx context.Context, query string) *sql.Stmt {
	st := t.w.kept[query]
	if st == nil {
		t.w.toKeep[query] = true
		return nil
	}
	return t.tx.StmtContext(ctx, st)
}

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
