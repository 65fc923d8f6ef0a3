package userpool

import (
	"slices"
	"strings"
	"testing"
)

// FuzzListUsersFilter feeds the ListUsers filter parser any text. It never panics; what it
// accepts names a filterable attribute, and written back in the filter syntax (the value
// quoted with \" and \\) parses to the same filter; matching a user never panics.
func FuzzListUsersFilter(f *testing.F) {
	for _, s := range []string{`email = "jane@example.com"`, `username ^= "ja"`, `  status="Enabled"  `,
		`cognito:user_status = "FORCE_CHANGE_PASSWORD"`, `name = "a \"quoted\" \\ name"`, `email=""`, `family_name ^= "\`,
		`sub = "x" and name = "y"`, `custom:tier = "gold"`, `email = 'x'`, "", "   ", `email = "\u00e9"`} {
		f.Add(s)
	}
	pool := &Pool{}
	user := &User{Username: "Jane", Sub: "s-1", Status: StatusConfirmed, Enabled: true}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseFilter(s)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Code != "InvalidParameterException" {
				t.Fatalf("parseFilter(%q) = %v, want an InvalidParameterException", s, err)
			}
			return
		}
		if got == nil {
			if strings.TrimSpace(s) != "" {
				t.Fatalf("parseFilter(%q) = no filter", s)
			}
			return
		}
		if !slices.Contains(filterable, got.attr) {
			t.Fatalf("parseFilter(%q) accepted attribute %q", s, got.attr)
		}
		op := " = "
		if got.prefix {
			op = " ^= "
		}
		again, err := parseFilter(got.attr + op + `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(got.value) + `"`)
		if err != nil || *again != *got {
			t.Fatalf("parseFilter(%q) = %+v, which written back parses to %+v, %v", s, got, again, err)
		}
		got.match(pool, user)
	})
}
