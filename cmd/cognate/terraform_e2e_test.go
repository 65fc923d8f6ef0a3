package main

// The calls Terraform's AWS provider (internal/service/cognitoidp) makes to create, read,
// update and delete aws_cognito_user_pool, aws_cognito_user_pool_client (with a secret),
// aws_cognito_user_pool_domain, aws_cognito_resource_server, aws_cognito_identity_provider
// and aws_cognito_user_group, in its order and with the members it sends, replayed through
// the Go SDK the provider itself uses. After every write the provider reads the resource
// back into its state, and a plan that finds the state differing from the configuration
// would never settle: so every read here must give back what was written.
//
// The provider reads the pool's MFA configuration (GetUserPoolMfaConfig) on every refresh
// and sets it (SetUserPoolMfaConfig) when mfa_configuration changes; those calls are made
// once cognate carries the operations out (see tfOptional), and skipped until then.

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"

	"cognate/internal/server"
)

// tfOptional reports whether cognate carries out an operation the provider calls that
// another piece of work builds; until it does, the replay leaves that call out and says so.
func tfOptional(t *testing.T, op string) bool {
	t.Helper()
	if slices.Contains(server.Operations(), op) {
		return true
	}
	t.Logf("%s is not carried out yet: the provider's call is left out of the replay", op)
	return false
}

// tfSame fails the test when a read differs from what was written.
func tfSame(t *testing.T, what string, written, read any) {
	t.Helper()
	if d := cmp.Diff(written, read, exported); d != "" {
		t.Errorf("%s read back differs from what was written (-written +read):\n%s", what, d)
	}
}

// tfPoolSettings are the members resourceUserPoolCreate and resourceUserPoolUpdate both
// send, from a configuration that sets each block.
type tfPoolSettings struct {
	accountRecovery  *types.AccountRecoverySettingType
	adminCreateUser  *types.AdminCreateUserConfigType
	autoVerified     []types.VerifiedAttributeType
	deletion         types.DeletionProtectionType
	device           *types.DeviceConfigurationType
	email            *types.EmailConfigurationType
	emailSubject     string
	emailMessage     string
	policies         *types.UserPoolPolicyType
	smsAuthMessage   string
	smsVerifyMessage string
	attributeUpdate  *types.UserAttributeUpdateSettingsType
	addOns           *types.UserPoolAddOnsType
	template         *types.VerificationMessageTemplateType
}

func tfPool(version int) tfPoolSettings {
	s := tfPoolSettings{
		accountRecovery: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)}}},
		adminCreateUser: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: false,
			InviteMessageTemplate: &types.MessageTemplateType{EmailMessage: aws.String("Your username is {username} and temporary password is {####}."),
				EmailSubject: aws.String("Your invitation"), SMSMessage: aws.String("Your username is {username} and temporary password is {####}.")}},
		autoVerified: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		deletion:     types.DeletionProtectionTypeInactive,
		device:       &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true},
		email:        &types.EmailConfigurationType{EmailSendingAccount: types.EmailSendingAccountTypeCognitoDefault},
		emailSubject: "Your verification code",
		emailMessage: "Your verification code is {####}.",
		policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(10),
			RequireLowercase: true, RequireNumbers: true, RequireSymbols: false, RequireUppercase: true, TemporaryPasswordValidityDays: 7}},
		smsAuthMessage:   "Your code is {####}",
		smsVerifyMessage: "Your verification code is {####}.",
		attributeUpdate:  &types.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail}},
		addOns:           &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeOff},
	}
	if version == 2 {
		s.emailSubject = "Your new verification code"
		s.emailMessage = "Here is your code: {####}."
		s.policies.PasswordPolicy.MinimumLength = aws.Int32(12)
		s.policies.PasswordPolicy.RequireSymbols = true
		s.adminCreateUser.AllowAdminCreateUserOnly = true
		s.addOns.AdvancedSecurityMode = types.AdvancedSecurityModeTypeAudit
	}
	// The provider copies email_verification_* and sms_verification_message into the
	// template it sends, so the template always agrees with them.
	s.template = &types.VerificationMessageTemplateType{DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode,
		EmailMessage: aws.String(s.emailMessage), EmailSubject: aws.String(s.emailSubject), SmsMessage: aws.String(s.smsVerifyMessage)}
	return s
}

