package userpool

import "context"

// Caller is what an operation may know of the request that asked for it: the facts the
// wire layer saw, handed down through the context (rule 6: request-scoped values only).
type Caller struct {
	// BaseURL is cognate's own URL as the caller reached it ("http://127.0.0.1:9229"); token
	// issuers are BaseURL + "/" + pool id.
	BaseURL string
	// SourceIP is the address the request came from.
	SourceIP string
	// UserAgent is the client's User-Agent.
	UserAgent string
}

type callerKey struct{}

// WithCaller returns a context carrying c.
func WithCaller(ctx context.Context, c Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller a context carries, or the zero Caller.
func CallerFrom(ctx context.Context) Caller {
	c, _ := ctx.Value(callerKey{}).(Caller)
	if c.BaseURL == "" {
		c.BaseURL = "http://127.0.0.1:9229"
	}
	return c
}
