package main

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// standardSchema is the SchemaAttributes of a pool created without a Schema: Cognito's
// standard attributes, in the order DescribeUserPool lists them.
func standardSchema() []types.SchemaAttributeType {
	str := func(name string, min, max string) types.SchemaAttributeType {
		return types.SchemaAttributeType{
			Name: aws.String(name), AttributeDataType: types.AttributeDataTypeString,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true), Required: aws.Bool(false),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String(min), MaxLength: aws.String(max)},
		}
	}
	boolean := func(name string) types.SchemaAttributeType {
		return types.SchemaAttributeType{
			Name: aws.String(name), AttributeDataType: types.AttributeDataTypeBoolean,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true), Required: aws.Bool(false),
		}
	}
	sub := str("sub", "1", "2048")
	sub.Mutable, sub.Required = aws.Bool(false), aws.Bool(true)
	return []types.SchemaAttributeType{
		sub,
		str("name", "0", "2048"),
		str("given_name", "0", "2048"),
		str("family_name", "0", "2048"),
		str("middle_name", "0", "2048"),
		str("nickname", "0", "2048"),
		str("preferred_username", "0", "2048"),
		str("profile", "0", "2048"),
		str("picture", "0", "2048"),
		str("website", "0", "2048"),
		str("email", "0", "2048"),
		boolean("email_verified"),
		str("gender", "0", "2048"),
		str("birthdate", "10", "10"),
		str("zoneinfo", "0", "2048"),
		str("locale", "0", "2048"),
		str("phone_number", "0", "2048"),
		boolean("phone_number_verified"),
		str("address", "0", "2048"),
		{
			Name: aws.String("updated_at"), AttributeDataType: types.AttributeDataTypeNumber,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true), Required: aws.Bool(false),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0")},
		},
	}
}

// defaultPool is what DescribeUserPool answers for a pool created with only a name, less
// the id, ARN, dates and schema, which the tests check apart.
func defaultPool(name string) *types.UserPoolType {
	return &types.UserPoolType{
		Name: aws.String(name),
		Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{
				MinimumLength:    aws.Int32(8),
				RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
				TemporaryPasswordValidityDays: 7,
			},
			SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword}},
		},
		DeletionProtection:          types.DeletionProtectionTypeInactive,
		LambdaConfig:                &types.LambdaConfigType{},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithCode},
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{}},
		MfaConfiguration:            types.UserPoolMfaTypeOff,
		EmailConfiguration:          &types.EmailConfigurationType{EmailSendingAccount: types.EmailSendingAccountTypeCognitoDefault},
		AdminCreateUserConfig:       &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7},
		UserPoolTier:                types.UserPoolTierTypeEssentials,
		EstimatedNumberOfUsers:      0,
	}
}

// poolCmp compares pool descriptions apart from what is generated or checked elsewhere.
var poolCmp = cmp.Options{exported, cmpopts.EquateEmpty(), ignoreFields("Id", "Arn", "CreationDate", "LastModifiedDate", "SchemaAttributes")}

func TestCreateUserPoolDefaults(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	before := time.Now().Add(-time.Second)
	created := must(s.Client.CreateUserPool(bg, &cip.CreateUserPoolInput{PoolName: aws.String("defaults")}))(t).UserPool
	id := aws.ToString(created.Id)
	if !poolIDPattern.MatchString(id) {
		t.Errorf("pool id %q does not look like us-east-1_ and 9 alphanumerics", id)
	}
	if got, want := aws.ToString(created.Arn), "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+id; got != want {
		t.Errorf("Arn = %q, want %q", got, want)
	}
	got := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool
	if diff := cmp.Diff(defaultPool("defaults"), got, poolCmp); diff != "" {
		t.Errorf("DescribeUserPool of a pool created with a name only (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(created, got, exported, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("CreateUserPool and DescribeUserPool describe the pool differently (-create +describe):\n%s", diff)
	}
	if diff := cmp.Diff(standardSchema(), got.SchemaAttributes, exported); diff != "" {
		t.Errorf("SchemaAttributes (-want +got):\n%s", diff)
	}
	if got.AccountRecoverySetting != nil {
		t.Errorf("AccountRecoverySetting = %+v, want none: a pool created without one has none", got.AccountRecoverySetting)
	}
	if got.CreationDate == nil || got.CreationDate.Before(before) || got.CreationDate.After(time.Now().Add(time.Second)) {
		t.Errorf("CreationDate = %v, want about now", got.CreationDate)
	}
	if got.LastModifiedDate == nil || !got.LastModifiedDate.Equal(*got.CreationDate) {
		t.Errorf("LastModifiedDate = %v, want the CreationDate %v", got.LastModifiedDate, got.CreationDate)
	}

	createUser(t, s.Client, id, "u1")
	createUser(t, s.Client, id, "u2")
	got = must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool
	if got.EstimatedNumberOfUsers != 2 {
		t.Errorf("EstimatedNumberOfUsers = %d after two users, want 2", got.EstimatedNumberOfUsers)
	}
}

