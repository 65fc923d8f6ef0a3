package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestSignUpConfirmationLink proves that a pool whose VerificationMessageTemplate says
// CONFIRM_WITH_LINK sends EmailMessageByLink with {##text##} as a link (in the HTML body, and
// spelled out in the text body), and that the link's page confirms the user once, when its
// button is pressed: AWS's link confirms on opening, which lets a mail scanner use the code
// up; cognate's shows a page (issue #14: GET shows, POST acts).
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

	// Opening the link (as a mail scanner does) shows a button and confirms nothing; the
	// button's POST, with the page's CSRF token, confirms.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	open := func() string {
		resp, err := browser.Get(link[1])
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("opening the link: %d %s", resp.StatusCode, b)
		}
		return string(b)
	}
	press := func(page string) (int, string) {
		csrf := regexp.MustCompile(`name="_csrf" value="([0-9a-f]+)"`).FindStringSubmatch(page)
		if csrf == nil {
			t.Fatalf("the link's page has no form: %s", page)
		}
		resp, err := browser.PostForm(link[1], url.Values{"_csrf": {csrf[1]}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	page := open()
	status := func() types.UserStatusType {
		return must(s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("sam")}))(t).UserStatus
	}
	if st := status(); st != types.UserStatusTypeUnconfirmed {
		t.Fatalf("opening the link made sam %s", st)
	}
	if code, body := press(page); code != 200 || !strings.Contains(body, "Your registration has been confirmed!") {
		t.Fatalf("pressing the button: %d %q", code, body)
	}
	if st := status(); st != types.UserStatusTypeConfirmed {
		t.Errorf("status %s after the link, want CONFIRMED", st)
	}
	if code, body := press(open()); code != 400 || !strings.Contains(body, "This account is confirmed already") {
		t.Errorf("pressing it again: %d %q, want 400 and the status refusal", code, body)
	}
	// Without the page's token the POST is refused.
	resp, err := browser.PostForm(link[1], url.Values{"_csrf": {"forged"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a POST without the CSRF token: %d, want 403", resp.StatusCode)
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
