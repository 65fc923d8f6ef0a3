package userpool

import "testing"

func TestMasks(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"jane@example.com", "j***@e***"},
		{"test@test.com", "t***@t***"},
		{"m@gmail.co.uk", "m***@g***"},
		{"élise@ünï.example", "é***@ü***"},
		{"x@localhost", "x***@l***"},
		{"nonsense", "***"},
	} {
		if got := maskEmail(tc.in); got != tc.want {
			t.Errorf("maskEmail(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := maskPhone("+15555551234"); got != "+********1234" {
		t.Errorf("maskPhone = %q", got)
	}
}

func TestSESIdentity(t *testing.T) {
	for _, tc := range []struct{ arn, want string }{
		{"arn:aws:ses:us-east-1:123456789012:identity/jane@example.com", "jane@example.com"},
		{"arn:aws:ses:us-east-1:123456789012:identity/example.com", ""},
		{"", ""},
	} {
		if got := sesIdentity(tc.arn); got != tc.want {
			t.Errorf("sesIdentity(%q) = %q, want %q", tc.arn, got, tc.want)
		}
	}
}

func TestHTMLTag(t *testing.T) {
	body := `<p>Your code is <b>123456</b> &amp; it expires.</p>`
	if !htmlTag.MatchString(body) || htmlTag.MatchString("Your code is 123456 (valid < 1 hour)") {
		t.Fatal("htmlTag tells HTML from text wrongly")
	}
	if got := htmlTag.ReplaceAllString(body, ""); got != "Your code is 123456 &amp; it expires." {
		t.Errorf("stripped = %q", got)
	}
}
