package userpooltest

import (
	"fmt"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// newPool returns a pool with a description rich enough to catch a document that loses
// nested structs, slices, maps or the `format:unix` times.
func newPool(id string) *userpool.Pool {
	at := base()
	return &userpool.Pool{ID: id, Doc: userpool.UserPoolType{
		Id:               ptr(id),
		Name:             ptr("pool " + id),
		Arn:              ptr("arn:aws:cognito-idp:us-east-1:000000000000:userpool/" + id),
		CreationDate:     userpool.At(at),
		LastModifiedDate: userpool.At(at.Add(90 * time.Second)),
		Policies: &userpool.UserPoolPolicyType{PasswordPolicy: &userpool.PasswordPolicyType{
			MinimumLength: ptr(int32(8)), RequireUppercase: ptr(true), RequireSymbols: ptr(false),
			TemporaryPasswordValidityDays: ptr(int32(7)),
		}},
		SchemaAttributes: []userpool.SchemaAttributeType{{
			Name: ptr("email"), AttributeDataType: ptr("String"), Mutable: ptr(true), Required: ptr(false),
			StringAttributeConstraints: &userpool.StringAttributeConstraintsType{MinLength: ptr("0"), MaxLength: ptr("2048")},
		}},
		AliasAttributes:        []string{"email", "preferred_username"},
		AutoVerifiedAttributes: []string{"email"},
		UserPoolTags:           map[string]string{"team": "identity", "stage": "dev"},
		MfaConfiguration:       ptr("OFF"),
		DeletionProtection:     ptr("INACTIVE"),
	}}
}

func createPool(t *testing.T, s userpool.Store, id string) *userpool.Pool {
	t.Helper()
	p := newPool(id)
	must(t, "CreatePool "+id, s.CreatePool(t.Context(), p))
	return p
}

// newClient returns an app client of the pool; client ids are unique across pools.
func newClient(poolID, id string) *userpool.Client {
	at := base()
	return &userpool.Client{PoolID: poolID, ID: id, Doc: userpool.UserPoolClientType{
		UserPoolId:                 ptr(poolID),
		ClientId:                   ptr(id),
		ClientName:                 ptr("app " + id),
		ClientSecret:               ptr("s3cr3t-" + id),
		CreationDate:               userpool.At(at),
		LastModifiedDate:           userpool.At(at.Add(time.Second)),
		RefreshTokenValidity:       ptr(int32(30)),
		ExplicitAuthFlows:          []string{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
		ReadAttributes:             []string{"email", "name"},
		EnableTokenRevocation:      ptr(true),
		PreventUserExistenceErrors: ptr("ENABLED"),
		AuthSessionValidity:        ptr(int32(3)),
	}}
}

func createClient(t *testing.T, s userpool.Store, poolID, id string) *userpool.Client {
	t.Helper()
	c := newClient(poolID, id)
	must(t, "CreateClient "+id, s.CreateClient(t.Context(), c))
	return c
}

func testPoolCreateGet(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	got, err := s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	same(t, "GetPool", p, got)
	wantUTC(t, "GetPool", got.Doc.CreationDate.Time, got.Doc.LastModifiedDate.Time)

	_, err = s.GetPool(ctx, "us-east-1_none")
	wantErr(t, "GetPool of a missing pool", err, userpool.ErrNotFound)
}

func testPoolCreateDuplicate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	dup := newPool(p.ID)
	dup.Doc.Name = ptr("another")
	wantErr(t, "CreatePool with a taken id", s.CreatePool(ctx, dup), userpool.ErrConflict)
	got, err := s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	same(t, "pool after a refused duplicate", p, got)
}

func testPoolUpdate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	stale := *p
	v0 := p.Version

	p.Doc.Name = ptr("renamed")
	p.Doc.UserPoolTags = map[string]string{"team": "platform"}
	p.Doc.LastModifiedDate = userpool.At(base().Add(time.Hour))
	p.MFA = userpool.PoolMFA{SMS: true, SoftwareToken: &userpool.SoftwareTokenMfaConfigType{Enabled: ptr(true)},
		Email:    &userpool.EmailMfaConfigType{Message: ptr("Code {####}"), Subject: ptr("Sign-in")},
		WebAuthn: &userpool.WebAuthnConfigurationType{RelyingPartyId: ptr("auth.example.com"), UserVerification: ptr("required")}}
	must(t, "UpdatePool", s.UpdatePool(ctx, p))
	if p.Version == v0 {
		t.Fatalf("UpdatePool left Version at %d", v0)
	}
	got, err := s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	same(t, "pool after UpdatePool", p, got)
	// The MFA configuration goes away again as a whole.
	p.MFA = userpool.PoolMFA{WebAuthn: p.MFA.WebAuthn}
	must(t, "UpdatePool of the MFA configuration", s.UpdatePool(ctx, p))
	got, err = s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	same(t, "pool after UpdatePool of the MFA configuration", p, got)
	// An email configuration without Subject or Message still turns email MFA on (its
	// default text): it is kept, not taken for an absent one.
	p.MFA = userpool.PoolMFA{Email: &userpool.EmailMfaConfigType{}, SoftwareToken: &userpool.SoftwareTokenMfaConfigType{}}
	must(t, "UpdatePool of an empty email MFA configuration", s.UpdatePool(ctx, p))
	got, err = s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	if got.MFA.Email == nil || got.MFA.SoftwareToken == nil {
		t.Errorf("pool after UpdatePool of empty MFA configurations: email %v, software token %v, want both kept", got.MFA.Email, got.MFA.SoftwareToken)
	}
	p.MFA = userpool.PoolMFA{}
	must(t, "UpdatePool of no MFA configuration", s.UpdatePool(ctx, p))
	got, err = s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	same(t, "pool after UpdatePool of no MFA configuration", p, got)

	stale.Doc.Name = ptr("lost update")
	wantErr(t, "UpdatePool with a stale version", s.UpdatePool(ctx, &stale), userpool.ErrConflict)
	if stale.Version != v0 {
		t.Errorf("a refused UpdatePool moved Version from %d to %d", v0, stale.Version)
	}
	got, err = s.GetPool(ctx, p.ID)
	must(t, "GetPool", err)
	same(t, "pool after a refused UpdatePool", p, got)

	missing := newPool("us-east-1_none")
	wantErr(t, "UpdatePool of a missing pool", s.UpdatePool(ctx, missing), userpool.ErrNotFound)
}

