package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// opStats are the figures of one operation over a run.
type opStats struct {
	Op      string         `json:"op"`
	Count   int            `json:"count"`
	OK      int            `json:"ok"`
	Rate    float64        `json:"okPerSecond"`
	P50     float64        `json:"p50Ms"`
	P90     float64        `json:"p90Ms"`
	P99     float64        `json:"p99Ms"`
	Max     float64        `json:"maxMs"`
	Errors  map[string]int `json:"errors,omitempty"`
	Samples []string       `json:"errorSamples,omitempty"`
}

// result is a run's report.
type result struct {
	Endpoint    string     `json:"endpoint"`
	Mix         string     `json:"mix"`
	Concurrency int        `json:"concurrency"`
	Users       int        `json:"users"`
	UsersMadeBy string     `json:"usersMadeBy,omitempty"`
	SetupRate   float64    `json:"usersPerSecond,omitempty"`
	Seconds     float64    `json:"seconds"`
	Exhausted   bool       `json:"usersExhausted,omitempty"`
	Ops         []*opStats `json:"ops"`
	Argon2Rate  float64    `json:"argon2idPerSecond,omitempty"`
	Argon2Rates []float64  `json:"argon2idPerSecondBeforeAfter,omitempty"`
	RSS         *rss       `json:"serverRSS,omitempty"`
	// Of an open-loop run (--rate):
	PeakInFlight int64         `json:"peakInFlight,omitempty"`
	Messages     *messageCheck `json:"messages,omitempty"`
	RSSSeries    *rssSeries    `json:"serverRSSSeries,omitempty"`
}

// summarize turns samples into per-operation figures, in the order operations first appear.
func summarize(samples []sample, elapsed time.Duration) []*opStats {
	byOp := map[string][]sample{}
	var order []string
	for _, s := range samples {
		if _, ok := byOp[s.op]; !ok {
			order = append(order, s.op)
		}
		byOp[s.op] = append(byOp[s.op], s)
	}
	var out []*opStats
	for _, op := range order {
		ss := byOp[op]
		st := &opStats{Op: op, Count: len(ss)}
		ds := make([]time.Duration, len(ss))
		for i, s := range ss {
			ds[i] = s.d
			if s.err == nil {
				st.OK++
				continue
			}
			if st.Errors == nil {
				st.Errors = map[string]int{}
			}
			name := "transport"
			var ae *apiError
			var te toolError
			switch {
			case errors.As(s.err, &ae):
				name = ae.Type
			case errors.As(s.err, &te):
				name = "client"
			}
			if st.Errors[name] == 0 && len(st.Samples) < 5 {
				st.Samples = append(st.Samples, s.err.Error())
			}
			st.Errors[name]++
		}
		slices.Sort(ds)
		st.Rate = float64(st.OK) / elapsed.Seconds()
		st.P50, st.P90, st.P99 = ms(quantile(ds, .50)), ms(quantile(ds, .90)), ms(quantile(ds, .99))
		st.Max = ms(ds[len(ds)-1])
		out = append(out, st)
	}
	return out
}

// quantile is the nearest-rank quantile of sorted durations.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(float64(len(sorted))*q+0.999999) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// writeText prints the report for a person.
func (r *result) writeText(w io.Writer) {
	fmt.Fprintf(w, "endpoint %s, mix %s, %d clients, %d users", r.Endpoint, r.Mix, r.Concurrency, r.Users)
	if r.UsersMadeBy != "" {
		fmt.Fprintf(w, " (made by %s at %.0f/s)", r.UsersMadeBy, r.SetupRate)
	}
	fmt.Fprintf(w, ", %.1fs\n", r.Seconds)
	if r.Exhausted {
		fmt.Fprintln(w, "note: the run ended early: every user had made as many ForgotPassword requests as --uses-per-user allows")
	}
	fmt.Fprintf(w, "%-34s %8s %8s %9s %8s %8s %8s %8s  %s\n", "operation", "requests", "failed", "ok/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
	for _, s := range r.Ops {
		var errs []string
		for _, name := range slices.Sorted(maps.Keys(s.Errors)) {
			errs = append(errs, fmt.Sprintf("%s×%d", name, s.Errors[name]))
		}
		fmt.Fprintf(w, "%-34s %8d %8d %9.1f %8.2f %8.2f %8.2f %8.2f  %s\n", s.Op, s.Count, s.Count-s.OK, s.Rate, s.P50, s.P90, s.P99, s.Max, strings.Join(errs, " "))
		for _, e := range s.Samples {
			fmt.Fprintf(w, "    e.g. %s\n", e)
		}
	}
	if r.Argon2Rate > 0 {
		fmt.Fprintf(w, "bare argon2id (m=19456 KiB, t=2, p=1) on these cores: %.1f hashes/s (%.1f before, %.1f after the workload)\n",
			r.Argon2Rate, r.Argon2Rates[0], r.Argon2Rates[1])
		for _, s := range r.Ops {
			if s.Op == opConfirm || s.Op == opAuth {
				fmt.Fprintf(w, "%s: %.1f%% of the bare argon2id rate\n", s.Op, 100*s.Rate/r.Argon2Rate)
			}
		}
	}
	if r.PeakInFlight > 0 {
		fmt.Fprintf(w, "arrivals in flight at most: %d\n", r.PeakInFlight)
	}
	if m := r.Messages; m != nil {
		fmt.Fprintf(w, "recovery messages: %d for %d accepted ForgotPassword requests, %d users mismatched, statuses %v (outbox drained in %.1fs)\n",
			m.Messages, m.Accepted, m.Mismatched, m.Statuses, m.DrainSecs)
	}
	if s := r.RSSSeries; s != nil {
		fmt.Fprintf(w, "server RSS sampled %d times: %.1f MiB first, %.1f MiB max, %.1f MiB last\n", len(s.Samples), s.FirstMiB, s.MaxMiB, s.LastMiB)
	}
	if r.RSS != nil {
		fmt.Fprintf(w, "server RSS: %.1f MiB at the end, %.1f MiB peak (VmHWM)\n", r.RSS.CurrentMiB, r.RSS.PeakMiB)
	}
}

func (r *result) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
