package main

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestDomainsE2E drives the domain operations with the SDK: a prefix and a custom domain,
// the names AWS refuses, DescribeUserPool naming them, and deletion.
func TestDomainsE2E(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	other := createPool(t, c, nil)

	out := must(c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("my-app")}))(t)
	if out.CloudFrontDomain != nil {
		t.Errorf("a prefix domain answered CloudFrontDomain %q", *out.CloudFrontDomain)
	}
	_, err := c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-app")})
	wantErr[*types.InvalidParameterException](t, err, "Domain already associated with another user pool.")
	_, err = c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("second")})
	wantErr[*types.InvalidParameterException](t, err, "User pool already has a domain configured.")
	_, err = c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("Bad_Name")})
	wantErr[*types.InvalidParameterException](t, err, `The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$`)
	_, err = c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(missingPool), Domain: aws.String("x")})
	wantCode(t, err, "ResourceNotFoundException")

	custom := must(c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("auth.example.com"),
		CustomDomainConfig: &types.CustomDomainConfigType{CertificateArn: aws.String("arn:aws:acm:us-east-1:000000000000:certificate/abc")}}))(t)
	if aws.ToString(custom.CloudFrontDomain) != "127.0.0.1" {
		t.Errorf("custom domain CloudFrontDomain %q, want cognate's host", aws.ToString(custom.CloudFrontDomain))
	}

	d := must(c.DescribeUserPoolDomain(bg, &cip.DescribeUserPoolDomainInput{Domain: aws.String("my-app")}))(t).DomainDescription
	if aws.ToString(d.UserPoolId) != pool || aws.ToString(d.Domain) != "my-app" || d.Status != types.DomainStatusTypeActive || aws.ToString(d.AWSAccountId) != "000000000000" {
		t.Errorf("DescribeUserPoolDomain = %+v", d)
	}
	if none := must(c.DescribeUserPoolDomain(bg, &cip.DescribeUserPoolDomainInput{Domain: aws.String("nobody")}))(t); none.DomainDescription == nil || none.DomainDescription.Domain != nil {
		t.Errorf("an unknown domain: %+v, want an empty description", none.DomainDescription)
	}
	up := must(c.UpdateUserPoolDomain(bg, &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("my-app"), ManagedLoginVersion: aws.Int32(2)}))(t)
	if aws.ToInt32(up.ManagedLoginVersion) != 2 {
		t.Errorf("UpdateUserPoolDomain ManagedLoginVersion %v", up.ManagedLoginVersion)
	}
	p := must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool
	if aws.ToString(p.Domain) != "my-app" || aws.ToString(p.CustomDomain) != "auth.example.com" {
		t.Errorf("DescribeUserPool Domain %q CustomDomain %q", aws.ToString(p.Domain), aws.ToString(p.CustomDomain))
	}
	_, err = c.DeleteUserPoolDomain(bg, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-app")})
	wantErr[*types.InvalidParameterException](t, err, "No such domain or user pool exists.")
	must(c.DeleteUserPoolDomain(bg, &cip.DeleteUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("my-app")}))(t)
	must(c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(other), Domain: aws.String("my-app")}))(t)
}

// TestResourceServersE2E drives the resource server operations, and clients' scopes.
func TestResourceServersE2E(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	rs := must(c.CreateResourceServer(bg, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("solar-system-data"),
		Name: aws.String("Solar system object tracker"), Scopes: []types.ResourceServerScopeType{
			{ScopeName: aws.String("sunproximity.read"), ScopeDescription: aws.String("Distance in AU from Sol")},
		}}))(t).ResourceServer
	if aws.ToString(rs.UserPoolId) != pool || len(rs.Scopes) != 1 {
		t.Errorf("CreateResourceServer = %+v", rs)
	}
	_, err := c.CreateResourceServer(bg, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("solar-system-data"), Name: aws.String("again")})
	wantCode(t, err, "InvalidParameterException")
	must(c.CreateResourceServer(bg, &cip.CreateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("https://api.example.com"), Name: aws.String("api")}))(t)

	_, err = c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("m2m"),
		AllowedOAuthScopes: []string{"solar-system-data/asteroids.add"}})
	wantErr[*types.ScopeDoesNotExistException](t, err, "Invalid scope requested: solar-system-data/asteroids.add")
	must(c.UpdateResourceServer(bg, &cip.UpdateResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("solar-system-data"),
		Name: aws.String("Solar"), Scopes: []types.ResourceServerScopeType{
			{ScopeName: aws.String("sunproximity.read"), ScopeDescription: aws.String("d")},
			{ScopeName: aws.String("asteroids.add"), ScopeDescription: aws.String("Enter a new asteroid")},
		}}))(t)
	must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("m2m"),
		AllowedOAuthScopes: []string{"solar-system-data/asteroids.add", "openid"}}))(t)

	got := must(c.DescribeResourceServer(bg, &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("solar-system-data")}))(t).ResourceServer
	if aws.ToString(got.Name) != "Solar" || len(got.Scopes) != 2 {
		t.Errorf("DescribeResourceServer = %+v", got)
	}
	page := must(c.ListResourceServers(bg, &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(1)}))(t)
	if len(page.ResourceServers) != 1 || aws.ToString(page.ResourceServers[0].Identifier) != "https://api.example.com" || page.NextToken == nil {
		t.Fatalf("ListResourceServers first page = %+v", page)
	}
	page = must(c.ListResourceServers(bg, &cip.ListResourceServersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(1), NextToken: page.NextToken}))(t)
	if len(page.ResourceServers) != 1 || aws.ToString(page.ResourceServers[0].Identifier) != "solar-system-data" || page.NextToken != nil {
		t.Fatalf("ListResourceServers second page = %+v", page)
	}
	must(c.DeleteResourceServer(bg, &cip.DeleteResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("solar-system-data")}))(t)
	_, err = c.DescribeResourceServer(bg, &cip.DescribeResourceServerInput{UserPoolId: aws.String(pool), Identifier: aws.String("solar-system-data")})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestIdentityProvidersE2E drives the identity provider operations and the linking of a
