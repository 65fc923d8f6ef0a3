package userpooltest

import (
	"fmt"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// brandingTests are the conformance tests of the stores of store_branding.go.
var brandingTests = []struct {
	name string
	fn   func(t *testing.T, s userpool.Store)
}{
	{"UICustomization/PutGetDelete", testUICustomization},
	{"UICustomization/Cascades", testUICustomizationCascades},
	{"Branding/CreateGet", testBrandingCreateGet},
	{"Branding/OnePerClient", testBrandingOnePerClient},
	{"Branding/Update", testBrandingUpdate},
	{"Branding/DeleteAndCascades", testBrandingDelete},
	{"Terms/CreateGetList", testTermsCreateGetList},
	{"Terms/OneNamePerClient", testTermsOneNamePerClient},
	{"Terms/Update", testTermsUpdate},
	{"Terms/DeleteAndCascades", testTermsDelete},
	{"LogDelivery/PutGet", testLogDelivery},
	{"Quota/Take", testQuotaTake},
	{"Quota/Race", testQuotaRace},
	{"Quota/ProvisionedLimit", testProvisionedLimit},
}

func newUICustomization(poolID, clientID string, tag string) *userpool.UICustomization {
	return &userpool.UICustomization{PoolID: poolID, ClientID: clientID, CSS: ptr(".label-customizable { color: " + tag + "; }"),
		Image: []byte("\x89PNG " + tag), ImageType: "image/png", Version: tag,
		CreatedAt: userpool.At(base()), ModifiedAt: userpool.At(base().Add(time.Minute))}
}

func testUICustomization(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	_, err := s.GetUICustomization(ctx, p.ID, "")
	wantErr(t, "GetUICustomization before any", err, userpool.ErrNotFound)
	all := newUICustomization(p.ID, "", "red")
	allSet(t, all, "ClientID") // the pool's has none
	must(t, "PutUICustomization of the pool", s.PutUICustomization(ctx, all))
	one := newUICustomization(p.ID, "app1", "blue")
	one.CSS = nil // a logo alone
	must(t, "PutUICustomization of a client", s.PutUICustomization(ctx, one))
	get := func(clientID string) *userpool.UICustomization {
		t.Helper()
		u, err := s.GetUICustomization(ctx, p.ID, clientID)
		must(t, "GetUICustomization "+clientID, err)
		wantUTC(t, "GetUICustomization", u.CreatedAt.Time, u.ModifiedAt.Time)
		return u
	}
	same(t, "the pool's", all, get(""))
	same(t, "the client's", one, get("app1"))
	replaced := newUICustomization(p.ID, "", "green")
	must(t, "PutUICustomization again", s.PutUICustomization(ctx, replaced))
	same(t, "the replaced one", replaced, get(""))

	wantErr(t, "PutUICustomization of a missing client",
		s.PutUICustomization(ctx, newUICustomization(p.ID, "app2", "x")), userpool.ErrNotFound)
	q := createPool(t, s, "us-east-1_bbbb")
	wantErr(t, "PutUICustomization of another pool's client",
		s.PutUICustomization(ctx, newUICustomization(q.ID, "app1", "x")), userpool.ErrNotFound)
	wantErr(t, "PutUICustomization in a missing pool",
		s.PutUICustomization(ctx, newUICustomization("us-east-1_none", "", "x")), userpool.ErrNotFound)

	must(t, "DeleteUICustomization of the client", s.DeleteUICustomization(ctx, p.ID, "app1"))
	_, err = s.GetUICustomization(ctx, p.ID, "app1")
	wantErr(t, "GetUICustomization after its deletion", err, userpool.ErrNotFound)
	same(t, "the pool's after the client's deletion", replaced, get(""))
	must(t, "DeleteUICustomization of none", s.DeleteUICustomization(ctx, p.ID, "app1"))
}

func testUICustomizationCascades(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	must(t, "PutUICustomization of the pool", s.PutUICustomization(ctx, newUICustomization(p.ID, "", "red")))
	must(t, "PutUICustomization of the client", s.PutUICustomization(ctx, newUICustomization(p.ID, "app1", "blue")))
	must(t, "DeleteClient", s.DeleteClient(ctx, p.ID, "app1"))
	createClient(t, s, p.ID, "app1")
	_, err := s.GetUICustomization(ctx, p.ID, "app1")
	wantErr(t, "GetUICustomization of a deleted client", err, userpool.ErrNotFound)
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	createPool(t, s, p.ID)
	_, err = s.GetUICustomization(ctx, p.ID, "")
	wantErr(t, "GetUICustomization of a deleted pool", err, userpool.ErrNotFound)
}

func newBranding(poolID, clientID, id string) *userpool.Branding {
	return &userpool.Branding{PoolID: poolID, ClientID: clientID, ID: id, Doc: userpool.ManagedLoginBrandingType{
		ManagedLoginBrandingId: ptr(id), UserPoolId: ptr(poolID), UseCognitoProvidedValues: ptr(false),
		Settings: map[string]any{"components": map[string]any{"primaryButton": map[string]any{"lightMode": map[string]any{
			"defaults": map[string]any{"backgroundColor": "0972d3ff"}}}}, "categories": map[string]any{"global": map[string]any{
			"colorSchemeMode": "LIGHT", "spacingDensity": "REGULAR"}}},
		Assets: []userpool.AssetType{{Category: ptr("PAGE_HEADER_LOGO"), ColorMode: ptr("LIGHT"), Extension: ptr("PNG"),
			Bytes: []byte("\x89PNG logo"), ResourceId: ptr("logo-1")}},
		CreationDate: userpool.At(base()), LastModifiedDate: userpool.At(base().Add(time.Minute)),
	}}
}

func testBrandingCreateGet(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	b := newBranding(p.ID, "app1", "b-one")
	allSet(t, &b.Doc)
	must(t, "CreateBranding", s.CreateBranding(ctx, b))
	if b.Version != 1 {
		t.Fatalf("CreateBranding set Version %d, want 1", b.Version)
	}
	got, err := s.GetBranding(ctx, p.ID, "b-one")
	must(t, "GetBranding", err)
	same(t, "GetBranding", b, got)
	got, err = s.GetBrandingByClient(ctx, p.ID, "app1")
	must(t, "GetBrandingByClient", err)
	same(t, "GetBrandingByClient", b, got)
	_, err = s.GetBranding(ctx, p.ID, "b-none")
	wantErr(t, "GetBranding of a missing style", err, userpool.ErrNotFound)
	_, err = s.GetBranding(ctx, "us-east-1_other", "b-one")
	wantErr(t, "GetBranding in another pool", err, userpool.ErrNotFound)
	createClient(t, s, p.ID, "app2")
	_, err = s.GetBrandingByClient(ctx, p.ID, "app2")
	wantErr(t, "GetBrandingByClient of a client without one", err, userpool.ErrNotFound)
	wantErr(t, "CreateBranding for a missing client", s.CreateBranding(ctx, newBranding(p.ID, "app3", "b-two")), userpool.ErrNotFound)
	q := createPool(t, s, "us-east-1_bbbb")
	wantErr(t, "CreateBranding for another pool's client", s.CreateBranding(ctx, newBranding(q.ID, "app2", "b-two")), userpool.ErrNotFound)
	wantErr(t, "CreateBranding with a taken id", s.CreateBranding(ctx, newBranding(p.ID, "app2", "b-one")), userpool.ErrConflict)
}

func testBrandingOnePerClient(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	must(t, "CreateBranding", s.CreateBranding(ctx, newBranding(p.ID, "app1", "b-one")))
	wantErr(t, "a second CreateBranding for the client", s.CreateBranding(ctx, newBranding(p.ID, "app1", "b-two")), userpool.ErrConflict)
	createClient(t, s, p.ID, "app2")
	errs := make([]error, 8)
	race(len(errs), func(i int) { errs[i] = s.CreateBranding(ctx, newBranding(p.ID, "app2", fmt.Sprintf("b-raced-%d", i))) })
	oneWins(t, "racing creates for one client", errs)
}

func testBrandingUpdate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	b := newBranding(p.ID, "app1", "b-one")
	must(t, "CreateBranding", s.CreateBranding(ctx, b))
	b.Doc.Settings = map[string]any{"categories": map[string]any{"global": map[string]any{"colorSchemeMode": "DARK"}}}
	b.Doc.Assets = nil
	must(t, "UpdateBranding", s.UpdateBranding(ctx, b))
	if b.Version != 2 {
		t.Fatalf("UpdateBranding left Version %d, want 2", b.Version)
	}
	got, err := s.GetBranding(ctx, p.ID, "b-one")
	must(t, "GetBranding", err)
	same(t, "the updated style", b, got)
	stale := *b
	stale.Version = 1
	wantErr(t, "UpdateBranding from a stale version", s.UpdateBranding(ctx, &stale), userpool.ErrConflict)
	gone := newBranding(p.ID, "app1", "b-none")
	gone.Version = 1
	wantErr(t, "UpdateBranding of a missing style", s.UpdateBranding(ctx, gone), userpool.ErrNotFound)

	errs := make([]error, 8)
	race(len(errs), func(i int) {
		c := *got
		errs[i] = s.UpdateBranding(ctx, &c)
	})
	oneWins(t, "racing updates from one version", errs)
}

