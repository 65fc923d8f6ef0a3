// Command cognate-load drives a Cognito user-pools endpoint (cognate, or any server that
// speaks the same wire: AWS JSON 1.1 over HTTP) with a chosen mix of operations at a set
// concurrency for a set time, and reports throughput, latency percentiles, errors by
// exception and, for a server running on this machine, its resident memory.
//
//	cognate-load --endpoint http://127.0.0.1:9229 --users 2000 --mix forgot --concurrency 64 --duration 20s
//
// It sets up its own pool, app client and users first (through the admin API, with
// progress on stderr), so each run starts from a known state. The mixes:
//
//	forgot   ForgotPassword
//	recover  ForgotPassword, the code read from GET /_cognate/messages, ConfirmForgotPassword
//	auth     InitiateAuth USER_PASSWORD_AUTH
//	get      AdminGetUser
//
// A mix may weigh several: --mix forgot=3,get=1. --argon2 also measures, in the same
// invocation and on the same cores, the bare argon2id rate (cognate's parameters), against
// which password-hashing operations are judged.
//
// It does not start servers: bench scripts do that, and pass --server-pid for RSS.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cognate-load:", err)
		os.Exit(1)
	}
}