// fullPoolInput sets every member of CreateUserPool that cognate keeps.
func fullPoolInput() *cip.CreateUserPoolInput {
	return &cip.CreateUserPoolInput{
		PoolName: aws.String("full pool"),
		Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{
				MinimumLength: aws.Int32(12), RequireUppercase: true, RequireLowercase: true,
				RequireNumbers: true, RequireSymbols: false, TemporaryPasswordValidityDays: 3,
				PasswordHistorySize: aws.Int32(4),
			},
			SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}},
		},
		DeletionProtection: types.DeletionProtectionTypeActive,
		LambdaConfig: &types.LambdaConfigType{
			PreSignUp:     aws.String("arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up"),
			CustomMessage: aws.String("arn:aws:lambda:us-east-1:123456789012:function:custom-message"),
		},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		AliasAttributes:        []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePreferredUsername},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithLink,
			EmailMessage:       aws.String("Your code is {####}"),
			EmailSubject:       aws.String("Your code"),
			EmailMessageByLink: aws.String("Click {##here##}"),
			EmailSubjectByLink: aws.String("Your link"),
			SmsMessage:         aws.String("Code {####}"),
		},
		SmsAuthenticationMessage: aws.String("Sign-in code {####}"),
		UserAttributeUpdateSettings: &types.UserAttributeUpdateSettingsType{
			AttributesRequireVerificationBeforeUpdate: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		},
		MfaConfiguration:    types.UserPoolMfaTypeOptional,
		DeviceConfiguration: &types.DeviceConfigurationType{ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true},
		EmailConfiguration: &types.EmailConfigurationType{
			SourceArn:           aws.String("arn:aws:ses:us-east-1:123456789012:identity/example.com"),
			ReplyToEmailAddress: aws.String("reply@example.com"),
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper,
			From:                aws.String("Example <no-reply@example.com>"),
			ConfigurationSet:    aws.String("cs1"),
		},
		SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns"),
			ExternalId:   aws.String("ext-1"),
			SnsRegion:    aws.String("us-east-1"),
		},
		UserPoolTags: map[string]string{"team": "identity", "env": "test"},
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{
			AllowAdminCreateUserOnly:  true,
			UnusedAccountValidityDays: 5,
			InviteMessageTemplate: &types.MessageTemplateType{
				EmailMessage: aws.String("Hello {username}, your password is {####}"),
				EmailSubject: aws.String("Welcome"),
				SMSMessage:   aws.String("User {username} password {####}"),
			},
		},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false),
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}},
			{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber,
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("10")}},
			{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)},
		},
		UserPoolAddOns:        &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit},
		UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
			{Name: types.RecoveryOptionNameTypeVerifiedPhoneNumber, Priority: aws.Int32(2)},
		}},
		UserPoolTier: types.UserPoolTierTypePlus,
	}
}

