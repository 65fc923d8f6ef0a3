package storedoc

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"cognate/internal/userpool"
)

// TestDocCacheHandsOutCopies decodes a pool document twice through the cache and changes
// what the first decode returned: the second decode, and the cache, are untouched; a new
// text under the same key is decoded afresh.
func TestDocCacheHandsOutCopies(t *testing.T) {
	c := New()
	name, min := "pool", int32(8)
	doc := userpool.UserPoolType{
		Name: &name, UserPoolTags: map[string]string{"a": "b"}, CreationDate: userpool.At(time.Unix(1700000000, 0).UTC()),
		Policies:         &userpool.UserPoolPolicyType{PasswordPolicy: &userpool.PasswordPolicyType{MinimumLength: &min}},
		SchemaAttributes: []userpool.SchemaAttributeType{{Name: &name}},
	}
	text, err := c.Encode(&doc)
	if err != nil {
		t.Fatal(err)
	}
	var first userpool.UserPoolType
	if err := c.DecodeCached("pool\x00p", text, &first); err != nil {
		t.Fatal(err)
	}
	want := deepCopy(reflect.ValueOf(first)).Interface().(userpool.UserPoolType)
	*first.Name = "changed"
	first.UserPoolTags["a"] = "changed"
	*first.Policies.PasswordPolicy.MinimumLength = 99
	*first.SchemaAttributes[0].Name = "changed"
	var second userpool.UserPoolType
	if err := c.DecodeCached("pool\x00p", text, &second); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, second); d != "" {
		t.Fatalf("a change to one decode showed in the next (-want +got):\n%s", d)
	}
	// The cache is keyed by the text: a new text is never answered from it.
	second.Name = ptr("renamed")
	text2, err := c.Encode(&second)
	if err != nil {
		t.Fatal(err)
	}
	var third userpool.UserPoolType
	if err := c.DecodeCached("pool\x00p", text2, &third); err != nil || *third.Name != "renamed" {
		t.Fatalf("after a change: %v, %v", third.Name, err)
	}
}

func ptr[T any](v T) *T { return &v }
