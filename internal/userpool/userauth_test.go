package userpool_test

import (
	"testing"
	"time"

	"cognate/internal/userpool"
)

// TestSignUpSessionExpires: ConfirmSignUp's Session signs in only within the client's
// AuthSessionValidity (3 minutes unless set): a second past it, it is refused; a second
// before, it signs in.
func TestSignUpSessionExpires(t *testing.T) {
	f := newFixture(t, false)
	c, err := f.svc.CreateUserPoolClient(ctx, &userpool.CreateUserPoolClientRequest{UserPoolId: &f.pool, ClientName: ptr("ua"),
		ExplicitAuthFlows: []string{"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}})
	if err != nil {
		t.Fatal(err)
	}
	client := c.UserPoolClient.ClientId
	confirmed := func(name string) *string {
		t.Helper()
		if _, err := f.svc.SignUp(ctx, &userpool.SignUpRequest{ClientId: client, Username: ptr(name), Password: ptr("Passw0rd!"),
			UserAttributes: []userpool.AttributeType{{Name: ptr("email"), Value: ptr(name + "@example.com")}}}); err != nil {
			t.Fatal(err)
		}
		msgs, _ := f.svc.Messages(ctx, userpool.MessageFilter{Username: name})
		out, err := f.svc.ConfirmSignUp(ctx, &userpool.ConfirmSignUpRequest{ClientId: client, Username: ptr(name),
			ConfirmationCode: ptr(sixDigits.FindString(msgs[0].Body))})
		if err != nil {
			t.Fatal(err)
		}
		return out.Session
	}
	signIn := func(name string, sess *string) error {
		_, err := f.svc.InitiateAuth(ctx, &userpool.InitiateAuthRequest{ClientId: client, AuthFlow: ptr("USER_AUTH"),
			AuthParameters: map[string]string{"USERNAME": name}, Session: sess})
		return err
	}

	late := confirmed("sam")
	f.clock.add(3*time.Minute + time.Second)
	wantCode(t, signIn("sam", late), "NotAuthorizedException", "Invalid session for the user, session is expired.")

	early := confirmed("kim")
	f.clock.add(3*time.Minute - time.Second)
	if err := signIn("kim", early); err != nil {
		t.Fatalf("a session 2m59s old was refused: %v", err)
	}
}