// check compares a DescribeUserPool answer with the settings written.
func (s tfPoolSettings) check(t *testing.T, what string, p *types.UserPoolType) {
	t.Helper()
	tfSame(t, what+": account_recovery_setting", s.accountRecovery, p.AccountRecoverySetting)
	// The provider's schema has no unused_account_validity_days (it reads the
	// password policy's temporary_password_validity_days), so that member is not compared.
	if d := cmp.Diff(s.adminCreateUser, p.AdminCreateUserConfig, exported, ignoreFields("UnusedAccountValidityDays")); d != "" {
		t.Errorf("%s: admin_create_user_config read back differs from what was written (-written +read):\n%s", what, d)
	}
	tfSame(t, what+": auto_verified_attributes", s.autoVerified, p.AutoVerifiedAttributes)
	tfSame(t, what+": deletion_protection", s.deletion, p.DeletionProtection)
	tfSame(t, what+": device_configuration", s.device, p.DeviceConfiguration)
	tfSame(t, what+": email_configuration", s.email, p.EmailConfiguration)
	tfSame(t, what+": email_verification_subject", s.emailSubject, aws.ToString(p.EmailVerificationSubject))
	tfSame(t, what+": email_verification_message", s.emailMessage, aws.ToString(p.EmailVerificationMessage))
	tfSame(t, what+": password_policy", s.policies.PasswordPolicy, p.Policies.PasswordPolicy)
	tfSame(t, what+": sms_authentication_message", s.smsAuthMessage, aws.ToString(p.SmsAuthenticationMessage))
	tfSame(t, what+": sms_verification_message", s.smsVerifyMessage, aws.ToString(p.SmsVerificationMessage))
	tfSame(t, what+": user_attribute_update_settings", s.attributeUpdate, p.UserAttributeUpdateSettings)
	tfSame(t, what+": user_pool_add_ons", s.addOns, p.UserPoolAddOns)
	tfSame(t, what+": verification_message_template", s.template, p.VerificationMessageTemplate)
	if p.CreationDate == nil || p.LastModifiedDate == nil || p.Arn == nil || p.Policies == nil {
		t.Errorf("%s: the provider reads creation_date, last_modified_date, arn and policies unconditionally: %v %v %v %v",
			what, p.CreationDate, p.LastModifiedDate, p.Arn, p.Policies)
	}
}

