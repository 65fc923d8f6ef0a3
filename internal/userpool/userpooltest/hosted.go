package userpooltest

import (
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// hostedTests are the conformance tests of the hosted pages' and authorization server's
// stores (store_hosted.go).
var hostedTests = []struct {
	name string
	fn   func(t *testing.T, s userpool.Store)
}{
	{"Domain/CreateGetUpdateDelete", testDomains},
	{"Domain/Conflicts", testDomainConflicts},
	{"ResourceServer/CRUD", testResourceServers},
	{"IdentityProvider/CRUD", testIdentityProviders},
	{"IdentityProvider/IdentifierConflicts", testIdentityProviderIdentifiers},
	{"AuthorizationCode/TakeOnce", testAuthorizationCodes},
	{"AuthorizationCode/TakeRace", testAuthorizationCodeRace},
	{"HostedSession/CreateGetDelete", testHostedSessions},
	{"Hosted/DeletePoolCascades", testHostedDeletePool},
}

func newDomain(poolID, name string, custom bool) *userpool.Domain {
	d := &userpool.Domain{Name: name, PoolID: poolID, Custom: custom, Doc: userpool.DomainDescriptionType{
		UserPoolId: ptr(poolID), AWSAccountId: ptr("000000000000"), Domain: ptr(name), Status: ptr("ACTIVE"),
		Version: ptr("1"), ManagedLoginVersion: ptr(int32(1)), S3Bucket: ptr("bucket"),
		CloudFrontDistribution: ptr("cdn.example"), Routing: &userpool.RoutingType{},
	}}
	if custom {
		d.Doc.CustomDomainConfig = &userpool.CustomDomainConfigType{CertificateArn: ptr("arn:aws:acm:us-east-1:000000000000:certificate/x")}
	}
	return d
}

func testDomains(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	custom := newDomain(p.ID, "auth.example.com", true)
	prefix := newDomain(p.ID, "myapp", false)
	must(t, "CreateDomain custom", s.CreateDomain(ctx, custom))
	must(t, "CreateDomain prefix", s.CreateDomain(ctx, prefix))
	got, err := s.GetDomain(ctx, "myapp")
	must(t, "GetDomain", err)
	same(t, "GetDomain", prefix, got)
	all, err := s.PoolDomains(ctx, p.ID)
	must(t, "PoolDomains", err)
	same(t, "PoolDomains (prefix first)", []*userpool.Domain{prefix, custom}, all)

	prefix.Doc.ManagedLoginVersion = ptr(int32(2))
	must(t, "UpdateDomain", s.UpdateDomain(ctx, prefix))
	got, _ = s.GetDomain(ctx, "myapp")
	same(t, "GetDomain after update", prefix, got)
	wantErr(t, "UpdateDomain of another pool", s.UpdateDomain(ctx, newDomain("us-east-1_other", "myapp", false)), userpool.ErrNotFound)

	wantErr(t, "DeleteDomain of another pool", s.DeleteDomain(ctx, "us-east-1_other", "myapp"), userpool.ErrNotFound)
	must(t, "DeleteDomain", s.DeleteDomain(ctx, p.ID, "myapp"))
	wantErr(t, "DeleteDomain twice", s.DeleteDomain(ctx, p.ID, "myapp"), userpool.ErrNotFound)
	_, err = s.GetDomain(ctx, "myapp")
	wantErr(t, "GetDomain after delete", err, userpool.ErrNotFound)
}

func testDomainConflicts(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	must(t, "CreateDomain", s.CreateDomain(ctx, newDomain(p.ID, "one", false)))
	wantErr(t, "a taken name in another pool", s.CreateDomain(ctx, newDomain(q.ID, "one", false)), userpool.ErrConflict)
	wantErr(t, "a second prefix domain", s.CreateDomain(ctx, newDomain(p.ID, "two", false)), userpool.ErrConflict)
	wantErr(t, "a missing pool", s.CreateDomain(ctx, newDomain("us-east-1_none", "three", false)), userpool.ErrNotFound)

	// Of racing creates of one name, exactly one wins.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			pool := []string{p.ID, q.ID}[i%2]
			errs[i] = s.CreateDomain(ctx, newDomain(pool, "raced.example.com", true))
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantErr(t, "losing create", err, userpool.ErrConflict)
		}
	}
	if won != 1 {
		t.Fatalf("%d racing creates of one domain succeeded, want 1", won)
	}
}

