package main

// End-to-end tests of account recovery: ForgotPassword (spec §1.3, one subtest per row),
// ConfirmForgotPassword (spec §3.2, one subtest per row), the choice of destination (§2.3),
// AdminResetUserPassword (§4.1) and the whole story a user goes through, all through the
// real Go SDK over HTTP, on a client of each PreventUserExistenceErrors mode. Rows that
// cannot arise in cognate are subtests that skip with the reason, so that each table is
// complete here and a row that becomes possible has its place waiting.
//
// The helpers of this file are prefixed "rec" so that they cannot collide with those of the
// other end-to-end files.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
)

// Passwords of the recovery tests; both satisfy Cognito's default policy.
const (
	recOldPassword = "Old-Passw0rd!"
	recNewPassword = "New-Passw0rd!"
)

// Messages of spec §1.3, §3.2 and Appendix C that several tests expect.
const (
	recMsgUserNotFound  = "Username/client id combination not found."
	recMsgDisabled      = "User is disabled."
	recMsgCannotReset   = "User password cannot be reset in the current state."
	recMsgNoDestination = "Cannot reset password for the user as there is no registered/verified email or phone_number"
	recMsgLimit         = "Attempt limit exceeded, please try after some time."
	recMsgMismatch      = "Invalid verification code provided, please try again."
	recMsgExpired       = "Invalid code provided, please request a code again."
	recMsgIncorrect     = "Incorrect username or password."
	recMsgAdminOnly     = "User password cannot be reset in the current state."
)

// recTrigger is the TriggerSource of the messages that carry recovery codes.
const recTrigger = "CustomMessage_ForgotPassword"

// recModes are the two PreventUserExistenceErrors settings every row is tested with.
var recModes = []types.PreventUserExistenceErrorTypes{
	types.PreventUserExistenceErrorTypesLegacy,
	types.PreventUserExistenceErrorTypesEnabled,
}

// recPool is a pool of the recovery tests with two app clients of one
// PreventUserExistenceErrors mode: client, without a secret, and secretClient, with one.
// Both allow USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH.
type recPool struct {
	s            *testServer
	id           string
	mode         types.PreventUserExistenceErrorTypes
	client       string
	secretClient string
	secret       string
}

// newRecPool creates a pool in which a verified email or phone number is an alias and email
// is verified automatically, with Cognito's default password policy; adjust changes that.
func newRecPool(t testing.TB, s *testServer, mode types.PreventUserExistenceErrorTypes, adjust func(*cip.CreateUserPoolInput)) *recPool {
	t.Helper()
	in := &cip.CreateUserPoolInput{
		PoolName:               aws.String("recovery"),
		AliasAttributes:        []types.AliasAttributeType{types.AliasAttributeTypeEmail, types.AliasAttributeTypePhoneNumber},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	}
	if adjust != nil {
		adjust(in)
	}
	p := &recPool{s: s, id: createPool(t, s.Client, in), mode: mode}
	flows := []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}
	app := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(p.id), ClientName: aws.String("app"), ExplicitAuthFlows: flows, PreventUserExistenceErrors: mode,
	}))(t).UserPoolClient
	srv := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(p.id), ClientName: aws.String("server"), GenerateSecret: true, ExplicitAuthFlows: flows,
		PreventUserExistenceErrors: mode,
	}))(t).UserPoolClient
	p.client, p.secretClient, p.secret = aws.ToString(app.ClientId), aws.ToString(srv.ClientId), aws.ToString(srv.ClientSecret)
	return p
}

// enabled reports whether the pool's clients hide whether users exist.
func (p *recPool) enabled() bool { return p.mode == types.PreventUserExistenceErrorTypesEnabled }

// user creates a CONFIRMED user with password recOldPassword and the given attributes
// (Name, Value pairs).
func (p *recPool) user(t testing.TB, name string, attrs ...string) {
	t.Helper()
	createUser(t, p.s.Client, p.id, name, attrs...)
	must(p.s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{
		UserPoolId: aws.String(p.id), Username: aws.String(name), Password: aws.String(recOldPassword), Permanent: true,
	}))(t)
}

// jane creates the usual user of these tests: jane, with the verified email jane@example.com.
func (p *recPool) jane(t testing.TB) {
	t.Helper()
	p.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
}

// disable disables a user.
func (p *recPool) disable(t testing.TB, name string) {
	t.Helper()
	must(p.s.Client.AdminDisableUser(bg, &cip.AdminDisableUserInput{UserPoolId: aws.String(p.id), Username: aws.String(name)}))(t)
}

// hash is the SecretHash of name for the secret client.
func (p *recPool) hash(name string) *string {
	return aws.String(recSecretHash(p.secret, name, p.secretClient))
}

// recSecretHash computes a SecretHash as spec §8 says clients do.
func recSecretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// forgot calls ForgotPassword on the client without a secret.
func (p *recPool) forgot(username string) (*types.CodeDeliveryDetailsType, error) {
	return p.forgotVia(p.client, nil, username)
}

// forgotVia calls ForgotPassword on a given client with a given SecretHash (nil: none).
func (p *recPool) forgotVia(clientID string, hash *string, username string) (*types.CodeDeliveryDetailsType, error) {
	out, err := p.s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{
		ClientId: aws.String(clientID), Username: aws.String(username), SecretHash: hash,
	})
	if err != nil {
		return nil, err
	}
	return out.CodeDeliveryDetails, nil
}

// confirm calls ConfirmForgotPassword on the client without a secret.
func (p *recPool) confirm(username, code, password string) error {
	return p.confirmVia(p.client, nil, username, code, password)
}

// confirmVia calls ConfirmForgotPassword on a given client with a given SecretHash.
func (p *recPool) confirmVia(clientID string, hash *string, username, code, password string) error {
	_, err := p.s.Client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{
		ClientId: aws.String(clientID), Username: aws.String(username), SecretHash: hash,
		ConfirmationCode: aws.String(code), Password: aws.String(password),
	})
	return err
}

// signIn signs in with USER_PASSWORD_AUTH on the client without a secret.
func (p *recPool) signIn(username, password string) (*types.AuthenticationResultType, error) {
	out, err := p.s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{
		ClientId: aws.String(p.client), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password},
	})
	if err != nil {
		return nil, err
	}
	return out.AuthenticationResult, nil
}

// refresh uses a refresh token (REFRESH_TOKEN_AUTH) on the client without a secret.
func (p *recPool) refresh(token string) error {
	_, err := p.s.Client.InitiateAuth(bg, &cip.InitiateAuthInput{
		ClientId: aws.String(p.client), AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": token},
	})
	return err
}

// status is the user's UserStatus.
func (p *recPool) status(t testing.TB, name string) types.UserStatusType {
	t.Helper()
	return getUser(t, p.s.Client, p.id, name).UserStatus
}

