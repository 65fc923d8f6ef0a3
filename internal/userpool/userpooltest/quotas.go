package userpooltest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// TestRequestQuotasShared runs two Services, each on its own Store over one database
// (newStore returns a new Store of that database on each call), as two cognate processes
// on one database: of concurrent requests of one
// category in one second, exactly the category's quota is admitted, wherever they land,
// and a limit raised through one Service holds in the other (issue 12 point 2).
func TestRequestQuotasShared(t *testing.T, newStore func(t *testing.T) userpool.Store) {
	at := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return at }
	opts := userpool.Options{Now: clock, RequestQuotas: true}
	a := userpool.New(newStore(t), opts)
	b := userpool.New(newStore(t), opts)

	// admitted sends n requests of op, alternating between the Services, all at once.
	admitted := func(op string, n int) int {
		t.Helper()
		var (
			mu      sync.Mutex
			ok      int
			wg      sync.WaitGroup
			unknown []error
		)
		start := make(chan struct{})
		for i := range n {
			svc := a
			if i%2 == 1 {
				svc = b
			}
			wg.Go(func() {
				<-start
				err := svc.AdmitRequest(t.Context(), op)
				mu.Lock()
				defer mu.Unlock()
				var e *userpool.Error
				switch {
				case err == nil:
					ok++
				case errors.As(err, &e) && e.Code == "TooManyRequestsException" && e.Message == "Rate exceeded":
				default:
					unknown = append(unknown, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if len(unknown) > 0 {
			t.Fatalf("%s: unexpected errors %v", op, unknown)
		}
		return ok
	}

	// UserPoolRead: 15 a second, not adjustable.
	if got := admitted("DescribeUserPool", 40); got != 15 {
		t.Fatalf("40 concurrent DescribeUserPool over two Services admitted %d, want exactly 15", got)
	}
	// ListUserPools shares the category's second, which is spent.
	if got := admitted("ListUserPools", 4); got != 0 {
		t.Fatalf("ListUserPools in the spent second admitted %d, want 0", got)
	}
	// UserCreation raised to 60 through one Service holds in both.
	raise := &userpool.UpdateProvisionedLimitRequest{
		LimitDefinition:     &userpool.LimitDefinitionType{LimitClass: ptr("API_CATEGORY"), Attributes: map[string]string{"Category": "UserCreation"}},
		RequestedLimitValue: ptr(int32(60)),
	}
	if _, err := a.UpdateProvisionedLimit(t.Context(), raise); err != nil {
		t.Fatalf("UpdateProvisionedLimit: %v", err)
	}
	if got := admitted("SignUp", 100); got != 60 {
		t.Fatalf("100 concurrent SignUp under a provisioned 60 admitted %d, want exactly 60", got)
	}
	// The next second has a fresh budget.
	at = at.Add(time.Second)
	if got := admitted("AdminCreateUser", 70); got != 60 {
		t.Fatalf("the next second admitted %d of 70, want 60", got)
	}
	// Challenge responses have their own quota, three times UserAuthentication's, and
	// the excess counts toward the category.
	if got := admitted("RespondToAuthChallenge", 500); got != 360+120 {
		t.Fatalf("500 RespondToAuthChallenge admitted %d, want 480 (360 of their own, 120 of the category's)", got)
	}
	if got := admitted("InitiateAuth", 5); got != 0 {
		t.Fatalf("InitiateAuth after the challenges spent the category admitted %d, want 0", got)
	}
	// Operations of no category are not counted.
	if got := admitted("GetProvisionedLimit", 30); got != 30 {
		t.Fatalf("GetProvisionedLimit admitted %d of 30", got)
	}
}
