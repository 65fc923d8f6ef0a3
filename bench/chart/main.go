// Command chart turns the runs of bench/compare.sh into its results: a Markdown table of
// absolute figures with ratios to cognate at the same pool size, and a PNG chart of
// ForgotPassword throughput against pool size, one line per server.
//
//	chart --index runs.tsv --md results.md --png results.png --title "..."
//
// The index has one line per run: server, pool size, outcome ("ok", or why there is no
// figure) and the path of the load tool's --json report (empty without one). Extra runs
// (other mixes) name their mix after the server, as "cognate/recover".
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// report is the part of the load tool's JSON report the results use.
type report struct {
	Mix         string  `json:"mix"`
	Users       int     `json:"users"`
	UsersMadeBy string  `json:"usersMadeBy"`
	SetupRate   float64 `json:"usersPerSecond"`
	Seconds     float64 `json:"seconds"`
	Exhausted   bool    `json:"usersExhausted"`
	Ops         []struct {
		Op     string         `json:"op"`
		Count  int            `json:"count"`
		OK     int            `json:"ok"`
		Rate   float64        `json:"okPerSecond"`
		P50    float64        `json:"p50Ms"`
		P99    float64        `json:"p99Ms"`
		Max    float64        `json:"maxMs"`
		Errors map[string]int `json:"errors"`
	} `json:"ops"`
	Argon2Rate float64 `json:"argon2idPerSecond"`
	RSS        *struct {
		CurrentMiB float64 `json:"currentMiB"`
		PeakMiB    float64 `json:"peakMiB"`
	} `json:"serverRSS"`
}

// run is one line of the index with its report.
type run struct {
	server  string
	size    int
	outcome string
	rep     *report
}

func main() {
	index := flag.String("index", "", "The index of runs (TSV: server, pool size, outcome, report path).")
	md := flag.String("md", "", "Where to write the Markdown results.")
	png := flag.String("png", "", "Where to write the chart.")
	title := flag.String("title", "ForgotPassword throughput by pool size", "The chart's title.")
	notes := flag.String("notes", "", "A file of Markdown put after the table (how the run was made).")
	flag.Parse()
	if *index == "" || *md == "" || *png == "" {
		fmt.Fprintln(os.Stderr, "chart: --index, --md and --png are required")
		os.Exit(2)
	}
	if err := run1(*index, *md, *png, *title, *notes); err != nil {
		fmt.Fprintln(os.Stderr, "chart:", err)
		os.Exit(1)
	}
}

func run1(index, mdPath, pngPath, title, notesPath string) error {
	runs, err := readIndex(index)
	if err != nil {
		return err
	}
	var notes []byte
	if notesPath != "" {
		if notes, err = os.ReadFile(notesPath); err != nil {
			return err
		}
	}
	f, err := os.Create(mdPath)
	if err != nil {
		return err
	}
	writeMarkdown(f, runs, notes, pngPath)
	if err := f.Close(); err != nil {
		return err
	}
	return writeChart(runs, pngPath, title)
}

func readIndex(path string) ([]run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var runs []run
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 tab-separated fields, have %d", path, n, len(fields))
		}
		size, err := strconv.Atoi(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: pool size %q", path, n, fields[1])
		}
		r := run{server: fields[0], size: size, outcome: fields[2]}
		if fields[3] != "" {
			b, err := os.ReadFile(fields[3])
			if err != nil {
				return nil, err
			}
			r.rep = &report{}
			if err := json.Unmarshal(b, r.rep); err != nil {
				return nil, fmt.Errorf("%s: %w", fields[3], err)
			}
		}
		runs = append(runs, r)
	}
	return runs, sc.Err()
}

// headlineOps are the operation each mix is judged by, as the load tool names them.
var headlineOps = map[string]string{
	"forgot":  "ForgotPassword",
	"recover": "ConfirmForgotPassword",
	"auth":    "InitiateAuth USER_PASSWORD_AUTH",
	"get":     "AdminGetUser",
}

// op returns the index of the run's headline operation in its report, or -1.
func (r run) op() int {
	if r.rep == nil {
		return -1
	}
	for i, o := range r.rep.Ops {
		if o.Op == headlineOps[r.rep.Mix] {
			return i
		}
	}
	return -1
}

// headline is the run's figure: its headline operation's successful requests a second.
func (r run) headline() (float64, bool) {
	i := r.op()
	if i < 0 || r.outcome != "ok" {
		return 0, false
	}
	return r.rep.Ops[i].Rate, true
}