// wantStatus checks the user's UserStatus.
func (p *recPool) wantStatus(t testing.TB, name string, want types.UserStatusType) {
	t.Helper()
	if got := p.status(t, name); got != want {
		t.Errorf("%s's UserStatus = %s, want %s", name, got, want)
	}
}

// inbox is every message of the pool in the built-in inbox, newest first.
func (p *recPool) inbox(t testing.TB) []inboxMessage {
	t.Helper()
	return p.s.messages(t, "UserPoolId="+url.QueryEscape(p.id))
}

// wantNothingSent checks that the pool's inbox is empty.
func (p *recPool) wantNothingSent(t testing.TB) {
	t.Helper()
	if msgs := p.inbox(t); len(msgs) != 0 {
		t.Errorf("the inbox holds %d messages, want none: %+v", len(msgs), msgs)
	}
}

// recoveryMessages are the recovery messages to the user (by its real username), newest first.
func (p *recPool) recoveryMessages(t testing.TB, username string) []inboxMessage {
	t.Helper()
	var out []inboxMessage
	for _, m := range p.s.messages(t, "UserPoolId="+url.QueryEscape(p.id)+"&Username="+url.QueryEscape(username)) {
		if m.TriggerSource == recTrigger {
			out = append(out, m)
		}
	}
	return out
}

// recCodeBody is the default recovery message, email or SMS (spec §1.3, "6-digit code").
var recCodeBody = regexp.MustCompile(`^Your password reset code is ([0-9]{6})$`)

// code is the code of the newest recovery message to the user, read from the inbox.
func (p *recPool) code(t testing.TB, username string) string {
	t.Helper()
	msgs := p.recoveryMessages(t, username)
	if len(msgs) == 0 {
		t.Fatalf("no recovery message to %s in the inbox; all of the pool's: %+v", username, p.inbox(t))
	}
	m := recCodeBody.FindStringSubmatch(msgs[0].Body)
	if m == nil {
		t.Fatalf("recovery message body %q does not match %s", msgs[0].Body, recCodeBody)
	}
	return m[1]
}

// recEmail and recSMS are the CodeDeliveryDetails of a code sent (or said to be sent) to a
// masked destination.
func recEmail(masked string) *types.CodeDeliveryDetailsType {
	return &types.CodeDeliveryDetailsType{Destination: aws.String(masked), DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}
}

func recSMS(masked string) *types.CodeDeliveryDetailsType {
	return &types.CodeDeliveryDetailsType{Destination: aws.String(masked), DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}
}

// recWantDelivery checks a ForgotPassword answer: no error, and these CodeDeliveryDetails.
func recWantDelivery(t testing.TB, got *types.CodeDeliveryDetailsType, err error, want *types.CodeDeliveryDetailsType) {
	t.Helper()
	if err != nil {
		t.Fatalf("ForgotPassword: %v, want CodeDeliveryDetails %s/%s/%s", err,
			want.DeliveryMedium, aws.ToString(want.AttributeName), aws.ToString(want.Destination))
	}
	if diff := cmp.Diff(want, got, exported); diff != "" {
		t.Errorf("CodeDeliveryDetails (-want +got):\n%s", diff)
	}
}

// recRow is one row of a table of the spec: skip, when set, says why it cannot arise;
// flags, when set, are those of a server of the row's own.
type recRow struct {
	name  string
	skip  string
	flags []string
	pool  func(*cip.CreateUserPoolInput)
	run   func(t *testing.T, p *recPool)
}

// runRecRows runs every row on a fresh pool, for a LEGACY and for an ENABLED client.
func runRecRows(t *testing.T, rows []recRow) {
	s := startServer(t)
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			for _, row := range rows {
				t.Run(row.name, func(t *testing.T) {
					if row.skip != "" {
						t.Skip(row.skip)
					}
					t.Parallel()
					srv := s
					if row.flags != nil {
						srv = startServer(t, row.flags...)
					}
					row.run(t, newRecPool(t, srv, mode, row.pool))
				})
			}
		})
	}
}

// Reasons why rows cannot arise in cognate.
const (
	recNoWAF     = "cognate has no WAF web ACLs: ForbiddenException cannot arise"
	recNoQuota   = "cognate has no request-rate quota: TooManyRequestsException cannot arise"
	recNoLambda  = "cognate calls no Lambda triggers yet"
	recNoRoles   = "cognate has no SES/SNS IAM roles: InvalidEmailRoleAccessPolicy, InvalidSmsRoleAccessPolicy and InvalidSmsRoleTrustRelationship cannot arise"
	recNoReplica = "cognate has no multi-region replicas"
	recNoFault   = "no request can make the server fail from outside"
	recNoClock   = "the 1-hour expiry of a code cannot be driven from outside: the server has no clock settable over HTTP (the userpool package's tests move one)"
)

// A client id that satisfies the model's pattern but names no client.
const recMissingClient = "0nosuchclient0000000000000"

