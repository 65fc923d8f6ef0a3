package main

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// TestPoolTags tags a pool through TagResource and UntagResource and reads the tags back
// through ListTagsForResource and DescribeUserPool, which see one map, as do CreateUserPool
// and UpdateUserPool.
func TestPoolTags(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("tagged"), UserPoolTags: map[string]string{"team": "auth"}})
	arn := "arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + pool
	tags := func() map[string]string {
		t.Helper()
		out := must(c.ListTagsForResource(bg, &cip.ListTagsForResourceInput{ResourceArn: aws.String(arn)}))(t)
		desc := must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t)
		if diff := cmp.Diff(out.Tags, desc.UserPool.UserPoolTags, cmp.Comparer(func(a, b map[string]string) bool { return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b) })); diff != "" {
			t.Errorf("ListTagsForResource and DescribeUserPool disagree (-list +describe):\n%s", diff)
		}
		if got := *desc.UserPool.Arn; got != arn {
			t.Errorf("pool ARN = %s, want %s", got, arn)
		}
		return out.Tags
	}
	want := func(w map[string]string) {
		t.Helper()
		if diff := cmp.Diff(w, tags()); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
	}
	want(map[string]string{"team": "auth"})

	must(c.TagResource(bg, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"env": "test", "team": "identity"}}))(t)
	want(map[string]string{"team": "identity", "env": "test"})

	// UpdateUserPool without UserPoolTags keeps them; with them, replaces them.
	must(c.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool)}))(t)
	want(map[string]string{"team": "identity", "env": "test"})
	must(c.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool), UserPoolTags: map[string]string{"env": "prod", "cost": "42"}}))(t)
	want(map[string]string{"env": "prod", "cost": "42"})

	must(c.UntagResource(bg, &cip.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"cost", "absent"}}))(t)
	want(map[string]string{"env": "prod"})
	must(c.UntagResource(bg, &cip.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"env"}}))(t)
	if got := tags(); len(got) != 0 {
		t.Errorf("tags after removing the last = %v, want none", got)
	}

	// Fifty tags at most, in all.
	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprintf("k%02d", i)] = "v"
	}
	must(c.TagResource(bg, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: many}))(t)
	_, err := c.TagResource(bg, &cip.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"one": "more"}})
	wantErr[*types.InvalidParameterException](t, err, "A user pool can have at most 50 tags.")
	if got := len(tags()); got != 50 {
		t.Errorf("%d tags after a refused 51st, want 50", got)
	}
	many["k50"] = "v"
	_, err = c.CreateUserPool(bg, &cip.CreateUserPoolInput{PoolName: aws.String("overtagged"), UserPoolTags: many})
	wantErr[*types.InvalidParameterException](t, err, "A user pool can have at most 50 tags.")
}

// TestPoolTagsRefusals names pools that cannot be tagged: a malformed ARN, another
// region's or account's pool, a missing pool.
func TestPoolTagsRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	for _, tc := range []struct {
		arn, code, msg string
	}{
		{"arn:aws:cognito-idp:us-east-1:000000000000:identitypool/x", "InvalidParameterException", "Invalid ARN: arn:aws:cognito-idp:us-east-1:000000000000:identitypool/x."},
		{"arn:aws:s3:us-east-1:000000000000:userpool/us-east-1_abc", "InvalidParameterException", "Invalid ARN: arn:aws:s3:us-east-1:000000000000:userpool/us-east-1_abc."},
		{"arn:aws:cognito-idp:eu-west-1:000000000000:userpool/" + missingPool, "ResourceNotFoundException", "Resource arn:aws:cognito-idp:eu-west-1:000000000000:userpool/" + missingPool + " does not exist."},
		{"arn:aws:cognito-idp:us-east-1:111111111111:userpool/" + missingPool, "ResourceNotFoundException", "Resource arn:aws:cognito-idp:us-east-1:111111111111:userpool/" + missingPool + " does not exist."},
		{"arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + missingPool, "ResourceNotFoundException", "User pool " + missingPool + " does not exist."},
	} {
		_, err := c.TagResource(bg, &cip.TagResourceInput{ResourceArn: aws.String(tc.arn), Tags: map[string]string{"a": "b"}})
		wantCodeMsg(t, err, tc.code, tc.msg)
		_, err = c.UntagResource(bg, &cip.UntagResourceInput{ResourceArn: aws.String(tc.arn), TagKeys: []string{"a"}})
		wantCodeMsg(t, err, tc.code, tc.msg)
		_, err = c.ListTagsForResource(bg, &cip.ListTagsForResourceInput{ResourceArn: aws.String(tc.arn)})
		wantCodeMsg(t, err, tc.code, tc.msg)
	}
	// The model's constraints: a key of 1 to 128 characters.
	_, err := c.ListTagsForResource(bg, &cip.ListTagsForResourceInput{ResourceArn: aws.String("not-an-arn")})
	wantCode(t, err, "InvalidParameterException")
	_, err = c.TagResource(bg, &cip.TagResourceInput{ResourceArn: aws.String("arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + missingPool), Tags: map[string]string{"": "b"}})
	wantCode(t, err, "InvalidParameterException")
}
