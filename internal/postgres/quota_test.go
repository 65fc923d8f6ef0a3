package postgres_test

import (
	"testing"

	"cognate/internal/postgres/pgtest"
	"cognate/internal/userpool"
	"cognate/internal/userpool/userpooltest"
)

// TestRequestQuotasSharedAcrossServices: two Services with their own connections to one
// schema share the request-rate quotas exactly (issue 12 point 2).
func TestRequestQuotasSharedAcrossServices(t *testing.T) {
	dsn := pgtest.Schema(t)
	userpooltest.TestRequestQuotasShared(t, func(t *testing.T) userpool.Store { return open(t, dsn) })
}