// TestForgotPasswordRows has one subtest per row of spec §1.3, for each client mode.
func TestForgotPasswordRows(t *testing.T) {
	t.Parallel()
	runRecRows(t, []recRow{
		{name: "row0_validation", run: func(t *testing.T, p *recPool) {
			// Username is sensitive, so its value is not in the message.
			_, err := p.forgot(strings.Repeat("a", 129))
			wantErr[*types.InvalidParameterException](t, err,
				"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128")
			_, err = p.forgotVia("not-a-client-id", nil, "jane")
			wantErr[*types.InvalidParameterException](t, err,
				`1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+]+`)
			p.wantNothingSent(t)
		}},
		{name: "row1_waf_forbidden", skip: recNoWAF},
		{name: "row2_too_many_requests", skip: recNoQuota},
		{name: "row3_unknown_client", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			_, err := p.forgotVia(recMissingClient, nil, "jane")
			wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+recMissingClient+" does not exist.")
			p.wantNothingSent(t)
		}},
		{name: "row4_secret_missing", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			for _, name := range []string{"jane", "nobody"} {
				_, err := p.forgotVia(p.secretClient, nil, name)
				wantErr[*types.NotAuthorizedException](t, err, "Client "+p.secretClient+" is configured for secret but secret was not received")
			}
			p.wantNothingSent(t)
		}},
		{name: "row4b_wrong_secret_hash", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			// The secret check comes before the user is looked up: the same for a user that
			// does not exist (spec §1.3, notes).
			for _, name := range []string{"jane", "nobody"} {
				_, err := p.forgotVia(p.secretClient, p.hash(name+"x"), name)
				wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+p.secretClient)
			}
			p.wantNothingSent(t)
		}},
		{name: "row4b_hash_over_canonical_username", run: func(t *testing.T, p *recPool) {
			// Spec §8: with an alias typed, a hash over the typed name or over the canonical
			// username is accepted.
			p.jane(t)
			d, err := p.forgotVia(p.secretClient, p.hash("jane"), "jane@example.com")
			recWantDelivery(t, d, err, recEmail("j***@e***"))
			d, err = p.forgotVia(p.secretClient, p.hash("jane@example.com"), "jane@example.com")
			recWantDelivery(t, d, err, recEmail("j***@e***"))
			if n := len(p.recoveryMessages(t, "jane")); n != 2 {
				t.Errorf("%d recovery messages to jane, want 2", n)
			}
		}},
		{name: "row5_unknown_user", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			if !p.enabled() {
				for _, name := range []string{"nobody", "nobody@example.com", "+15555550123"} {
					_, err := p.forgot(name)
					wantErr[*types.UserNotFoundException](t, err, recMsgUserNotFound)
				}
				p.wantNothingSent(t)
				return
			}
			// ENABLED: 200 with simulated details derived from what was typed (spec §1.3,
			// "Simulated responses"); nothing is sent.
			d, err := p.forgot("nobody@example.com")
			recWantDelivery(t, d, err, recEmail("n***@e***"))
			d, err = p.forgot("+15555550123")
			recWantDelivery(t, d, err, recSMS("+********0123"))
			// Neither email nor phone: the pool's first auto-verified attribute (email) with a
			// synthetic masked value.
			d, err = p.forgot("nobody")
			if err != nil {
				t.Fatalf("ForgotPassword(nobody): %v, want simulated CodeDeliveryDetails", err)
			}
			if d.DeliveryMedium != types.DeliveryMediumTypeEmail || aws.ToString(d.AttributeName) != "email" ||
				!regexp.MustCompile(`^n\*\*\*@.\*\*\*$`).MatchString(aws.ToString(d.Destination)) {
				t.Errorf("simulated CodeDeliveryDetails for nobody = %s/%s/%q, want EMAIL/email/n***@?***",
					d.DeliveryMedium, aws.ToString(d.AttributeName), aws.ToString(d.Destination))
			}
			p.wantNothingSent(t)
		}},
		{name: "row5b_user_migration_trigger", skip: recNoLambda},
		{name: "row6_disabled", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			p.disable(t, "jane")
			if !p.enabled() {
				_, err := p.forgot("jane")
				wantErr[*types.NotAuthorizedException](t, err, recMsgDisabled)
				p.wantNothingSent(t)
				return
			}
			d, err := p.forgot("jane@example.com")
			recWantDelivery(t, d, err, recEmail("j***@e***"))
			// Typed as a plain name, the same simulated answer as for a name nobody has.
			d, err = p.forgot("jane")
			other, oerr := p.forgot("jxyz")
			recWantDelivery(t, d, err, other)
			if oerr != nil {
				t.Errorf("ForgotPassword(jxyz): %v", oerr)
			}
			p.wantNothingSent(t)
		}},
		{name: "row6_disabled_before_limit", run: func(t *testing.T, p *recPool) {
			// A disabled user is refused (LEGACY) before the limit is counted; with ENABLED it
			// is limited as an enabled user would be: per user, whichever name it is typed by.
			p.jane(t)
			p.disable(t, "jane")
			names := []string{"jane", "jane@example.com", "jane", "jane@example.com", "jane", "jane@example.com"}
			for i, name := range names {
				_, err := p.forgot(name)
				switch {
				case !p.enabled():
					wantErr[*types.NotAuthorizedException](t, err, recMsgDisabled)
				case i < 5 && err != nil:
					t.Fatalf("request %d (%s) for a disabled user on an ENABLED client: %v, want a simulated answer", i+1, name, err)
				case i == 5:
					wantErr[*types.LimitExceededException](t, err, recMsgLimit)
				}
			}
			p.wantNothingSent(t)
		}},
		{name: "row7_force_change_password", run: func(t *testing.T, p *recPool) {
			// Spec: unknown for ENABLED, "[I] keep the same error".
			createUser(t, p.s.Client, p.id, "jane", "email", "jane@example.com", "email_verified", "true")
			p.wantStatus(t, "jane", types.UserStatusTypeForceChangePassword)
			_, err := p.forgot("jane")
			wantErr[*types.NotAuthorizedException](t, err, recMsgCannotReset)
			p.wantNothingSent(t)
		}},
		{name: "row8_no_verified_destination", run: func(t *testing.T, p *recPool) {
			p.user(t, "jane", "email", "jane@example.com", "phone_number", "+15555551234")
			if !p.enabled() {
				_, err := p.forgot("jane")
				wantErr[*types.InvalidParameterException](t, err, recMsgNoDestination)
				p.wantNothingSent(t)
				return
			}
			d, err := p.forgot("jane")
			other, oerr := p.forgot("jxyz")
			if oerr != nil {
				t.Fatalf("ForgotPassword(jxyz): %v", oerr)
			}
			recWantDelivery(t, d, err, other)
			p.wantNothingSent(t)
			// Later, a confirmation is answered as for a name nobody has with the same
			// history: a (simulated) request was made, so a mismatch.
			for _, name := range []string{"jane", "jxyz"} {
				err := p.confirm(name, "123456", recNewPassword)
				wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
			}
		}},
		{name: "row8_unconfirmed_user", run: func(t *testing.T, p *recPool) {
			// A user who signed up and never confirmed has nothing verified (spec §1.3, notes).
			must(p.s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String("sam"),
				Password: aws.String(recOldPassword), UserAttributes: attributes("email", "sam@example.com")}))(t)
			p.wantStatus(t, "sam", types.UserStatusTypeUnconfirmed)
			d, err := p.forgot("sam")
			if !p.enabled() {
				wantErr[*types.InvalidParameterException](t, err, recMsgNoDestination)
			} else {
				other, oerr := p.forgot("sxyz")
				if oerr != nil {
					t.Fatalf("ForgotPassword(sxyz): %v", oerr)
				}
				recWantDelivery(t, d, err, other)
			}
			if msgs := p.recoveryMessages(t, "sam"); len(msgs) != 0 {
				t.Errorf("recovery messages were sent to an unconfirmed user: %+v", msgs)
			}
		}},
		{name: "row9_too_many_requests_for_the_user", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			for i := range 5 {
				d, err := p.forgot("jane")
				if err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
				recWantDelivery(t, d, nil, recEmail("j***@e***"))
			}
			for i := 6; i <= 7; i++ {
				_, err := p.forgot("jane")
				wantErr[*types.LimitExceededException](t, err, recMsgLimit)
			}
			if n := len(p.recoveryMessages(t, "jane")); n != 5 {
				t.Errorf("%d recovery messages to jane, want 5 (a refused request sends nothing)", n)
			}
			if !p.enabled() {
				return
			}
			// ENABLED: a name nobody has keeps shadow state and is limited as a user would be.
			for i := range 5 {
				d, err := p.forgot("ghost@example.com")
				if err != nil {
					t.Fatalf("request %d for an unknown user: %v", i+1, err)
				}
				recWantDelivery(t, d, nil, recEmail("g***@e***"))
			}
			_, err := p.forgot("ghost@example.com")
			wantErr[*types.LimitExceededException](t, err, recMsgLimit)
		}},
		{name: "row10_daily_email_quota", flags: []string{"--email-daily-quota", "2"}, run: func(t *testing.T, p *recPool) {
			// serve --email-daily-quota simulates COGNITO_DEFAULT's daily quota, per pool.
			const msg = "Exceeded daily email limit for the operation or the account. If a higher limit is required, " +
				"please configure your user pool to use your own Amazon SES configuration for sending email."
			p.jane(t)
			for i := range 2 {
				d, err := p.forgot("jane")
				if err != nil {
					t.Fatalf("request %d within the quota: %v", i+1, err)
				}
				recWantDelivery(t, d, nil, recEmail("j***@e***"))
			}
			_, err := p.forgot("jane")
			wantErr[*types.LimitExceededException](t, err, msg)
			if n := len(p.recoveryMessages(t, "jane")); n != 2 {
				t.Errorf("%d recovery messages, want 2", n)
			}
			if !p.enabled() {
				return
			}
			// ENABLED: a name nobody has is answered as a user's request is ("same" in the
			// table): while the quota is spent, a simulated 200 would tell it apart.
			_, err = p.forgot("ghost@example.com")
			wantErr[*types.LimitExceededException](t, err, msg)
		}},
		{name: "row11_lambda_failure", skip: recNoLambda},
		{name: "row12_code_delivery_failure", flags: []string{"--delivery", "fail-fast", "--smtp-url", "smtp://127.0.0.1:1", "--smtp-timeout", "5s"},
			run: func(t *testing.T, p *recPool) {
				// serve --delivery fail-fast makes the request attempt the delivery: email to an
				// SMTP port where nothing listens fails. Spec §1.3 gives no message text; this
				// is cognate's.
				const msg = "Unable to deliver the verification code. Try again later."
				p.jane(t)
				// Three failures open the channel's breaker (cognate's design): from then on a
				// simulated answer (ENABLED) fails as a real one does.
				for range 3 {
					_, err := p.forgot("jane")
					wantErr[*types.CodeDeliveryFailureException](t, err, msg)
				}
				if p.enabled() {
					_, err := p.forgot("ghost@example.com")
					wantErr[*types.CodeDeliveryFailureException](t, err, msg)
				}
			}},
		{name: "row12_ses_sns_roles", skip: recNoRoles},
		{name: "row13_secondary_replica", skip: recNoReplica},
		{name: "row14_internal_error", skip: recNoFault},
		{name: "ok", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			d, err := p.forgot("jane")
			recWantDelivery(t, d, err, recEmail("j***@e***"))
			msgs := p.inbox(t)
			if len(msgs) != 1 {
				t.Fatalf("the inbox holds %d messages, want 1: %+v", len(msgs), msgs)
			}
			m := msgs[0]
			got := inboxMessage{Username: m.Username, DeliveryMedium: m.DeliveryMedium, Destination: m.Destination,
				Subject: m.Subject, TriggerSource: m.TriggerSource}
			want := inboxMessage{Username: "jane", DeliveryMedium: "EMAIL", Destination: "jane@example.com",
				Subject: "Your verification code", TriggerSource: recTrigger}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("the recovery message (-want +got):\n%s", diff)
			}
			if !recCodeBody.MatchString(m.Body) {
				t.Errorf("body %q does not match %s", m.Body, recCodeBody)
			}
			// ForgotPassword changes nothing else: the status stays, the old password works.
			p.wantStatus(t, "jane", types.UserStatusTypeConfirmed)
			if _, err := p.signIn("jane", recOldPassword); err != nil {
				t.Errorf("the old password no longer signs in after ForgotPassword alone: %v", err)
			}
		}},
	})
}