func testBrandingDelete(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	must(t, "CreateBranding", s.CreateBranding(ctx, newBranding(p.ID, "app1", "b-one")))
	must(t, "DeleteBranding", s.DeleteBranding(ctx, p.ID, "b-one"))
	wantErr(t, "DeleteBranding again", s.DeleteBranding(ctx, p.ID, "b-one"), userpool.ErrNotFound)
	_, err := s.GetBrandingByClient(ctx, p.ID, "app1")
	wantErr(t, "GetBrandingByClient after the deletion", err, userpool.ErrNotFound)
	// The client may have a new style once its old one is gone.
	must(t, "CreateBranding after the deletion", s.CreateBranding(ctx, newBranding(p.ID, "app1", "b-two")))
	must(t, "DeleteClient", s.DeleteClient(ctx, p.ID, "app1"))
	_, err = s.GetBranding(ctx, p.ID, "b-two")
	wantErr(t, "GetBranding after the client was deleted", err, userpool.ErrNotFound)
	createClient(t, s, p.ID, "app1")
	must(t, "CreateBranding for the new client", s.CreateBranding(ctx, newBranding(p.ID, "app1", "b-three")))
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	createPool(t, s, p.ID)
	_, err = s.GetBranding(ctx, p.ID, "b-three")
	wantErr(t, "GetBranding after the pool was deleted", err, userpool.ErrNotFound)
}

