package main

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// parallel runs f(0) … f(n-1) at once and returns their errors.
func parallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = f(i) })
	}
	wg.Wait()
	return errs
}

// TestConcurrentWrites checks that writes racing on one pool or one user all take effect
// or are refused cleanly: no lost update, no duplicate, no internal error. It runs on an
// in-memory store (one connection) and on a file (WAL, several connections).
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	for _, store := range []string{":memory:", "file"} {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			if store == "file" {
				store = filepath.Join(t.TempDir(), "c.db")
			}
			concurrentWrites(t, startServer(t, "--store", store))
		})
	}
}

func concurrentWrites(t *testing.T, s *testServer) {
	pool := createPool(t, s.Client, nil)

	t.Run("attribute updates on one user", func(t *testing.T) {
		createUser(t, s.Client, pool, "busy")
		names := []string{"name", "given_name", "family_name", "middle_name", "nickname", "locale", "zoneinfo", "website"}
		for i, err := range parallel(len(names), func(i int) error {
			_, err := s.Client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{
				UserPoolId: aws.String(pool), Username: aws.String("busy"), UserAttributes: attributes(names[i], "v"+names[i])})
			return err
		}) {
			if err != nil {
				t.Errorf("update of %s: %v", names[i], err)
			}
		}
		attrs := attrMap(getUser(t, s.Client, pool, "busy").UserAttributes)
		for _, n := range names {
			if attrs[n] != "v"+n {
				t.Errorf("%s = %q after concurrent updates, want %q: an update was lost", n, attrs[n], "v"+n)
			}
		}
	})

	t.Run("custom attributes added at once", func(t *testing.T) {
		for i, err := range parallel(6, func(i int) error {
			_, err := s.Client.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{UserPoolId: aws.String(pool),
				CustomAttributes: []types.SchemaAttributeType{{Name: aws.String(fmt.Sprintf("c%d", i)), AttributeDataType: types.AttributeDataTypeString}}})
			return err
		}) {
			if err != nil {
				t.Errorf("AddCustomAttributes c%d: %v", i, err)
			}
		}
		schema := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool.SchemaAttributes
		have := map[string]bool{}
		for _, a := range schema {
			have[aws.ToString(a.Name)] = true
		}
		for i := range 6 {
			if !have[fmt.Sprintf("custom:c%d", i)] {
				t.Errorf("custom:c%d missing after concurrent AddCustomAttributes", i)
			}
		}
	})

	t.Run("the same username created at once", func(t *testing.T) {
		errs := parallel(4, func(i int) error {
			_, err := s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("race"),
				MessageAction: types.MessageActionTypeSuppress})
			return err
		})
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
				continue
			}
			wantErr[*types.UsernameExistsException](t, err, "User account already exists")
		}
		if ok != 1 {
			t.Errorf("%d of 4 concurrent AdminCreateUser calls for one username succeeded, want exactly 1", ok)
		}
	})

	t.Run("the same group created at once", func(t *testing.T) {
		errs := parallel(5, func(i int) error {
			_, err := s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("g")})
			return err
		})
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
				continue
			}
			wantErr[*types.GroupExistsException](t, err, "A group with the name already exists.")
		}
		if ok != 1 {
			t.Errorf("%d of 5 concurrent CreateGroup calls for one name succeeded, want exactly 1", ok)
		}
	})
}
