package userpool

import (
	"context"
	"io"
	"runtime"
	"sync"
	"time"
)

// shadowSamples is how many recent durations a pool's shadow time draws from.
const shadowSamples = 64

// shadowTimes keeps, per pool, how long one side of a hiding client's requests took of late,
// for the side that does less to wait at its end until one of them would have answered, or
// the time of the answer tells the two apart (issue 15, enumeration timing). ForgotPassword
// calls the pool's UserMigration function for a name it does not find, and never for a
// user it finds: a found user waits for the requests that called it and found nobody
// (Service.shadows). Without the function, what remains different after the two do the
// same work (a found user's row is read and decoded; its writes have a user's keys) makes
// a simulated answer wait for real users' requests (Service.answers). The wait is drawn at
// random from the recent durations, so that the two answers' times share their whole
// distribution, not only a mean.
//
// These are durations of the real world, measured with the wall clock on purpose: they
// are about how long an answer takes, not about the domain's time (Service.Now).
type shadowTimes struct {
	mu     sync.Mutex
	byPool map[string]*shadowRing
	// late is how late waits have ended of late, past the instant they aimed at (a moving
	// average): mostly the time the machine takes to run a goroutine again once its wait is
	// over. A name that is no user pays that once, when the function's answer wakes it up,
	// and that is in the durations recorded; a found user would pay it a second time at the
	// end of its wait, and on a busy machine, where a goroutine that yields the processor
	// waits long to get it back, that showed in the means. So a wait aims that much before
	// its drawn duration ends, and ends, on average, when the drawn duration does.
	late time.Duration
}

// lateWeight is the weight of one wait in the moving average of late: 1/lateWeight.
// lateCap bounds what one wait adds to it, so that a stall of the whole process (a pause,
// a suspended machine) does not make found users' waits short for long.
const (
	lateWeight = 64
	lateCap    = 5 * time.Millisecond
)

type shadowRing struct {
	d [shadowSamples]time.Duration
	n int // samples recorded, the newest at (n-1) % shadowSamples
}

// record remembers one duration of the pool's shadow work.
func (t *shadowTimes) record(pool string, d time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byPool == nil {
		t.byPool = map[string]*shadowRing{}
	}
	r := t.byPool[pool]
	if r == nil {
		r = &shadowRing{}
		t.byPool[pool] = r
	}
	r.d[r.n%shadowSamples] = d
	r.n++
}

// wait sleeps until one of the pool's recent durations, drawn at random, has passed since
// start, less how late waits end (late): not at all before any was recorded, and no longer
// than ctx allows.
func (t *shadowTimes) wait(ctx context.Context, pool string, start time.Time, rnd io.Reader) {
	t.mu.Lock()
	r := t.byPool[pool]
	var d time.Duration
	if r != nil && r.n > 0 {
		if i, err := randIndex(rnd, min(r.n, shadowSamples)); err == nil {
			d = r.d[i]
		}
	}
	late := t.late
	t.mu.Unlock()
	if d == 0 {
		return
	}
	// The wait aims late before the drawn duration ends; how much past its aim it ends
	// (when the aim has already passed, how long ago) is learnt into late. A wait that aims
	// too early thus ends past its aim by less than late, and late shrinks: it settles
	// where waits end, on average, when the drawn durations do.
	aim := start.Add(d - late)
	defer func() {
		if ctx.Err() != nil {
			return // cut short: it tells nothing of how late waits end
		}
		over := min(time.Since(aim), lateCap)
		t.mu.Lock()
		t.late += (over - t.late) / lateWeight
		t.mu.Unlock()
	}()
	deadline := aim
	// A sleeping goroutine may wake up to a millisecond late when the process is idle (the
	// poller's timeout is in milliseconds), which is as long as the function's whole
	// answer may take: the wait sleeps until a millisecond before the deadline, then
	// yields the processor until it has come, so that it ends on time. The cost is at most
	// about a millisecond of yielding per found user, and only for hiding clients of pools
	// with a UserMigration function.
	if left := time.Until(deadline) - time.Millisecond; left > 0 {
		timer := time.NewTimer(left)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return
		}
	}
	for time.Now().Before(deadline) && ctx.Err() == nil {
		runtime.Gosched()
	}
}

// migratesUsers reports whether the pool has a UserMigration function.
func (p *Pool) migratesUsers() bool {
	return p.Doc.LambdaConfig != nil && deref(p.Doc.LambdaConfig.UserMigration) != ""
}