func newTerms(poolID, clientID, id, name string) *userpool.Terms {
	return &userpool.Terms{PoolID: poolID, ClientID: clientID, ID: id, Name: name, Doc: userpool.TermsType{
		TermsId: ptr(id), UserPoolId: ptr(poolID), ClientId: ptr(clientID), TermsName: ptr(name),
		TermsSource: ptr("LINK"), Enforcement: ptr("NONE"),
		Links:        map[string]string{"cognito:default": "https://example.com/" + name, "cognito:spanish": "https://example.com/es/" + name},
		CreationDate: userpool.At(base()), LastModifiedDate: userpool.At(base().Add(time.Minute)),
	}}
}

func termIDs(ts []*userpool.Terms) []string {
	var ids []string
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	return ids
}

func testTermsCreateGetList(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	createClient(t, s, p.ID, "app2")
	tos := newTerms(p.ID, "app1", "t-1", "terms-of-use")
	allSet(t, &tos.Doc)
	must(t, "CreateTerms", s.CreateTerms(ctx, tos))
	if tos.Version != 1 {
		t.Fatalf("CreateTerms set Version %d, want 1", tos.Version)
	}
	got, err := s.GetTerms(ctx, p.ID, "t-1")
	must(t, "GetTerms", err)
	same(t, "GetTerms", tos, got)
	_, err = s.GetTerms(ctx, "us-east-1_other", "t-1")
	wantErr(t, "GetTerms in another pool", err, userpool.ErrNotFound)
	must(t, "CreateTerms privacy", s.CreateTerms(ctx, newTerms(p.ID, "app1", "t-3", "privacy-policy")))
	must(t, "CreateTerms of another client", s.CreateTerms(ctx, newTerms(p.ID, "app2", "t-2", "terms-of-use")))
	wantErr(t, "CreateTerms for a missing client", s.CreateTerms(ctx, newTerms(p.ID, "app9", "t-9", "terms-of-use")), userpool.ErrNotFound)
	wantErr(t, "CreateTerms with a taken id", s.CreateTerms(ctx, newTerms(p.ID, "app2", "t-1", "privacy-policy")), userpool.ErrConflict)

	all, err := s.ListTerms(ctx, p.ID, "", 0)
	must(t, "ListTerms", err)
	same(t, "ListTerms", []string{"t-1", "t-2", "t-3"}, termIDs(all))
	page, err := s.ListTerms(ctx, p.ID, "t-1", 1)
	must(t, "ListTerms after t-1", err)
	same(t, "ListTerms after t-1", []string{"t-2"}, termIDs(page))
	mine, err := s.ListClientTerms(ctx, p.ID, "app1")
	must(t, "ListClientTerms", err)
	same(t, "ListClientTerms", []string{"t-1", "t-3"}, termIDs(mine))
}