func newResourceServer(poolID, id string) *userpool.ResourceServerType {
	return &userpool.ResourceServerType{UserPoolId: ptr(poolID), Identifier: ptr(id), Name: ptr("api " + id),
		Scopes: []userpool.ResourceServerScopeType{{ScopeName: ptr("read"), ScopeDescription: ptr("Read it")}}}
}

func testResourceServers(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	for _, id := range []string{"https://b.example", "a-api", "c"} {
		must(t, "CreateResourceServer "+id, s.CreateResourceServer(ctx, newResourceServer(p.ID, id)))
	}
	must(t, "same identifier in another pool", s.CreateResourceServer(ctx, newResourceServer(q.ID, "c")))
	wantErr(t, "a duplicate", s.CreateResourceServer(ctx, newResourceServer(p.ID, "c")), userpool.ErrConflict)
	wantErr(t, "a missing pool", s.CreateResourceServer(ctx, newResourceServer("us-east-1_none", "c")), userpool.ErrNotFound)

	rs := newResourceServer(p.ID, "a-api")
	got, err := s.GetResourceServer(ctx, p.ID, "a-api")
	must(t, "GetResourceServer", err)
	same(t, "GetResourceServer", rs, got)
	rs.Name = ptr("renamed")
	rs.Scopes = append(rs.Scopes, userpool.ResourceServerScopeType{ScopeName: ptr("write"), ScopeDescription: ptr("Write it")})
	must(t, "UpdateResourceServer", s.UpdateResourceServer(ctx, rs))
	got, _ = s.GetResourceServer(ctx, p.ID, "a-api")
	same(t, "after update", rs, got)
	wantErr(t, "update a missing one", s.UpdateResourceServer(ctx, newResourceServer(p.ID, "zzz")), userpool.ErrNotFound)

	page, err := s.ListResourceServers(ctx, p.ID, "", 2)
	must(t, "ListResourceServers", err)
	if len(page) != 2 || *page[0].Identifier != "a-api" || *page[1].Identifier != "c" {
		t.Fatalf("first page: %v", page)
	}
	page, err = s.ListResourceServers(ctx, p.ID, "c", 0)
	must(t, "ListResourceServers", err)
	if len(page) != 1 || *page[0].Identifier != "https://b.example" {
		t.Fatalf("second page: %v", page)
	}
	must(t, "DeleteResourceServer", s.DeleteResourceServer(ctx, p.ID, "c"))
	wantErr(t, "delete twice", s.DeleteResourceServer(ctx, p.ID, "c"), userpool.ErrNotFound)
	_, err = s.GetResourceServer(ctx, q.ID, "c")
	must(t, "the other pool's is kept", err)
}

func newIdentityProvider(poolID, name string, ids ...string) *userpool.IdentityProviderType {
	return &userpool.IdentityProviderType{UserPoolId: ptr(poolID), ProviderName: ptr(name), ProviderType: ptr("OIDC"),
		ProviderDetails:  map[string]string{"client_id": "c", "oidc_issuer": "https://idp.example"},
		AttributeMapping: map[string]string{"email": "email", "username": "sub"},
		IdpIdentifiers:   ids, CreationDate: userpool.At(base()), LastModifiedDate: userpool.At(base().Add(time.Second))}
}