// TestConfirmForgotPasswordRows has one subtest per row of spec §3.2, for each client mode.
func TestConfirmForgotPasswordRows(t *testing.T) {
	t.Parallel()
	runRecRows(t, []recRow{
		{name: "validation", run: func(t *testing.T, p *recPool) {
			// ConfirmationCode is not sensitive, so its value is quoted; Password is.
			p.jane(t)
			err := p.confirm("jane", "1 12 123", recNewPassword)
			wantErr[*types.InvalidParameterException](t, err,
				`1 validation error detected: Value '1 12 123' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+`)
			err = p.confirm("jane", "123456", "New Passw0rd!")
			wantErr[*types.InvalidParameterException](t, err,
				`1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+`)
		}},
		{name: "waf_forbidden", skip: recNoWAF},
		{name: "too_many_requests", skip: recNoQuota},
		{name: "unknown_client", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			err := p.confirmVia(recMissingClient, nil, "jane", "123456", recNewPassword)
			wantErr[*types.ResourceNotFoundException](t, err, "User pool client "+recMissingClient+" does not exist.")
		}},
		{name: "secret_missing", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			for _, name := range []string{"jane", "nobody"} {
				err := p.confirmVia(p.secretClient, nil, name, "123456", recNewPassword)
				wantErr[*types.NotAuthorizedException](t, err, "Client "+p.secretClient+" is configured for secret but secret was not received")
			}
		}},
		{name: "wrong_secret_hash", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			for _, name := range []string{"jane", "nobody"} {
				err := p.confirmVia(p.secretClient, p.hash("someone else"), name, "123456", recNewPassword)
				wantErr[*types.NotAuthorizedException](t, err, "Unable to verify secret hash for client "+p.secretClient)
			}
		}},
		{name: "hash_over_canonical_username", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			d, err := p.forgotVia(p.secretClient, p.hash("jane"), "jane@example.com")
			recWantDelivery(t, d, err, recEmail("j***@e***"))
			if err := p.confirmVia(p.secretClient, p.hash("jane"), "jane@example.com", p.code(t, "jane"), recNewPassword); err != nil {
				t.Fatalf("ConfirmForgotPassword with the alias typed and the hash over the username: %v", err)
			}
			if _, err := p.signIn("jane", recNewPassword); err != nil {
				t.Errorf("the new password does not sign in: %v", err)
			}
		}},
		{name: "unknown_user", run: func(t *testing.T, p *recPool) {
			if !p.enabled() {
				err := p.confirm("nobody", "123456", recNewPassword)
				wantErr[*types.UserNotFoundException](t, err, recMsgUserNotFound)
				return
			}
			// ENABLED: answered as a real user with the same history: no code requested,
			// expired; after a (simulated) ForgotPassword, a mismatch.
			err := p.confirm("nobody@example.com", "123456", recNewPassword)
			wantErr[*types.ExpiredCodeException](t, err, recMsgExpired)
			d, err := p.forgot("nobody@example.com")
			recWantDelivery(t, d, err, recEmail("n***@e***"))
			err = p.confirm("nobody@example.com", "123456", recNewPassword)
			wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
		}},
		{name: "disabled_user", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			p.disable(t, "jane")
			if !p.enabled() {
				err := p.confirm("jane", "123456", recNewPassword)
				wantErr[*types.NotAuthorizedException](t, err, recMsgDisabled)
				return
			}
			// ENABLED: as an unknown user.
			err := p.confirm("jane", "123456", recNewPassword)
			wantErr[*types.ExpiredCodeException](t, err, recMsgExpired)
			if _, err := p.forgot("jane"); err != nil {
				t.Fatalf("ForgotPassword for a disabled user on an ENABLED client: %v, want a simulated answer", err)
			}
			err = p.confirm("jane", "123456", recNewPassword)
			wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
		}},
		{name: "no_code_requested", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			err := p.confirm("jane", "123456", recNewPassword)
			wantErr[*types.ExpiredCodeException](t, err, recMsgExpired)
			if _, err := p.signIn("jane", recOldPassword); err != nil {
				t.Errorf("the old password no longer signs in: %v", err)
			}
		}},
		{name: "expired_code", skip: recNoClock},
		{name: "wrong_code", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			must(p.forgot("jane"))(t)
			err := p.confirm("jane", recOtherCode(p.code(t, "jane")), recNewPassword)
			wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
			// A wrong code uses nothing up: the right one still works.
			if err := p.confirm("jane", p.code(t, "jane"), recNewPassword); err != nil {
				t.Errorf("the right code after a wrong one: %v", err)
			}
		}},
		{name: "used_code", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			must(p.forgot("jane"))(t)
			code := p.code(t, "jane")
			if err := p.confirm("jane", code, recNewPassword); err != nil {
				t.Fatalf("ConfirmForgotPassword: %v", err)
			}
			err := p.confirm("jane", code, "Third-Passw0rd!")
			wantErr[*types.ExpiredCodeException](t, err, recMsgExpired)
			if _, err := p.signIn("jane", recNewPassword); err != nil {
				t.Errorf("the password set with the code no longer signs in after a replay: %v", err)
			}
		}},
		{name: "too_many_attempts", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			must(p.forgot("jane"))(t)
			code := p.code(t, "jane")
			for i := range 5 {
				err := p.confirm("jane", recOtherCode(code), recNewPassword)
				if !isCode(err, "CodeMismatchException") {
					t.Fatalf("wrong code %d: %v, want CodeMismatchException", i+1, err)
				}
			}
			// The sixth attempt within the hour is refused even with the right code, with
			// LimitExceededException (spec: never TooManyFailedAttemptsException).
			err := p.confirm("jane", code, recNewPassword)
			wantErr[*types.LimitExceededException](t, err, recMsgLimit)
			if _, err := p.signIn("jane", recOldPassword); err != nil {
				t.Errorf("the old password no longer signs in after a refused confirmation: %v", err)
			}
			if !p.enabled() {
				return
			}
			// ENABLED: a name nobody has is limited the same way.
			must(p.forgot("ghost@example.com"))(t)
			for i := range 5 {
				err := p.confirm("ghost@example.com", "123456", recNewPassword)
				if !isCode(err, "CodeMismatchException") {
					t.Fatalf("guess %d for an unknown user: %v, want CodeMismatchException", i+1, err)
				}
			}
			err = p.confirm("ghost@example.com", "123456", recNewPassword)
			wantErr[*types.LimitExceededException](t, err, recMsgLimit)
		}},
		{name: "password_policy", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			must(p.forgot("jane"))(t)
			code := p.code(t, "jane")
			err := p.confirm("jane", code, "new-passw0rd!")
			wantErr[*types.InvalidPasswordException](t, err, "Password does not conform to policy: Password must have uppercase characters")
			// A refused password does not use the code up.
			if err := p.confirm("jane", code, recNewPassword); err != nil {
				t.Fatalf("the code after a refused password: %v", err)
			}
			if _, err := p.signIn("jane", recNewPassword); err != nil {
				t.Errorf("the new password does not sign in: %v", err)
			}
		}},
		{name: "password_history", pool: func(in *cip.CreateUserPoolInput) {
			in.Policies = &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
				MinimumLength: aws.Int32(8), RequireUppercase: true, RequireLowercase: true, RequireNumbers: true,
				RequireSymbols: true, PasswordHistorySize: aws.Int32(3),
			}}
		}, run: func(t *testing.T, p *recPool) {
			p.jane(t)
			must(p.forgot("jane"))(t)
			code := p.code(t, "jane")
			// The message text is not known from AWS (spec Appendix D 7); this is cognate's.
			err := p.confirm("jane", code, recOldPassword)
			wantErr[*types.PasswordHistoryPolicyViolationException](t, err,
				"The password you entered has been used recently. Choose a different password.")
			if err := p.confirm("jane", code, recNewPassword); err != nil {
				t.Fatalf("the code after a refused password: %v", err)
			}
		}},
		{name: "post_confirmation_lambda_failure", skip: recNoLambda},
		{name: "ok", run: func(t *testing.T, p *recPool) {
			p.jane(t)
			must(p.forgot("jane"))(t)
			out, err := p.s.Client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{
				ClientId: aws.String(p.client), Username: aws.String("jane"),
				ConfirmationCode: aws.String(p.code(t, "jane")), Password: aws.String(recNewPassword),
			})
			if err != nil {
				t.Fatalf("ConfirmForgotPassword: %v", err)
			}
			if out == nil {
				t.Fatal("ConfirmForgotPassword returned no output")
			}
			p.wantStatus(t, "jane", types.UserStatusTypeConfirmed)
			if _, err := p.signIn("jane", recNewPassword); err != nil {
				t.Errorf("the new password does not sign in: %v", err)
			}
		}},
	})
}