// base is the figure of cognate's run of the same mix and size, which ratios are to.
func base(runs []run, r run) (float64, bool) {
	mix := ""
	if _, m, ok := strings.Cut(r.server, "/"); ok {
		mix = "/" + m
	}
	for _, b := range runs {
		if b.server == "cognate"+mix && b.size == r.size {
			return b.headline()
		}
	}
	return 0, false
}

func writeMarkdown(w io.Writer, runs []run, notes []byte, pngPath string) {
	fmt.Fprintln(w, "| server | users | made by (users/s) | operation | ok/s | p50 ms | p99 ms | max ms | failed | server RSS | cognate ÷ server |")
	fmt.Fprintln(w, "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |")
	for _, r := range runs {
		i := r.op()
		if i < 0 {
			fmt.Fprintf(w, "| %s | %d | | | %s | | | | | | |\n", r.server, r.size, r.outcome)
			continue
		}
		made := ""
		if r.rep.UsersMadeBy != "" {
			made = fmt.Sprintf("%s (%.0f)", r.rep.UsersMadeBy, r.rep.SetupRate)
		}
		op := r.rep.Ops[i]
		failed := "0"
		if n := op.Count - op.OK; n > 0 {
			var parts []string
			for _, k := range slices.Sorted(mapKeys(op.Errors)) {
				parts = append(parts, fmt.Sprintf("%s %d", k, op.Errors[k]))
			}
			failed = fmt.Sprintf("%d (%s)", n, strings.Join(parts, ", "))
		}
		rss := ""
		if r.rep.RSS != nil {
			rss = fmt.Sprintf("%.0f MiB (peak %.0f)", r.rep.RSS.CurrentMiB, r.rep.RSS.PeakMiB)
		}
		ratio := ""
		if b, ok := base(runs, r); ok && op.Rate > 0 {
			ratio = fmt.Sprintf("%.1f×", b/op.Rate)
		}
		rate := fmt.Sprintf("%.0f", op.Rate)
		if r.outcome != "ok" {
			rate += " (" + r.outcome + ")"
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | %.1f | %.1f | %.1f | %s | %s | %s |\n",
			r.server, r.size, made, op.Op, rate, op.P50, op.P99, op.Max, failed, rss, ratio)
		if r.rep.Argon2Rate > 0 {
			fmt.Fprintf(w, "| %s | | | bare argon2id, same run | %.0f | | | | | | %.0f%% |\n",
				r.server, r.rep.Argon2Rate, 100*op.Rate/r.rep.Argon2Rate)
		}
	}
	fmt.Fprintf(w, "\n![ForgotPassword throughput by pool size](%s)\n", baseName(pngPath))
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s", notes)
	}
}

func mapKeys(m map[string]int) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func baseName(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// writeChart draws ForgotPassword throughput against pool size (log scale), a line per
// server; runs of other mixes stay out of it.
func writeChart(runs []run, path, title string) error {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "users in the pool"
	p.Y.Label.Text = "ForgotPassword requests/s (ok)"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Scale = plot.LogScale{} // the peers are orders of magnitude apart
	p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Legend.Top = true
	palette := []color.RGBA{{R: 0x1f, G: 0x77, B: 0xb4, A: 255}, {R: 0xd6, G: 0x27, B: 0x28, A: 255}, {R: 0x2c, G: 0xa0, B: 0x2c, A: 255}, {R: 0x94, G: 0x67, B: 0xbd, A: 255}}
	var servers []string
	for _, r := range runs {
		if !strings.Contains(r.server, "/") && !slices.Contains(servers, r.server) {
			servers = append(servers, r.server)
		}
	}
	drawn := 0
	for i, s := range servers {
		var pts plotter.XYs
		for _, r := range runs {
			if v, ok := r.headline(); ok && r.server == s {
				pts = append(pts, plotter.XY{X: float64(r.size), Y: math.Max(v, 0.1)})
			}
		}
		if len(pts) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		c := palette[i%len(palette)]
		line.Color, points.Color = c, c
		p.Add(line, points)
		p.Legend.Add(s, line, points)
		drawn++
	}
	if drawn == 0 {
		return errors.New("no run has a figure to draw")
	}
	return p.Save(8*vg.Inch, 5*vg.Inch, path)
}
