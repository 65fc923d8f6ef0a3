package main

// End-to-end tests of behaviour real clients found different from AWS: UUID-shaped
// usernames, boolean attribute values in any case.

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestUUIDUsername: in a pool with neither alias nor username attributes, a UUID-shaped
// username is an ordinary one. AdminCreateUser and SignUp accept it, it is found by name
// (upper or lower case), and it signs in.
func TestUUIDUsername(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	client, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: auPasswordFlows})

	const admin = "0f8fad5b-d9cb-469f-a165-70867728950e"
	const upper = "7C9E6679-7425-40DE-944B-E07FC1F90AE7"
	created := createUser(t, c, pool, admin)
	if aws.ToString(created.Username) != admin {
		t.Errorf("AdminCreateUser username %q, want %q", aws.ToString(created.Username), admin)
	}
	out := must(auSignUp(c, client, upper, auPassword))(t)
	if aws.ToString(out.UserSub) == upper {
		t.Errorf("the sub of a user named by a UUID is that UUID: %s", upper)
	}
	for _, name := range []string{admin, upper} {
		u := getUser(t, c, pool, name)
		if aws.ToString(u.Username) != name {
			t.Errorf("AdminGetUser(%s) found %q", name, aws.ToString(u.Username))
		}
		if attrMap(u.UserAttributes)["sub"] == name {
			t.Errorf("user %s has its username as sub", name)
		}
	}
	must(c.AdminConfirmSignUp(bg, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String(upper)}))(t)
	must(c.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": upper, "PASSWORD": auPassword}}))(t)
	// And the sub still finds its user, as every API but ListUsers takes it.
	sub := attrMap(getUser(t, c, pool, admin).UserAttributes)["sub"]
	if got := aws.ToString(getUser(t, c, pool, sub).Username); got != admin {
		t.Errorf("AdminGetUser(sub) found %q, want %q", got, admin)
	}
}

// TestBooleanAttributesAnyCase: email_verified, phone_number_verified and custom Boolean
// attributes take true and false in any case, are stored in lower case, and count as what
// they say (a verified email receives a recovery code). Other values are still refused.
func TestBooleanAttributesAnyCase(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{
		Schema: []types.SchemaAttributeType{{Name: aws.String("vip"), AttributeDataType: types.AttributeDataTypeBoolean, Mutable: aws.Bool(true)}},
	})
	client, _ := auClient(t, c, pool, nil)
	createUser(t, c, pool, "ann", "email", "ann@example.com", "email_verified", "True",
		"phone_number", "+15555550100", "phone_number_verified", "FALSE", "custom:vip", "tRuE")
	want := map[string]string{"email_verified": "true", "phone_number_verified": "false", "custom:vip": "true"}
	check := func(when string) {
		t.Helper()
		got := attrMap(getUser(t, c, pool, "ann").UserAttributes)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", when, k, got[k], v)
			}
		}
	}
	check("after AdminCreateUser")
	must(c.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("ann"),
		Password: aws.String(auPassword), Permanent: true}))(t)
	d := must(c.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(client), Username: aws.String("ann")}))(t).CodeDeliveryDetails
	if aws.ToString(d.Destination) != "a***@e***" {
		t.Errorf("ForgotPassword went to %q, want the email True made verified", aws.ToString(d.Destination))
	}

	must(c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("ann"),
		UserAttributes: attributes("email_verified", "False", "phone_number_verified", "True", "custom:vip", "FALSE")}))(t)
	want = map[string]string{"email_verified": "false", "phone_number_verified": "true", "custom:vip": "false"}
	check("after AdminUpdateUserAttributes")

	_, err := c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("ann"),
		UserAttributes: attributes("custom:vip", "yes")})
	wantErr[*types.InvalidParameterException](t, err, "user.custom:vip: Invalid boolean value.\n")
	check("after a refused value")
}

// TestClientSecretGiven: CreateUserPoolClient takes a ClientSecret of the caller's without
// GenerateSecret, and refuses the two together, as the API model documents ("You cannot
// specify both GenerateSecret as true and provide a ClientSecret value").
func TestClientSecretGiven(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, nil)
	const secret = "my0own0client0secret0of0forty0characters"
	out := must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("own"),
		ClientSecret: aws.String(secret)}))(t).UserPoolClient
	if got := aws.ToString(out.ClientSecret); got != secret {
		t.Errorf("ClientSecret %q, want the one given", got)
	}
	d := must(c.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: out.ClientId}))(t).UserPoolClient
	if got := aws.ToString(d.ClientSecret); got != secret {
		t.Errorf("DescribeUserPoolClient ClientSecret %q, want the one given", got)
	}
	_, err := c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("both"),
		ClientSecret: aws.String(secret), GenerateSecret: true})
	wantErr[*types.InvalidParameterException](t, err, "You cannot specify both GenerateSecret as true and provide a ClientSecret value.")
}

// TestVerifyBeforeUpdateNeedsAutoVerify: an attribute that must be verified before update
// must be auto-verified, refused in AWS's words otherwise.
func TestVerifyBeforeUpdateNeedsAutoVerify(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	_, err := s.Client.CreateUserPool(bg, &cip.CreateUserPoolInput{PoolName: aws.String("p"),
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}}})
	wantErr[*types.InvalidParameterException](t, err, "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes")
}

// TestClientMustWriteRequiredAttributes: an app client given WriteAttributes must be able to
// write the pool's required attributes, as AWS observes it ("Invalid write attributes
// specified while creating a client" for a list without one).
func TestClientMustWriteRequiredAttributes(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
		{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
		{Name: aws.String("name"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}})
	_, err := c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("a"),
		WriteAttributes: []string{"name"}})
	wantErr[*types.InvalidParameterException](t, err, "Invalid write attributes specified while creating a client")
	must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("b"),
		WriteAttributes: []string{"email", "name"}}))(t)
	must(c.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("c")}))(t)
}
