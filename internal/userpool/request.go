package userpool

import "context"

// Caller is what an operation may know of the request that asked for it: the facts the
// wire layer saw, handed down through the context (rule 6: request-scoped values only).
// It holds no URL: every absolute URL cognate makes comes from the configured public URL
// (Options.PublicURL), never from the request's Host header, which the caller chooses.
type Caller struct {
	// SourceIP is the address the request came from.
	SourceIP string
	// UserAgent is the client's User-Agent.
	UserAgent string
	// Operation is the API operation the request asks for; "" outside the JSON API.
	Operation string
	// Region is the AWS Region the request was addressed to: its SigV4 credential scope's,
	// or its host's (cognito-idp.<region>.amazonaws.com); "" when it names none. A
	// secondary replica's Region gets the replica's treatment (replica_region.go).
	Region string
}

type callerKey struct{}

// WithCaller returns a context carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller a context carries, or the zero Caller.
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	return c
}
