package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"cognate/internal/userpool"
)

// Clock is the server's movable clock, a test control: it reads the real time plus an
// offset that POST /_cognate/clock moves forward, so that codes, tokens, sessions, attempt
// windows and delivery retries expire as they would with time passing. It is safe for
// concurrent use.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the real time moved by the offset; the service's Options.Now.
func (c *Clock) Now() time.Time { return time.Now().Add(c.Offset()) }

// Offset is how far the clock has been moved.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// Advance moves the clock forward by d and answers the new offset.
func (c *Clock) Advance(d time.Duration) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
	return c.offset
}

// Reset puts the clock back to the real time.
func (c *Clock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = 0
}

// Controls are the test controls of the emulator mode (no signature checks, loopback
// only): the movable clock and the reset of one pool. cmd/cognate builds them only in
// that mode; a nil *Controls refuses their endpoints.
type Controls struct {
	// Clock is the service's clock.
	Clock *Clock
}

// errNoControls answers a test control asked of a server outside the emulator mode.
const errNoControls = "The test controls work only in emulator mode: without --credentials, listening on loopback."

// clockState is the wire form of the clock: the offset as a Go duration and in seconds,
// and the moved time in epoch seconds as AWS writes times.
type clockState struct {
	Offset        string        `json:"Offset"`
	OffsetSeconds float64       `json:"OffsetSeconds"`
	Now           userpool.Time `json:"Now"`
}

func (c *Controls) clockState() clockState {
	off := c.Clock.Offset()
	return clockState{Offset: off.String(), OffsetSeconds: off.Seconds(), Now: userpool.At(c.Clock.Now())}
}

// getClock answers GET /_cognate/clock.
func (c *Controls) getClock(w http.ResponseWriter, r *http.Request) {
	if c == nil {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": errNoControls})
		return
	}
	writeJSON(w, http.StatusOK, c.clockState())
}

// advanceClock answers POST /_cognate/clock: the amount comes as ?Advance= or as the body
// {"Advance": "61m"} (a Go duration) or {"Advance": 3660} (seconds). Only forward: a clock
// moved back would let a used code's window or a refused attempt's hour come round again.
func (c *Controls) advanceClock(w http.ResponseWriter, r *http.Request) {
	if c == nil {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": errNoControls})
		return
	}
	d, err := advanceAmount(r)
	if err != "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": err})
		return
	}
	c.Clock.Advance(d)
	writeJSON(w, http.StatusOK, c.clockState())
}

// resetClock answers DELETE /_cognate/clock.
func (c *Controls) resetClock(w http.ResponseWriter, r *http.Request) {
	if c == nil {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": errNoControls})
		return
	}
	c.Clock.Reset()
	writeJSON(w, http.StatusOK, c.clockState())
}

const advanceUsage = `Say how far to move the clock: ?Advance=61m, or a body {"Advance": "61m"} (a duration such as 90s, 61m or 25h) or {"Advance": 3660} (seconds); forward only.`

// advanceAmount reads the amount of POST /_cognate/clock, or a message saying what is wrong.
func advanceAmount(r *http.Request) (time.Duration, string) {
	raw := r.URL.Query().Get("Advance")
	if raw == "" {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<10))
		if err != nil || len(strings.TrimSpace(string(b))) == 0 {
			return 0, advanceUsage
		}
		var body struct {
			Advance jsontext.Value `json:"Advance"`
		}
		if err := json.Unmarshal(b, &body, json.RejectUnknownMembers(true)); err != nil || len(body.Advance) == 0 {
			return 0, advanceUsage
		}
		raw = strings.Trim(string(body.Advance), `"`)
	}
	d, err := time.ParseDuration(raw)
	if err != nil {
		secs, ferr := strconv.ParseFloat(raw, 64)
		if ferr != nil {
			return 0, advanceUsage
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 {
		return 0, advanceUsage
	}
	return d, ""
}

// resetPool answers POST /_cognate/reset?UserPoolId=: one pool's users, attempts and
// messages go, the pool with its clients and groups stays.
func (d devEndpoints) resetPool(w http.ResponseWriter, r *http.Request, pool string) {
	if d.controls == nil {
		writeJSON(w, http.StatusForbidden, map[string]string{"message": errNoControls})
		return
	}
	d.answer(w, r, d.service.ResetPool(r.Context(), pool), map[string]any{})
}

// answer writes ok, or the error: a Cognito one as 404 with its exception and message.
func (d devEndpoints) answer(w http.ResponseWriter, r *http.Request, err error, ok any) {
	var ue *userpool.Error
	switch {
	case errors.As(err, &ue):
		writeJSON(w, http.StatusNotFound, map[string]string{"__type": ue.Code, "message": ue.Message})
	case err != nil:
		d.fail(w, r, err)
	default:
		writeJSON(w, http.StatusOK, ok)
	}
}