func testTermsOneNamePerClient(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	must(t, "CreateTerms", s.CreateTerms(ctx, newTerms(p.ID, "app1", "t-1", "terms-of-use")))
	wantErr(t, "CreateTerms of a name the client has", s.CreateTerms(ctx, newTerms(p.ID, "app1", "t-2", "terms-of-use")), userpool.ErrConflict)
	errs := make([]error, 8)
	race(len(errs), func(i int) {
		errs[i] = s.CreateTerms(ctx, newTerms(p.ID, "app1", fmt.Sprintf("t-raced-%d", i), "privacy-policy"))
	})
	oneWins(t, "racing creates of one name", errs)
}

func testTermsUpdate(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	tos := newTerms(p.ID, "app1", "t-1", "terms-of-use")
	must(t, "CreateTerms", s.CreateTerms(ctx, tos))
	pp := newTerms(p.ID, "app1", "t-2", "privacy-policy")
	must(t, "CreateTerms", s.CreateTerms(ctx, pp))
	tos.Doc.Links = map[string]string{"cognito:default": "https://example.com/new"}
	must(t, "UpdateTerms", s.UpdateTerms(ctx, tos))
	got, err := s.GetTerms(ctx, p.ID, "t-1")
	must(t, "GetTerms", err)
	same(t, "the updated terms", tos, got)
	stale := *got
	stale.Version = 1
	wantErr(t, "UpdateTerms from a stale version", s.UpdateTerms(ctx, &stale), userpool.ErrConflict)
	clash := *got
	clash.Name = "privacy-policy"
	wantErr(t, "UpdateTerms to a name the client has", s.UpdateTerms(ctx, &clash), userpool.ErrConflict)
	gone := newTerms(p.ID, "app1", "t-9", "terms-of-use")
	gone.Version = 1
	wantErr(t, "UpdateTerms of missing terms", s.UpdateTerms(ctx, gone), userpool.ErrNotFound)
	errs := make([]error, 8)
	race(len(errs), func(i int) {
		c := *got
		errs[i] = s.UpdateTerms(ctx, &c)
	})
	oneWins(t, "racing updates from one version", errs)
}

func testTermsDelete(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	createClient(t, s, p.ID, "app1")
	must(t, "CreateTerms", s.CreateTerms(ctx, newTerms(p.ID, "app1", "t-1", "terms-of-use")))
	must(t, "DeleteTerms", s.DeleteTerms(ctx, p.ID, "t-1"))
	wantErr(t, "DeleteTerms again", s.DeleteTerms(ctx, p.ID, "t-1"), userpool.ErrNotFound)
	must(t, "CreateTerms of the name again", s.CreateTerms(ctx, newTerms(p.ID, "app1", "t-2", "terms-of-use")))
	must(t, "DeleteClient", s.DeleteClient(ctx, p.ID, "app1"))
	_, err := s.GetTerms(ctx, p.ID, "t-2")
	wantErr(t, "GetTerms after the client was deleted", err, userpool.ErrNotFound)
	createClient(t, s, p.ID, "app1")
	must(t, "CreateTerms for the new client", s.CreateTerms(ctx, newTerms(p.ID, "app1", "t-3", "terms-of-use")))
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	createPool(t, s, p.ID)
	all, err := s.ListTerms(ctx, p.ID, "", 0)
	must(t, "ListTerms after the pool was deleted", err)
	if len(all) != 0 {
		t.Fatalf("ListTerms after the pool was deleted = %v, want none", termIDs(all))
	}
}