func testPoolDelete(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	other := createPool(t, s, "us-east-1_bbbb")
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	_, err := s.GetPool(ctx, p.ID)
	wantErr(t, "GetPool of a deleted pool", err, userpool.ErrNotFound)
	// The operations answer ResourceNotFoundException on this (op_delete_user_pool.go).
	wantErr(t, "DeletePool of a deleted pool", s.DeletePool(ctx, p.ID), userpool.ErrNotFound)
	got, err := s.GetPool(ctx, other.ID)
	must(t, "GetPool of the other pool", err)
	same(t, "the other pool", other, got)
	// The id is free again.
	createPool(t, s, p.ID)
}

func testPoolList(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	ids := []string{"us-east-1_c", "eu-west-1_a", "us-east-1_A", "us-east-1_b", "ap-south-1_z"}
	byID := map[string]*userpool.Pool{}
	for _, id := range ids {
		byID[id] = createPool(t, s, id)
	}
	for _, limit := range []int{1, 2, 5, 60} {
		got := pageKeys(t, limit, func(after string, limit int) ([]*userpool.Pool, error) {
			return s.ListPools(ctx, after, limit)
		}, func(p *userpool.Pool) string { return p.ID })
		same(t, fmt.Sprintf("pool ids paged %d at a time", limit), sorted(ids...), got)
	}
	// A limit of zero or less means no limit, for callers that need every row.
	all, err := s.ListPools(ctx, "", 0)
	must(t, "ListPools with limit 0", err)
	var want []*userpool.Pool
	for _, id := range sorted(ids...) {
		want = append(want, byID[id])
	}
	same(t, "ListPools with limit 0", want, all)
	none, err := s.ListPools(ctx, "zz", 10)
	must(t, "ListPools after the last", err)
	if len(none) != 0 {
		t.Fatalf("ListPools after the last id returned %d pools", len(none))
	}
}

