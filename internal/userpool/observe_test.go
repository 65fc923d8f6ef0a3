package userpool_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"cognate/internal/userpool"
)

// triggerLog is an Observer that records trigger invocations.
type triggerLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *triggerLog) TriggerInvoked(source, outcome string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, source+" "+outcome)
}

func TestObserverSeesTriggerInvocations(t *testing.T) {
	f := newFixture(t, true)
	obs := &triggerLog{}
	f.svc = userpool.New(f.store, userpool.Options{Now: f.clock.now, Invoker: f.calls, Observer: obs,
		Hasher: userpool.NewHasher(userpool.HashParams{MemoryKiB: 64, Time: 1, Threads: 1}, 4)})
	if err := f.confirm(f.forgot(t), "An0ther-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	f.calls.fail = &userpool.TriggerError{Message: "boom"}
	f.confirm(f.forgot(t), "Th1rd-Passw0rd!")
	f.calls.fail = errors.New("connection refused")
	f.confirm(f.forgot(t), "F0urth-Passw0rd!")
	want := []string{
		"PostConfirmation_ConfirmForgotPassword ok",
		"PostConfirmation_ConfirmForgotPassword failed",
		"PostConfirmation_ConfirmForgotPassword unreachable",
	}
	if diff := cmp.Diff(want, obs.calls); diff != "" {
		t.Errorf("trigger invocations observed (-want +got):\n%s", diff)
	}
	if n := f.svc.HashQueue(); n != 0 {
		t.Errorf("HashQueue of an idle service = %d", n)
	}
}
