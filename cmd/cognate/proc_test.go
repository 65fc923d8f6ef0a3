package main

// Child processes: the tests that must see cognate as an operator runs it — several
// processes on one database, a SIGTERM, a SIGKILL — build the binary once and start it
// with os/exec. Everything else in this package runs the server in-process through run().

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the cognate binary the process tests start, built once per test binary.
var binary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// removeBinary removes the binary the process tests built; TestMain calls it.
func removeBinary() {
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
}

// cognateBinary builds ./cmd/cognate (the package under test) once and returns its path.
func cognateBinary(t testing.TB) string {
	t.Helper()
	binary.once.Do(func() {
		if binary.dir, binary.err = os.MkdirTemp("", "cognate-bin-"); binary.err != nil {
			return
		}
		binary.path = filepath.Join(binary.dir, "cognate")
		out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput()
		if err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		t.Fatal(binary.err)
	}
	return binary.path
}

// launchProcess starts "cognate serve args..." as a child process with an empty
// environment and waits for its "listening on" line. The server it returns is stopped
// with SIGTERM (Stop, and at the end of the test), which must end it with status 0, or
// killed with SIGKILL (kill).
func launchProcess(t testing.TB, args ...string) (*testServer, error) {
	t.Helper()
	cmd := exec.Command(cognateBinary(t), append([]string{"serve"}, args...)...)
	cmd.Env = []string{}
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	out := bufio.NewReader(stdout)
	line, readErr := out.ReadString('\n')
	go func() {
		io.Copy(io.Discard, out)
		exited <- cmd.Wait()
	}()
	if readErr != nil {
		err := <-exited
		return nil, fmt.Errorf("exited before listening (%v): %s", err, stderr.String())
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		cmd.Process.Kill()
		<-exited
		return nil, fmt.Errorf("first line on stdout = %q, want \"listening on http://HOST:PORT\"", line)
	}
	s := &testServer{URL: addr, stderr: stderr, proc: &childProc{cmd: cmd, exited: exited, started: time.Since(start)}}
	var once sync.Once
	s.stop = func(t testing.TB) {
		once.Do(func() {
			if s.proc.killed {
				return
			}
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("cognate serve ended with %v after SIGTERM, want status 0", err)
				}
			case <-time.After(15 * time.Second):
				cmd.Process.Kill()
				t.Errorf("cognate serve did not exit within 15s of SIGTERM")
			}
		})
	}
	t.Cleanup(func() {
		s.stop(t)
		if t.Failed() {
			t.Logf("server log (pid %d):\n%s", cmd.Process.Pid, stderr.String())
		}
	})
	s.Client = newClient(s.URL, "test", "test")
	return s, nil
}

// childProc is what a testServer started as a child process has beyond an in-process one.
type childProc struct {
	cmd    *exec.Cmd
	exited chan error
	// started is how long the process took from exec to its "listening on" line.
	started time.Duration
	killed  bool
}

// kill ends the process with SIGKILL and waits for it to be gone.
func (s *testServer) kill(t testing.TB) {
	t.Helper()
	s.proc.killed = true
	s.proc.cmd.Process.Kill()
	err := <-s.proc.exited
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("cognate serve after SIGKILL: %v, want killed by the signal", err)
	}
}

// alive reports whether the process is still running (it has not exited on its own).
func (s *testServer) alive() bool {
	select {
	case err := <-s.proc.exited:
		s.proc.exited <- err
		return false
	default:
		return true
	}
}

// soakOr is ci in the CI tier and long in the soak tier (go test -tags soak).
func soakOr[T any](ci, long T) T {
	if soak {
		return long
	}
	return ci
}