// TestTerraformUserPool replays aws_cognito_user_pool: create, refresh, update, refresh,
// destroy (resourceUserPoolCreate/Read/Update/Delete).
func TestTerraformUserPool(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	v1 := tfPool(1)
	customAttr := types.SchemaAttributeType{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString,
		Mutable: aws.Bool(true), DeveloperOnlyAttribute: aws.Bool(false), Required: aws.Bool(false),
		StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("0"), MaxLength: aws.String("64")}}
	created := must(c.CreateUserPool(bg, &cip.CreateUserPoolInput{
		PoolName: aws.String("terraform"), UserPoolTags: map[string]string{"Name": "terraform", "env": "test"},
		AccountRecoverySetting: v1.accountRecovery, AdminCreateUserConfig: v1.adminCreateUser,
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail}, AutoVerifiedAttributes: v1.autoVerified,
		DeletionProtection: v1.deletion, DeviceConfiguration: v1.device, EmailConfiguration: v1.email,
		EmailVerificationSubject: aws.String(v1.emailSubject), EmailVerificationMessage: aws.String(v1.emailMessage),
		Policies: v1.policies, Schema: []types.SchemaAttributeType{customAttr},
		SmsAuthenticationMessage: aws.String(v1.smsAuthMessage), SmsVerificationMessage: aws.String(v1.smsVerifyMessage),
		UsernameConfiguration:       &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		UserAttributeUpdateSettings: v1.attributeUpdate, UserPoolAddOns: v1.addOns, VerificationMessageTemplate: v1.template,
	}))(t).UserPool
	id := aws.String(*created.Id)
	// mfa_configuration defaults to OFF: the provider calls SetUserPoolMfaConfig on create
	// only for another value.

	refresh := func(what string, want tfPoolSettings, tags map[string]string) *types.UserPoolType {
		t.Helper()
		p := must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: id}))(t).UserPool
		want.check(t, what, p)
		tfSame(t, what+": tags", tags, p.UserPoolTags)
		tfSame(t, what+": name", "terraform", aws.ToString(p.Name))
		tfSame(t, what+": alias_attributes", []types.AliasAttributeType{types.AliasAttributeTypeEmail}, p.AliasAttributes)
		tfSame(t, what+": username_configuration", &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}, p.UsernameConfiguration)
		if !slices.ContainsFunc(p.SchemaAttributes, func(a types.SchemaAttributeType) bool { return aws.ToString(a.Name) == "custom:tenant" }) {
			t.Errorf("%s: the schema lacks custom:tenant", what)
		}
		if tfOptional(t, "GetUserPoolMfaConfig") {
			mfa := must(c.GetUserPoolMfaConfig(bg, &cip.GetUserPoolMfaConfigInput{UserPoolId: id}))(t)
			tfSame(t, what+": mfa_configuration", types.UserPoolMfaTypeOff, mfa.MfaConfiguration)
		}
		return p
	}
	first := refresh("after create", v1, map[string]string{"Name": "terraform", "env": "test"})

	// terraform apply with a changed configuration: the tags through UntagResource and
	// TagResource (the provider's updateTags), then UpdateUserPool with every block, then
	// AddCustomAttributes for a schema attribute added.
	arn := aws.String(*first.Arn)
	must(c.UntagResource(bg, &cip.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env"}}))(t)
	must(c.TagResource(bg, &cip.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"Name": "terraform-2", "team": "identity"}}))(t)
	v2 := tfPool(2)
	must(c.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: id,
		AccountRecoverySetting: v2.accountRecovery, AdminCreateUserConfig: v2.adminCreateUser, AutoVerifiedAttributes: v2.autoVerified,
		DeletionProtection: v2.deletion, DeviceConfiguration: v2.device, EmailConfiguration: v2.email,
		EmailVerificationSubject: aws.String(v2.emailSubject), EmailVerificationMessage: aws.String(v2.emailMessage),
		MfaConfiguration: types.UserPoolMfaTypeOff, Policies: v2.policies,
		SmsAuthenticationMessage: aws.String(v2.smsAuthMessage), SmsVerificationMessage: aws.String(v2.smsVerifyMessage),
		UserAttributeUpdateSettings: v2.attributeUpdate, UserPoolAddOns: v2.addOns, VerificationMessageTemplate: v2.template,
	}))(t)
	added := customAttr
	added.Name = aws.String("region")
	must(c.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{UserPoolId: id, CustomAttributes: []types.SchemaAttributeType{added}}))(t)
	second := refresh("after update", v2, map[string]string{"Name": "terraform-2", "team": "identity"})
	if !slices.ContainsFunc(second.SchemaAttributes, func(a types.SchemaAttributeType) bool { return aws.ToString(a.Name) == "custom:region" }) {
		t.Error("after update: the schema lacks custom:region")
	}
	if !second.CreationDate.Equal(*first.CreationDate) || second.LastModifiedDate.Before(*first.LastModifiedDate) {
		t.Errorf("creation_date moved (%v → %v) or last_modified_date went back (%v → %v)", first.CreationDate, second.CreationDate, first.LastModifiedDate, second.LastModifiedDate)
	}

	// terraform destroy, then the provider's check that it is gone.
	must(c.DeleteUserPool(bg, &cip.DeleteUserPoolInput{UserPoolId: id}))(t)
	_, err := c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: id})
	wantCode(t, err, "ResourceNotFoundException")
}

