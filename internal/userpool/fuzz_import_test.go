package userpool_test

import (
	"strings"
	"testing"

	"cognate/internal/userpool"
)

// FuzzImportCSV runs user import jobs on any file. Whatever the bytes, the job ends
// Succeeded or Failed (never stuck, never a panic of the runner), its counts are not
// negative and add up to no more rows than the file has lines, and every user it imported
// is one ListUsers can list.
func FuzzImportCSV(f *testing.F) {
	fx := newFixture(f, false)
	good := string(importCSV(f, fx.svc, fx.pool, 3))
	header, _, _ := strings.Cut(good, "\n")
	for _, s := range []string{good, header + "\n", "", "\xef\xbb\xbf" + good, strings.ReplaceAll(good, ",", ";"),
		header + "\n\"unclosed,\n", header + "\na,b\n", strings.Replace(good, "true", "maybe", 1),
		strings.Replace(good, "user0000001", "user0000000", 1), strings.Replace(good, "user0000002@example.com", "user0000000@example.com", 1),
		"cognito:username,email\nx,x@y\n", strings.Replace(good, "Given", "G\xffiven", 1), strings.Replace(good, "user0000001,", "us\xfer0000001,", 1), header + "\n" + strings.Repeat(",", strings.Count(header, ",")) + "\n"} {
		f.Add([]byte(s))
	}
	runCtx, cancel := contextWithCancel()
	done := make(chan struct{})
	go func() { defer close(done); fx.svc.RunImports(runCtx) }()
	f.Cleanup(func() { cancel(); <-done })
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > userpool.MaxImportFileBytes {
			return
		}
		id := startImport(t, fx.svc, fx.pool, data)
		j := waitJob(t, fx.svc, fx.pool, id)
		if s := *j.Status; s != "Succeeded" && s != "Failed" {
			t.Fatalf("job on %q ended %s", data, s)
		}
		lines := int64(strings.Count(string(data), "\n") + 1)
		imported, skipped, failed := *j.ImportedUsers, *j.SkippedUsers, *j.FailedUsers
		if imported < 0 || skipped < 0 || failed < 0 || imported+skipped+failed > lines {
			t.Fatalf("job on %q counted %d imported, %d skipped, %d failed of %d lines", data, imported, skipped, failed, lines)
		}
		if imported > 0 {
			if _, err := fx.svc.ListUsers(ctx, &userpool.ListUsersRequest{UserPoolId: &fx.pool}); err != nil {
				t.Fatalf("ListUsers after importing %q: %v", data, err)
			}
		}
	})
}