func testCountUsers(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	count := func(want int) {
		t.Helper()
		n, err := s.CountUsers(ctx, p.ID)
		must(t, "CountUsers", err)
		if n != want {
			t.Fatalf("CountUsers = %d, want %d", n, want)
		}
	}
	count(0)
	insertUsers(t, s, newUser(p.ID, "a"), newUser(p.ID, "b"), newUser(p.ID, "c"), newUser(q.ID, "a"))
	count(3)
	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, "b"))
	count(2)
}

func testClientCreateGet(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	c := createClient(t, s, p.ID, "client1")
	d := createClient(t, s, q.ID, "client2")

	got, err := s.GetClient(ctx, p.ID, c.ID)
	must(t, "GetClient", err)
	same(t, "GetClient", c, got)
	wantUTC(t, "GetClient", got.Doc.CreationDate.Time, got.Doc.LastModifiedDate.Time)

	for _, want := range []*userpool.Client{c, d} {
		got, err := s.FindClient(ctx, want.ID)
		must(t, "FindClient", err)
		same(t, "FindClient", want, got)
	}

	_, err = s.GetClient(ctx, q.ID, c.ID)
	wantErr(t, "GetClient in the wrong pool", err, userpool.ErrNotFound)
	_, err = s.GetClient(ctx, p.ID, "nope")
	wantErr(t, "GetClient of a missing client", err, userpool.ErrNotFound)
	_, err = s.FindClient(ctx, "nope")
	wantErr(t, "FindClient of a missing client", err, userpool.ErrNotFound)
}

func testClientCreateErrors(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	c := createClient(t, s, p.ID, "client1")

	wantErr(t, "CreateClient with a taken id", s.CreateClient(ctx, newClient(p.ID, c.ID)), userpool.ErrConflict)
	wantErr(t, "CreateClient with an id taken in another pool", s.CreateClient(ctx, newClient(q.ID, c.ID)), userpool.ErrConflict)
	wantErr(t, "CreateClient in a missing pool", s.CreateClient(ctx, newClient("us-east-1_none", "client9")), userpool.ErrNotFound)

	got, err := s.FindClient(ctx, c.ID)
	must(t, "FindClient", err)
	same(t, "client after refused duplicates", c, got)
}

func testClientUpdate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	c := createClient(t, s, p.ID, "client1")
	stale := *c
	v0 := c.Version

	c.Doc.ClientName = ptr("renamed")
	c.Doc.ExplicitAuthFlows = []string{"ALLOW_USER_SRP_AUTH"}
	must(t, "UpdateClient", s.UpdateClient(ctx, c))
	if c.Version == v0 {
		t.Fatalf("UpdateClient left Version at %d", v0)
	}
	got, err := s.GetClient(ctx, p.ID, c.ID)
	must(t, "GetClient", err)
	same(t, "client after UpdateClient", c, got)

	stale.Doc.ClientName = ptr("lost update")
	wantErr(t, "UpdateClient with a stale version", s.UpdateClient(ctx, &stale), userpool.ErrConflict)
	got, err = s.GetClient(ctx, p.ID, c.ID)
	must(t, "GetClient", err)
	same(t, "client after a refused UpdateClient", c, got)

	wantErr(t, "UpdateClient of a missing client", s.UpdateClient(ctx, newClient(p.ID, "nope")), userpool.ErrNotFound)
}

