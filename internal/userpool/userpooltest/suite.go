// Package userpooltest holds what tests of userpool and of its adapters share: the
// conformance suite every userpool.Store implementation must pass (TestStore, TestRestart).
//
// It is imported only by tests. It has no Store of its own and no knowledge of any
// backend: each implementation's tests call TestStore with a function that opens a fresh,
// empty store.
package userpooltest

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"cognate/internal/userpool"
)

// TestStore runs the Store conformance suite, one subtest per behaviour. newStore must
// return a fresh, empty store for each subtest and arrange (with t.Cleanup) to close it.
// Subtests run one after another, so implementations may hand out the same database
// after a Reset; Reset keeps the signing keys, so such an implementation must remove
// those itself.
func TestStore(t *testing.T, newStore func(t *testing.T) userpool.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s userpool.Store)
	}{
		{"Ping", testPing},

		{"Pool/CreateGet", testPoolCreateGet},
		{"Pool/CreateDuplicate", testPoolCreateDuplicate},
		{"Pool/Update", testPoolUpdate},
		{"Pool/Delete", testPoolDelete},
		{"Pool/List", testPoolList},
		{"Pool/CountUsers", testCountUsers},
		{"Pool/DeleteCascades", testDeletePoolCascades},

		{"Client/CreateGet", testClientCreateGet},
		{"Client/CreateErrors", testClientCreateErrors},
		{"Client/Update", testClientUpdate},
		{"Client/Secrets", testClientSecrets},
		{"Client/Delete", testClientDelete},
		{"Client/List", testClientList},

		{"User/RoundTrip", testUserRoundTrip},
		{"User/InsertConflicts", testUserInsertConflicts},
		{"User/Update", testUserUpdate},
		{"User/AliasConflict", testUserAliasConflict},
		{"User/AliasAtomicity", testUserAliasAtomicity},
		{"User/AliasesReplaced", testUserAliasesReplaced},
		{"User/AliasMovesWithinCall", testUserAliasMovesWithinCall},
		{"User/AliasPerPool", testUserAliasPerPool},
		{"User/Delete", testUserDelete},
		{"User/List", testUserList},
		{"User/ListStableUnderInserts", testUserListStable},
		{"User/ConcurrentSave", testUserConcurrentSave},

		{"Group/CreateGet", testGroupCreateGet},
		{"Group/CreateErrors", testGroupCreateErrors},
		{"Group/Update", testGroupUpdate},
		{"Group/List", testGroupList},
		{"Group/Members", testGroupMembers},
		{"Group/MembersMissing", testGroupMembersMissing},
		{"Group/DeleteRemovesMemberships", testGroupDelete},

		{"Message/List", testMessageList},
		{"Message/Filters", testMessageFilters},
		{"Message/Clear", testMessageClear},
		{"Message/Release", testMessageRelease},
		{"Message/CountQueued", testMessageCountQueued},

		{"Code/RoundTrip", testCodeRoundTrip},
		{"Code/Replace", testCodeReplace},
		{"Code/ConsumeRace", testCodeConsumeRace},
		{"Code/DeleteUser", testCodeDeleteUser},
		{"Code/Redeem", testRedeemCode},
		{"Code/RedeemStaleUser", testRedeemCodeStaleUser},
		{"Code/RedeemWrongCode", testRedeemCodeWrongCode},
		{"Code/RedeemAliasConflict", testRedeemCodeAliasConflict},
		{"Code/RedeemRace", testRedeemCodeRace},
		{"Code/RedeemClearsAndRecords", testRedeemClearsAndRecords},
		{"Code/Issue", testIssueCode},
		{"Code/IssueShadow", testIssueCodeShadow},
		{"Code/IssueRace", testIssueCodeRace},
		{"Code/IssueWithUsers", testIssueCodeWithUsers},

		{"Outbox/ClaimFinish", testOutboxClaimFinish},
		{"Outbox/ClaimRace", testOutboxClaimRace},
		{"Outbox/WithUser", testUserOutbox},

		{"User/NoLostUpdate", testUserNoLostUpdate},
		{"Pool/UpdateRace", testPoolUpdateRace},

		{"Risk/PutGet", testRiskConfiguration},
		{"Event/AddList", testAuthEvents},
		{"Event/Feedback", testAuthEventFeedback},
		{"Pool/Certificates", testPoolCertificates},
		{"Session/StartClears", testStartSessionClears},

		{"Attempt/Window", testAttemptWindow},
		{"Attempt/Independent", testAttemptIndependent},
		{"Attempt/Race", testAttemptRace},
		{"Attempt/Clear", testAttemptClear},
		{"Attempt/DeletePool", testAttemptDeletePool},
		{"Attempt/Count", testAttemptsCount},

		{"Session/CreateGet", testSessionCreateGet},
		{"Session/Revoke", testSessionRevoke},
		{"Session/DeleteUser", testSessionDeleteUser},

		{"User/SubChangeCarriesCodesAndSessions", testSubChange},

		{"SigningKey/AddList", testSigningKeys},

		{"Reset", testReset},
		{"ResetPool", testResetPool},
	}
	tests = append(tests, hostedTests...)
	tests = append(tests, importTests...)
	tests = append(tests, brandingTests...)
	tests = append(tests, deviceTests...)
	tests = append(tests, replicaTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

func testPing(t *testing.T, s userpool.Store) {
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

// base is the instant fixtures are built around: microsecond precision (what a store must
// keep) in a zone other than UTC (which a store must return).
func base() time.Time {
	return time.Date(2025, 3, 14, 15, 9, 26, 535897000, time.FixedZone("UTC+2", 2*3600))
}

func ptr[T any](v T) *T { return &v }

// cmpOpts compare stored entities: times by instant (go-cmp uses time.Time.Equal), nil and
// empty slices and maps alike (JSON documents do not keep the difference), and aliases as
// a set (the contract promises no order).
func cmpOpts() cmp.Options {
	return cmp.Options{
		cmpopts.EquateEmpty(),
		cmp.FilterPath(func(p cmp.Path) bool {
			sf, ok := p.Last().(cmp.StructField)
			return ok && sf.Name() == "Aliases"
		}, cmpopts.SortSlices(func(a, b string) bool { return a < b })),
	}
}

// wantErr fails the test unless err is target.
func wantErr(t *testing.T, what string, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("%s: got error %v, want %v", what, err, target)
	}
}

// must fails the test if err is not nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// same fails the test if got differs from want.
func same(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts()); d != "" {
		t.Fatalf("%s: mismatch (-want +got):\n%s", what, d)
	}
}