// federated identity to a user of the pool.
func TestIdentityProvidersE2E(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	details := map[string]string{"client_id": "abc", "client_secret": "s3cret", "authorize_scopes": "openid email",
		"attributes_request_method": "GET", "oidc_issuer": "https://idp.example.com"}
	idp := must(c.CreateIdentityProvider(bg, &cip.CreateIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"),
		ProviderType: types.IdentityProviderTypeTypeOidc, ProviderDetails: details,
		AttributeMapping: map[string]string{"email": "email"}, IdpIdentifiers: []string{"corp.example"}}))(t).IdentityProvider
	if idp.AttributeMapping["username"] != "sub" || idp.ProviderDetails["attributes_url_add_attributes"] != "false" || idp.CreationDate == nil {
		t.Errorf("CreateIdentityProvider = %+v", idp)
	}
	_, err := c.CreateIdentityProvider(bg, &cip.CreateIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"),
		ProviderType: types.IdentityProviderTypeTypeOidc, ProviderDetails: details})
	wantCode(t, err, "DuplicateProviderException")
	_, err = c.CreateIdentityProvider(bg, &cip.CreateIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Plain"),
		ProviderType: types.IdentityProviderTypeTypeOidc, ProviderDetails: map[string]string{"client_id": "a", "authorize_scopes": "openid",
			"attributes_request_method": "GET", "oidc_issuer": "http://idp.example.com"}})
	wantCode(t, err, "InvalidParameterException") // http is taken on loopback only
	_, err = c.CreateIdentityProvider(bg, &cip.CreateIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Saml"),
		ProviderType: types.IdentityProviderTypeTypeSaml, ProviderDetails: map[string]string{"MetadataURL": "https://x"}})
	wantCode(t, err, "InvalidParameterException")

	byID := must(c.GetIdentityProviderByIdentifier(bg, &cip.GetIdentityProviderByIdentifierInput{UserPoolId: aws.String(pool), IdpIdentifier: aws.String("corp.example")}))(t)
	if aws.ToString(byID.IdentityProvider.ProviderName) != "Corp" {
		t.Errorf("GetIdentityProviderByIdentifier = %+v", byID.IdentityProvider)
	}
	up := must(c.UpdateIdentityProvider(bg, &cip.UpdateIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp"),
		IdpIdentifiers: []string{"corp2"}}))(t).IdentityProvider
	if len(up.IdpIdentifiers) != 1 || up.IdpIdentifiers[0] != "corp2" {
		t.Errorf("UpdateIdentityProvider = %+v", up)
	}
	desc := must(c.DescribeIdentityProvider(bg, &cip.DescribeIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")}))(t)
	if desc.IdentityProvider.ProviderDetails["client_secret"] != "s3cret" {
		t.Errorf("DescribeIdentityProvider details %v", desc.IdentityProvider.ProviderDetails)
	}
	list := must(c.ListIdentityProviders(bg, &cip.ListIdentityProvidersInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(10)}))(t)
	if len(list.Providers) != 1 || list.Providers[0].ProviderType != types.IdentityProviderTypeTypeOidc {
		t.Errorf("ListIdentityProviders = %+v", list.Providers)
	}

	// A link makes the identity a user of the pool's; the identities attribute shows it.
	createUser(t, c, pool, "diego")
	link := func(user string) error {
		_, err := c.AdminLinkProviderForUser(bg, &cip.AdminLinkProviderForUserInput{UserPoolId: aws.String(pool),
			DestinationUser: &types.ProviderUserIdentifierType{ProviderName: aws.String("Cognito"), ProviderAttributeValue: aws.String(user)},
			SourceUser: &types.ProviderUserIdentifierType{ProviderName: aws.String("Corp"), ProviderAttributeName: aws.String("Cognito_Subject"),
				ProviderAttributeValue: aws.String("0000000000000000")}})
		return err
	}
	if err := link("diego"); err != nil {
		t.Fatal(err)
	}
	ids := attrMap(getUser(t, c, pool, "diego").UserAttributes)["identities"]
	if ids == "" || !contains(ids, `"providerName":"Corp"`) || !contains(ids, `"userId":"0000000000000000"`) {
		t.Errorf("identities after the link: %q", ids)
	}
	createUser(t, c, pool, "other")
	wantErr[*types.InvalidParameterException](t, link("other"), "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link")
	must(c.AdminDisableProviderForUser(bg, &cip.AdminDisableProviderForUserInput{UserPoolId: aws.String(pool),
		User: &types.ProviderUserIdentifierType{ProviderName: aws.String("Corp"), ProviderAttributeName: aws.String("Cognito_Subject"), ProviderAttributeValue: aws.String("0000000000000000")}}))(t)
	if ids := attrMap(getUser(t, c, pool, "diego").UserAttributes)["identities"]; ids != "" {
		t.Errorf("identities after AdminDisableProviderForUser: %q", ids)
	}
	if err := link("other"); err != nil {
		t.Errorf("linking the identity again after it was unlinked: %v", err)
	}

	must(c.DeleteIdentityProvider(bg, &cip.DeleteIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")}))(t)
	_, err = c.DescribeIdentityProvider(bg, &cip.DescribeIdentityProviderInput{UserPoolId: aws.String(pool), ProviderName: aws.String("Corp")})
	wantCode(t, err, "ResourceNotFoundException")
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && indexOf(s, sub) >= 0)
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
