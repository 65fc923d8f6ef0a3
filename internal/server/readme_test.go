package server

// The README's table of operations is made from routes.go: its groups are the comments
// that head each run of operations there, and the operations of the model that routes.go
// leaves out are listed as answering UnsupportedOperationException. This test fails when
// the README says otherwise, and rewrites it with -update.

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README's table of operations from routes.go")

const (
	readmePath     = "../../README.md"
	operationsFrom = "<!-- operations: made from internal/server/routes.go by `go test ./internal/server -run TestReadmeOperations -update` -->"
	operationsTo   = "<!-- operations end -->"
)

// routeGroup is one run of operations in routes.go under its heading comment.
type routeGroup struct {
	title string
	ops   []string
}

var (
	bindLine    = regexp.MustCompile(`^\s*add\(awsjson\.Bind\(ops\["(\w+)"\]`)
	commentLine = regexp.MustCompile(`^\s*// (.*)$`)
)

// routeGroups reads routes.go's groups: a comment after an operation (or at the start of
// the function) opens a group titled by its first clause.
func routeGroups(t *testing.T) []routeGroup {
	t.Helper()
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	body := string(src)
	start := strings.Index(body, "func routes(")
	end := strings.Index(body[start:], "\n}\n")
	var groups []routeGroup
	inComment := false
	for _, line := range strings.Split(body[start:start+end], "\n") {
		if m := commentLine.FindStringSubmatch(line); m != nil {
			if !inComment {
				title := m[1]
				if i := strings.IndexAny(title, ".:;("); i > 0 {
					title = title[:i]
				}
				groups = append(groups, routeGroup{title: title})
			}
			inComment = true
			continue
		}
		inComment = false
		if m := bindLine.FindStringSubmatch(line); m != nil {
			if len(groups) == 0 {
				t.Fatalf("routes.go binds %s before any heading comment", m[1])
			}
			g := &groups[len(groups)-1]
			g.ops = append(g.ops, m[1])
		}
	}
	var kept []routeGroup
	for _, g := range groups {
		if len(g.ops) > 0 {
			kept = append(kept, g)
		}
	}
	return kept
}

// operationsTable is the README's section between the markers.
func operationsTable(groups []routeGroup, unsupported []string) string {
	var b strings.Builder
	n := 0
	for _, g := range groups {
		n += len(g.ops)
	}
	fmt.Fprintf(&b, "%s\n\n%d of the model's %d operations are carried out:\n\n", operationsFrom, n, n+len(unsupported))
	b.WriteString("| area | operations |\n| --- | --- |\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "| %s | %s |\n", g.title, strings.Join(g.ops, ", "))
	}
	if len(unsupported) > 0 {
		slices.Sort(unsupported)
		fmt.Fprintf(&b, "\nThese %d answer `UnsupportedOperationException`: %s.\n", len(unsupported), strings.Join(unsupported, ", "))
	}
	b.WriteString("\n" + operationsTo)
	return b.String()
}

func TestReadmeOperations(t *testing.T) {
	groups := routeGroups(t)
	var parsed []string
	for _, g := range groups {
		parsed = append(parsed, g.ops...)
	}
	ops := Operations()
	slices.Sort(ops)
	sortedParsed := slices.Clone(parsed)
	slices.Sort(sortedParsed)
	if !slices.Equal(sortedParsed, ops) {
		t.Fatalf("routes.go read as text names %v,\nbut routes() carries out %v: keep each operation on a line add(awsjson.Bind(ops[\"Name\"], …))", sortedParsed, ops)
	}
	want := operationsTable(groups, UnsupportedOperations())

	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	from, to := bytes.Index(readme, []byte(operationsFrom)), bytes.Index(readme, []byte(operationsTo))
	if from < 0 || to < from {
		t.Fatalf("README.md has no section between %q and %q", operationsFrom, operationsTo)
	}
	got := string(readme[from : to+len(operationsTo)])
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("README.md's table of operations is not what routes.go says; run go test ./internal/server -run TestReadmeOperations -update\ngot:\n%s\nwant:\n%s", got, want)
	}
	out := slices.Concat(readme[:from], []byte(want), readme[to+len(operationsTo):])
	if err := os.WriteFile(readmePath, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
