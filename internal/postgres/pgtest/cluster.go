package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// Cluster is a PostgreSQL cluster of the test's own: initdb'd into a temporary directory,
// listening on a free loopback port, and stopped and removed when the test ends. Fault
// tests stop and restart it, which they must never do to the database other tests share.
type Cluster struct {
	// DSN connects to its database postgres as the superuser postgres, without a password.
	DSN string

	bin, dir, data, port string
	asPostgres           bool
}

// NewCluster makes and starts a cluster. It skips the test (or fails it, when postgres is
// required) when PostgreSQL's server programs are not installed. Run as root, the cluster
// runs as the user postgres, since PostgreSQL refuses to run as root.
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	bin := serverBin()
	if bin == "" {
		if Required() {
			t.Fatal("PostgreSQL's server programs (initdb, pg_ctl) are not installed and COGNATE_TEST_REQUIRE names postgres")
		}
		t.Skip("needs PostgreSQL's server programs (initdb, pg_ctl) for a cluster of its own")
	}
	dir, err := os.MkdirTemp("", "cognate-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{bin: bin, dir: dir, data: filepath.Join(dir, "data"), asPostgres: os.Geteuid() == 0}
	t.Cleanup(func() {
		c.pgctl("stop", "-m", "immediate")
		os.RemoveAll(dir)
	})
	if c.asPostgres {
		u, err := user.Lookup("postgres")
		if err != nil {
			t.Fatalf("running as root, and there is no user postgres to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, c.port, _ = net.SplitHostPort(ln.Addr().String())
	ln.Close()
	if out, err := c.command("initdb", "-D", c.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8").CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%s/postgres?sslmode=disable", c.port)
	c.Start(t)
	return c
}

// serverBin finds the directory of initdb and pg_ctl: on PATH, else Debian's
// /usr/lib/postgresql/<version>/bin (the newest version).
func serverBin() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p)
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return va - vb
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i]
		}
	}
	return ""
}

// command is one of PostgreSQL's programs, run as postgres when the test runs as root.
func (c *Cluster) command(prog string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, prog)
	if c.asPostgres {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (c *Cluster) pgctl(args ...string) ([]byte, error) {
	base := []string{"-D", c.data, "-w", "-t", "60", "-l", filepath.Join(c.dir, "log"),
		"-o", fmt.Sprintf("-p %s -k %s -c listen_addresses=127.0.0.1", c.port, c.dir)}
	return c.command("pg_ctl", append(base, args...)...).CombinedOutput()
}

// Start starts the cluster and waits until it accepts connections.
func (c *Cluster) Start(t testing.TB) {
	t.Helper()
	if out, err := c.pgctl("start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.dir, "log"))
		t.Fatalf("pg_ctl start: %v\n%s\n%s", err, out, log)
	}
}

// Stop stops the cluster: mode "fast" (connections closed, a clean shutdown) or
// "immediate" (the server processes killed, recovery from the WAL at the next start, as
// after a crash).
func (c *Cluster) Stop(t testing.TB, mode string) {
	t.Helper()
	if out, err := c.pgctl("stop", "-m", mode); err != nil {
		t.Fatalf("pg_ctl stop -m %s: %v\n%s", mode, err, out)
	}
}
