package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"cognate/internal/server"
)

func TestUnknownPool(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	p, u, g := aws.String(missingPool), aws.String("jane"), aws.String("g")
	calls := map[string]func() error{
		"DescribeUserPool": func() error { _, err := c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: p}); return err },
		"UpdateUserPool":   func() error { _, err := c.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: p}); return err },
		"DeleteUserPool":   func() error { _, err := c.DeleteUserPool(bg, &cip.DeleteUserPoolInput{UserPoolId: p}); return err },
		"AddCustomAttributes": func() error {
			_, err := c.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{UserPoolId: p, CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("x")}}})
			return err
		},
		"CreateUserPoolClient": func() error {
			_, err := c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: p, ClientName: aws.String("c")})
			return err
		},
		"ListUserPoolClients": func() error {
			_, err := c.ListUserPoolClients(bg, &cip.ListUserPoolClientsInput{UserPoolId: p})
			return err
		},
		"AdminCreateUser": func() error {
			_, err := c.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: p, Username: u})
			return err
		},
		"AdminGetUser": func() error {
			_, err := c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: p, Username: u})
			return err
		},
		"AdminDeleteUser": func() error {
			_, err := c.AdminDeleteUser(bg, &cip.AdminDeleteUserInput{UserPoolId: p, Username: u})
			return err
		},
		"AdminUpdateUserAttributes": func() error {
			_, err := c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: p, Username: u, UserAttributes: attributes("name", "x")})
			return err
		},
		"AdminDeleteUserAttributes": func() error {
			_, err := c.AdminDeleteUserAttributes(bg, &cip.AdminDeleteUserAttributesInput{UserPoolId: p, Username: u, UserAttributeNames: []string{"name"}})
			return err
		},
		"AdminDisableUser": func() error {
			_, err := c.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: p, Username: u})
			return err
		},
		"AdminEnableUser": func() error {
			_, err := c.AdminEnableUser(bg, &cip.AdminEnableUserInput{UserPoolId: p, Username: u})
			return err
		},
		"AdminSetUserPassword": func() error {
			_, err := c.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: p, Username: u, Password: aws.String("Perm-Passw0rd!")})
			return err
		},
		"AdminConfirmSignUp": func() error {
			_, err := c.AdminConfirmSignUp(bg, &cip.AdminConfirmSignUpInput{UserPoolId: p, Username: u})
			return err
		},
		"AdminSetUserMFAPreference": func() error {
			_, err := c.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: p, Username: u})
			return err
		},
		"ListUsers": func() error { _, err := c.ListUsers(bg, &cip.ListUsersInput{UserPoolId: p}); return err },
		"CreateGroup": func() error {
			_, err := c.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: p, GroupName: g})
			return err
		},
		"GetGroup": func() error { _, err := c.GetGroup(bg, &cip.GetGroupInput{UserPoolId: p, GroupName: g}); return err },
		"UpdateGroup": func() error {
			_, err := c.UpdateGroup(bg, &cip.UpdateGroupInput{UserPoolId: p, GroupName: g})
			return err
		},
		"DeleteGroup": func() error {
			_, err := c.DeleteGroup(bg, &cip.DeleteGroupInput{UserPoolId: p, GroupName: g})
			return err
		},
		"ListGroups": func() error { _, err := c.ListGroups(bg, &cip.ListGroupsInput{UserPoolId: p}); return err },
		"AdminAddUserToGroup": func() error {
			_, err := c.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: p, Username: u, GroupName: g})
			return err
		},
		"AdminRemoveUserFromGroup": func() error {
			_, err := c.AdminRemoveUserFromGroup(bg, &cip.AdminRemoveUserFromGroupInput{UserPoolId: p, Username: u, GroupName: g})
			return err
		},
		"AdminListGroupsForUser": func() error {
			_, err := c.AdminListGroupsForUser(bg, &cip.AdminListGroupsForUserInput{UserPoolId: p, Username: u})
			return err
		},
		"ListUsersInGroup": func() error {
			_, err := c.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: p, GroupName: g})
			return err
		},
		"DescribeUserPoolClient": func() error {
			_, err := c.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: p, ClientId: aws.String("c")})
			return err
		},
		"UpdateUserPoolClient": func() error {
			_, err := c.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{UserPoolId: p, ClientId: aws.String("c")})
			return err
		},
		"DeleteUserPoolClient": func() error {
			_, err := c.DeleteUserPoolClient(bg, &cip.DeleteUserPoolClientInput{UserPoolId: p, ClientId: aws.String("c")})
			return err
		},
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			wantErr[*types.ResourceNotFoundException](t, call(), "User pool "+missingPool+" does not exist.")
		})
	}
}