func TestCreateUserPoolFullySpecified(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	in := fullPoolInput()
	id := createPool(t, s.Client, in)
	got := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool

	want := &types.UserPoolType{
		Name:                        in.PoolName,
		Policies:                    in.Policies,
		DeletionProtection:          in.DeletionProtection,
		LambdaConfig:                in.LambdaConfig,
		AutoVerifiedAttributes:      in.AutoVerifiedAttributes,
		AliasAttributes:             in.AliasAttributes,
		VerificationMessageTemplate: in.VerificationMessageTemplate,
		SmsAuthenticationMessage:    in.SmsAuthenticationMessage,
		UserAttributeUpdateSettings: in.UserAttributeUpdateSettings,
		MfaConfiguration:            in.MfaConfiguration,
		DeviceConfiguration:         in.DeviceConfiguration,
		EmailConfiguration:          in.EmailConfiguration,
		SmsConfiguration:            in.SmsConfiguration,
		UserPoolTags:                in.UserPoolTags,
		AdminCreateUserConfig:       in.AdminCreateUserConfig,
		UserPoolAddOns:              in.UserPoolAddOns,
		UsernameConfiguration:       in.UsernameConfiguration,
		AccountRecoverySetting:      in.AccountRecoverySetting,
		UserPoolTier:                in.UserPoolTier,
	}
	if diff := cmp.Diff(want, got, poolCmp); diff != "" {
		t.Errorf("DescribeUserPool of a fully specified pool (-as set +described):\n%s", diff)
	}

	schema := standardSchema()
	for i := range schema {
		if aws.ToString(schema[i].Name) == "email" {
			schema[i].Required = aws.Bool(true)
		}
	}
	schema = append(schema,
		types.SchemaAttributeType{Name: aws.String("custom:tenant"), AttributeDataType: types.AttributeDataTypeString,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(false), Required: aws.Bool(false),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("1"), MaxLength: aws.String("64")}},
		types.SchemaAttributeType{Name: aws.String("custom:level"), AttributeDataType: types.AttributeDataTypeNumber,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true), Required: aws.Bool(false),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("10")}},
	)
	if diff := cmp.Diff(schema, got.SchemaAttributes, exported); diff != "" {
		t.Errorf("SchemaAttributes (-want +got):\n%s", diff)
	}
}

func TestCreateUserPoolRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	long := strings.Repeat("p", 129)
	for _, tc := range []struct {
		name string
		in   *cip.CreateUserPoolInput
		msg  string
	}{{
		name: "alias and username attributes together",
		in: &cip.CreateUserPoolInput{PoolName: aws.String("p"),
			AliasAttributes:    []types.AliasAttributeType{types.AliasAttributeTypeEmail},
			UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail}},
		msg: "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.",
	}, {
		name: "required custom attribute",
		in: &cip.CreateUserPoolInput{PoolName: aws.String("p"), Schema: []types.SchemaAttributeType{
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}}},
		msg: "Required custom attributes are not supported currently.",
	}, {
		name: "pool name too long",
		in:   &cip.CreateUserPoolInput{PoolName: aws.String(long)},
		msg:  "1 validation error detected: Value '" + long + "' at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128",
	}, {
		name: "pool name with a character outside the pattern",
		in:   &cip.CreateUserPoolInput{PoolName: aws.String("a/b")},
		msg:  `1 validation error detected: Value 'a/b' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+`,
	}, {
		name: "minimum length below 6",
		in: &cip.CreateUserPoolInput{PoolName: aws.String("p"), Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(5)}}},
		msg: "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
	}, {
		name: "minimum length above 99",
		in: &cip.CreateUserPoolInput{PoolName: aws.String("p"), Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(100)}}},
		msg: "1 validation error detected: Value '100' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value less than or equal to 99",
	}, {
		name: "two violations at once",
		in: &cip.CreateUserPoolInput{PoolName: aws.String(long), Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(100)}}},
		msg: "2 validation errors detected: Value '" + long + "' at 'poolName' failed to satisfy constraint: Member must have length less than or equal to 128; " +
			"Value '100' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value less than or equal to 99",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Client.CreateUserPool(bg, tc.in)
			wantErr[*types.InvalidParameterException](t, err, tc.msg)
		})
	}

	t.Run("empty pool name", func(t *testing.T) {
		// Cognito (Coral) lists a string's pattern violation before its length violation:
		// observed for clientId, username, confirmationCode and password of
		// ConfirmForgotPassword, e.g. "2 validation errors detected: Value '' at
		// 'confirmationCode' failed to satisfy constraint: Member must satisfy regular
		// expression pattern: [\S]+; Value '' at 'confirmationCode' failed to satisfy
		// constraint: Member must have length greater than or equal to 1".
		_, err := s.Client.CreateUserPool(bg, &cip.CreateUserPoolInput{PoolName: aws.String("")})
		e := wantCode(t, err, "InvalidParameterException")
		want := `2 validation errors detected: Value '' at 'poolName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w\s+=,.@-]+; ` +
			"Value '' at 'poolName' failed to satisfy constraint: Member must have length greater than or equal to 1"
		if e.ErrorMessage() != want {
			t.Errorf("message:\n got %q\nwant %q", e.ErrorMessage(), want)
		}
	})

	pools := must(s.Client.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}))(t)
	if len(pools.UserPools) != 0 {
		t.Errorf("refused CreateUserPool calls left %d pools behind", len(pools.UserPools))
	}
}