func testLogDelivery(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	p := createPool(t, s, "us-east-1_aaaa")
	_, err := s.GetLogDelivery(ctx, p.ID)
	wantErr(t, "GetLogDelivery before any", err, userpool.ErrNotFound)
	c := &userpool.LogDeliveryConfigurationType{UserPoolId: ptr(p.ID), LogConfigurations: []userpool.LogConfigurationType{
		{LogLevel: ptr("ERROR"), EventSource: ptr("userNotification"),
			CloudWatchLogsConfiguration: &userpool.CloudWatchLogsConfigurationType{LogGroupArn: ptr("arn:aws:logs:us-east-1:000000000000:log-group:cognate")}},
		{LogLevel: ptr("INFO"), EventSource: ptr("userAuthEvents"),
			S3Configuration: &userpool.S3ConfigurationType{BucketArn: ptr("arn:aws:s3:::cognate-logs")}},
	}}
	must(t, "PutLogDelivery", s.PutLogDelivery(ctx, c))
	got, err := s.GetLogDelivery(ctx, p.ID)
	must(t, "GetLogDelivery", err)
	same(t, "GetLogDelivery", c, got)
	empty := &userpool.LogDeliveryConfigurationType{UserPoolId: ptr(p.ID), LogConfigurations: []userpool.LogConfigurationType{}}
	must(t, "PutLogDelivery of none", s.PutLogDelivery(ctx, empty))
	got, err = s.GetLogDelivery(ctx, p.ID)
	must(t, "GetLogDelivery", err)
	if len(got.LogConfigurations) != 0 {
		t.Fatalf("GetLogDelivery after an empty put = %+v, want no configurations", got.LogConfigurations)
	}
	wantErr(t, "PutLogDelivery in a missing pool",
		s.PutLogDelivery(ctx, &userpool.LogDeliveryConfigurationType{UserPoolId: ptr("us-east-1_none")}), userpool.ErrNotFound)
	must(t, "DeletePool", s.DeletePool(ctx, p.ID))
	createPool(t, s, p.ID)
	_, err = s.GetLogDelivery(ctx, p.ID)
	wantErr(t, "GetLogDelivery after the pool was deleted", err, userpool.ErrNotFound)
}

// takes takes n requests of category in second and answers how many were counted.
func takes(t *testing.T, s userpool.Store, category string, second int64, free, n int) int {
	t.Helper()
	counted := 0
	for range n {
		ok, err := s.TakeRequest(t.Context(), category, second, free)
		must(t, "TakeRequest", err)
		if ok {
			counted++
		}
	}
	return counted
}

func testQuotaTake(t *testing.T, s userpool.Store) {
	const second = 1_800_000_000
	if got := takes(t, s, "UserCreation", second, 3, 5); got != 3 {
		t.Fatalf("5 takes with room for 3 counted %d", got)
	}
	if got := takes(t, s, "UserRead", second, 2, 3); got != 2 {
		t.Fatalf("another category counted %d of 3 with room for 2, want 2", got)
	}
	if got := takes(t, s, "UserCreation", second+1, 3, 4); got != 3 {
		t.Fatalf("the next second counted %d of 4 with room for 3, want 3", got)
	}
	// A window a minute old may have been forgotten, but is never over-counted.
	if got := takes(t, s, "UserCreation", second, 3, 2); got > 2 {
		t.Fatalf("an old window counted %d", got)
	}
	must(t, "Reset", s.Reset(t.Context()))
	if got := takes(t, s, "UserRead", second, 2, 3); got != 2 {
		t.Fatalf("after Reset the window counted %d of 3 with room for 2, want 2", got)
	}
}

func testQuotaRace(t *testing.T, s userpool.Store) {
	const second, free = 1_800_000_000, 7
	oks := make([]bool, 24)
	errs := make([]error, len(oks))
	race(len(oks), func(i int) { oks[i], errs[i] = s.TakeRequest(t.Context(), "UserAuthentication", second, free) })
	counted := 0
	for i := range oks {
		must(t, "TakeRequest", errs[i])
		if oks[i] {
			counted++
		}
	}
	if counted != free {
		t.Fatalf("%d racing takes with room for %d counted %d", len(oks), free, counted)
	}
}

func testProvisionedLimit(t *testing.T, s userpool.Store) {
	ctx := t.Context()
	const second = 1_800_000_000
	_, err := s.GetProvisionedLimit(ctx, "UserRead")
	wantErr(t, "GetProvisionedLimit before any", err, userpool.ErrNotFound)
	must(t, "PutProvisionedLimit", s.PutProvisionedLimit(ctx, "UserRead", 4))
	v, err := s.GetProvisionedLimit(ctx, "UserRead")
	must(t, "GetProvisionedLimit", err)
	if v != 4 {
		t.Fatalf("GetProvisionedLimit = %d, want 4", v)
	}
	if got := takes(t, s, "UserRead", second, 2, 6); got != 4 {
		t.Fatalf("6 takes under a provisioned limit of 4 (free 2) counted %d", got)
	}
	must(t, "PutProvisionedLimit again", s.PutProvisionedLimit(ctx, "UserRead", 5))
	if got := takes(t, s, "UserRead", second, 2, 3); got != 1 {
		t.Fatalf("the raised limit counted %d more, want 1", got)
	}
	if got := takes(t, s, "UserList", second, 2, 3); got != 2 {
		t.Fatalf("a category without a provisioned limit counted %d of 3 with room for 2", got)
	}
}
