package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// rss is a local process's resident memory, from /proc (Linux).
type rss struct {
	CurrentMiB float64 `json:"currentMiB"`
	PeakMiB    float64 `json:"peakMiB"`
}

// readRSS reads VmRSS and VmHWM of pid.
func readRSS(pid int) (*rss, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r rss
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			return nil, fmt.Errorf("/proc/%d/status: %s: %w", pid, name, err)
		}
		if name == "VmRSS" {
			r.CurrentMiB = kb / 1024
		} else {
			r.PeakMiB = kb / 1024
		}
	}
	return &r, sc.Err()
}