func TestDescribeUserPoolUnknown(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	_, err := s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_xxx")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_xxx does not exist.")
}

func TestUpdateUserPool(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	in := fullPoolInput()
	in.DeletionProtection = types.DeletionProtectionTypeInactive
	// Whether UpdateUserPool without UserPoolTier changes a pool's tier is not on record; keep
	// this pool on the default tier so that the question does not arise.
	in.UserPoolTier, in.UserPoolAddOns = "", nil
	id := createPool(t, s.Client, in)
	before := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool

	time.Sleep(5 * time.Millisecond) // so that LastModifiedDate can move
	must(s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{
		UserPoolId:       aws.String(id),
		MfaConfiguration: types.UserPoolMfaTypeOff,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(10), RequireNumbers: true}},
	}))(t)
	got := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool

	// Every member UpdateUserPool can set and was not given is back at its default; what it
	// cannot change (name unless given, schema, aliases, username settings) and the tags stay.
	want := defaultPool("full pool")
	want.Policies = &types.UserPoolPolicyType{
		PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(10), RequireNumbers: true, TemporaryPasswordValidityDays: 7},
		SignInPolicy:   &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword}},
	}
	want.AliasAttributes = in.AliasAttributes
	want.UsernameConfiguration = in.UsernameConfiguration
	want.UserPoolTags = in.UserPoolTags
	if diff := cmp.Diff(want, got, poolCmp); diff != "" {
		t.Errorf("DescribeUserPool after UpdateUserPool (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before.SchemaAttributes, got.SchemaAttributes, exported); diff != "" {
		t.Errorf("UpdateUserPool changed the schema (-before +after):\n%s", diff)
	}
	if !got.CreationDate.Equal(*before.CreationDate) {
		t.Errorf("CreationDate moved from %v to %v", before.CreationDate, got.CreationDate)
	}
	if !got.LastModifiedDate.After(*before.LastModifiedDate) {
		t.Errorf("LastModifiedDate = %v, want after %v", got.LastModifiedDate, before.LastModifiedDate)
	}

	must(s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(id), PoolName: aws.String("renamed")}))(t)
	got = must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool
	if aws.ToString(got.Name) != "renamed" {
		t.Errorf("Name = %q after UpdateUserPool with PoolName, want renamed", aws.ToString(got.Name))
	}
	if diff := cmp.Diff(defaultPool("renamed").Policies, got.Policies, exported); diff != "" {
		t.Errorf("Policies after an UpdateUserPool without them (-default +got):\n%s", diff)
	}

	_, err := s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(missingPool)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	_, err = s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(id), Policies: &types.UserPoolPolicyType{
		PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(5)}}})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6")
}

func TestDeleteUserPool(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	id := createPool(t, s.Client, &cip.CreateUserPoolInput{DeletionProtection: types.DeletionProtectionTypeActive})
	must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(id), Username: aws.String("someone"),
		UserAttributes: attributes("email", "someone@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail}}))(t)

	_, err := s.Client.DeleteUserPool(bg, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	wantErr[*types.InvalidParameterException](t, err, "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t)

	must(s.Client.UpdateUserPool(bg, &cip.UpdateUserPoolInput{UserPoolId: aws.String(id), DeletionProtection: types.DeletionProtectionTypeInactive}))(t)
	must(s.Client.DeleteUserPool(bg, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}))(t)

	_, err = s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+id+" does not exist.")
	_, err = s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(id), Username: aws.String("someone")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+id+" does not exist.")
	_, err = s.Client.DeleteUserPool(bg, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+id+" does not exist.")
	if msgs := s.messages(t, "UserPoolId="+id); len(msgs) != 0 {
		t.Errorf("the deleted pool's %d messages are still in the inbox", len(msgs))
	}
}