func testIdentityProviders(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	corp := newIdentityProvider(p.ID, "Corp", "corp.example", "corp")
	allSet(t, corp)
	must(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, corp))
	must(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, newIdentityProvider(p.ID, "Acme")))
	wantErr(t, "a duplicate name", s.CreateIdentityProvider(ctx, newIdentityProvider(p.ID, "Corp")), userpool.ErrConflict)
	wantErr(t, "a missing pool", s.CreateIdentityProvider(ctx, newIdentityProvider("us-east-1_none", "Corp")), userpool.ErrNotFound)

	got, err := s.GetIdentityProvider(ctx, p.ID, "Corp")
	must(t, "GetIdentityProvider", err)
	same(t, "GetIdentityProvider", corp, got)
	got, err = s.GetIdentityProviderByIdentifier(ctx, p.ID, "corp")
	must(t, "GetIdentityProviderByIdentifier", err)
	same(t, "GetIdentityProviderByIdentifier", corp, got)

	corp.IdpIdentifiers = []string{"corp-new"}
	corp.ProviderDetails["authorize_scopes"] = "openid email"
	must(t, "UpdateIdentityProvider", s.UpdateIdentityProvider(ctx, corp))
	_, err = s.GetIdentityProviderByIdentifier(ctx, p.ID, "corp")
	wantErr(t, "a dropped identifier", err, userpool.ErrNotFound)
	got, _ = s.GetIdentityProviderByIdentifier(ctx, p.ID, "corp-new")
	same(t, "after update", corp, got)
	wantErr(t, "update a missing one", s.UpdateIdentityProvider(ctx, newIdentityProvider(p.ID, "Nope")), userpool.ErrNotFound)

	list, err := s.ListIdentityProviders(ctx, p.ID, "", 0)
	must(t, "ListIdentityProviders", err)
	if len(list) != 2 || *list[0].ProviderName != "Acme" || *list[1].ProviderName != "Corp" {
		t.Fatalf("list: %v", list)
	}
	list, _ = s.ListIdentityProviders(ctx, p.ID, "Acme", 1)
	if len(list) != 1 || *list[0].ProviderName != "Corp" {
		t.Fatalf("page after Acme: %v", list)
	}
	must(t, "DeleteIdentityProvider", s.DeleteIdentityProvider(ctx, p.ID, "Corp"))
	wantErr(t, "delete twice", s.DeleteIdentityProvider(ctx, p.ID, "Corp"), userpool.ErrNotFound)
	_, err = s.GetIdentityProviderByIdentifier(ctx, p.ID, "corp-new")
	wantErr(t, "identifiers go with their provider", err, userpool.ErrNotFound)
	// The identifier is free again.
	must(t, "reuse an identifier", s.CreateIdentityProvider(ctx, newIdentityProvider(p.ID, "Other", "corp-new")))
}

func testIdentityProviderIdentifiers(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	must(t, "create", s.CreateIdentityProvider(ctx, newIdentityProvider(p.ID, "A", "shared")))
	wantErr(t, "an identifier another provider holds", s.CreateIdentityProvider(ctx, newIdentityProvider(p.ID, "B", "mine", "shared")), userpool.ErrConflict)
	_, err := s.GetIdentityProvider(ctx, p.ID, "B")
	wantErr(t, "the refused create left nothing", err, userpool.ErrNotFound)
	must(t, "the same identifier in another pool", s.CreateIdentityProvider(ctx, newIdentityProvider(q.ID, "B", "shared")))

	b := newIdentityProvider(p.ID, "B", "mine")
	must(t, "create B", s.CreateIdentityProvider(ctx, b))
	b.IdpIdentifiers = []string{"shared"}
	b.ProviderType = ptr("changed")
	wantErr(t, "an update taking a held identifier", s.UpdateIdentityProvider(ctx, b), userpool.ErrConflict)
	got, _ := s.GetIdentityProvider(ctx, p.ID, "B")
	same(t, "the refused update changed nothing", newIdentityProvider(p.ID, "B", "mine"), got)
}

func newAuthorizationCode(id string, u *userpool.User, at time.Time) *userpool.AuthorizationCode {
	return &userpool.AuthorizationCode{ID: id, PoolID: u.PoolID, ClientID: "client1", UserSub: u.Sub,
		RedirectURI: "https://app.example/cb", Scopes: []string{"openid", "email"}, Nonce: "n-0S6",
		CodeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Provider: "Corp",
		AuthTime: at, CreatedAt: at.Add(time.Second), ExpiresAt: at.Add(5 * time.Minute)}
}

