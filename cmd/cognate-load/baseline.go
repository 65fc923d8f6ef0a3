package main

import (
	"crypto/rand"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// argon2Rate hashes with cognate's argon2id parameters (ARCHITECTURE.md "Passwords":
// m=19456 KiB, t=2, p=1) on GOMAXPROCS goroutines for d and answers hashes a second: the
// bound of any operation that hashes a password once, on the same cores.
func argon2Rate(d time.Duration) float64 {
	var (
		n  atomic.Int64
		wg sync.WaitGroup
	)
	salt := make([]byte, 16)
	rand.Read(salt)
	start := time.Now()
	deadline := start.Add(d)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				argon2.IDKey([]byte(password), salt, 2, 19456, 1, 32)
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}
