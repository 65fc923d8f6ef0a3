package sqlite_test

import (
	"path/filepath"
	"testing"

	"cognate/internal/userpool"
	"cognate/internal/userpool/userpooltest"
)

// TestRequestQuotasSharedAcrossServices: two Services, each with its own Store on one
// database file, as two processes on one file, share the request-rate quotas exactly.
func TestRequestQuotasSharedAcrossServices(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cognate.db")
	userpooltest.TestRequestQuotasShared(t, func(t *testing.T) userpool.Store { return open(t, path) })
}