// TestTerraformPoolResources replays the resources that live in a pool:
// aws_cognito_user_pool_client with generate_secret, aws_cognito_user_pool_domain,
// aws_cognito_resource_server, aws_cognito_identity_provider and aws_cognito_user_group.
func TestTerraformPoolResources(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := aws.String(createPool(t, c, &cip.CreateUserPoolInput{PoolName: aws.String("terraform")}))

	t.Run("aws_cognito_resource_server", func(t *testing.T) {
		scopes := []types.ResourceServerScopeType{{ScopeName: aws.String("read"), ScopeDescription: aws.String("Read")}}
		must(c.CreateResourceServer(bg, &cip.CreateResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://api.example.com"),
			Name: aws.String("api"), Scopes: scopes}))(t)
		read := func(name string, scopes []types.ResourceServerScopeType) {
			t.Helper()
			rs := must(c.DescribeResourceServer(bg, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://api.example.com")}))(t).ResourceServer
			tfSame(t, "resource server", &types.ResourceServerType{UserPoolId: pool, Identifier: aws.String("https://api.example.com"), Name: aws.String(name), Scopes: scopes}, rs)
		}
		read("api", scopes)
		scopes = append(scopes, types.ResourceServerScopeType{ScopeName: aws.String("write"), ScopeDescription: aws.String("Write")})
		must(c.UpdateResourceServer(bg, &cip.UpdateResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://api.example.com"),
			Name: aws.String("api v2"), Scopes: scopes}))(t)
		read("api v2", scopes)
		// Kept for the client below, which names its scopes; destroyed at the end.
	})

	t.Run("aws_cognito_user_pool_client", func(t *testing.T) {
		in := &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("web"), GenerateSecret: true,
			AccessTokenValidity: aws.Int32(60), IdTokenValidity: aws.Int32(60), RefreshTokenValidity: 30,
			TokenValidityUnits: &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeDays},
			AllowedOAuthFlows:  []types.OAuthFlowType{types.OAuthFlowTypeCode}, AllowedOAuthFlowsUserPoolClient: true,
			AllowedOAuthScopes: []string{"openid", "email", "https://api.example.com/read"}, CallbackURLs: []string{"https://app.example.com/callback"},
			LogoutURLs: []string{"https://app.example.com/logout"}, DefaultRedirectURI: aws.String("https://app.example.com/callback"),
			ExplicitAuthFlows:          []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth},
			PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled, EnableTokenRevocation: aws.Bool(true),
			EnablePropagateAdditionalUserContextData: aws.Bool(false), AuthSessionValidity: aws.Int32(3),
			ReadAttributes: []string{"email", "name"}, WriteAttributes: []string{"name"}, SupportedIdentityProviders: []string{"COGNITO"}}
		created := must(c.CreateUserPoolClient(bg, in))(t).UserPoolClient
		id := created.ClientId
		if !secretPattern.MatchString(aws.ToString(created.ClientSecret)) {
			t.Fatalf("client_secret = %q", aws.ToString(created.ClientSecret))
		}
		read := func(what string) *types.UserPoolClientType {
			t.Helper()
			cl := must(c.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: id}))(t).UserPoolClient
			want := &types.UserPoolClientType{UserPoolId: pool, ClientId: id, ClientName: in.ClientName, ClientSecret: created.ClientSecret,
				AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity, RefreshTokenValidity: in.RefreshTokenValidity,
				TokenValidityUnits: in.TokenValidityUnits, AllowedOAuthFlows: in.AllowedOAuthFlows, AllowedOAuthFlowsUserPoolClient: aws.Bool(in.AllowedOAuthFlowsUserPoolClient),
				AllowedOAuthScopes: in.AllowedOAuthScopes, CallbackURLs: in.CallbackURLs, LogoutURLs: in.LogoutURLs, DefaultRedirectURI: in.DefaultRedirectURI,
				ExplicitAuthFlows: in.ExplicitAuthFlows, PreventUserExistenceErrors: in.PreventUserExistenceErrors, EnableTokenRevocation: in.EnableTokenRevocation,
				EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData, AuthSessionValidity: in.AuthSessionValidity,
				ReadAttributes: in.ReadAttributes, WriteAttributes: in.WriteAttributes, SupportedIdentityProviders: in.SupportedIdentityProviders,
				CreationDate: cl.CreationDate, LastModifiedDate: cl.LastModifiedDate, RefreshTokenRotation: cl.RefreshTokenRotation, AnalyticsConfiguration: cl.AnalyticsConfiguration}
			tfSame(t, what, want, cl)
			return cl
		}
		read("client after create")
		// resourceUserPoolClientUpdate sends the whole configuration again.
		in.ClientName, in.CallbackURLs, in.AccessTokenValidity = aws.String("web-2"), []string{"https://app.example.com/callback", "https://app.example.com/cb2"}, aws.Int32(30)
		in.AllowedOAuthScopes = []string{"openid", "https://api.example.com/read", "https://api.example.com/write"}
		must(c.UpdateUserPoolClient(bg, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: id, ClientName: in.ClientName,
			AccessTokenValidity: in.AccessTokenValidity, IdTokenValidity: in.IdTokenValidity, RefreshTokenValidity: in.RefreshTokenValidity,
			TokenValidityUnits: in.TokenValidityUnits, AllowedOAuthFlows: in.AllowedOAuthFlows, AllowedOAuthFlowsUserPoolClient: in.AllowedOAuthFlowsUserPoolClient,
			AllowedOAuthScopes: in.AllowedOAuthScopes, CallbackURLs: in.CallbackURLs, LogoutURLs: in.LogoutURLs, DefaultRedirectURI: in.DefaultRedirectURI,
			ExplicitAuthFlows: in.ExplicitAuthFlows, PreventUserExistenceErrors: in.PreventUserExistenceErrors, EnableTokenRevocation: in.EnableTokenRevocation,
			EnablePropagateAdditionalUserContextData: in.EnablePropagateAdditionalUserContextData, AuthSessionValidity: in.AuthSessionValidity,
			ReadAttributes: in.ReadAttributes, WriteAttributes: in.WriteAttributes, SupportedIdentityProviders: in.SupportedIdentityProviders}))(t)
		read("client after update") // the secret stays what it was
		must(c.DeleteUserPoolClient(bg, &cip.DeleteUserPoolClientInput{UserPoolId: pool, ClientId: id}))(t)
		_, err := c.DescribeUserPoolClient(bg, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: id})
		wantCode(t, err, "ResourceNotFoundException")
	})

	t.Run("aws_cognito_user_pool_domain", func(t *testing.T) {
		must(c.CreateUserPoolDomain(bg, &cip.CreateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("tf-example")}))(t)
		// waitUserPoolDomainCreated polls DescribeUserPoolDomain, by the domain alone, until ACTIVE.
		describe := func() *types.DomainDescriptionType {
			t.Helper()
			return must(c.DescribeUserPoolDomain(bg, &cip.DescribeUserPoolDomainInput{Domain: aws.String("tf-example")}))(t).DomainDescription
		}
		d := describe()
		if d.Status != types.DomainStatusTypeActive || aws.ToString(d.UserPoolId) != *pool || aws.ToString(d.Domain) != "tf-example" || d.AWSAccountId == nil ||
			(d.CustomDomainConfig != nil && d.CustomDomainConfig.CertificateArn != nil) {
			t.Errorf("domain after create = %+v, want ACTIVE in the pool, with an account and no certificate", d)
		}
		if tfOptional(t, "UpdateUserPoolDomain") {
			must(c.UpdateUserPoolDomain(bg, &cip.UpdateUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("tf-example"), ManagedLoginVersion: aws.Int32(2)}))(t)
			if v := aws.ToInt32(describe().ManagedLoginVersion); v != 2 {
				t.Errorf("managed_login_version after update = %d, want 2", v)
			}
		}
		must(c.DeleteUserPoolDomain(bg, &cip.DeleteUserPoolDomainInput{UserPoolId: pool, Domain: aws.String("tf-example")}))(t)
		// waitUserPoolDomainDeleted polls until the description has no status.
		if d := describe(); d.Status != "" {
			t.Errorf("domain after delete = %+v, want an empty description", d)
		}
	})

	t.Run("aws_cognito_identity_provider", func(t *testing.T) {
		details := map[string]string{"client_id": "tf-client", "client_secret": "tf-secret", "authorize_scopes": "openid email",
			"attributes_request_method": "GET", "oidc_issuer": "https://idp.example.com"}
		mapping := map[string]string{"email": "email", "username": "sub"}
		must(c.CreateIdentityProvider(bg, &cip.CreateIdentityProviderInput{UserPoolId: pool, ProviderName: aws.String("Corp"),
			ProviderType: types.IdentityProviderTypeTypeOidc, ProviderDetails: details, AttributeMapping: mapping, IdpIdentifiers: []string{"corp.example"}}))(t)
		read := func(what string, details, mapping map[string]string, ids []string) {
			t.Helper()
			idp := must(c.DescribeIdentityProvider(bg, &cip.DescribeIdentityProviderInput{UserPoolId: pool, ProviderName: aws.String("Corp")}))(t).IdentityProvider
			for k, v := range details { // the provider keeps the keys AWS adds (attributes_url_add_attributes, …) out of its diff
				if idp.ProviderDetails[k] != v {
					t.Errorf("%s: provider_details[%s] = %q, want %q", what, k, idp.ProviderDetails[k], v)
				}
			}
			tfSame(t, what+": attribute_mapping", mapping, idp.AttributeMapping)
			tfSame(t, what+": idp_identifiers", ids, idp.IdpIdentifiers)
			tfSame(t, what+": provider_type", types.IdentityProviderTypeTypeOidc, idp.ProviderType)
		}
		read("identity provider after create", details, mapping, []string{"corp.example"})
		details["authorize_scopes"] = "openid email profile"
		mapping["name"] = "name"
		must(c.UpdateIdentityProvider(bg, &cip.UpdateIdentityProviderInput{UserPoolId: pool, ProviderName: aws.String("Corp"),
			ProviderDetails: details, AttributeMapping: mapping, IdpIdentifiers: []string{"corp.example", "corp.test"}}))(t)
		read("identity provider after update", details, mapping, []string{"corp.example", "corp.test"})
		must(c.DeleteIdentityProvider(bg, &cip.DeleteIdentityProviderInput{UserPoolId: pool, ProviderName: aws.String("Corp")}))(t)
		_, err := c.DescribeIdentityProvider(bg, &cip.DescribeIdentityProviderInput{UserPoolId: pool, ProviderName: aws.String("Corp")})
		wantCode(t, err, "ResourceNotFoundException")
	})

	t.Run("aws_cognito_user_group", func(t *testing.T) {
		in := &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"), Description: aws.String("Admins"),
			Precedence: aws.Int32(1), RoleArn: aws.String("arn:aws:iam::000000000000:role/admins")}
		must(c.CreateGroup(bg, in))(t)
		read := func(what string) {
			t.Helper()
			g := must(c.GetGroup(bg, &cip.GetGroupInput{UserPoolId: pool, GroupName: in.GroupName}))(t).Group
			tfSame(t, what, &types.GroupType{UserPoolId: pool, GroupName: in.GroupName, Description: in.Description, Precedence: in.Precedence,
				RoleArn: in.RoleArn, CreationDate: g.CreationDate, LastModifiedDate: g.LastModifiedDate}, g)
			if g.CreationDate == nil || g.LastModifiedDate == nil || g.LastModifiedDate.Before(*g.CreationDate) {
				t.Errorf("%s: dates %v %v", what, g.CreationDate, g.LastModifiedDate)
			}
		}
		read("group after create")
		in.Description, in.Precedence, in.RoleArn = aws.String("Administrators"), aws.Int32(5), aws.String("arn:aws:iam::000000000000:role/admins-2")
		must(c.UpdateGroup(bg, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: in.GroupName, Description: in.Description,
			Precedence: in.Precedence, RoleArn: in.RoleArn}))(t)
		read("group after update")
		must(c.DeleteGroup(bg, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: in.GroupName}))(t)
		_, err := c.GetGroup(bg, &cip.GetGroupInput{UserPoolId: pool, GroupName: in.GroupName})
		wantCode(t, err, "ResourceNotFoundException")
	})

	must(c.DeleteResourceServer(bg, &cip.DeleteResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://api.example.com")}))(t)
	_, err := c.DescribeResourceServer(bg, &cip.DescribeResourceServerInput{UserPoolId: pool, Identifier: aws.String("https://api.example.com")})
	wantCode(t, err, "ResourceNotFoundException")
}