// recOtherCode is a six-digit code different from code.
func recOtherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}

// TestRecoveryDestination checks where a recovery code goes (spec §2.3): by the pool's
// AccountRecoverySetting priorities, phone first without one, and never to a channel the
// user's MFA uses when the pool has a setting.
func TestRecoveryDestination(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	setting := func(names ...types.RecoveryOptionNameType) func(*cip.CreateUserPoolInput) {
		return func(in *cip.CreateUserPoolInput) {
			rs := &types.AccountRecoverySettingType{}
			for i, n := range names {
				rs.RecoveryMechanisms = append(rs.RecoveryMechanisms, types.RecoveryOptionType{Name: n, Priority: aws.Int32(int32(i + 1))})
			}
			in.AccountRecoverySetting = rs
		}
	}
	const (
		email = types.RecoveryOptionNameTypeVerifiedEmail
		phone = types.RecoveryOptionNameTypeVerifiedPhoneNumber
	)
	both := []string{"email", "jane@example.com", "email_verified", "true", "phone_number", "+15555551234", "phone_number_verified", "true"}
	smsMFA := func(t *testing.T, p *recPool) {
		must(p.s.Client.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{
			UserPoolId: aws.String(p.id), Username: aws.String("jane"),
			SMSMfaSettings: &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true},
		}))(t)
	}
	emailMFA := func(t *testing.T, p *recPool) {
		must(p.s.Client.AdminSetUserMFAPreference(bg, &cip.AdminSetUserMFAPreferenceInput{
			UserPoolId: aws.String(p.id), Username: aws.String("jane"),
			EmailMfaSettings: &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true},
		}))(t)
	}
	emailSent := recEmail("j***@e***")
	smsSent := recSMS("+********1234")
	for _, tc := range []struct {
		name  string
		pool  func(*cip.CreateUserPoolInput)
		attrs []string
		mfa   func(*testing.T, *recPool)
		want  *types.CodeDeliveryDetailsType // nil: the no-destination error
	}{
		{name: "verified_email_priority_1", pool: setting(email, phone), attrs: both, want: emailSent},
		{name: "verified_phone_number_priority_1", pool: setting(phone, email), attrs: both, want: smsSent},
		{name: "no_setting_phone_first", attrs: both, want: smsSent},
		{name: "no_setting_email_when_no_verified_phone", want: emailSent,
			attrs: []string{"email", "jane@example.com", "email_verified", "true", "phone_number", "+15555551234"}},
		{name: "priority_2_when_priority_1_unverified", pool: setting(phone, email), want: emailSent,
			attrs: []string{"email", "jane@example.com", "email_verified", "true", "phone_number", "+15555551234", "phone_number_verified", "false"}},
		{name: "sms_mfa_prefers_email", pool: setting(phone, email), attrs: both, mfa: smsMFA, want: emailSent},
		{name: "sms_mfa_cannot_use_phone", pool: setting(phone), attrs: both, mfa: smsMFA, want: nil},
		{name: "sms_mfa_without_setting_uses_phone", attrs: both, mfa: smsMFA, want: smsSent},
		{name: "email_mfa_prefers_phone", pool: setting(email, phone), attrs: both, mfa: emailMFA, want: smsSent},
		{name: "email_mfa_cannot_use_email", pool: setting(email), attrs: both, mfa: emailMFA, want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, tc.pool)
			p.user(t, "jane", tc.attrs...)
			if tc.mfa != nil {
				tc.mfa(t, p)
			}
			d, err := p.forgot("jane")
			if tc.want == nil {
				wantErr[*types.InvalidParameterException](t, err, recMsgNoDestination)
				p.wantNothingSent(t)
				return
			}
			recWantDelivery(t, d, err, tc.want)
			msgs := p.recoveryMessages(t, "jane")
			if len(msgs) != 1 {
				t.Fatalf("%d recovery messages to jane, want 1: %+v", len(msgs), msgs)
			}
			wantMedium, wantTo, wantSubject := "EMAIL", "jane@example.com", "Your verification code"
			if tc.want.DeliveryMedium == types.DeliveryMediumTypeSms {
				wantMedium, wantTo, wantSubject = "SMS", "+15555551234", ""
			}
			if m := msgs[0]; m.DeliveryMedium != wantMedium || m.Destination != wantTo || m.Subject != wantSubject || !recCodeBody.MatchString(m.Body) {
				t.Errorf("recovery message %s to %s, subject %q, body %q; want %s to %s, subject %q, body matching %s",
					m.DeliveryMedium, m.Destination, m.Subject, m.Body, wantMedium, wantTo, wantSubject, recCodeBody)
			}
			// The code works wherever it went.
			if err := p.confirm("jane", p.code(t, "jane"), recNewPassword); err != nil {
				t.Errorf("ConfirmForgotPassword with the code sent by %s: %v", wantMedium, err)
			}
		})
	}

	adminOnly := setting(types.RecoveryOptionNameTypeAdminOnly)
	t.Run("admin_only", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, adminOnly)
		p.user(t, "jane", both...)
		_, err := p.forgot("jane")
		wantErr[*types.NotAuthorizedException](t, err, recMsgAdminOnly)
		p.wantNothingSent(t)
	})
	t.Run("admin_only_enabled_hides_existence", func(t *testing.T) {
		// Spec §2.2: with ENABLED, admin_only answers with the simulated response; and
		// ARCHITECTURE.md "Enumeration": a name nobody has answers as a real user would. So a
		// user and a name nobody has, typed as emails, get the same answer.
		t.Parallel()
		p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, adminOnly)
		p.user(t, "jane", both...)
		ghost, gerr := p.forgot("ghost@example.com")
		recWantDelivery(t, ghost, gerr, recEmail("g***@e***"))
		d, err := p.forgot("jane@example.com")
		recWantDelivery(t, d, err, recEmail("j***@e***"))
		p.wantNothingSent(t)
	})
}

