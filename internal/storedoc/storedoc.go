// Package storedoc is how cognate's stores keep documents: pools, clients, users and the
// API's own shapes as JSON text, and a cache of decoded pool and client documents. The
// SQLite and PostgreSQL stores share it, so that both write and read the same text.
package storedoc

import (
	"errors"
	"fmt"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"cognate/internal/userpool"
)

// docOptions are how the store writes and reads its JSON documents (pools, clients, users).
//
// userpool.Time marshals itself as the wire wants it: epoch seconds to the millisecond.
// A stored document must give back the instant it was given, so the store writes
// userpool.Time as RFC 3339 in UTC to the nanosecond instead. Reading also accepts the
// wire's epoch seconds, falling back to the type's own method.
func docOptions() json.Options {
	return json.JoinOptions(
		json.WithMarshalers(json.MarshalToFunc(func(enc *jsontext.Encoder, t userpool.Time) error {
			return enc.WriteToken(jsontext.String(t.UTC().Format(time.RFC3339Nano)))
		})),
		json.WithUnmarshalers(json.UnmarshalFromFunc(func(dec *jsontext.Decoder, t *userpool.Time) error {
			if dec.PeekKind() != '"' {
				return errors.ErrUnsupported
			}
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			v, err := time.Parse(time.RFC3339Nano, tok.String())
			if err != nil {
				return fmt.Errorf("stored time: %w", err)
			}
			t.Time = v.UTC()
			return nil
		})),
	)
}

// Codec encodes and decodes documents, and caches decoded pool and client documents
// (DecodeCached). Its zero value is not ready: use New. It is safe for concurrent use.
type Codec struct {
	opts json.Options
	docs docCache
}

// New returns a Codec with the store's document options.
func New() *Codec { return &Codec{opts: docOptions()} }

// Encode marshals a document.
func (c *Codec) Encode(v any) (string, error) {
	b, err := json.Marshal(v, c.opts)
	return string(b), err
}

// Decode unmarshals a document into v.
func (c *Codec) Decode(doc string, v any) error {
	return json.Unmarshal([]byte(doc), v, c.opts)
}
