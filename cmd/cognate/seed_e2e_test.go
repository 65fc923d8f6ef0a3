package main

// cognate serve --seed: what a seed file makes, that applying it again makes nothing more,
// and that a broken one names each problem and changes nothing.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

const seedYAML = `# The pools an app's tests expect.
UserPools:
  - Id: us-east-1_SeedPool1
    PoolName: app
    AliasAttributes: [email]
    AutoVerifiedAttributes: [email]
    Policies:
      PasswordPolicy: {MinimumLength: 10, RequireNumbers: true}
    Clients:
      - ClientId: 1seedclient0000000000000a
        ClientName: backend
        ClientSecret: theBackendSecretThatTestsKnow0123456789abcdef
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
      - ClientName: web
        ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]
    Groups:
      - GroupName: admins
        Description: People who may do anything
        Precedence: 1
      - GroupName: staff
    Users:
      - Username: jane
        Password: correct-horse-7
        Attributes: {email: jane@example.com, email_verified: true, name: Jane}
        Groups: [admins, staff]
      - Username: bob
        Enabled: false
  - PoolName: second
    Users:
      - Username: sam
`

// seedFileOf writes a seed file into the test's directory.
func seedFileOf(t *testing.T, name, text string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestSeed(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "cognate.db")
	file := seedFileOf(t, "seed.yaml", seedYAML)

	check := func(t *testing.T, s *testServer) {
		t.Helper()
		c := s.Client
		pools := must(c.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}))(t).UserPools
		if len(pools) != 2 {
			t.Fatalf("%d pools, want 2: %+v", len(pools), pools)
		}
		pool := must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_SeedPool1")}))(t).UserPool
		if aws.ToString(pool.Name) != "app" || aws.ToInt32(pool.Policies.PasswordPolicy.MinimumLength) != 10 {
			t.Errorf("the seeded pool: name %q, policy %+v", aws.ToString(pool.Name), pool.Policies.PasswordPolicy)
		}
		clients := must(c.ListUserPoolClients(bg, &cip.ListUserPoolClientsInput{UserPoolId: pool.Id, MaxResults: aws.Int32(60)}))(t).UserPoolClients
		if len(clients) != 2 {
			t.Errorf("%d clients, want 2: %+v", len(clients), clients)
		}
		backend := must(c.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: pool.Id, ClientId: aws.String("1seedclient0000000000000a")}))(t).UserPoolClient
		const secret = "theBackendSecretThatTestsKnow0123456789abcdef"
		if aws.ToString(backend.ClientSecret) != secret || aws.ToString(backend.ClientName) != "backend" {
			t.Errorf("the backend client: %+v", backend)
		}
		// The fixed secret works: jane signs in with her seeded password through it.
		must(c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: backend.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "jane", "PASSWORD": "correct-horse-7",
				"SECRET_HASH": recSecretHash(secret, "jane", "1seedclient0000000000000a")}}))(t)
		jane := getUser(t, c, "us-east-1_SeedPool1", "jane@example.com") // a verified email is an alias
		if jane.UserStatus != types.UserStatusTypeConfirmed || !strings.HasPrefix(attrMap(jane.UserAttributes)["name"], "Jane") || attrMap(jane.UserAttributes)["email_verified"] != "true" {
			t.Errorf("jane: %s %v", jane.UserStatus, attrMap(jane.UserAttributes))
		}
		groups := must(c.AdminListGroupsForUser(bg, &cip.AdminListGroupsForUserInput{UserPoolId: pool.Id, Username: aws.String("jane")}))(t).Groups
		if len(groups) != 2 {
			t.Errorf("jane's groups: %+v", groups)
		}
		admins := must(c.GetGroup(bg, &cip.GetGroupInput{UserPoolId: pool.Id, GroupName: aws.String("admins")}))(t).Group
		if aws.ToInt32(admins.Precedence) != 1 || aws.ToString(admins.Description) != "People who may do anything" {
			t.Errorf("admins: %+v", admins)
		}
		bob := getUser(t, c, "us-east-1_SeedPool1", "bob")
		if bob.Enabled || bob.UserStatus != types.UserStatusTypeForceChangePassword {
			t.Errorf("bob: enabled %v, %s; want disabled, FORCE_CHANGE_PASSWORD", bob.Enabled, bob.UserStatus)
		}
		users := must(c.ListUsers(bg, &cip.ListUsersInput{UserPoolId: pool.Id}))(t).Users
		if len(users) != 2 {
			t.Errorf("%d users in the seeded pool, want 2", len(users))
		}
		for _, p := range pools {
			if aws.ToString(p.Name) == "second" {
				getUser(t, c, aws.ToString(p.Id), "sam")
			}
		}
		// Seeding sends nothing.
		if msgs := s.messages(t, ""); len(msgs) != 0 {
			t.Errorf("seeding sent %d messages", len(msgs))
		}
	}

	s := startServer(t, "--store", store, "--seed", file)
	if !strings.Contains(s.stderr.String(), `made="2 pools, 2 clients, 2 groups, 3 users made"`) {
		t.Errorf("the start did not say what the seed made:\n%s", s.stderr.String())
	}
	check(t, s)
	// A change made since stays: seeding again leaves existing things alone.
	must(s.Client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String("us-east-1_SeedPool1"),
		Username: aws.String("jane"), UserAttributes: attributes("name", "Jane Doe")}))(t)
	s.Stop(t)

	s = startServer(t, "--store", store, "--seed", file)
	if !strings.Contains(s.stderr.String(), `made="0 pools, 0 clients, 0 groups, 0 users made"`) {
		t.Errorf("the second start made something:\n%s", s.stderr.String())
	}
	check(t, s)
	if name := attrMap(getUser(t, s.Client, "us-east-1_SeedPool1", "jane").UserAttributes)["name"]; name != "Jane Doe" {
		t.Errorf("seeding again changed jane's name to %q", name)
	}

	// The same file as JSON, into a store in memory.
	js := seedFileOf(t, "seed.json", `{"UserPools":[{"Id":"us-east-1_Json1","PoolName":"js","Clients":[{"ClientId":"jsclient1","ClientName":"c"}],
		"Users":[{"Username":"amy","Password":"Passw0rd!x","Attributes":{"email":"amy@example.com"}}]}]}`)
	m := startServer(t, "--seed", js)
	must(m.Client.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String("us-east-1_Json1"), ClientId: aws.String("jsclient1")}))(t)
	if st := getUser(t, m.Client, "us-east-1_Json1", "amy").UserStatus; st != types.UserStatusTypeConfirmed {
		t.Errorf("amy: %s", st)
	}
}