// wantUTC fails the test unless every time is in UTC, as a store must return them.
func wantUTC(t *testing.T, what string, times ...time.Time) {
	t.Helper()
	for _, tm := range times {
		if tm.Location() != time.UTC {
			t.Fatalf("%s: time %v is in %v, want UTC", what, tm, tm.Location())
		}
	}
}

// allSet fails the test if a field of the struct v points to is zero, recursing into
// nested structs: a round-trip fixture must cover every field, including those added
// after the test was written.
func allSet(t *testing.T, v any, skip ...string) {
	t.Helper()
	rv := reflect.ValueOf(v).Elem()
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if slices.Contains(skip, f.Name) {
			continue
		}
		fv := rv.Field(i)
		if fv.IsZero() {
			t.Fatalf("fixture leaves %s.%s zero; set it so that the round trip covers it", rv.Type().Name(), f.Name)
		}
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeFor[time.Time]() {
			allSet(t, fv.Addr().Interface())
		}
	}
}

// pageKeys pages through a listing limit at a time and returns the keys it saw.
func pageKeys[T any](t *testing.T, limit int, list func(after string, limit int) ([]T, error), key func(T) string) []string {
	t.Helper()
	var keys []string
	after := ""
	for range 1000 {
		page, err := list(after, limit)
		if err != nil {
			t.Fatalf("list after %q: %v", after, err)
		}
		if len(page) > limit {
			t.Fatalf("list after %q: %d items, limit %d", after, len(page), limit)
		}
		for _, v := range page {
			keys = append(keys, key(v))
		}
		if len(page) < limit {
			return keys
		}
		after = key(page[len(page)-1])
	}
	t.Fatal("paging does not end")
	return nil
}

// sorted returns a sorted copy of keys: the byte order listings promise.
func sorted(keys ...string) []string {
	s := slices.Clone(keys)
	slices.Sort(s)
	return s
}
