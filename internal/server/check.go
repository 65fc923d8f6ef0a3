package server

import (
	"fmt"

	"cognate/internal/awsjson"
)

// Checker returns a function that validates a request body of the named operation against
// the model, as the API does, and refuses members the model does not name: for requests
// that come from a file written by hand (seed files) rather than from the wire.
func Checker() func(op string, body []byte) error {
	ops := newModel()
	h := &awsjson.Handler{ValidationErrorCode: "InvalidParameterException"}
	return func(name string, body []byte) error {
		op, ok := ops[name]
		if !ok {
			return fmt.Errorf("no operation %s in the model", name)
		}
		return h.Check(op, body, true)
	}
}
