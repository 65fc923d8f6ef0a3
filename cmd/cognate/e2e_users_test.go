package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// aliasPool creates a pool in which a verified email or phone number is an alias, with an
// immutable custom attribute custom:tenant, a number custom:level (0 to 10) and a string
// custom:code of at most 5 characters.
func aliasPool(t testing.TB, s *testServer, extra func(*cip.CreateUserPoolInput)) string {
	t.Helper()
	in := &cip.CreateUserPoolInput{
		PoolName:               aws.String("aliases"),
		AliasAttributes:        []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePhoneNumber},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(false)},
			{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber,
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("0"), MaxValue: aws.String("10")}},
			{Name: aws.String("code"), AttributeDataType: types.AttributeDataTypeString,
				StringAttributeConstraints: &types.StringAttributeConstraintsType{MaxLength: aws.String("5")}},
		},
	}
	if extra != nil {
		extra(in)
	}
	return createPool(t, s.Client, in)
}

func TestAdminCreateUser(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := aliasPool(t, s, nil)

	before := time.Now().Add(-time.Second)
	out := must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
		UserPoolId:             aws.String(pool),
		Username:               aws.String("jane"),
		UserAttributes:         attributes("email", "jane@example.com", "email_verified", "true", "given_name", "Jane"),
		TemporaryPassword:      aws.String("Temp-Passw0rd!"),
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
	}))(t).User
	if aws.ToString(out.Username) != "jane" || !out.Enabled || out.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("created user: Username %q, Enabled %v, UserStatus %s; want jane, true, FORCE_CHANGE_PASSWORD",
			aws.ToString(out.Username), out.Enabled, out.UserStatus)
	}
	attrs := attrMap(out.Attributes)
	if !uuidV4Pattern.MatchString(attrs["sub"]) {
		t.Errorf("sub = %q, want a version 4 UUID", attrs["sub"])
	}
	delete(attrs, "sub")
	if diff := cmp.Diff(map[string]string{"email": "jane@example.com", "email_verified": "true", "given_name": "Jane"}, attrs); diff != "" {
		t.Errorf("attributes of the created user (-want +got):\n%s", diff)
	}
	if out.UserCreateDate == nil || out.UserCreateDate.Before(before) || !out.UserLastModifiedDate.Equal(*out.UserCreateDate) {
		t.Errorf("UserCreateDate %v, UserLastModifiedDate %v: want both now and equal", out.UserCreateDate, out.UserLastModifiedDate)
	}
	got := getUser(t, s.Client, pool, "jane")
	if diff := cmp.Diff(out.Attributes, got.UserAttributes, exported); diff != "" {
		t.Errorf("AdminGetUser attributes differ from AdminCreateUser's (-create +get):\n%s", diff)
	}

	t.Run("invitation by email", func(t *testing.T) {
		msgs := s.messages(t, "UserPoolId="+pool)
		if len(msgs) != 1 {
			t.Fatalf("inbox has %d messages for the pool, want 1: %+v", len(msgs), msgs)
		}
		m := msgs[0]
		if m.MessageId == "" || m.UserPoolId != pool || m.Username != "jane" || m.DeliveryMedium != "EMAIL" ||
			m.Destination != "jane@example.com" || m.Subject != "Your temporary password" {
			t.Errorf("invitation = %+v", m)
		}
		if want := "Your username is jane and temporary password is Temp-Passw0rd!."; m.Body != want {
			t.Errorf("invitation body = %q, want %q", m.Body, want)
		}
		if sent := time.Unix(0, int64(m.CreatedAt*1e9)); sent.Before(before) || sent.After(time.Now().Add(time.Second)) {
			t.Errorf("invitation CreatedAt = %v, want about now", sent)
		}
	})

	t.Run("generated temporary password", func(t *testing.T) {
		must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String("gen"),
			UserAttributes:         attributes("email", "gen@example.com"),
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		}))(t)
		msgs := s.messages(t, "UserPoolId="+pool+"&Username=gen")
		if len(msgs) != 1 {
			t.Fatalf("inbox has %d messages for gen, want 1", len(msgs))
		}
		m := regexp.MustCompile(`^Your username is gen and temporary password is (\S+)\.$`).FindStringSubmatch(msgs[0].Body)
		if m == nil {
			t.Fatalf("invitation body %q does not carry a temporary password", msgs[0].Body)
		}
		pw := m[1]
		if len(pw) < 8 || !strings.ContainsAny(pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || !strings.ContainsAny(pw, "abcdefghijklmnopqrstuvwxyz") ||
			!strings.ContainsAny(pw, "0123456789") || !strings.ContainsAny(pw, "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+=") {
			t.Errorf("generated temporary password %q does not satisfy the default policy", pw)
		}
	})

	t.Run("SMS is the default medium", func(t *testing.T) {
		must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String("phoned"),
			UserAttributes:    attributes("phone_number", "+15555550100", "email", "phoned@example.com"),
			TemporaryPassword: aws.String("Temp-Passw0rd!"),
		}))(t)
		msgs := s.messages(t, "UserPoolId="+pool+"&Username=phoned")
		if len(msgs) != 1 {
			t.Fatalf("inbox has %d messages for phoned, want 1 (SMS only): %+v", len(msgs), msgs)
		}
		if m := msgs[0]; m.DeliveryMedium != "SMS" || m.Destination != "+15555550100" || m.Subject != "" ||
			m.Body != "Your username is phoned and temporary password is Temp-Passw0rd!." {
			t.Errorf("SMS invitation = %+v", m)
		}
	})

	t.Run("SUPPRESS sends nothing", func(t *testing.T) {
		must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String("quiet"),
			UserAttributes:         attributes("email", "quiet@example.com", "phone_number", "+15555550101"),
			MessageAction:          types.MessageActionTypeSuppress,
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail, types.DeliveryMediumTypeSms},
		}))(t)
		if msgs := s.messages(t, "Username=quiet"); len(msgs) != 0 {
			t.Errorf("SUPPRESS sent %d messages: %+v", len(msgs), msgs)
		}
	})

	t.Run("RESEND", func(t *testing.T) {
		res := must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String("quiet"),
			MessageAction:          types.MessageActionTypeResend,
			TemporaryPassword:      aws.String("Another-Passw0rd!"),
			DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		}))(t).User
		if aws.ToString(res.Username) != "quiet" || res.UserStatus != types.UserStatusTypeForceChangePassword {
			t.Errorf("RESEND answered user %q in %s", aws.ToString(res.Username), res.UserStatus)
		}

		must(s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("quiet"),
			Password: aws.String("Perm-Passw0rd!"), Permanent: true}))(t)
		_, err := s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("quiet"),
			MessageAction: types.MessageActionTypeResend})
		wantErr[*types.UnsupportedUserStateException](t, err, "Resend not possible. quiet status is not FORCE_CHANGE_PASSWORD")

		_, err = s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("nobody"),
			MessageAction: types.MessageActionTypeResend})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")

		msgs := s.messages(t, "Username=quiet")
		if len(msgs) != 1 || msgs[0].Destination != "quiet@example.com" ||
			msgs[0].Body != "Your username is quiet and temporary password is Another-Passw0rd!." {
			t.Errorf("after RESEND the inbox holds %+v, want one email with the new password", msgs)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			in    cip.AdminCreateUserInput
			check func(t *testing.T, err error)
		}{{
			name: "duplicate username",
			in:   cip.AdminCreateUserInput{Username: aws.String("jane")},
			check: func(t *testing.T, err error) {
				wantErr[*types.UsernameExistsException](t, err, "User account already exists")
			},
		}, {
			name: "weak temporary password",
			in:   cip.AdminCreateUserInput{Username: aws.String("weak"), TemporaryPassword: aws.String("Sh0rt!")},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: Password not long enough")
			},
		}, {
			name: "temporary password without a symbol",
			in:   cip.AdminCreateUserInput{Username: aws.String("weak"), TemporaryPassword: aws.String("NoSymbol123")},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidPasswordException](t, err, "Password did not conform with policy: Password must have symbol characters")
			},
		}, {
			name: "attribute not in the schema",
			in:   cip.AdminCreateUserInput{Username: aws.String("odd"), UserAttributes: attributes("custom:nope", "1")},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n")
			},
		}, {
			name: "missing attribute the schema requires",
			in:   cip.AdminCreateUserInput{Username: aws.String("odd"), UserPoolId: aws.String("required-email")},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "Attributes did not conform to the schema: email: The attribute is required\n")
			},
		}, {
			name: "string longer than its MaxLength",
			in:   cip.AdminCreateUserInput{Username: aws.String("odd"), UserAttributes: attributes("custom:code", "123456")},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "Attributes did not conform to the schema: custom:code: String must be no longer than 5 characters\n")
			},
		}, {
			name: "number that is not a number",
			in:   cip.AdminCreateUserInput{Username: aws.String("odd"), UserAttributes: attributes("custom:level", "high")},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "Attributes did not conform to the schema: custom:level: Number must be a valid number.\n")
			},
		}, {
			name: "number above its MaxValue",
			in:   cip.AdminCreateUserInput{Username: aws.String("odd-number"), UserAttributes: attributes("custom:level", "11")},
			check: func(t *testing.T, err error) {
				// AWS enforces NumberAttributeConstraints; its exact wording is not on record,
				// so only the exception and the attribute named are checked.
				if err == nil {
				}
				e := wantCode(t, err, "InvalidParameterException")
				if !strings.HasPrefix(e.ErrorMessage(), "Attributes did not conform to the schema: custom:level: ") {
					t.Errorf("message %q does not name custom:level", e.ErrorMessage())
				}
			},
		}, {
			name: "malformed email",
			in:   cip.AdminCreateUserInput{Username: aws.String("odd"), UserAttributes: attributes("email", "not-an-email")},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "Invalid email address format.")
			},
		}, {
			name: "verified email another user holds",
			in:   cip.AdminCreateUserInput{Username: aws.String("copycat"), UserAttributes: attributes("email", "jane@example.com", "email_verified", "true")},
			check: func(t *testing.T, err error) {
				// AliasExistsException is not among AdminCreateUser's modelled errors, so the
				// SDK gives it as a generic API error; AWS sends it all the same
				// (AdminCreateUser ForceAliasCreation: "the API throws an AliasExistsException").
				wantCodeMsg(t, err, "AliasExistsException", "An account with the email already exists.")
			},
		}, {
			name: "username shaped as a sub in a pool without usernames attributes",
			in:   cip.AdminCreateUserInput{Username: aws.String("0f8fad5b-d9cb-469f-a165-70867728950e")},
			check: func(t *testing.T, err error) {
				// This pool has alias attributes, so a UUID-shaped name is allowed.
				if err != nil {
					t.Errorf("AdminCreateUser with a UUID-shaped username in an alias pool: %v", err)
				}
			},
		}, {
			name: "email-shaped username in a pool with an email alias",
			in:   cip.AdminCreateUserInput{Username: aws.String("shape@example.com")},
			check: func(t *testing.T, err error) {
				// Observed from Cognito, by SignUp and AdminCreateUser alike.
				if err == nil {
				}
				wantErr[*types.InvalidParameterException](t, err, "Username cannot be of email format, since user pool is configured for email alias.")
			},
		}, {
			name: "phone-shaped username in a pool with a phone number alias",
			in:   cip.AdminCreateUserInput{Username: aws.String("+15555550177")},
			check: func(t *testing.T, err error) {
				if err == nil {
				}
				e := wantCode(t, err, "InvalidParameterException")
				if !strings.HasPrefix(e.ErrorMessage(), "Username cannot be of phone number format") {
					t.Errorf("message = %q", e.ErrorMessage())
				}
			},
		}, {
			name: "username with a space",
			in:   cip.AdminCreateUserInput{Username: aws.String("jane doe")},
			check: func(t *testing.T, err error) {
				// Username is sensitive in the model, so its value is not quoted.
				wantErr[*types.InvalidParameterException](t, err, `1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
			},
		}, {
			name: "unknown delivery medium",
			in:   cip.AdminCreateUserInput{Username: aws.String("fax"), DesiredDeliveryMediums: []types.DeliveryMediumType{"FAX"}},
			check: func(t *testing.T, err error) {
				// AWS's validation (Coral) reports a constraint of a list's members at the list,
				// with the whole list as the value: "Value '[FAX]' at 'desiredDeliveryMediums'
				// failed to satisfy constraint: Member must satisfy constraint: [Member must
				// satisfy enum value set: [SMS, EMAIL]]", as observed from Lambda, IoT, ACM and
				// Config. The exact list inside the brackets varies by service, so only the
				// frame is checked.
				e := wantCode(t, err, "InvalidParameterException")
				frame := "1 validation error detected: Value '[FAX]' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy constraint: ["
				if !strings.HasPrefix(e.ErrorMessage(), frame) || !strings.Contains(e.ErrorMessage(), "Member must satisfy enum value set: [SMS, EMAIL]") {
					t.Errorf("message = %q, want it to start %q", e.ErrorMessage(), frame)
				}
			},
		}, {
			name: "username too long",
			in:   cip.AdminCreateUserInput{Username: aws.String(strings.Repeat("u", 129))},
			check: func(t *testing.T, err error) {
				wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128")
			},
		}} {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				if aws.ToString(in.UserPoolId) == "required-email" {
					in.UserPoolId = aws.String(createPool(t, s.Client, &cip.CreateUserPoolInput{Schema: []types.SchemaAttributeType{
						{Name: aws.String("email"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true), Mutable: aws.Bool(true)}}}))
				} else {
					in.UserPoolId = aws.String(pool)
				}
				in.MessageAction = types.MessageActionTypeSuppress
				_, err := s.Client.AdminCreateUser(bg, &in)
				tc.check(t, err)
			})
		}
		for _, name := range []string{"weak", "odd", "copycat"} {
			_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(name)})
			wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
		}
		_, err := s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(missingPool), Username: aws.String("x")})
		wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
	})

	t.Run("ForceAliasCreation moves the email", func(t *testing.T) {
		janeSub := attrMap(getUser(t, s.Client, pool, "jane").UserAttributes)["sub"]
		must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(pool), Username: aws.String("jane2"),
			UserAttributes:     attributes("email", "jane@example.com", "email_verified", "true"),
			ForceAliasCreation: true,
			MessageAction:      types.MessageActionTypeSuppress,
		}))(t)
		byEmail := getUser(t, s.Client, pool, "jane@example.com")
		if aws.ToString(byEmail.Username) != "jane2" {
			t.Errorf("jane@example.com now finds %q, want jane2", aws.ToString(byEmail.Username))
		}
		old := attrMap(getUser(t, s.Client, pool, "jane").UserAttributes)
		if old["email_verified"] != "false" || old["email"] != "jane@example.com" || old["sub"] != janeSub {
			t.Errorf("the former holder's attributes are %v, want its email kept with email_verified false", old)
		}
	})

	t.Run("custom invitation template", func(t *testing.T) {
		tmpl := createPool(t, s.Client, &cip.CreateUserPoolInput{AdminCreateUserConfig: &types.AdminCreateUserConfigType{
			InviteMessageTemplate: &types.MessageTemplateType{
				EmailSubject: aws.String("Welcome aboard"),
				EmailMessage: aws.String("Hi {username}, use {####} to sign in."),
			}}})
		must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(tmpl), Username: aws.String("tom"), TemporaryPassword: aws.String("Temp-Passw0rd!"),
			UserAttributes: attributes("email", "tom@example.com"), DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		}))(t)
		msgs := s.messages(t, "UserPoolId="+tmpl)
		if len(msgs) != 1 || msgs[0].Subject != "Welcome aboard" || msgs[0].Body != "Hi tom, use Temp-Passw0rd! to sign in." {
			t.Errorf("invitation with the pool's template = %+v", msgs)
		}
	})
}

func TestAdminCreateUserEmailAsUsername(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
	})
	u := must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("ann@example.com"), MessageAction: types.MessageActionTypeSuppress,
	}))(t).User
	attrs := attrMap(u.Attributes)
	if aws.ToString(u.Username) != attrs["sub"] || !uuidV4Pattern.MatchString(attrs["sub"]) {
		t.Errorf("Username = %q, sub = %q: in a pool that signs in with email the username is the sub", aws.ToString(u.Username), attrs["sub"])
	}
	if attrs["email"] != "ann@example.com" {
		t.Errorf("email = %q, want the name given, ann@example.com", attrs["email"])
	}
	for _, name := range []string{"ann@example.com", "ANN@example.com", attrs["sub"]} {
		got := getUser(t, s.Client, pool, name)
		if aws.ToString(got.Username) != attrs["sub"] {
			t.Errorf("AdminGetUser(%q) found %q, want %q", name, aws.ToString(got.Username), attrs["sub"])
		}
	}

	_, err := s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("ann"), MessageAction: types.MessageActionTypeSuppress})
	wantErr[*types.InvalidParameterException](t, err, "Username should be either an email or a phone number.")

	_, err = s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
		UserPoolId: aws.String(pool), Username: aws.String("ann@example.com"), MessageAction: types.MessageActionTypeSuppress})
	wantErr[*types.UsernameExistsException](t, err, "An account with the given email already exists.")

	list := must(s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String(pool)}))(t)
	if len(list.Users) != 1 {
		t.Errorf("ListUsers lists %d users, want 1", len(list.Users))
	}
	d := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool
	if diff := cmp.Diff([]types.UsernameAttributeType{types.UsernameAttributeTypeEmail}, d.UsernameAttributes); diff != "" || d.AliasAttributes != nil {
		t.Errorf("DescribeUserPool: UsernameAttributes %v, AliasAttributes %v", d.UsernameAttributes, d.AliasAttributes)
	}

	t.Run("phone numbers as usernames", func(t *testing.T) {
		phones := createPool(t, s.Client, &cip.CreateUserPoolInput{
			UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypePhoneNumber}})
		u := must(s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(phones), Username: aws.String("+15555550142"), MessageAction: types.MessageActionTypeSuppress}))(t).User
		if attrMap(u.Attributes)["phone_number"] != "+15555550142" || aws.ToString(u.Username) != attrMap(u.Attributes)["sub"] {
			t.Errorf("user created by phone number: %q %v", aws.ToString(u.Username), attrMap(u.Attributes))
		}
		if got := aws.ToString(getUser(t, s.Client, phones, "+15555550142").Username); got != aws.ToString(u.Username) {
			t.Errorf("AdminGetUser by phone number found %q", got)
		}
		_, err := s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{
			UserPoolId: aws.String(phones), Username: aws.String("ann@example.com"), MessageAction: types.MessageActionTypeSuppress})
		wantErr[*types.InvalidParameterException](t, err, "Username should be either an email or a phone number.")
	})
}

func TestAdminGetUser(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := aliasPool(t, s, nil)
	created := createUser(t, s.Client, pool, "jane", "email", "jane@example.com", "email_verified", "true", "phone_number", "+15555550123")
	sub := attrMap(created.Attributes)["sub"]

	for _, name := range []string{"jane", sub, "jane@example.com", "Jane@Example.com"} {
		got := getUser(t, s.Client, pool, name)
		want := &cip.AdminGetUserOutput{
			Username: aws.String("jane"), Enabled: true, UserStatus: types.UserStatusTypeForceChangePassword,
			UserAttributes: created.Attributes, UserCreateDate: created.UserCreateDate, UserLastModifiedDate: created.UserLastModifiedDate,
		}
		if diff := cmp.Diff(want, got, exported, ignoreFields("ResultMetadata")); diff != "" {
			t.Errorf("AdminGetUser(%q) (-want +got):\n%s", name, diff)
		}
	}

	for _, name := range []string{"JANE", "+15555550123", "nobody", "0f8fad5b-d9cb-469f-a165-70867728950e"} {
		// A case-sensitive pool; an unverified phone number is no alias.
		_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(name)})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	}
	_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(missingPool), Username: aws.String("jane")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	t.Run("case-insensitive pool", func(t *testing.T) {
		ci := createPool(t, s.Client, &cip.CreateUserPoolInput{UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)}})
		createUser(t, s.Client, ci, "jane")
		for _, name := range []string{"jane", "JANE", "Jane"} {
			if got := aws.ToString(getUser(t, s.Client, ci, name).Username); got != "jane" {
				t.Errorf("AdminGetUser(%q) = %q, want jane", name, got)
			}
		}
		_, err := s.Client.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(ci), Username: aws.String("JANE"),
			MessageAction: types.MessageActionTypeSuppress})
		wantErr[*types.UsernameExistsException](t, err, "User account already exists")
	})

	t.Run("case-sensitive pool", func(t *testing.T) {
		cs := createPool(t, s.Client, &cip.CreateUserPoolInput{UsernameConfiguration: &types.UsernameConfigurationType{CaseSensitive: aws.Bool(true)}})
		createUser(t, s.Client, cs, "jane")
		_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(cs), Username: aws.String("JANE")})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
		createUser(t, s.Client, cs, "JANE") // a different user
		if got := aws.ToString(getUser(t, s.Client, cs, "JANE").Username); got != "JANE" {
			t.Errorf("AdminGetUser(JANE) = %q", got)
		}
	})
}

func TestAdminDeleteUser(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := aliasPool(t, s, nil)
	createUser(t, s.Client, pool, "jane", "email", "jane@example.com", "email_verified", "true")
	must(s.Client.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("g")}))(t)
	must(s.Client.AdminAddUserToGroup(bg, &cip.AdminAddUserToGroupInput{UserPoolId: aws.String(pool), Username: aws.String("jane"), GroupName: aws.String("g")}))(t)

	// Deleting by alias deletes the user it names.
	must(s.Client.AdminDeleteUser(bg, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com")}))(t)
	for _, name := range []string{"jane", "jane@example.com"} {
		_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(name)})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	}
	members := must(s.Client.ListUsersInGroup(bg, &cip.ListUsersInGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("g")}))(t)
	if len(members.Users) != 0 {
		t.Errorf("the deleted user is still in its group: %d members", len(members.Users))
	}
	_, err := s.Client.AdminDeleteUser(bg, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = s.Client.AdminDeleteUser(bg, &cip.AdminDeleteUserInput{UserPoolId: aws.String(missingPool), Username: aws.String("jane")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	// The email is free again, and so is the username.
	createUser(t, s.Client, pool, "jane", "email", "jane@example.com", "email_verified", "true")
	pd := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)}))(t).UserPool
	if pd.EstimatedNumberOfUsers != 1 {
		t.Errorf("EstimatedNumberOfUsers = %d, want 1", pd.EstimatedNumberOfUsers)
	}
}

func TestAdminUpdateUserAttributes(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := aliasPool(t, s, nil)
	created := createUser(t, s.Client, pool, "jane", "email", "jane@example.com", "email_verified", "true", "custom:tenant", "acme")
	createUser(t, s.Client, pool, "bob", "email", "bob@example.com", "email_verified", "true")
	update := func(user string, pairs ...string) error {
		_, err := s.Client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{
			UserPoolId: aws.String(pool), Username: aws.String(user), UserAttributes: attributes(pairs...)})
		return err
	}

	time.Sleep(5 * time.Millisecond)
	if err := update("jane", "given_name", "Jane", "custom:level", "3"); err != nil {
		t.Fatal(err)
	}
	got := getUser(t, s.Client, pool, "jane")
	attrs := attrMap(got.UserAttributes)
	if attrs["given_name"] != "Jane" || attrs["custom:level"] != "3" || attrs["email_verified"] != "true" {
		t.Errorf("attributes after update: %v", attrs)
	}
	if !got.UserLastModifiedDate.After(*created.UserLastModifiedDate) || !got.UserCreateDate.Equal(*created.UserCreateDate) {
		t.Errorf("dates after update: created %v modified %v", got.UserCreateDate, got.UserLastModifiedDate)
	}

	// A new email is not verified, and an unverified email is no alias.
	if err := update("jane", "email", "jane@new.example.com"); err != nil {
		t.Fatal(err)
	}
	attrs = attrMap(getUser(t, s.Client, pool, "jane").UserAttributes)
	if attrs["email"] != "jane@new.example.com" || attrs["email_verified"] != "false" {
		t.Errorf("after changing the email: email %q, email_verified %q; want the new one, false", attrs["email"], attrs["email_verified"])
	}
	for _, name := range []string{"jane@example.com", "jane@new.example.com"} {
		_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String(name)})
		wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	}
	// An administrator may verify it in the same call as setting it.
	if err := update("jane", "email", "jane@verified.example.com", "email_verified", "true"); err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(getUser(t, s.Client, pool, "jane@verified.example.com").Username); got != "jane" {
		t.Errorf("the verified new email finds %q, want jane", got)
	}

	wantErr[*types.InvalidParameterException](t, update("jane", "custom:tenant", "other"), "user.custom:tenant: Attribute cannot be updated.\n")
	wantErr[*types.InvalidParameterException](t, update("jane", "sub", "0f8fad5b-d9cb-469f-a165-70867728950e"), "Cannot modify the non-mutable attribute sub")
	wantErr[*types.InvalidParameterException](t, update("jane", "email", "nope"), "Invalid email address format.")
	wantErr[*types.AliasExistsException](t, update("jane", "email", "bob@example.com", "email_verified", "true"), "An account with the email already exists.")
	t.Run("phone number another user holds", func(t *testing.T) {
		createUser(t, s.Client, pool, "carl", "phone_number", "+15555550111", "phone_number_verified", "true")
		err := update("bob", "phone_number", "+15555550111", "phone_number_verified", "true")
		e := wantCode(t, err, "AliasExistsException")
		if want := "An account with the phone_number already exists."; e.ErrorMessage() != want {
			t.Errorf("message = %q, want %q", e.ErrorMessage(), want)
		}
	})
	wantErr[*types.UserNotFoundException](t, update("nobody", "name", "x"), "User does not exist.")
	_, err := s.Client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{
		UserPoolId: aws.String(missingPool), Username: aws.String("jane"), UserAttributes: attributes("name", "x")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")

	attrs = attrMap(getUser(t, s.Client, pool, "jane").UserAttributes)
	if attrs["custom:tenant"] != "acme" || attrs["email"] != "jane@verified.example.com" {
		t.Errorf("refused updates changed the user: %v", attrs)
	}
}

func TestAdminDeleteUserAttributes(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := aliasPool(t, s, nil)
	createUser(t, s.Client, pool, "jane", "email", "jane@example.com", "email_verified", "true", "given_name", "Jane", "custom:level", "2")
	del := func(user string, names ...string) error {
		_, err := s.Client.AdminDeleteUserAttributes(bg, &cip.AdminDeleteUserAttributesInput{
			UserPoolId: aws.String(pool), Username: aws.String(user), UserAttributeNames: names})
		return err
	}
	if err := del("jane", "given_name", "custom:level"); err != nil {
		t.Fatal(err)
	}
	attrs := attrMap(getUser(t, s.Client, pool, "jane").UserAttributes)
	delete(attrs, "sub")
	if diff := cmp.Diff(map[string]string{"email": "jane@example.com", "email_verified": "true"}, attrs); diff != "" {
		t.Errorf("attributes after deleting given_name and custom:level (-want +got):\n%s", diff)
	}
	// Deleting the email takes its verification with it, and the alias.
	if err := del("jane", "email"); err != nil {
		t.Fatal(err)
	}
	attrs = attrMap(getUser(t, s.Client, pool, "jane").UserAttributes)
	if _, ok := attrs["email"]; ok {
		t.Errorf("email still set: %v", attrs)
	}
	if _, ok := attrs["email_verified"]; ok {
		t.Errorf("email_verified still set after the email was deleted: %v", attrs)
	}
	_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane@example.com")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")

	wantErr[*types.InvalidParameterException](t, del("jane", "sub"), "user.sub: The attribute is required\n")
	wantErr[*types.InvalidParameterException](t, del("jane", "custom:nope"), "user.custom:nope: Attribute does not exist in the schema.\n")
	wantErr[*types.UserNotFoundException](t, del("nobody", "name"), "User does not exist.")
}

func TestAdminDisableEnableUser(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	createUser(t, s.Client, pool, "jane")
	must(s.Client.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")}))(t)
	if getUser(t, s.Client, pool, "jane").Enabled {
		t.Errorf("Enabled = true after AdminDisableUser")
	}
	must(s.Client.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")}))(t)
	must(s.Client.AdminEnableUser(bg, &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("jane")}))(t)
	if got := getUser(t, s.Client, pool, "jane"); !got.Enabled || got.UserStatus != types.UserStatusTypeForceChangePassword {
		t.Errorf("after AdminEnableUser: Enabled %v, status %s; want true, FORCE_CHANGE_PASSWORD", got.Enabled, got.UserStatus)
	}

	_, err := s.Client.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = s.Client.AdminEnableUser(bg, &cip.AdminEnableUserInput{UserPoolId: aws.String(pool), Username: aws.String("nobody")})
	wantErr[*types.UserNotFoundException](t, err, "User does not exist.")
	_, err = s.Client.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(missingPool), Username: aws.String("jane")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
	_, err = s.Client.AdminEnableUser(bg, &cip.AdminEnableUserInput{UserPoolId: aws.String(missingPool), Username: aws.String("jane")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
}

func TestAdminSetUserPassword(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	createUser(t, s.Client, pool, "jane")
	set := func(pool, user, password string, permanent bool) error {
		_, err := s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{
			UserPoolId: aws.String(pool), Username: aws.String(user), Password: aws.String(password), Permanent: permanent})
		return err
	}
	if err := set(pool, "jane", "Perm-Passw0rd!", true); err != nil {
		t.Fatal(err)
	}
	if got := getUser(t, s.Client, pool, "jane").UserStatus; got != types.UserStatusTypeConfirmed {
		t.Errorf("status after a permanent password = %s, want CONFIRMED", got)
	}
	if err := set(pool, "jane", "Temp-Passw0rd!", false); err != nil {
		t.Fatal(err)
	}
	if got := getUser(t, s.Client, pool, "jane").UserStatus; got != types.UserStatusTypeForceChangePassword {
		t.Errorf("status after a temporary password = %s, want FORCE_CHANGE_PASSWORD", got)
	}

	for pw, reason := range map[string]string{
		"Ab1!":        "Password not long enough",
		"Abcdefgh!":   "Password must have numeric characters",
		"abcdefg1!":   "Password must have uppercase characters",
		"ABCDEFG1!":   "Password must have lowercase characters",
		"Abcdefgh123": "Password must have symbol characters",
	} {
		wantErr[*types.InvalidPasswordException](t, set(pool, "jane", pw, true), "Password does not conform to policy: "+reason)
	}
	if got := getUser(t, s.Client, pool, "jane").UserStatus; got != types.UserStatusTypeForceChangePassword {
		t.Errorf("refused passwords changed the status to %s", got)
	}
	wantErr[*types.UserNotFoundException](t, set(pool, "nobody", "Perm-Passw0rd!", true), "User does not exist.")
	wantErr[*types.ResourceNotFoundException](t, set(missingPool, "jane", "Perm-Passw0rd!", true), "User pool "+missingPool+" does not exist.")

	t.Run("pool policy", func(t *testing.T) {
		lax := createPool(t, s.Client, &cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(6)}}})
		createUser(t, s.Client, lax, "u")
		if err := set(lax, "u", "simple", true); err != nil {
			t.Errorf("a 6-letter password under a policy of 6 characters and nothing else: %v", err)
		}
		wantErr[*types.InvalidPasswordException](t, set(lax, "u", "short", true), "Password does not conform to policy: Password not long enough")
	})

	t.Run("password history", func(t *testing.T) {
		hist := createPool(t, s.Client, &cip.CreateUserPoolInput{Policies: &types.UserPoolPolicyType{
			PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(8), RequireNumbers: true, PasswordHistorySize: aws.Int32(2)}}})
		createUser(t, s.Client, hist, "h")
		if err := set(hist, "h", "password1", true); err != nil {
			t.Fatal(err)
		}
		const msg = "The password you entered has been used recently. Choose a different password."
		wantErr[*types.PasswordHistoryPolicyViolationException](t, set(hist, "h", "password1", true), msg)
		if err := set(hist, "h", "password2", true); err != nil {
			t.Fatal(err)
		}
		wantErr[*types.PasswordHistoryPolicyViolationException](t, set(hist, "h", "password1", true), msg)
		wantErr[*types.PasswordHistoryPolicyViolationException](t, set(hist, "h", "password2", false), msg)
	})
}

func TestAdminConfirmSignUp(t *testing.T) {
	t.Parallel()
	// Only SignUp makes an UNCONFIRMED user; the subtest that needs one skips while cognate
	// does not carry SignUp out.
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	createUser(t, s.Client, pool, "jane")
	confirm := func(pool, user string) error {
		_, err := s.Client.AdminConfirmSignUp(bg, &cip.AdminConfirmSignUpInput{UserPoolId: aws.String(pool), Username: aws.String(user)})
		return err
	}
	wantErr[*types.NotAuthorizedException](t, confirm(pool, "jane"), "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD")
	must(s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("jane"),
		Password: aws.String("Perm-Passw0rd!"), Permanent: true}))(t)
	wantErr[*types.NotAuthorizedException](t, confirm(pool, "jane"), "User cannot be confirmed. Current status is CONFIRMED")
	wantErr[*types.UserNotFoundException](t, confirm(pool, "nobody"), "User does not exist.")
	wantErr[*types.ResourceNotFoundException](t, confirm(missingPool, "jane"), "User pool "+missingPool+" does not exist.")

	t.Run("an UNCONFIRMED user made by SignUp", func(t *testing.T) {
		client := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(pool), ClientName: aws.String("web")}))(t).UserPoolClient
		_, err := s.Client.SignUp(bg, &cip.SignUpInput{ClientId: client.ClientId, Username: aws.String("newbie"), Password: aws.String("Perm-Passw0rd!")})
		if err != nil {
			t.Fatalf("SignUp: %v", err)
		}
		if got := getUser(t, s.Client, pool, "newbie").UserStatus; got != types.UserStatusTypeUnconfirmed {
			t.Fatalf("status after SignUp = %s, want UNCONFIRMED", got)
		}
		if err := confirm(pool, "newbie"); err != nil {
			t.Fatalf("AdminConfirmSignUp of an UNCONFIRMED user: %v", err)
		}
		if got := getUser(t, s.Client, pool, "newbie").UserStatus; got != types.UserStatusTypeConfirmed {
			t.Errorf("status after AdminConfirmSignUp = %s, want CONFIRMED", got)
		}
		wantErr[*types.NotAuthorizedException](t, confirm(pool, "newbie"), "User cannot be confirmed. Current status is CONFIRMED")
	})
}

func TestAdminSetUserMFAPreference(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsConfiguration: &types.SmsConfigurationType{SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sns")}})
	createUser(t, s.Client, pool, "nophone")
	createUser(t, s.Client, pool, "phoned", "phone_number", "+15555550100")
	setSMS := func(user string, enabled, preferred bool) error {
		_, err := s.Client.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{
			UserPoolId: aws.String(pool), Username: aws.String(user),
			SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: enabled, PreferredMfa: preferred}})
		return err
	}

	wantErr[*types.InvalidParameterException](t, setSMS("nophone", true, true), "User does not have delivery config set to turn on SMS_MFA")
	if got := getUser(t, s.Client, pool, "nophone"); len(got.UserMFASettingList) != 0 || got.PreferredMfaSetting != nil {
		t.Errorf("refused preference left MFA settings %v / %v", got.UserMFASettingList, aws.ToString(got.PreferredMfaSetting))
	}

	if err := setSMS("phoned", true, true); err != nil {
		t.Fatal(err)
	}
	got := getUser(t, s.Client, pool, "phoned")
	if diff := cmp.Diff([]string{"SMS_MFA"}, got.UserMFASettingList); diff != "" || aws.ToString(got.PreferredMfaSetting) != "SMS_MFA" {
		t.Errorf("after turning SMS MFA on and preferring it: UserMFASettingList %v, PreferredMfaSetting %q", got.UserMFASettingList, aws.ToString(got.PreferredMfaSetting))
	}
	if err := setSMS("phoned", true, false); err != nil {
		t.Fatal(err)
	}
	got = getUser(t, s.Client, pool, "phoned")
	if diff := cmp.Diff([]string{"SMS_MFA"}, got.UserMFASettingList); diff != "" || got.PreferredMfaSetting != nil {
		t.Errorf("SMS MFA on, not preferred: UserMFASettingList %v, PreferredMfaSetting %v", got.UserMFASettingList, aws.ToString(got.PreferredMfaSetting))
	}
	if err := setSMS("phoned", false, false); err != nil {
		t.Fatal(err)
	}
	if got := getUser(t, s.Client, pool, "phoned"); len(got.UserMFASettingList) != 0 || got.PreferredMfaSetting != nil {
		t.Errorf("SMS MFA off: UserMFASettingList %v, PreferredMfaSetting %v", got.UserMFASettingList, aws.ToString(got.PreferredMfaSetting))
	}

	wantErr[*types.UserNotFoundException](t, setSMS("nobody", true, true), "User does not exist.")
	_, err := s.Client.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(missingPool), Username: aws.String("x")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
}

func TestListUsersFilters(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := aliasPool(t, s, nil)
	alice := createUser(t, s.Client, pool, "alice", "email", "alice@example.com", "given_name", "Alice")
	createUser(t, s.Client, pool, "albert", "email", "albert@example.com", "given_name", "Albert")
	createUser(t, s.Client, pool, "bob", "email", "bob@example.org", "phone_number", "+15555550100")
	must(s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool), Username: aws.String("alice"),
		Password: aws.String("Perm-Passw0rd!"), Permanent: true}))(t)
	must(s.Client.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(pool), Username: aws.String("bob")}))(t)

	list := func(filter string, attrs []string) ([]types.UserType, error) {
		out, err := s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String(pool), Filter: aws.String(filter), AttributesToGet: attrs})
		if err != nil {
			return nil, err
		}
		return out.Users, nil
	}
	names := func(users []types.UserType) []string {
		var out []string
		for _, u := range users {
			out = append(out, aws.ToString(u.Username))
		}
		return out
	}
	for filter, want := range map[string][]string{
		``:                                  {"albert", "alice", "bob"},
		`email = "alice@example.com"`:       {"alice"},
		`email ^= "al"`:                     {"albert", "alice"},
		`email = "al"`:                      nil,
		`cognito:user_status = "CONFIRMED"`: {"alice"},
		`cognito:user_status = "FORCE_CHANGE_PASSWORD"`:    {"albert", "bob"},
		`status = "Disabled"`:                              {"bob"},
		`status = "Enabled"`:                               {"albert", "alice"},
		`username ^= "b"`:                                  {"bob"},
		`given_name = "Alice"`:                             {"alice"},
		`phone_number = "+15555550100"`:                    {"bob"},
		`sub = "` + attrMap(alice.Attributes)["sub"] + `"`: {"alice"},
	} {
		users, err := list(filter, nil)
		if err != nil {
			t.Errorf("ListUsers Filter %s: %v", filter, err)
			continue
		}
		if diff := cmp.Diff(want, names(users)); diff != "" {
			t.Errorf("ListUsers Filter %s (-want +got):\n%s", filter, diff)
		}
	}

	users, err := list(`email = "alice@example.com"`, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := users[0]
	if !a.Enabled || a.UserStatus != types.UserStatusTypeConfirmed || a.UserCreateDate == nil || a.UserLastModifiedDate == nil {
		t.Errorf("listed alice: Enabled %v, status %s, dates %v %v", a.Enabled, a.UserStatus, a.UserCreateDate, a.UserLastModifiedDate)
	}
	if diff := cmp.Diff(attrMap(alice.Attributes), attrMap(a.Attributes)); diff != "" {
		t.Errorf("listed alice's attributes (-created +listed):\n%s", diff)
	}

	users, err = list("", []string{"email"})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if len(u.Attributes) != 1 || aws.ToString(u.Attributes[0].Name) != "email" {
			t.Errorf("AttributesToGet [email]: user %s listed with %v", aws.ToString(u.Username), attrMap(u.Attributes))
		}
	}

	for filter, msg := range map[string]string{
		`email = `:             "Error while parsing filter.",
		`email "x"`:            "Error while parsing filter.",
		`email = "x" and y`:    "Error while parsing filter.",
		`custom:tenant = "x"`:  "Invalid search attribute: custom:tenant",
		`locale = "en"`:        "Invalid search attribute: locale",
		`email_verified = "x"`: "Invalid search attribute: email_verified",
	} {
		_, err := list(filter, nil)
		wantErr[*types.InvalidParameterException](t, err, msg)
	}
	_, err = list("", []string{"custom:nope"})
	wantErr[*types.InvalidParameterException](t, err, "One or more requested attributes do not exist.")
	_, err = s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String(missingPool)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+missingPool+" does not exist.")
}

func TestListUsersPaging(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, nil)
	want := map[string]bool{}
	for i := 1; i <= 7; i++ {
		name := fmt.Sprintf("user-%d", i)
		createUser(t, s.Client, pool, name, "email", name+"@example.com")
		want[name] = true
	}

	seen := map[string]int{}
	var sizes []int
	var token *string
	for page := 0; ; page++ {
		if page > 8 {
			t.Fatalf("ListUsers still has a PaginationToken after %d pages", page)
		}
		out := must(s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(3), PaginationToken: token}))(t)
		sizes = append(sizes, len(out.Users))
		for _, u := range out.Users {
			seen[aws.ToString(u.Username)]++
		}
		if page == 0 {
			// Users that arrive between pages, before and after the page boundary, must not
			// make the listing skip or repeat anyone.
			createUser(t, s.Client, pool, "user-0")
			createUser(t, s.Client, pool, "user-9")
			must(s.Client.AdminDeleteUser(bg, &cip.AdminDeleteUserInput{UserPoolId: aws.String(pool), Username: aws.String("user-3")}))(t)
			createUser(t, s.Client, pool, "user-3")
		}
		if token = out.PaginationToken; token == nil {
			break
		}
	}
	for name := range want {
		if seen[name] != 1 {
			t.Errorf("%s listed %d times, want once", name, seen[name])
		}
	}
	for name, n := range seen {
		if n > 1 {
			t.Errorf("%s listed %d times", name, n)
		}
	}
	if sizes[0] != 3 || sizes[1] != 3 {
		t.Errorf("page sizes %v, want 3 a page", sizes)
	}

	// Paging through a filter.
	var filtered []string
	token = nil
	for page := 0; ; page++ {
		if page > 8 {
			t.Fatalf("filtered ListUsers still has a PaginationToken after %d pages", page)
		}
		out := must(s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(2),
			Filter: aws.String(`email ^= "user-"`), PaginationToken: token}))(t)
		for _, u := range out.Users {
			filtered = append(filtered, aws.ToString(u.Username))
		}
		if token = out.PaginationToken; token == nil {
			break
		}
	}
	if diff := cmp.Diff([]string{"user-1", "user-2", "user-4", "user-5", "user-6", "user-7"}, filtered); diff != "" {
		t.Errorf("users with an email, two at a time (-want +got):\n%s", diff)
	}

	// The SDK's paginator walks every user once.
	var all []string
	p := cip.NewListUsersPaginator(s.Client, &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(4)})
	for p.HasMorePages() {
		for _, u := range must(p.NextPage(bg))(t).Users {
			all = append(all, aws.ToString(u.Username))
		}
	}
	if !slices.IsSorted(all) || len(all) != 9 {
		t.Errorf("the paginator listed %v, want 9 users in username order", all)
	}

	_, err := s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String(pool), PaginationToken: aws.String("not-a-token")})
	wantErr[*types.InvalidParameterException](t, err, "Invalid pagination token.")
	_, err = s.Client.ListUsers(bg, &cip.ListUsersInput{UserPoolId: aws.String(pool), Limit: aws.Int32(61)})
	wantErr[*types.InvalidParameterException](t, err, "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60")
}