// TestUnsupportedOperation shows the honest refusal of what cognate does not do. Every
// operation of the model is carried out now; what remains is a part of some: the settings
// AWS keeps per Region for a secondary replica, which cognate, keeping one configuration
// for a pool and its replicas, refuses rather than apply to the primary.
func TestUnsupportedOperation(t *testing.T) {
	t.Parallel()
	if ops := server.UnsupportedOperations(); len(ops) != 0 {
		t.Errorf("operations of the model answering UnsupportedOperationException: %v, want none", ops)
	}
	s := startServer(t)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{KeyConfiguration: replicaKey})
	must(s.Client.CreateUserPoolReplica(bg, &cip.CreateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1")}))(t)

	_, err := s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool)}, inRegion("eu-west-1"))
	wantCodeMsg(t, err, "UnsupportedOperationException", "cognate keeps one configuration for user pool "+pool+
		" and its replicas, and does not support UpdateUserPool on the replica in eu-west-1: send it to the primary Region, us-east-1.")
	// The refusal comes after the model's validation, as every operation's answer does.
	_, err = s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String("no_pool!")}, inRegion("eu-west-1"))
	wantErr[*types.InvalidParameterException](t, err,
		`1 validation error detected: Value 'no_pool!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)
	// In the primary Region the same request is carried out.
	must(s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool), KeyConfiguration: replicaKey}))(t)
}

func TestWire(t *testing.T) {
	t.Parallel()
	s := startServer(t)

	t.Run("success", func(t *testing.T) {
		// Without --credentials on loopback, an unsigned request of a signed operation is served.
		status, h, body := callRaw(t, s.URL, "ListUserPools", `{"MaxResults":10}`)
		if status != http.StatusOK || string(body) != `{"UserPools":[]}` {
			t.Errorf("ListUserPools: %d %s", status, body)
		}
		if h.Get("Content-Type") != "application/x-amz-json-1.1" || h.Get("x-amzn-RequestId") == "" {
			t.Errorf("headers: %v", h)
		}
	})

	for _, tc := range []struct {
		name, op, body string
		status         int
		code, message  string
	}{
		{"unknown operation", "NoSuchOperation", `{}`, 400, "UnknownOperationException", "Unknown operation AWSCognitoIdentityProviderService.NoSuchOperation."},
		{"duplicate member", "DescribeUserPool", `{"UserPoolId":"us-east-1_a","UserPoolId":"us-east-1_b"}`, 400, "SerializationException", ""},
		{"member in the wrong case", "DescribeUserPool", `{"userPoolId":"us-east-1_a"}`, 400, "SerializationException", "Unrecognized member 'userPoolId' (the model names it 'UserPoolId')."},
		{"not JSON", "DescribeUserPool", `UserPoolId=x`, 400, "SerializationException", ""},
		{"missing member", "DescribeUserPool", `{}`, 400, "InvalidParameterException", "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"wrong type", "ListUserPools", `{"MaxResults":"10"}`, 400, "SerializationException", "Expected a number at 'maxResults'."},
		{"invalid UTF-8", "DescribeUserPool", "{\"UserPoolId\":\"us-east-1_\xff\"}", 400, "SerializationException", ""},
		{"body over 1 MiB", "DescribeUserPool", `{"UserPoolId":"` + strings.Repeat("a", 1<<20) + `"}`, 413, "RequestEntityTooLargeException", "The request body is larger than 1048576 bytes."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, h, body := callRaw(t, s.URL, tc.op, tc.body)
			code, msg := wireError(t, body)
			if status != tc.status || code != tc.code {
				t.Errorf("status %d, __type %q (%s); want %d, %q", status, code, msg, tc.status, tc.code)
			}
			if tc.message != "" && msg != tc.message {
				t.Errorf("message:\n got %q\nwant %q", msg, tc.message)
			}
			if got := h.Get("x-amzn-ErrorType"); got != tc.code+":" {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, tc.code+":")
			}
			if h.Get("x-amzn-RequestId") == "" {
				t.Errorf("no x-amzn-RequestId on an error answer")
			}
		})
	}

	t.Run("client error status", func(t *testing.T) {
		status, _, body := callRaw(t, s.URL, "DescribeUserPool", `{"UserPoolId":"`+missingPool+`"}`)
		code, msg := wireError(t, body)
		if status != 400 || code != "ResourceNotFoundException" || msg != "User pool "+missingPool+" does not exist." {
			t.Errorf("DescribeUserPool of a missing pool: %d %s %q", status, code, msg)
		}
	})

	t.Run("CORS preflight", func(t *testing.T) {
		h := http.Header{}
		h.Set("Origin", "http://localhost:3000")
		h.Set("Access-Control-Request-Method", "POST")
		h.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
		status, rh, _ := httpDo(t, http.MethodOptions, s.URL+"/", h, nil)
		if status != http.StatusOK || rh.Get("Access-Control-Allow-Origin") != "*" ||
			!strings.Contains(rh.Get("Access-Control-Allow-Methods"), "POST") ||
			!strings.Contains(strings.ToLower(rh.Get("Access-Control-Allow-Headers")), "x-amz-target") {
			t.Errorf("preflight: %d %v", status, rh)
		}
	})
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	status, _, body := httpDo(t, http.MethodGet, s.URL+"/healthz", nil, nil)
	if status != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("GET /healthz: %d %q, want 200 \"ok\\n\"", status, body)
	}
}

func TestInbox(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p1 := createPool(t, s.Client, nil)
	p2 := createPool(t, s.Client, nil)
	invite := func(pool, user string, attrs ...string) {
		t.Helper()
		must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String(user), UserAttributes: attributes(attrs...),
			TemporaryPassword:      aws.String("Temp-Passw0rd!"),
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms},
		}))(t)
	}
	invite(p1, "ann", "email", "ann@example.com")
	invite(p1, "ben", "phone_number", "+15555550100")
	invite(p2, "ann", "email", "ann2@example.com", "phone_number", "+15555550199")

	type key struct{ Pool, User, Medium, To string }
	keys := func(msgs []inboxMessage) []key {
		var out []key
		for _, m := range msgs {
			out = append(out, key{m.UserPoolId, m.Username, m.DeliveryMedium, m.Destination})
		}
		return out
	}
	all := s.messages(t, "")
	if len(all) != 4 {
		t.Fatalf("inbox has %d messages, want 4: %+v", len(all), all)
	}
	for i := 1; i < len(all); i++ {
		if all[i].CreatedAt > all[i-1].CreatedAt {
			t.Errorf("messages are not newest first: %v before %v", all[i-1].CreatedAt, all[i].CreatedAt)
		}
	}
	ids := map[string]bool{}
	for _, m := range all {
		if m.MessageId == "" || ids[m.MessageId] {
			t.Errorf("message id %q empty or repeated", m.MessageId)
		}
		ids[m.MessageId] = true
	}
	sortKeys := cmpopts.SortSlices(func(a, b key) bool { return a.Pool+a.User+a.Medium < b.Pool+b.User+b.Medium })
	for query, want := range map[string][]key{
		"UserPoolId=" + p1:                               {{p1, "ann", "EMAIL", "ann@example.com"}, {p1, "ben", "SMS", "+15555550100"}},
		"Username=ann":                                   {{p1, "ann", "EMAIL", "ann@example.com"}, {p2, "ann", "EMAIL", "ann2@example.com"}, {p2, "ann", "SMS", "+15555550199"}},
		"UserPoolId=" + p2 + "&Username=ann":             {{p2, "ann", "EMAIL", "ann2@example.com"}, {p2, "ann", "SMS", "+15555550199"}},
		"Destination=" + url.QueryEscape("+15555550100"): {{p1, "ben", "SMS", "+15555550100"}},
		"Destination=ann@example.com":                    {{p1, "ann", "EMAIL", "ann@example.com"}},
		"UserPoolId=" + missingPool:                      nil,
	} {
		if diff := cmp.Diff(want, keys(s.messages(t, query)), sortKeys); diff != "" {
			t.Errorf("GET /_cognate/messages?%s (-want +got):\n%s", query, diff)
		}
	}

	status, _, body := httpDo(t, http.MethodDelete, s.URL+"/_cognate/messages", nil, nil)
	if status != http.StatusOK {
		t.Errorf("DELETE /_cognate/messages: %d %s", status, body)
	}
	if msgs := s.messages(t, ""); len(msgs) != 0 {
		t.Errorf("inbox holds %d messages after DELETE", len(msgs))
	}
	// The users stay.
	getUser(t, s.Client, p1, "ann")
}

func TestReset(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{DeletionProtection: types.DeletionProtectionTypeActive})
	must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("u"),
		UserAttributes: attributes("email", "u@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}}))(t)

	status, _, body := httpDo(t, http.MethodPost, s.URL+"/_cognate/reset", nil, nil)
	if status != http.StatusOK {
		t.Fatalf("POST /_cognate/reset: %d %s", status, body)
	}
	pools := must(s.Client.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}))(t)
	if len(pools.UserPools) != 0 {
		t.Errorf("%d pools after reset", len(pools.UserPools))
	}
	_, err := s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+pool+" does not exist.")
	if msgs := s.messages(t, ""); len(msgs) != 0 {
		t.Errorf("%d messages after reset", len(msgs))
	}
	// The server goes on working.
	createPool(t, s.Client, nil)
}

func TestDataSurvivesRestart(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "c.db")
	s := startServer(t, "--store", db)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{
		PoolName:        aws.String("durable"),
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail},
		Schema:          []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}},
		UserPoolTags:    map[string]string{"k": "v"},
	})
	client := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("app"), GenerateSecret: true}))(t).UserPoolClient
	must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("jane"), TemporaryPassword: aws.String("Temp-Passw0rd!"),
		UserAttributes:         attributes("email", "jane@example.com", "email_verified", "true", "custom:tenant", "acme"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	}))(t)
	must(s.Client.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true}}))(t)
	must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("staff"), Precedence: aws.Int32(3)}))(t)
	must(s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), GroupName: aws.String("staff")}))(t)

	snapshot := func(s *testServer) []any {
		t.Helper()
		return []any{
			must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool,
			must(s.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: client.ClientId}))(t).UserPoolClient,
			must(s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com")}))(t),
			must(s.Client.GetGroup(bg, &cip.GetGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("staff")}))(t).Group,
			must(s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("staff")}))(t).Users,
		}
	}
	before := snapshot(s)
	_, _, inboxBefore := httpDo(t, http.MethodGet, s.URL+"/_cognate/messages?UserPoolId="+pool, nil, nil)
	s.Stop(t)

	s2 := startServer(t, "--store", db)
	after := snapshot(s2)
	if diff := cmp.Diff(before, after, exported, ignoreFields("ResultMetadata")); diff != "" {
		t.Errorf("state after a restart on the same file (-before +after):\n%s", diff)
	}
	if got := aws.ToString(after[1].(*types.UserPoolClientType).ClientSecret); got == "" || got != aws.ToString(client.ClientSecret) {
		t.Errorf("client secret after restart = %q, want %q", got, aws.ToString(client.ClientSecret))
	}
	// And the restarted server keeps writing to it.
	createUser(t, s2.Client, pool, "after-restart")

	_, _, inboxAfter := httpDo(t, http.MethodGet, s2.URL+"/_cognate/messages?UserPoolId="+pool, nil, nil)
	if !bytes.Equal(inboxBefore, inboxAfter) {
		t.Errorf("the inbox after a restart:\n%s\nbefore:\n%s", inboxAfter, inboxBefore)
	}
	if msgs := s2.messages(t, "UserPoolId="+pool); len(msgs) != 1 || msgs[0].Username != "jane" {
		t.Errorf("the inbox after a restart holds %+v, want jane's invitation", msgs)
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	runCapture := func(args ...string) (string, string, error) {
		var stdout, stderr bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := run(ctx, args, noEnv, strings.NewReader(""), &stdout, &stderr)
		return stdout.String(), stderr.String(), err
	}

	t.Run("non-loopback address without credentials", func(t *testing.T) {
		stdout, _, err := runCapture("serve", "--addr", "0.0.0.0:0", "--store", ":memory:")
		if err == nil {
			t.Fatal("serve on 0.0.0.0 without --credentials or --insecure returned nil")
		}
		for _, want := range []string{"0.0.0.0:0", "not loopback", "--credentials", "--insecure"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %q", err, want)
			}
		}
		if stdout != "" {
			t.Errorf("serve printed %q: it must refuse before listening", stdout)
		}
	})

	t.Run("every problem at once", func(t *testing.T) {
		_, _, err := runCapture("serve", "--log-format", "xml", "--log-level", "loud", "--region", "", "--store", ":memory:")
		if err == nil {
			t.Fatal("serve with a bad log format, log level and region returned nil")
		}
		for _, want := range []string{"--log-format", "--log-level", "--region"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not mention %s", err, want)
			}
		}
	})

	t.Run("environment fallback", func(t *testing.T) {
		env := map[string]string{"COGNATE_ADDR": "0.0.0.0:0", "COGNATE_STORE": ":memory:"}
		var stdout bytes.Buffer
		err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "--credentials") {
			t.Errorf("serve with COGNATE_ADDR=0.0.0.0:0: %v, want the refusal to listen off loopback", err)
		}
	})

	t.Run("unexpected argument", func(t *testing.T) {
		_, _, err := runCapture("serve", "--store", ":memory:", "extra")
		if err == nil || !strings.Contains(err.Error(), "extra") {
			t.Errorf("serve with a stray argument: %v", err)
		}
	})

	t.Run("missing credentials file", func(t *testing.T) {
		_, _, err := runCapture("serve", "--store", ":memory:", "--addr", "127.0.0.1:0", "--credentials", filepath.Join(t.TempDir(), "nope"))
		if err == nil || !strings.Contains(err.Error(), "--credentials") {
			t.Errorf("serve with a missing credentials file: %v", err)
		}
	})

	t.Run("address in use", func(t *testing.T) {
		s := startServer(t)
		u, err := url.Parse(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		_, err = launch(t, "--addr", u.Host, "--store", ":memory:")
		if err == nil {
			t.Fatalf("a second server on %s started", u.Host)
		}
		if !strings.Contains(err.Error(), "address already in use") {
			t.Errorf("second server on %s: %v", u.Host, err)
		}
	})

	t.Run("JSON logs", func(t *testing.T) {
		s := startServer(t, "--log-format", "json", "--log-level", "info")
		createPool(t, s.Client, nil)
		first, _, _ := strings.Cut(s.stderr.String(), "\n")
		var line struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if err := json.Unmarshal([]byte(first), &line); err != nil || line.Msg != "cognate serving" || line.Addr == "" {
			t.Errorf("first log line %q (%v), want a JSON record of \"cognate serving\" with its addr", first, err)
		}
	})

	t.Run("version", func(t *testing.T) {
		stdout, _, err := runCapture("version")
		if err != nil || !strings.HasPrefix(stdout, "cognate ") || !strings.HasSuffix(stdout, "\n") {
			t.Errorf("version: %q, %v; want \"cognate …\\n\"", stdout, err)
		}
	})

	t.Run("help", func(t *testing.T) {
		stdout, _, err := runCapture("help")
		if err != nil || !strings.Contains(stdout, "usage: cognate") {
			t.Errorf("help: %q, %v", stdout, err)
		}
	})

	t.Run("unknown command", func(t *testing.T) {
		_, stderr, err := runCapture("frobnicate")
		if err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
			t.Errorf("unknown command: %v", err)
		}
		if !strings.Contains(stderr, "usage: cognate") {
			t.Errorf("unknown command printed no usage: %q", stderr)
		}
	})

	t.Run("no command", func(t *testing.T) {
		_, stderr, err := runCapture()
		if err == nil || !strings.Contains(stderr, "usage: cognate") {
			t.Errorf("no command: %v, stderr %q", err, stderr)
		}
	})

	t.Run("migrate", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "sub", "m.db")
		stdout, _, err := runCapture("migrate", "--store", db)
		if err != nil || stdout != "migrated "+db+"\n" {
			t.Errorf("migrate: %q, %v", stdout, err)
		}
		// A store migrated apart serves with --migrate=false.
		s := startServer(t, "--store", db, "--migrate=false")
		createPool(t, s.Client, nil)
	})
}

func TestServeInsecureOffLoopback(t *testing.T) {
	t.Parallel()
	s, err := launch(t, "--addr", "0.0.0.0:0", "--store", ":memory:", "--insecure", "--admin-token", "sesame")
	if err != nil {
		t.Fatalf("serve --insecure on 0.0.0.0: %v", err)
	}
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + net.JoinHostPort("127.0.0.1", u.Port())
	c := newClient(base, "any", "thing")
	createPool(t, c, nil) // any signature is accepted, as told

	status, _, body := httpDo(t, http.MethodGet, base+"/_cognate/messages", nil, nil)
	if status != http.StatusForbidden {
		t.Errorf("GET /_cognate/messages off loopback without the token: %d %s, want 403", status, body)
	}
	bad := http.Header{"Authorization": {"Bearer wrong"}}
	if status, _, _ := httpDo(t, http.MethodPost, base+"/_cognate/reset", bad, nil); status != http.StatusForbidden {
		t.Errorf("POST /_cognate/reset with a wrong token: %d, want 403", status)
	}
	good := http.Header{"Authorization": {"Bearer sesame"}}
	if status, _, body := httpDo(t, http.MethodGet, base+"/_cognate/messages", good, nil); status != http.StatusOK {
		t.Errorf("GET /_cognate/messages with the token: %d %s, want 200", status, body)
	}
	if status, _, _ := httpDo(t, http.MethodGet, base+"/healthz", nil, nil); status != http.StatusOK {
		t.Errorf("GET /healthz off loopback: %d, want 200", status)
	}
}
