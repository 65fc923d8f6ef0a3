//go:build soak

package main

// soak is true in the soak tier (go test -tags soak): the long forms of the process tests.
const soak = true