func TestListUserPoolsPaging(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	want := map[string]string{}
	for _, name := range []string{"one", "two", "three", "four", "five"} {
		want[createPool(t, s.Client, &cip.CreateUserPoolInput{PoolName: aws.String(name), LambdaConfig: &types.LambdaConfigType{
			PreSignUp: aws.String("arn:aws:lambda:us-east-1:123456789012:function:" + name)}})] = name
	}
	seen := map[string]string{}
	var sizes []int
	var token *string
	for page := 0; ; page++ {
		if page > 5 {
			t.Fatalf("ListUserPools still has a NextToken after %d pages", page)
		}
		out := must(s.Client.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2), NextToken: token}))(t)
		sizes = append(sizes, len(out.UserPools))
		for _, p := range out.UserPools {
			id := aws.ToString(p.Id)
			if _, dup := seen[id]; dup {
				t.Errorf("pool %s listed twice", id)
			}
			seen[id] = aws.ToString(p.Name)
			if p.CreationDate == nil || p.LastModifiedDate == nil {
				t.Errorf("pool %s listed without its dates", id)
			}
			if got := aws.ToString(p.LambdaConfig.PreSignUp); !strings.HasSuffix(got, ":"+want[id]) {
				t.Errorf("pool %s listed with LambdaConfig.PreSignUp %q", id, got)
			}
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if diff := cmp.Diff(want, seen); diff != "" {
		t.Errorf("pools listed (-created +listed):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2, 2, 1}, sizes); diff != "" {
		t.Errorf("page sizes with MaxResults 2 (-want +got):\n%s", diff)
	}

	// The paginator the SDK offers walks the same pages.
	var all []string
	p := cip.NewListUserPoolsPaginator(s.Client, &cip.ListUserPoolsInput{MaxResults: aws.Int32(3)})
	for p.HasMorePages() {
		out := must(p.NextPage(bg))(t)
		for _, up := range out.UserPools {
			all = append(all, aws.ToString(up.Id))
		}
	}
	if len(all) != 5 {
		t.Errorf("the SDK paginator saw %d pools, want 5", len(all))
	}

	_, err := s.Client.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(61)})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60")
}

func TestAddCustomAttributes(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	id := createPool(t, s.Client, nil)
	must(s.Client.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{
		UserPoolId: aws.String(id),
		CustomAttributes: []types.SchemaAttributeType{
			{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString},
			{Name: aws.String("n"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(false),
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MaxValue: aws.String("100")}},
		},
	}))(t)
	got := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool
	want := append(standardSchema(),
		types.SchemaAttributeType{Name: aws.String("custom:x"), AttributeDataType: types.AttributeDataTypeString,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(true), Required: aws.Bool(false),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("0"), MaxLength: aws.String("2048")}},
		types.SchemaAttributeType{Name: aws.String("custom:n"), AttributeDataType: types.AttributeDataTypeNumber,
			DeveloperOnlyAttribute: aws.Bool(false), Mutable: aws.Bool(false), Required: aws.Bool(false),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MaxValue: aws.String("100")}},
	)
	if diff := cmp.Diff(want, got.SchemaAttributes, exported); diff != "" {
		t.Errorf("SchemaAttributes after AddCustomAttributes (-want +got):\n%s", diff)
	}

	// The new attribute is usable at once.
	u := createUser(t, s.Client, id, "has-x", "custom:x", "hello")
	if got := attrMap(u.Attributes)["custom:x"]; got != "hello" {
		t.Errorf("custom:x = %q, want hello", got)
	}

	_, err := s.Client.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{
		UserPoolId:       aws.String(id),
		CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("x"), AttributeDataType: types.AttributeDataTypeString}},
	})
	wantErr[*types.InvalidParameterException](t, err, "custom:x: Existing attribute already has name custom:x.")

	_, err = s.Client.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{
		UserPoolId:       aws.String(id),
		CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("req"), Required: aws.Bool(true)}},
	})
	wantErr[*types.InvalidParameterException](t, err, "Required custom attributes are not supported currently.")

	_, err = s.Client.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{
		UserPoolId:       aws.String(missingPool),
		CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("y")}},
	})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	_, err = s.Client.AddCustomAttributes(bg, &cip.AddCustomAttributesInput{
		UserPoolId:       aws.String(id),
		CustomAttributes: []types.SchemaAttributeType{{Name: aws.String(strings.Repeat("a", 21))}},
	})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '"+strings.Repeat("a", 21)+
		"' at 'customAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20")

	after := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)}))(t).UserPool
	if len(after.SchemaAttributes) != len(want) {
		t.Errorf("refused AddCustomAttributes calls changed the schema to %d attributes", len(after.SchemaAttributes))
	}
}