// TestRecoveryStory is what a user goes through, for each client mode: a code by email, a
// new password, the old one refused, the code dead; and what a reset does to codes and
// sessions.
func TestRecoveryStory(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			t.Run("forgot_confirm_sign_in", func(t *testing.T) {
				t.Parallel()
				p := newRecPool(t, s, mode, nil)
				p.jane(t)
				d, err := p.forgot("jane")
				recWantDelivery(t, d, err, recEmail("j***@e***"))
				code := p.code(t, "jane") // read from GET /_cognate/messages
				if err := p.confirm("jane", code, recNewPassword); err != nil {
					t.Fatalf("ConfirmForgotPassword: %v", err)
				}
				_, err = p.signIn("jane", recOldPassword)
				wantErr[*types.NotAuthorizedException](t, err, recMsgIncorrect)
				res, err := p.signIn("jane", recNewPassword)
				if err != nil {
					t.Fatalf("the new password does not sign in: %v", err)
				}
				if aws.ToString(res.AccessToken) == "" {
					t.Error("sign-in with the new password gave no access token")
				}
				err = p.confirm("jane", code, "Third-Passw0rd!")
				wantErr[*types.ExpiredCodeException](t, err, recMsgExpired)
				p.wantStatus(t, "jane", types.UserStatusTypeConfirmed)
			})
			t.Run("newest_code_wins", func(t *testing.T) {
				t.Parallel()
				p := newRecPool(t, s, mode, nil)
				p.jane(t)
				must(p.forgot("jane"))(t)
				first := p.code(t, "jane")
				must(p.forgot("jane"))(t)
				second := p.code(t, "jane")
				if first == second {
					t.Skipf("the two codes drawn happen to be equal (%s): nothing to tell apart", first)
				}
				err := p.confirm("jane", first, recNewPassword)
				wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
				if err := p.confirm("jane", second, recNewPassword); err != nil {
					t.Fatalf("the newest code: %v", err)
				}
				if _, err := p.signIn("jane", recNewPassword); err != nil {
					t.Errorf("the new password does not sign in: %v", err)
				}
			})
			t.Run("refresh_token_revoked", func(t *testing.T) {
				// cognate's deliberate divergence from AWS (ARCHITECTURE.md "After a
				// successful reset").
				t.Parallel()
				p := newRecPool(t, s, mode, nil)
				p.jane(t)
				before := must(p.signIn("jane", recOldPassword))(t)
				if err := p.refresh(aws.ToString(before.RefreshToken)); err != nil {
					t.Fatalf("the refresh token before any reset: %v", err)
				}
				must(p.forgot("jane"))(t)
				if err := p.confirm("jane", p.code(t, "jane"), recNewPassword); err != nil {
					t.Fatalf("ConfirmForgotPassword: %v", err)
				}
				err := p.refresh(aws.ToString(before.RefreshToken))
				wantErr[*types.NotAuthorizedException](t, err, "Refresh Token has been revoked")
				after := must(p.signIn("jane", recNewPassword))(t)
				if err := p.refresh(aws.ToString(after.RefreshToken)); err != nil {
					t.Errorf("a refresh token from after the reset: %v", err)
				}
			})
			t.Run("keep_sessions_on_reset", func(t *testing.T) {
				// The pool tag switches back to AWS's behaviour: sessions survive a reset.
				t.Parallel()
				p := newRecPool(t, s, mode, func(in *cip.CreateUserPoolInput) {
					in.UserPoolTags = map[string]string{"cognate:KeepSessionsOnReset": "true"}
				})
				p.jane(t)
				before := must(p.signIn("jane", recOldPassword))(t)
				must(p.forgot("jane"))(t)
				if err := p.confirm("jane", p.code(t, "jane"), recNewPassword); err != nil {
					t.Fatalf("ConfirmForgotPassword: %v", err)
				}
				if err := p.refresh(aws.ToString(before.RefreshToken)); err != nil {
					t.Errorf("with cognate:KeepSessionsOnReset=true, a refresh token from before the reset: %v", err)
				}
			})
			t.Run("purpose_binding", func(t *testing.T) {
				// A sign-up code cannot confirm a reset, nor a recovery code a sign-up, even
				// with both outstanding for the same user.
				t.Parallel()
				p := newRecPool(t, s, mode, nil)
				must(p.s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String("sam"),
					Password: aws.String(recOldPassword), UserAttributes: attributes("email", "sam@example.com")}))(t)
				signUpCode := ""
				for _, m := range p.s.messages(t, "UserPoolId="+url.QueryEscape(p.id)+"&Username=sam") {
					if m.TriggerSource == "CustomMessage_SignUp" {
						signUpCode = regexp.MustCompile(`[0-9]{6}`).FindString(m.Body)
						break
					}
				}
				if signUpCode == "" {
					t.Fatalf("no sign-up code in the inbox: %+v", p.inbox(t))
				}
				// With a sign-up code only, a reset has no code to match.
				err := p.confirm("sam", signUpCode, recNewPassword)
				wantErr[*types.ExpiredCodeException](t, err, recMsgExpired)
				// An administrator verifies the email, so that a recovery code can be sent.
				must(p.s.Client.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{
					UserPoolId: aws.String(p.id), Username: aws.String("sam"), UserAttributes: attributes("email_verified", "true"),
				}))(t)
				d, err := p.forgot("sam")
				recWantDelivery(t, d, err, recEmail("s***@e***"))
				recoveryCode := p.code(t, "sam")
				if recoveryCode == signUpCode {
					t.Skipf("the two codes drawn happen to be equal (%s): nothing to tell apart", signUpCode)
				}
				err = p.confirm("sam", signUpCode, recNewPassword)
				wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
				_, err = p.s.Client.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(p.client),
					Username: aws.String("sam"), ConfirmationCode: aws.String(recoveryCode)})
				wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
				// Each code does what it was issued for.
				if _, err := p.s.Client.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{ClientId: aws.String(p.client),
					Username: aws.String("sam"), ConfirmationCode: aws.String(signUpCode)}); err != nil {
					t.Fatalf("ConfirmSignUp with the sign-up code: %v", err)
				}
				if err := p.confirm("sam", recoveryCode, recNewPassword); err != nil {
					t.Fatalf("ConfirmForgotPassword with the recovery code: %v", err)
				}
				if _, err := p.signIn("sam", recNewPassword); err != nil {
					t.Errorf("the new password does not sign in: %v", err)
				}
			})
		})
	}
}

