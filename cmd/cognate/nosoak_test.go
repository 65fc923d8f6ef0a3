//go:build !soak

package main

// soak is false in the CI tier; go test -tags soak runs the long forms of the process tests.
const soak = false
