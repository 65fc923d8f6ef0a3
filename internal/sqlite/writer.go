package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// The write path. SQLite lets one connection write at a time; many connections taking
// turns do it through the busy handler, which sleeps and retries until a timeout fails the
// request, and each pays a durable commit of its own. So every write of a Store goes
// through one writer: a goroutine that owns the only connection that writes and takes
// requests from a queue. Requests that arrive while a commit runs wait for it and then
// share the next transaction (group commit): one fsync for all of them. Each request runs
// under a savepoint of its own, so a request that fails (a constraint, a stale version)
// rolls back only itself; each is answered only after the transaction that holds it has
// committed, which under synchronous=FULL means it is durable. Readers use connections of
// their own and, in WAL mode, never wait for the writer.

// maxBatch bounds how many requests share one transaction, so that one commit's latency
// stays short under any load.
const maxBatch = 256

// errClosed answers writes after Close.
var errClosed = errors.New("sqlite: store is closed")

// writeFunc is one request's part of a transaction. Its ctx is not the caller's: a request
// whose statements the caller's cancellation interrupted would roll back the whole shared
// transaction (SQLite rolls back a transaction whose write statement is interrupted).
type writeFunc func(ctx context.Context, tx *txn) error

// Request states: a request is queued until the writer takes it or its caller gives up.
const (
	queued int32 = iota
	taken
	abandoned
)

type writeRequest struct {
	ctx   context.Context
	fn    writeFunc
	state atomic.Int32
	err   error
	done  chan struct{}
}

// writer owns the connection that writes.
type writer struct {
	db *sql.DB // at most one connection
	// kept are the statements prepared on it, and toKeep those to prepare after the
	// running transaction; only the writer's goroutine touches either.
	kept    map[string]*sql.Stmt
	toKeep  map[string]bool
	queue   chan *writeRequest
	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
	commits atomic.Int64 // transactions committed, for tests of group commit
}

func newWriter(db *sql.DB) *writer {
	w := &writer{db: db, kept: map[string]*sql.Stmt{}, toKeep: map[string]bool{}, queue: make(chan *writeRequest, maxBatch), stop: make(chan struct{}), stopped: make(chan struct{})}
	go w.run()
	return w
}

// do runs fn in a write transaction shared with whatever else is queued, and answers once
// that transaction has committed (fn's error, or the commit's). A caller whose ctx ends
// while its request still waits in the queue gets ctx's error and its request is dropped;
// once the writer has taken it, the caller waits for the outcome, which is never long.
func (w *writer) do(ctx context.Context, fn writeFunc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &writeRequest{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case w.queue <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-w.stop:
		return errClosed
	}
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return ctx.Err()
		}
		<-r.done
		return r.err
	}
}

// close stops the writer after the transaction it is running; requests still queued are
// answered errClosed.
func (w *writer) close() {
	w.once.Do(func() { close(w.stop) })
	<-w.stopped
}

func (w *writer) run() {
	defer close(w.stopped)
	batch := make([]*writeRequest, 0, maxBatch)
	for {
		select {
		case <-w.stop:
			w.drain()
			return
		case r := <-w.queue:
			batch = append(batch[:0], r)
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-w.queue:
				batch = append(batch, r)
			default:
				break more
			}
		}
		w.commit(batch)
	}
}

// panicked is the error of a request whose part of the transaction panicked: the writer
// serves every request of the process and must outlive a bug in one.
type panicked struct{ value any }

func (p *panicked) Error() string { return fmt.Sprintf("sqlite: a write panicked: %v", p.value) }

// call runs a request's part of the transaction under a context its caller cannot cancel,
// turning a panic into an error.
func call(r *writeRequest, tx *txn) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicked{v}
		}
	}()
	return r.fn(context.WithoutCancel(r.ctx), tx)
}

// keep prepares, between transactions, the statements the last one ran unprepared.
func (w *writer) keep() {
	for q := range w.toKeep {
		if st, err := w.db.PrepareContext(context.Background(), q); err == nil {
			w.kept[q] = st
		}
		delete(w.toKeep, q)
	}
}

// drain answers every queued request errClosed, and closes the kept statements.
func (w *writer) drain() {
	for _, st := range w.kept {
		st.Close()
	}
	for {
		select {
		case r := <-w.queue:
			if r.state.CompareAndSwap(queued, taken) {
				r.err = errClosed
				close(r.done)
			}
		default:
			return
		}
	}
}

// commit runs a batch in one transaction and answers each request.
func (w *writer) commit(batch []*writeRequest) {
	live := batch[:0]
	for _, r := range batch {
		if r.state.CompareAndSwap(queued, taken) {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	defer func() {
		for _, r := range live {
			close(r.done)
		}
	}()
	failAll := func(err error) {
		for _, r := range live {
			r.err = err
		}
	}
	sqlTx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		failAll(fmt.Errorf("sqlite: begin: %w", err))
		return
	}
	tx := &txn{tx: sqlTx, w: w}
	defer w.keep()
	if len(live) == 1 {
		// Alone, a request needs no savepoint: its failure is the transaction's.
		r := live[0]
		if r.err = call(r, tx); r.err != nil {
			sqlTx.Rollback()
			return
		}
		if err := sqlTx.Commit(); err != nil {
			r.err = fmt.Errorf("sqlite: commit: %w", err)
		}
		w.commits.Add(1)
		return
	}
	ok := 0
	for _, r := range live {
		ctx := context.WithoutCancel(r.ctx)
		if _, err := tx.ExecContext(ctx, "SAVEPOINT request"); err != nil {
			sqlTx.Rollback()
			failAll(fmt.Errorf("sqlite: savepoint: %w", err))
			return
		}
		if r.err = call(r, tx); r.err != nil {
			var p *panicked
			if errors.As(r.err, &p) {
				// Who knows what the request left half done: nothing of the batch stays.
				sqlTx.Rollback()
				failAll(r.err)
				return
			}
			_, err := tx.ExecContext(ctx, "ROLLBACK TO request")
			if err == nil {
				_, err = tx.ExecContext(ctx, "RELEASE request")
			}
			if err != nil {
				// The transaction is beyond saving: nothing of the batch is written.
				sqlTx.Rollback()
				failAll(fmt.Errorf("sqlite: roll back a request: %w (after %v)", err, r.err))
				return
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, "RELEASE request"); err != nil {
			sqlTx.Rollback()
			failAll(fmt.Errorf("sqlite: release: %w", err))
			return
		}
		ok++
	}
	if ok == 0 {
		sqlTx.Rollback()
		return
	}
	if err := sqlTx.Commit(); err != nil {
		for _, r := range live {
			if r.err == nil {
				r.err = fmt.Errorf("sqlite: commit: %w", err)
			}
		}
	}
	w.commits.Add(1)
}
