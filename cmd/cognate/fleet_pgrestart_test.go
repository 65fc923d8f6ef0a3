package main

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"cognate/internal/postgres/pgtest"
)

// TestFleetPostgresRestart stops and restarts PostgreSQL under load on three server processes:
// during the gap requests fail with InternalErrorException and nothing else; within 5 s of
// its return every server answers again; every acknowledged write is there; no server
// exits. The PostgreSQL it restarts is a cluster of the test's own, never the shared one.
func TestFleetPostgresRestart(t *testing.T) {
	cluster := pgtest.NewCluster(t)
	f := startFleetOn(t, cluster.DSN, 3, "--log-level", "info", "--pg-statement-timeout", "2s")
	s := f.servers
	pool := createPool(t, s[0].Client, &cip.CreateUserPoolInput{PoolName: aws.String("restart")})
	const workers = 6
	for w := range workers {
		createUser(t, s[0].Client, pool, fmt.Sprintf("user%d", w))
	}
	var (
		stop            = make(chan struct{})
		wg              sync.WaitGroup
		okCount, failed atomic.Int64
		mu              sync.Mutex
		other           []error
		acked, tried    = make([]int, workers), make([]int, workers)
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("user%d", w)
			for k := 1; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				c := s[k%3].Client
				tried[w] = k
				_, err := c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool),
					Username: aws.String(name), UserAttributes: []types.AttributeType{{Name: aws.String("name"), Value: aws.String(strconv.Itoa(k))}}})
				switch {
				case err == nil:
					acked[w] = k
					okCount.Add(1)
				case isCode(err, "InternalErrorException"):
					failed.Add(1)
					time.Sleep(10 * time.Millisecond) // a client backing off
				default:
					mu.Lock()
					other = append(other, err)
					mu.Unlock()
				}
			}
		}()
	}
	for okCount.Load() < 100 {
		time.Sleep(5 * time.Millisecond)
	}
	before := okCount.Load()
	cluster.Stop(t, "fast")
	// The gap: the load runs on until it has met the database's absence.
	for failed.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	cluster.Start(t)
	back := time.Now()
	// Every server answers again within 5 s of the database's return.
	for i, srv := range s {
		for {
			_, err := srv.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("user0")})
			if err == nil {
				break
			}
			if time.Since(back) > 5*time.Second {
				t.Fatalf("server %d still fails %v after PostgreSQL returned: %v", i, time.Since(back), err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	recovered := time.Since(back)
	afterBack := okCount.Load()
	for okCount.Load() < afterBack+100 {
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	for i, srv := range s {
		if !srv.alive() {
			t.Errorf("server %d exited", i)
		}
	}
	if len(other) > 0 {
		t.Fatalf("%d requests failed with something other than InternalErrorException; the first: %v", len(other), other[0])
	}
	for w := range workers {
		u := getUser(t, s[w%3].Client, pool, fmt.Sprintf("user%d", w))
		got, _ := strconv.Atoi(attrMap(u.UserAttributes)["name"])
		// The last write may have committed and still failed to answer; none acknowledged is lost.
		if got < acked[w] || got > tried[w] {
			t.Errorf("user%d's name is %d; acknowledged up to %d, tried up to %d", w, got, acked[w], tried[w])
		}
	}
	t.Logf("PostgreSQL restarted under load: %d requests succeeded before, %d failed with InternalErrorException during the gap, all 3 servers answered %v after its return, %d succeeded in all",
		before, failed.Load(), recovered.Round(time.Millisecond), okCount.Load())
}