// TestAdminResetUserPassword covers spec §4.1: RESET_REQUIRED, the code sent, sign-in
// refused until ForgotPassword and ConfirmForgotPassword complete the reset, and the errors.
func TestAdminResetUserPassword(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	legacy := types.PreventUserExistenceErrorTypesLegacy
	reset := func(p *recPool, name string) error {
		_, err := p.s.Client.AdminResetUserPassword(bg, &cip.AdminResetUserPasswordInput{
			UserPoolId: aws.String(p.id), Username: aws.String(name),
		})
		return err
	}

	t.Run("reset_required_then_forgot_and_confirm", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		p.jane(t)
		if err := reset(p, "jane"); err != nil {
			t.Fatalf("AdminResetUserPassword: %v", err)
		}
		p.wantStatus(t, "jane", types.UserStatusTypeResetRequired)
		msgs := p.recoveryMessages(t, "jane")
		if len(msgs) != 1 || msgs[0].Destination != "jane@example.com" || !recCodeBody.MatchString(msgs[0].Body) {
			t.Errorf("recovery messages after AdminResetUserPassword: %+v; want one to jane@example.com with a code", msgs)
		}
		_, err := p.signIn("jane", recOldPassword)
		wantErr[*types.PasswordResetRequiredException](t, err, "Password reset required for the user")
		d, err := p.forgot("jane")
		recWantDelivery(t, d, err, recEmail("j***@e***"))
		if err := p.confirm("jane", p.code(t, "jane"), recNewPassword); err != nil {
			t.Fatalf("ConfirmForgotPassword: %v", err)
		}
		p.wantStatus(t, "jane", types.UserStatusTypeConfirmed)
		if _, err := p.signIn("jane", recNewPassword); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
		_, err = p.signIn("jane", recOldPassword)
		wantErr[*types.NotAuthorizedException](t, err, recMsgIncorrect)
	})
	t.Run("code_sent_by_the_reset_confirms", func(t *testing.T) {
		// "The code it sends is consumed by ConfirmForgotPassword" (spec §4.1).
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		p.jane(t)
		if err := reset(p, "jane"); err != nil {
			t.Fatalf("AdminResetUserPassword: %v", err)
		}
		if err := p.confirm("jane", p.code(t, "jane"), recNewPassword); err != nil {
			t.Fatalf("ConfirmForgotPassword with the code AdminResetUserPassword sent: %v", err)
		}
		p.wantStatus(t, "jane", types.UserStatusTypeConfirmed)
		if _, err := p.signIn("jane", recNewPassword); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
	})
	t.Run("no_verified_destination", func(t *testing.T) {
		// Spec §4.1 [I]: the status changes, but no message is sent.
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		p.user(t, "jane", "email", "jane@example.com")
		if err := reset(p, "jane"); err != nil {
			t.Fatalf("AdminResetUserPassword: %v", err)
		}
		p.wantStatus(t, "jane", types.UserStatusTypeResetRequired)
		p.wantNothingSent(t)
	})
	t.Run("disabled_user", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		p.jane(t)
		p.disable(t, "jane")
		wantErr[*types.NotAuthorizedException](t, reset(p, "jane"), recMsgDisabled)
		p.wantStatus(t, "jane", types.UserStatusTypeConfirmed)
		p.wantNothingSent(t)
	})
	t.Run("force_change_password_user", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		createUser(t, s.Client, p.id, "jane", "email", "jane@example.com", "email_verified", "true")
		wantErr[*types.NotAuthorizedException](t, reset(p, "jane"), recMsgCannotReset)
		p.wantStatus(t, "jane", types.UserStatusTypeForceChangePassword)
		p.wantNothingSent(t)
	})
	t.Run("unknown_user", func(t *testing.T) {
		t.Parallel()
		p := newRecPool(t, s, legacy, nil)
		wantErr[*types.UserNotFoundException](t, reset(p, "nobody"), "User does not exist.")
	})
}

