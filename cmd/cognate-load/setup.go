package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// password is every load user's password: it meets Cognito's default policy.
const password = "Load-Passw0rd!"

// target is what a run drives: a pool, an app client without a secret, and its users.
type target struct {
	poolID   string
	clientID string
	users    int
}

// username is the name of the i-th load user; its email is username@example.com.
func username(i int) string { return fmt.Sprintf("load%07d", i) }

// setupPool creates the pool (Cognito's default password policy, recovery by verified
// email) and an app client that allows USER_PASSWORD_AUTH.
func setupPool(ctx context.Context, w *wire, name string) (*target, error) {
	var pool struct {
		UserPool struct{ Id string }
	}
	if err := w.call(ctx, "CreateUserPool", true, map[string]any{
		"PoolName":               name,
		"AutoVerifiedAttributes": []string{"email"},
		"AccountRecoverySetting": map[string]any{"RecoveryMechanisms": []map[string]any{{"Name": "verified_email", "Priority": 1}}},
	}, &pool); err != nil {
		return nil, fmt.Errorf("CreateUserPool: %w", err)
	}
	var client struct {
		UserPoolClient struct{ ClientId string }
	}
	if err := w.call(ctx, "CreateUserPoolClient", true, map[string]any{
		"UserPoolId":        pool.UserPool.Id,
		"ClientName":        "load",
		"ExplicitAuthFlows": []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
	}, &client); err != nil {
		return nil, fmt.Errorf("CreateUserPoolClient: %w", err)
	}
	return &target{poolID: pool.UserPool.Id, clientID: client.UserPoolClient.ClientId}, nil
}

// userMaker puts users load<first> … load<first+n-1> into a pool, CONFIRMED with the load
// password and a verified email, reporting each one done. The admin API does it on every
// server; a server with user import jobs can do it faster, and a maker of its own plugs in
// here ("by import where the server has it, else the admin API").
type userMaker interface {
	// name says how users are made, for the report.
	name() string
	makeUsers(ctx context.Context, t *target, first, n int, done func()) error
}

// adminMaker makes users with AdminCreateUser (invitation suppressed) and
// AdminSetUserPassword (permanent), a few at a time: two password hashes a user.
type adminMaker struct {
	w           *wire
	concurrency int
}

func (adminMaker) name() string { return "admin API" }

func (m adminMaker) makeUsers(ctx context.Context, t *target, first, n int, done func()) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range max(m.concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				if err := m.makeUser(ctx, t, username(first+i)); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
					return
				}
				done()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func (m adminMaker) makeUser(ctx context.Context, t *target, name string) error {
	err := m.w.call(ctx, "AdminCreateUser", true, map[string]any{
		"UserPoolId":    t.poolID,
		"Username":      name,
		"MessageAction": "SUPPRESS",
		"UserAttributes": []map[string]string{
			{"Name": "email", "Value": name + "@example.com"},
			{"Name": "email_verified", "Value": "true"},
		},
	}, nil)
	if err != nil {
		return fmt.Errorf("AdminCreateUser %s: %w", name, err)
	}
	if err := m.w.call(ctx, "AdminSetUserPassword", true, map[string]any{
		"UserPoolId": t.poolID, "Username": name, "Password": password, "Permanent": true,
	}, nil); err != nil {
		return fmt.Errorf("AdminSetUserPassword %s: %w", name, err)
	}
	return nil
}

// makeUsers runs maker for users first … first+n-1 with a progress line on progress every
// second and at the end; the target then has the users up to the last one made.
func makeUsers(ctx context.Context, maker userMaker, t *target, first, n int, progress io.Writer) error {
	var made atomic.Int64
	start := time.Now()
	line := func() {
		el := time.Since(start).Seconds()
		fmt.Fprintf(progress, "users: %d/%d made by %s in %.1fs (%.0f/s)\n", made.Load(), n, maker.name(), el, float64(made.Load())/max(el, 1e-9))
	}
	stop := make(chan struct{})
	ticked := make(chan struct{})
	go func() {
		defer close(ticked)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				line()
			}
		}
	}()
	err := maker.makeUsers(ctx, t, first, n, func() { made.Add(1) })
	close(stop)
	<-ticked
	line()
	if err == nil && int(made.Load()) != n {
		err = errors.New("not every user was made")
	}
	t.users = first + int(made.Load())
	return err
}
