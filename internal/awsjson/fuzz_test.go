package awsjson_test

import (
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// FuzzDecodeValidate sends the decoder and the validator any body for an operation whose
// input has every kind of shape (strings with patterns and lengths, integers, booleans,
// enums, lists, maps, nested and sensitive structures, timestamps). Whatever the bytes:
//   - the answer is 200 or a 4xx with the protocol's error body, never a 500 (a body that
//     passes validation but that the operation's Go type cannot take is a 500: a finding);
//   - a body that is not strict JSON (invalid UTF-8, a duplicate name, trailing data) is a
//     SerializationException, never reaches the operation;
//   - a body the operation accepted is strict JSON whose required members are there.
func FuzzDecodeValidate(f *testing.F) {
	for _, more := range []string{
		"", `,"Mode":"FAST","Count":3,"Enabled":true`, `,"Tags":["a","b","c","d"]`,
		`,"Attributes":[{"Name":"email","Value":"x@y"},{"Value":"v"}]`, `,"Metadata":{"k":"v","k2":"v2","k3":"v3"}`,
		`,"Secrets":{"":"s"}`, `,"Settings":{"Level":1,"Inner":{"Deep":"abcde"}}`, `,"When":1.5e9`,
		`,"Count":2147483648`, `,"Count":1.0`, `,"Count":-0`, `,"When":"2020-01-01"`, `,"Mode":null`,
		`,"Username":"dup"`, `,"username":"case"`, `,"Note":"\ud800"`, `,"Settings":[[[[{}]]]]`,
	} {
		f.Add([]byte(widget(more)))
	}
	f.Add([]byte(`{"UserPoolId":"us-east-1_abc","Username":"` + "\xff" + `","Password":"p"}`))
	f.Add([]byte(`{} {}`))
	f.Add([]byte(strings.Repeat("[", 20000)))
	f.Add([]byte(`{"Settings":` + strings.Repeat(`{"Inner":`, 5000) + `1` + strings.Repeat("}", 5001)))
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		before := fx.calls()
		res, answer := fx.do(t, request{target: op("PutWidget"), body: string(body)})
		called := fx.calls() > before
		switch {
		case res.StatusCode == 200:
			if !called {
				t.Fatalf("200 without the operation being called, for %q", body)
			}
			if !jsontext.Value(body).IsValid() && len(body) > 0 {
				t.Fatalf("a body that is not strict JSON was accepted: %q", body)
			}
			var in map[string]any
			if err := json.Unmarshal(body, &in); err != nil {
				t.Fatalf("an accepted body does not decode: %v: %q", err, body)
			}
			for _, m := range []string{"UserPoolId", "Username", "Password"} {
				if _, ok := in[m].(string); !ok {
					t.Fatalf("accepted without the required string member %s: %q", m, body)
				}
			}
		case res.StatusCode >= 400 && res.StatusCode < 500:
			e := errorOf(t, res, answer)
			if e.Type == "" {
				t.Fatalf("a %d without an exception name: %s", res.StatusCode, answer)
			}
			if len(body) > 0 && !jsontext.Value(body).IsValid() && e.Type != "SerializationException" {
				t.Fatalf("a body that is not strict JSON got %s, want SerializationException: %q", e.Type, body)
			}
			if called {
				t.Fatalf("the operation ran, then %s came back: %q", e.Type, body)
			}
		default:
			t.Fatalf("status %d (%s) for %q", res.StatusCode, answer, body)
		}
	})
}

// calls is how many times any operation of the fixture was called.
func (f *fixture) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.opCalls
}
