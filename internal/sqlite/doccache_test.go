package sqlite

import (
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"cognate/internal/userpool"
)

// TestDocCacheHandsOutCopies reads a pool twice through the document cache and changes
// what the first read returned: the second read, and the cache, are untouched.
func TestDocCacheHandsOutCopies(t *testing.T) {
	ctx := t.Context()
	s, err := Open(ctx, ":memory:", DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	name, min := "pool", int32(8)
	p := &userpool.Pool{ID: "us-east-1_cache", Doc: userpool.UserPoolType{
		Name: &name, UserPoolTags: map[string]string{"a": "b"}, CreationDate: userpool.At(time.Unix(1700000000, 0).UTC()),
		Policies:         &userpool.UserPoolPolicyType{PasswordPolicy: &userpool.PasswordPolicyType{MinimumLength: &min}},
		SchemaAttributes: []userpool.SchemaAttributeType{{Name: &name}},
	}}
	if err := s.CreatePool(ctx, p); err != nil {
		t.Fatal(err)
	}
	first, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := *first
	want.Doc = deepCopy(reflect.ValueOf(first.Doc)).Interface().(userpool.UserPoolType)
	*first.Doc.Name = "changed"
	first.Doc.UserPoolTags["a"] = "changed"
	*first.Doc.Policies.PasswordPolicy.MinimumLength = 99
	*first.Doc.SchemaAttributes[0].Name = "changed"
	second, err := s.GetPool(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(&want, second); d != "" {
		t.Fatalf("a change to one read showed in the next (-want +got):\n%s", d)
	}
	// A write is seen at once: the cache is keyed by the stored text.
	second.Doc.Name = ptr("renamed")
	if err := s.UpdatePool(ctx, second); err != nil {
		t.Fatal(err)
	}
	third, err := s.GetPool(ctx, p.ID)
	if err != nil || *third.Doc.Name != "renamed" {
		t.Fatalf("after an update: %v, %v", third, err)
	}
}

func ptr[T any](v T) *T { return &v }