func TestSeedBroken(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "cognate.db")
	good := seedFileOf(t, "good.yaml", "UserPools:\n  - Id: us-east-1_Existing1\n    PoolName: existing\n    Users:\n      - Username: old\n")
	s := startServer(t, "--store", store, "--seed", good)
	s.Stop(t)

	bad := seedFileOf(t, "bad.yaml", `UserPools:
  - Id: us-east-1_Existing1
    PoolName: existing
    Users:
      - Username: new-in-existing
        Password: short
  - Id: us-east-1_Fresh1
    PoolName: fresh
    Clients:
      - ClientName: c
        ExplicitAuthFlows: [ALLOW_EVERYTHING]
    Groups:
      - GroupName: admins
    Users:
      - Username: jane
        Groups: [admins, nosuch]
      - Username: kim
        Attributes: {favourite_colour: blue}
  - PoolNmae: typo
  - Id: eu-west-1_WrongRegion
    PoolName: elsewhere
`)
	_, err := launch(t, "--addr", "127.0.0.1:0", "--store", store, "--seed", bad)
	if err == nil {
		t.Fatal("a broken seed file started the server")
	}
	for _, want := range []string{
		"--seed " + bad + ": 6 problem(s), nothing was changed:",
		"UserPools[0] (existing).Users[0] (new-in-existing).Password: InvalidPasswordException: Password does not conform to policy: Password not long enough",
		"UserPools[1] (fresh).Clients[0] (c): InvalidParameterException: 1 validation error detected: Value '[ALLOW_EVERYTHING]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: ",
		"UserPools[1] (fresh).Users[0] (jane).Groups[1] (nosuch): ResourceNotFoundException: Group not found.",
		"UserPools[1] (fresh).Users[1] (kim): InvalidParameterException: ",
		"UserPools[2]: InvalidParameterException: unknown member 'PoolNmae'",
		"UserPools[3] (elsewhere): InvalidParameterException: A user pool id must be us-east-1_ followed by letters and digits",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not say %q:\n%v", want, err)
		}
	}

	// Nothing changed: the existing pool has its one user, and no new pool was made.
	s = startServer(t, "--store", store)
	pools := must(s.Client.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}))(t).UserPools
	if len(pools) != 1 || aws.ToString(pools[0].Id) != "us-east-1_Existing1" {
		t.Errorf("pools after the refused seed: %+v (%s)", pools, aws.ToString(pools[0].Id))
	}
	users := must(s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String("us-east-1_Existing1")}))(t).Users
	if len(users) != 1 || aws.ToString(users[0].Username) != "old" {
		t.Errorf("users after the refused seed: %+v", users)
	}

	for _, tc := range []struct{ name, text, want string }{
		{"bad.yaml", "UserPools: [\n", "--seed "},
		{"bad.json", `{"Pools":[]}`, `unknown object member name "Pools"`},
	} {
		_, err := launch(t, "--addr", "127.0.0.1:0", "--store", ":memory:", "--seed", seedFileOf(t, tc.name, tc.text))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error saying %q", tc.name, err, tc.want)
		}
	}
}