// recParallel runs f(0) … f(n-1) at once and returns their errors.
func recParallel(n int, f func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = f(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// recTally counts errors by code ("" for success).
func recTally(errs []error) map[string]int {
	out := map[string]int{}
	for _, err := range errs {
		code := ""
		if err != nil {
			var e smithy.APIError
			code = err.Error()
			if errors.As(err, &e) {
				code = e.ErrorCode()
			}
		}
		out[code]++
	}
	return out
}

// TestRecoveryLimitsUnderConcurrency checks that the limits are counted in the Store,
// before the request is judged (ARCHITECTURE.md "Limits", "Codes"): a burst of requests
// gets exactly five through, and of several confirmations racing with the right code exactly
// one wins.
func TestRecoveryLimitsUnderConcurrency(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			// A race shows only sometimes: each burst is repeated on fresh users, so that a
			// limit that does not hold fails the test nearly every run.
			const rounds, burst = 4, 24
			t.Run("forgot_password_burst", func(t *testing.T) {
				t.Parallel()
				p := newRecPool(t, s, mode, nil)
				for r := range rounds {
					name := fmt.Sprintf("jane%d", r)
					p.user(t, name, "email", name+"@example.com", "email_verified", "true")
					errs := recParallel(burst, func(int) error { _, err := p.forgot(name); return err })
					if diff := cmp.Diff(map[string]int{"": 5, "LimitExceededException": burst - 5}, recTally(errs)); diff != "" {
						t.Errorf("%d concurrent ForgotPassword requests for %s (-want +got):\n%s", burst, name, diff)
					}
					msgs := p.recoveryMessages(t, name)
					if len(msgs) != 5 {
						t.Errorf("%d recovery messages to %s, want 5", len(msgs), name)
					}
					// Exactly one of the codes sent is the outstanding one.
					won := 0
					for i, m := range msgs {
						code := recCodeBody.FindStringSubmatch(m.Body)[1]
						switch err := p.confirm(name, code, recNewPassword); {
						case err == nil:
							won++
						case won == 0 && isCode(err, "CodeMismatchException"), won > 0 && isCode(err, "ExpiredCodeException"):
						case isCode(err, "LimitExceededException") && i >= 5:
							// more codes than guesses: only possible when too many were sent
						default:
							t.Errorf("code %d of %d to %s: %v", i+1, len(msgs), name, err)
						}
					}
					if won != 1 {
						t.Errorf("%d of the codes sent to %s confirmed a new password, want exactly 1", won, name)
					}
				}
			})
			t.Run("wrong_code_burst", func(t *testing.T) {
				t.Parallel()
				p := newRecPool(t, s, mode, nil)
				for r := range rounds {
					name := fmt.Sprintf("jane%d", r)
					p.user(t, name, "email", name+"@example.com", "email_verified", "true")
					must(p.forgot(name))(t)
					wrong := recOtherCode(p.code(t, name))
					errs := recParallel(burst, func(int) error { return p.confirm(name, wrong, recNewPassword) })
					if diff := cmp.Diff(map[string]int{"CodeMismatchException": 5, "LimitExceededException": burst - 5}, recTally(errs)); diff != "" {
						t.Errorf("%d concurrent wrong codes for %s (-want +got):\n%s", burst, name, diff)
					}
				}
			})
			t.Run("right_code_race", func(t *testing.T) {
				t.Parallel()
				p := newRecPool(t, s, mode, nil)
				p.jane(t)
				must(p.forgot("jane"))(t)
				code := p.code(t, "jane")
				password := func(i int) string { return fmt.Sprintf("Race-Passw0rd!%d", i) }
				errs := recParallel(8, func(i int) error { return p.confirm("jane", code, password(i)) })
				tally := recTally(errs)
				if tally[""] != 1 || tally[""]+tally["ExpiredCodeException"]+tally["LimitExceededException"] != len(errs) {
					t.Fatalf("8 concurrent confirmations with the right code: %v; want exactly one success, the others ExpiredCodeException or LimitExceededException", tally)
				}
				// The winner's password is the one set (only it is tried: wrong passwords
				// would lock the user out of signing in).
				for i, err := range errs {
					if err == nil {
						if _, err := p.signIn("jane", password(i)); err != nil {
							t.Errorf("the password of the confirmation that won does not sign in: %v", err)
						}
					}
				}
			})
		})
	}
}
