package sqlite

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

// encode marshals a document.
func (s *Store) encode(v any) (string, error) {
	b, err := json.Marshal(v, s.docOpts)
	return string(b), err
}

// decode unmarshals a document into v.
func (s *Store) decode(doc string, v any) error {
	return json.Unmarshal([]byte(doc), v, s.docOpts)
}
