// Command cognate is a self-hostable server that speaks the Amazon Cognito user-pools API,
// so that unmodified AWS clients work against it with only an endpoint URL changed.
//
//	cognate serve     run the server (the default store is ./cognate-data/cognate.db)
//	cognate migrate   bring the store's schema up to date and exit
//	cognate forgot-password, confirm-forgot-password
//	                  reset a password from the command line (as the PowerShell cmdlets)
//	cognate import    import a CSV file of users through a user import job
//	cognate version   print the version
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
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "cognate:", err)
		os.Exit(1)
	}
}
