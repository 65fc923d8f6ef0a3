package main

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestSignUpConfirmationLink proves that a pool whose VerificationMessageTemplate says
// CONFIRM_WITH_LINK sends EmailMessageByLink with {##text##} as a link (in the HTML body, and
// spelled out in the text body), and that following the link confirms the user once.
func TestSignUpConfirmationLink(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{
		PoolName:               aws.String("link"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			DefaultEmailOption: types.DefaultEmailOptionTypeConfirmWithLink,
			EmailMessageByLink: aws.String("Welcome! {##Confirm my account##} to start."),
			EmailSubjectByLink: aws.String("Confirm your account"),
		},
	})
	client := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("web")}))(t).UserPoolClient.ClientId
	must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: client, Username: aws.String("sam"), Password: aws.String("Passw0rd!"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("sam@example.com")}}}))(t)

	msgs := s.messages(t, "Username=sam")
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Subject != "Confirm your account" || m.TriggerSource != "CustomMessage_SignUp" {
		t.Errorf("subject %q, trigger %q", m.Subject, m.TriggerSource)
	}
	link := regexp.MustCompile(`Confirm my account: (\S+) to start\.$`).FindStringSubmatch(m.Body)
	if link == nil {
		t.Fatalf("text body has no spelled-out link: %q", m.Body)
	}
	if !strings.Contains(m.Html, `<a href="`+strings.ReplaceAll(link[1], "&", "&amp;")+`">Confirm my account</a>`) {
		t.Errorf("HTML body has no link: %q", m.Html)
	}
	if !strings.HasPrefix(link[1], s.URL+"/confirmUser?") {
		t.Errorf("link %q does not lead to cognate's confirmUser page", link[1])
	}

	get := func() (int, string) {
		resp, err := testHTTP.Get(link[1])
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get(); code != 200 || !strings.Contains(body, "Your registration has been confirmed!") {
		t.Fatalf("following the link: %d %q", code, body)
	}
	u := must(s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("sam")}))(t)
	if u.UserStatus != types.UserStatusTypeConfirmed {
		t.Errorf("status %s after the link, want CONFIRMED", u.UserStatus)
	}
	if code, body := get(); code != 400 || !strings.Contains(body, "Current status is CONFIRMED") {
		t.Errorf("following the link again: %d %q, want 400 and the status refusal", code, body)
	}
}

// TestHTMLTemplate proves that a verification template holding HTML goes out as an HTML
// mail with a text part made from it.
func TestHTMLTemplate(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{
		PoolName:               aws.String("html"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		VerificationMessageTemplate: &types.VerificationMessageTemplateType{
			EmailMessage: aws.String("<p>Your code is <b>{####}</b>.</p>"),
		},
	})
	client := must(s.Client.CreateUserPoolClient(bg, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(pool), ClientName: aws.String("web")}))(t).UserPoolClient.ClientId
	must(s.Client.SignUp(bg, &cip.SignUpInput{ClientId: client, Username: aws.String("sam"), Password: aws.String("Passw0rd!"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("sam@example.com")}}}))(t)
	m := s.messages(t, "Username=sam")[0]
	code := sixDigit(t, m.Body)
	if m.Html != "<p>Your code is <b>"+code+"</b>.</p>" || m.Body != "Your code is "+code+"." {
		t.Errorf("html %q, text %q", m.Html, m.Body)
	}
}
