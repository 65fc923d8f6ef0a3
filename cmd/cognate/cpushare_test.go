package main

// What share of the machine's cores went to work that is not the test's own: other test
// binaries of `go test ./...`, a build, a neighbour's steal time. A latency bound holds only
// on cores the server has; TestLoadHeld reads this to know whether it had them.

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cpuTicks is the machine's CPU time from /proc/stat, in clock ticks: busy (user, nice,
// system, irq, softirq and steal — a hypervisor's steal is time these cores were not
// ours) and all.
type cpuTicks struct{ busy, all int64 }

func readCPUTicks() (cpuTicks, error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTicks{}, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return cpuTicks{}, fmt.Errorf("/proc/stat: unexpected first line %q", line)
	}
	var v [8]int64 // user nice system idle iowait irq softirq steal
	for i := range v {
		if v[i], err = strconv.ParseInt(f[i+1], 10, 64); err != nil {
			return cpuTicks{}, fmt.Errorf("/proc/stat: %w", err)
		}
	}
	busy := v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
	return cpuTicks{busy: busy, all: busy + v[3] + v[4]}, nil
}

// procTicks is a process's CPU time in clock ticks (utime and stime), with its waited-for
// children's (cutime and cstime) when children is set; 0 when the process is gone.
func procTicks(pid string, children bool) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: the fields follow its last ')'.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 15 {
		return 0
	}
	n := 2 // utime and stime are the stat file's 14th and 15th fields, f[11] and f[12]
	if children {
		n = 4
	}
	var t int64
	for _, x := range f[11 : 11+n] {
		v, _ := strconv.ParseInt(x, 10, 64)
		t += v
	}
	return t
}

// processTicks is every process's CPU time (utime and stime) by pid, with its name.
func processTicks() map[string]procSample {
	m := map[string]procSample{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid := d.Name()
		if pid[0] < '0' || pid[0] > '9' {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join("/proc", pid, "comm"))
		m[pid] = procSample{name: strings.TrimSpace(string(comm)), ticks: procTicks(pid, false)}
	}
	return m
}

type procSample struct {
	name  string
	ticks int64
}

// cpuShare measures, from start to stop, the share of all the machine's cores that went
// to processes other than the test binary (with the children it has waited for) and the
// given ones.
type cpuShare struct {
	own   []string // pids of the test's own running children
	cpu   cpuTicks
	mine  int64
	procs map[string]procSample
}

func startCPUShare(own ...int) (*cpuShare, error) {
	c := &cpuShare{}
	for _, pid := range own {
		c.own = append(c.own, strconv.Itoa(pid))
	}
	var err error
	c.procs = processTicks()
	c.mine = c.ownTicks()
	c.cpu, err = readCPUTicks()
	return c, err
}

func (c *cpuShare) ownTicks() int64 {
	t := procTicks("self", true)
	for _, pid := range c.own {
		t += procTicks(pid, false)
	}
	return t
}

// foreignShare is what stop reports: the share of the machine others used (0 to 1) and
// the processes that used the most.
type foreignShare struct {
	share float64
	top   string
}

func (c *cpuShare) stop() (foreignShare, error) {
	cpu, err := readCPUTicks()
	if err != nil {
		return foreignShare{}, err
	}
	mine := c.ownTicks()
	all := cpu.all - c.cpu.all
	if all <= 0 {
		return foreignShare{}, fmt.Errorf("/proc/stat did not move")
	}
	foreign := max(0, (cpu.busy-c.cpu.busy)-(mine-c.mine))
	// The processes that used the most, for the log: a shared machine says by whom.
	type use struct {
		what  string
		ticks int64
	}
	var uses []use
	self := strconv.Itoa(os.Getpid())
	for pid, now := range processTicks() {
		if pid == self || slices.Contains(c.own, pid) {
			continue
		}
		if d := now.ticks - c.procs[pid].ticks; d > 0 && now.name == c.procs[pid].name {
			uses = append(uses, use{fmt.Sprintf("%s[%s]", now.name, pid), d})
		} else if _, seen := c.procs[pid]; !seen && now.ticks > 0 {
			uses = append(uses, use{fmt.Sprintf("%s[%s] (new)", now.name, pid), now.ticks})
		}
	}
	slices.SortFunc(uses, func(a, b use) int { return cmp.Compare(b.ticks, a.ticks) })
	var top []string
	for _, u := range uses[:min(len(uses), 5)] {
		top = append(top, fmt.Sprintf("%s %.1f%%", u.what, 100*float64(u.ticks)/float64(all)))
	}
	return foreignShare{share: float64(foreign) / float64(all), top: strings.Join(top, ", ")}, nil
}

// waitForQuiet measures the foreign share over windows of the given length until one is at
// most quiet, or until deadline; it returns the last window's measure and whether it was quiet.
func waitForQuiet(window time.Duration, quiet float64, deadline time.Time, own ...int) (foreignShare, bool, error) {
	for {
		c, err := startCPUShare(own...)
		if err != nil {
			return foreignShare{}, false, err
		}
		time.Sleep(window) // the measure is of a length of time; nothing to wait on but its end
		f, err := c.stop()
		if err != nil || f.share <= quiet || time.Now().After(deadline) {
			return f, err == nil && f.share <= quiet, err
		}
	}
}