func testAuthorizationCodes(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	c := newAuthorizationCode("code-1", a, base())
	allSet(t, c)
	must(t, "PutAuthorizationCode", s.PutAuthorizationCode(ctx, c))
	wantErr(t, "a duplicate id", s.PutAuthorizationCode(ctx, c), userpool.ErrConflict)
	wantErr(t, "a missing user", s.PutAuthorizationCode(ctx, newAuthorizationCode("code-2", newUser(p.ID, "nobody"), base())), userpool.ErrNotFound)
	got, err := s.TakeAuthorizationCode(ctx, "code-1")
	must(t, "TakeAuthorizationCode", err)
	same(t, "TakeAuthorizationCode", c, got)
	wantUTC(t, "TakeAuthorizationCode", got.AuthTime, got.CreatedAt, got.ExpiresAt)
	_, err = s.TakeAuthorizationCode(ctx, "code-1")
	wantErr(t, "a second take", err, userpool.ErrNotFound)

	must(t, "PutAuthorizationCode", s.PutAuthorizationCode(ctx, newAuthorizationCode("code-3", a, base())))
	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, a.Key))
	_, err = s.TakeAuthorizationCode(ctx, "code-3")
	wantErr(t, "a deleted user's code", err, userpool.ErrNotFound)
}

func testAuthorizationCodeRace(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	must(t, "PutAuthorizationCode", s.PutAuthorizationCode(ctx, newAuthorizationCode("raced", a, base())))
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		won int
	)
	for range 16 {
		wg.Go(func() {
			_, err := s.TakeAuthorizationCode(ctx, "raced")
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				won++
			} else {
				wantErr(t, "losing take", err, userpool.ErrNotFound)
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d of 16 racing takes got the code, want 1", won)
	}
}

func testHostedSessions(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	hs := &userpool.HostedSession{ID: "hs-1", PoolID: p.ID, UserSub: a.Sub, Provider: "Corp",
		AuthTime: base(), CreatedAt: base().Add(time.Second), ExpiresAt: base().Add(time.Hour)}
	allSet(t, hs)
	must(t, "CreateHostedSession", s.CreateHostedSession(ctx, hs))
	wantErr(t, "a duplicate", s.CreateHostedSession(ctx, hs), userpool.ErrConflict)
	got, err := s.GetHostedSession(ctx, "hs-1")
	must(t, "GetHostedSession", err)
	same(t, "GetHostedSession", hs, got)
	wantUTC(t, "GetHostedSession", got.AuthTime, got.CreatedAt, got.ExpiresAt)
	must(t, "DeleteHostedSession", s.DeleteHostedSession(ctx, "hs-1"))
	must(t, "DeleteHostedSession twice", s.DeleteHostedSession(ctx, "hs-1"))
	_, err = s.GetHostedSession(ctx, "hs-1")
	wantErr(t, "after delete", err, userpool.ErrNotFound)

	hs.ID = "hs-2"
	must(t, "CreateHostedSession", s.CreateHostedSession(ctx, hs))
	must(t, "DeleteUser", s.DeleteUser(ctx, p.ID, a.Key))
	_, err = s.GetHostedSession(ctx, "hs-2")
	wantErr(t, "a deleted user's session", err, userpool.ErrNotFound)
}

func testHostedDeletePool(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	a := newUser(p.ID, "alice")
	insertUsers(t, s, a)
	must(t, "CreateDomain", s.CreateDomain(ctx, newDomain(p.ID, "gone", false)))
	must(t, "CreateResourceServer", s.CreateResourceServer(ctx, newResourceServer(p.ID, "api")))
	must(t, "CreateIdentityProvider", s.CreateIdentityProvider(ctx, newIdentityProvider(p.ID, "Corp", "corp")))
	must(t, "PutAuthorizationCode", s.PutAuthorizationCode(ctx, newAuthorizationCode("c", a, base())))
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	createPool(t, s, p.ID) // a new pool of the same id starts empty
	if _, err := s.GetDomain(ctx, "gone"); err == nil {
		t.Fatal("the domain outlived its pool")
	}
	if _, err := s.GetResourceServer(ctx, p.ID, "api"); err == nil {
		t.Fatal("the resource server outlived its pool")
	}
	if _, err := s.GetIdentityProviderByIdentifier(ctx, p.ID, "corp"); err == nil {
		t.Fatal("the identity provider outlived its pool")
	}
	if _, err := s.TakeAuthorizationCode(ctx, "c"); err == nil {
		t.Fatal("the authorization code outlived its pool")
	}
}
