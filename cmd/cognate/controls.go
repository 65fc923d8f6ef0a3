package main

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"

	"cognate/internal/server"
)

// The test controls (--fixed-code, POST /_cognate/clock, POST /_cognate/reset?UserPoolId=)
// make a server whose codes anyone can guess and whose expiries anyone can bring forward:
// they belong to the emulator mode only, where no signature is checked and only this
// machine can reach the server.

// emulator reports whether the configuration is the emulator mode: no credentials, and
// listening on loopback only.
func (c *Config) emulator() bool {
	return c.Credentials == "" && server.IsLoopback(c.Addr)
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// validateControls reports what is wrong with the test-control flags.
func (c *Config) validateControls() []error {
	if c.FixedCode == "" {
		return nil
	}
	var errs []error
	if !sixDigits.MatchString(c.FixedCode) {
		// Cognito's codes are always six digits; a test passing with another form would
		// pass against nothing real.
		errs = append(errs, errors.New("--fixed-code must be six digits, as Cognito's codes are"))
	}
	if c.Credentials != "" {
		errs = append(errs, errors.New("--fixed-code is a test control of the emulator mode and is refused with --credentials"))
	}
	if !server.IsLoopback(c.Addr) {
		errs = append(errs, fmt.Errorf("--fixed-code is a test control of the emulator mode and is refused off loopback (--addr %s)", c.Addr))
	}
	return errs
}

// controls builds the test controls of the emulator mode; outside it there are none (nil),
// and their endpoints refuse.
func (c *Config) controls() *server.Controls {
	if !c.emulator() {
		return nil
	}
	return &server.Controls{Clock: &server.Clock{}}
}

// announceControls says in a warning line that the test controls are on.
func (c *Config) announceControls(log *slog.Logger, controls *server.Controls) {
	if controls == nil {
		return
	}
	attrs := []any{"clock", "POST /_cognate/clock", "reset_pool", "POST /_cognate/reset?UserPoolId="}
	if c.FixedCode != "" {
		attrs = append(attrs, "fixed_code", "every code is the --fixed-code value")
	}
	log.Warn("test controls are on (emulator mode: no --credentials, loopback only); never use this mode for real users", attrs...)
}