// testClientSecrets: a client's rotated secrets are written with it, by CreateClient and by
// UpdateClient's compare-and-set, and read back by every read of the client.
func testClientSecrets(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	at := time.Date(2026, 1, 2, 3, 4, 5, 6000000, time.UTC)
	c := newClient(p.ID, "client1")
	c.Secrets = []userpool.ClientSecret{{ID: "client1--1", Value: *c.Doc.ClientSecret, CreatedAt: at}}
	must(t, "CreateClient", s.CreateClient(ctx, c))
	read := func(what string, want *userpool.Client) {
		t.Helper()
		got, err := s.GetClient(ctx, p.ID, want.ID)
		must(t, "GetClient", err)
		same(t, what+" (GetClient)", want, got)
		got, err = s.FindClient(ctx, want.ID)
		must(t, "FindClient", err)
		same(t, what+" (FindClient)", want, got)
		list, err := s.ListClients(ctx, p.ID, "", 10)
		must(t, "ListClients", err)
		for _, l := range list {
			if l.ID == want.ID {
				same(t, what+" (ListClients)", want, l)
			}
		}
	}
	read("client created with a secret", c)

	stale := *c
	c.Secrets = append(c.Secrets, userpool.ClientSecret{ID: "client1--2", Value: "second-secret-value-0123456789", CreatedAt: at.Add(time.Hour)})
	must(t, "UpdateClient", s.UpdateClient(ctx, c))
	read("client with a second secret", c)

	stale.Secrets = nil
	wantErr(t, "UpdateClient with a stale version", s.UpdateClient(ctx, &stale), userpool.ErrConflict)
	read("client after a refused UpdateClient", c)

	c.Secrets = c.Secrets[1:]
	c.Doc.ClientSecret = ptr(c.Secrets[0].Value)
	must(t, "UpdateClient", s.UpdateClient(ctx, c))
	read("client after its first secret went", c)

	plain := createClient(t, s, p.ID, "client2")
	read("client without rotated secrets", plain)
	if plain.Secrets != nil {
		t.Errorf("a client created without Secrets has %v", plain.Secrets)
	}
}

func testClientDelete(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	c := createClient(t, s, p.ID, "client1")
	d := createClient(t, s, p.ID, "client2")

	wantErr(t, "DeleteClient in the wrong pool", s.DeleteClient(ctx, q.ID, c.ID), userpool.ErrNotFound)
	must(t, "DeleteClient", s.DeleteClient(ctx, p.ID, c.ID))
	_, err := s.GetClient(ctx, p.ID, c.ID)
	wantErr(t, "GetClient of a deleted client", err, userpool.ErrNotFound)
	_, err = s.FindClient(ctx, c.ID)
	wantErr(t, "FindClient of a deleted client", err, userpool.ErrNotFound)
	wantErr(t, "DeleteClient again", s.DeleteClient(ctx, p.ID, c.ID), userpool.ErrNotFound)

	got, err := s.GetClient(ctx, p.ID, d.ID)
	must(t, "GetClient of the other client", err)
	same(t, "the other client", d, got)
}

func testClientList(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	ids := []string{"m2", "a9", "Z1", "q0", "b1"}
	byID := map[string]*userpool.Client{}
	for _, id := range ids {
		byID[id] = createClient(t, s, p.ID, id)
	}
	createClient(t, s, q.ID, "c-other")
	for _, limit := range []int{1, 2, 3, 10} {
		got := pageKeys(t, limit, func(after string, limit int) ([]*userpool.Client, error) {
			return s.ListClients(ctx, p.ID, after, limit)
		}, func(c *userpool.Client) string { return c.ID })
		same(t, "client ids", sorted(ids...), got)
	}
	all, err := s.ListClients(ctx, p.ID, "", 0)
	must(t, "ListClients with limit 0", err)
	var want []*userpool.Client
	for _, id := range sorted(ids...) {
		want = append(want, byID[id])
	}
	same(t, "ListClients with limit 0", want, all)
}
