package main

// Security tests of account recovery, each named after what it proves: a code is accepted
// only when it is the outstanding recovery code of that user in that pool, at most once,
// within the guess limit; codes and passwords are never stored nor logged; and with
// PreventUserExistenceErrors ENABLED the answers for an unknown user cannot be told from a
// real user's on the wire (ARCHITECTURE.md "Codes", "Limits", "Enumeration", "Passwords").
// All of them drive the real server through the real Go SDK over HTTP, or with raw HTTP
// where the test must see every byte.
//
// They build on the pools and helpers of recovery_e2e_test.go (recPool, newRecPool, ...);
// the helpers of this file are prefixed "rsec".

import (
	"bytes"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"

	_ "modernc.org/sqlite" // database/sql driver "sqlite", to inspect a stopped server's file
)

// rsecForEachMode runs f as a parallel subtest for a LEGACY and for an ENABLED client, each
// on a fresh pool of its own on one server.
func rsecForEachMode(t *testing.T, f func(t *testing.T, p *recPool)) {
	t.Helper()
	s := startServer(t)
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			f(t, newRecPool(t, s, mode, nil))
		})
	}
}

// rsecWantPasswordUnchanged checks that the user still signs in with recOldPassword, so
// that no refused confirmation changed it.
func rsecWantPasswordUnchanged(t testing.TB, p *recPool, username string) {
	t.Helper()
	if _, err := p.signIn(username, recOldPassword); err != nil {
		t.Fatalf("%s no longer signs in with the old password after refused confirmations: %v", username, err)
	}
}

// rsecDigits finds the six-digit code in a message body.
var rsecDigits = regexp.MustCompile(`\b([0-9]{6})\b`)

// rsecCode is the code of the newest message to username with this TriggerSource.
func rsecCode(t testing.TB, p *recPool, username, trigger string) string {
	t.Helper()
	for _, m := range p.s.messages(t, "UserPoolId="+url.QueryEscape(p.id)+"&Username="+url.QueryEscape(username)) {
		if m.TriggerSource != trigger {
			continue
		}
		c := rsecDigits.FindStringSubmatch(m.Body)
		if c == nil {
			t.Fatalf("%s message to %s has no six-digit code: %q", trigger, username, m.Body)
		}
		return c[1]
	}
	t.Fatalf("no %s message to %s in the inbox; all of the pool's: %+v", trigger, username, p.inbox(t))
	return ""
}

// rsecFreshRecoveryCode asks for recovery codes until one differs from every code in
// avoid (a collision has odds of one in a million per code), and returns it.
func rsecFreshRecoveryCode(t testing.TB, p *recPool, username string, avoid ...string) string {
	t.Helper()
	for range 3 {
		must(p.forgot(username))(t)
		code := p.code(t, username)
		collides := false
		for _, a := range avoid {
			collides = collides || code == a
		}
		if !collides {
			return code
		}
	}
	t.Fatalf("three recovery codes in a row for %s were among %v", username, avoid)
	return ""
}

// rsecWrongCodes returns n distinct six-digit codes that all differ from code.
func rsecWrongCodes(code string, n int) []string { return rsecCodesNotIn([]string{code}, n) }

// rsecCodesNotIn returns n distinct six-digit codes, none of them one of right.
func rsecCodesNotIn(right []string, n int) []string {
	var out []string
	for i := 0; len(out) < n; i++ {
		c := fmt.Sprintf("%06d", (i*137_911+424_242)%1_000_000)
		if !slices.Contains(right, c) {
			out = append(out, c)
		}
	}
	return out
}

// rsecConfirmRaw posts a ConfirmForgotPassword body as JSON text, unsigned, as a browser would.
func rsecConfirmRaw(t testing.TB, p *recPool, members string) (int, http.Header, []byte) {
	t.Helper()
	return callRaw(t, p.s.URL, "ConfirmForgotPassword", `{"ClientId":"`+p.client+`",`+members+`}`)
}

// rsecWantRawError checks a raw answer: status 400, the exception in the body and in
// x-amzn-ErrorType, and exactly this message.
func rsecWantRawError(t testing.TB, status int, h http.Header, body []byte, code, msg string) {
	t.Helper()
	gotCode, gotMsg := wireError(t, body)
	if status != http.StatusBadRequest || gotCode != code || gotMsg != msg {
		t.Errorf("answer %d %s %q, want 400 %s %q (body %s)", status, gotCode, gotMsg, code, msg, body)
	}
	if got := h.Get("X-Amzn-Errortype"); got != code+":" {
		t.Errorf("x-amzn-ErrorType = %q, want %q", got, code+":")
	}
}

// TestRecoveryCodeOmittedIsRejected proves that a ConfirmForgotPassword without a
// ConfirmationCode member, or with a JSON null one, is refused by model validation and
// changes nothing. (The SDK itself refuses to send a nil required member, so this takes
// raw HTTP.)
func TestRecoveryCodeOmittedIsRejected(t *testing.T) {
	t.Parallel()
	rsecForEachMode(t, func(t *testing.T, p *recPool) {
		p.jane(t)
		must(p.forgot("jane"))(t)
		code := p.code(t, "jane")
		const msg = "1 validation error detected: Value null at 'confirmationCode' failed to satisfy constraint: Member must not be null"
		for _, members := range []string{
			`"Username":"jane","Password":"` + recNewPassword + `"`,
			`"Username":"jane","ConfirmationCode":null,"Password":"` + recNewPassword + `"`,
		} {
			status, h, body := rsecConfirmRaw(t, p, members)
			rsecWantRawError(t, status, h, body, "InvalidParameterException", msg)
		}
		rsecWantPasswordUnchanged(t, p, "jane")
		// Nothing was used up or counted: the outstanding code still works, first time.
		if err := p.confirm("jane", code, recNewPassword); err != nil {
			t.Fatalf("the outstanding code after the refused requests: %v", err)
		}
		must(p.signIn("jane", recNewPassword))(t)
	})
}

// TestRecoveryEmptyCodeIsRejected proves that an empty or blank ConfirmationCode, or the
// right code with white space around it, is refused by model validation (pattern [\S]+,
// length at least 1) before any code is looked at, and changes nothing.
func TestRecoveryEmptyCodeIsRejected(t *testing.T) {
	t.Parallel()
	rsecForEachMode(t, func(t *testing.T, p *recPool) {
		p.jane(t)
		must(p.forgot("jane"))(t)
		code := p.code(t, "jane")
		pattern := func(v string) string {
			return "Value '" + v + "' at 'confirmationCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\S]+"
		}
		tooShort := "Value '' at 'confirmationCode' failed to satisfy constraint: Member must have length greater than or equal to 1"
		for _, tc := range []struct{ code, msg string }{
			{"", "2 validation errors detected: " + pattern("") + "; " + tooShort},
			{" ", "1 validation error detected: " + pattern(" ")},
			{"1 12 123", "1 validation error detected: " + pattern("1 12 123")},
			{" " + code, "1 validation error detected: " + pattern(" "+code)},
			{code + "\n", "1 validation error detected: " + pattern(code+"\n")},
		} {
			err := p.confirm("jane", tc.code, recNewPassword)
			wantErr[*types.InvalidParameterException](t, err, tc.msg)
		}
		// The same through raw HTTP, where nothing of the SDK stands between.
		status, h, body := rsecConfirmRaw(t, p, `"Username":"jane","ConfirmationCode":"","Password":"`+recNewPassword+`"`)
		rsecWantRawError(t, status, h, body, "InvalidParameterException", "2 validation errors detected: "+pattern("")+"; "+tooShort)

		rsecWantPasswordUnchanged(t, p, "jane")
		// No guess was counted: five wrong codes are still mismatches, and only then the limit.
		for _, wrong := range rsecWrongCodes(code, 5) {
			wantErr[*types.CodeMismatchException](t, p.confirm("jane", wrong, recNewPassword), recMsgMismatch)
		}
		wantErr[*types.LimitExceededException](t, p.confirm("jane", code, recNewPassword), recMsgLimit)
		rsecWantPasswordUnchanged(t, p, "jane")
	})
}

// TestRecoverySignUpCodeIsRejected proves that codes of other purposes never pass
// ConfirmForgotPassword: a user's own sign-up code and attribute-verification code are
// refused (ExpiredCodeException with no recovery code outstanding, CodeMismatchException
// with one), are not used up by the attempt, and change no password.
func TestRecoverySignUpCodeIsRejected(t *testing.T) {
	t.Parallel()
	rsecForEachMode(t, func(t *testing.T, p *recPool) {
		c := p.s.Client
		// sam signs up: an UNCONFIRMED user holding a sign-up code. An administrator marks
		// the email verified, so that sam may ask for a recovery code as well (spec §1.3
		// lets an UNCONFIRMED user with a verified email recover).
		must(c.SignUp(bg, &cip.SignUpInput{
			ClientId: aws.String(p.client), Username: aws.String("sam"), Password: aws.String(recOldPassword),
			UserAttributes: attributes("email", "sam@example.com"),
		}))(t)
		signUp := rsecCode(t, p, "sam", "CustomMessage_SignUp")
		must(c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{
			UserPoolId: aws.String(p.id), Username: aws.String("sam"), UserAttributes: attributes("email_verified", "true"),
		}))(t)

		// With no recovery code outstanding, the sign-up code is an expired recovery code.
		wantErr[*types.ExpiredCodeException](t, p.confirm("sam", signUp, recNewPassword), recMsgExpired)
		// With one outstanding, it is a wrong one.
		recovery := rsecFreshRecoveryCode(t, p, "sam", signUp)
		wantErr[*types.CodeMismatchException](t, p.confirm("sam", signUp, recNewPassword), recMsgMismatch)

		// Neither attempt used the sign-up code up nor set a password: it confirms sam, who
		// then signs in with the password of the sign-up.
		must(c.ConfirmSignUp(bg, &cip.ConfirmSignUpInput{
			ClientId: aws.String(p.client), Username: aws.String("sam"), ConfirmationCode: aws.String(signUp),
		}))(t)
		auth, err := p.signIn("sam", recOldPassword)
		if err != nil {
			t.Fatalf("sam signs in with the sign-up password: %v", err)
		}

		// An attribute-verification code is refused too.
		recovery = rsecFreshRecoveryCode(t, p, "sam", signUp, recovery)
		var verify string
		for range 3 {
			must(c.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{
				AccessToken: auth.AccessToken, AttributeName: aws.String("email"),
			}))(t)
			if verify = rsecCode(t, p, "sam", "CustomMessage_VerifyUserAttribute"); verify != recovery {
				break
			}
		}
		wantErr[*types.CodeMismatchException](t, p.confirm("sam", verify, recNewPassword), recMsgMismatch)
		rsecWantPasswordUnchanged(t, p, "sam")
		// ... and was not used up by the attempt.
		must(c.VerifyUserAttribute(bg, &cip.VerifyUserAttributeInput{
			AccessToken: auth.AccessToken, AttributeName: aws.String("email"), Code: aws.String(verify),
		}))(t)

		// Only the recovery code resets the password (the fourth guess: within the limit).
		if err := p.confirm("sam", recovery, recNewPassword); err != nil {
			t.Fatalf("the recovery code: %v", err)
		}
		must(p.signIn("sam", recNewPassword))(t)
	})
}

// TestRecoveryOtherUsersCodeIsRejected proves that a recovery code is bound to its user and
// pool: another user's code, or the code of a user of the same name in another pool, does
// not reset a password, nor is it used up by the attempt.
func TestRecoveryOtherUsersCodeIsRejected(t *testing.T) {
	t.Parallel()
	rsecForEachMode(t, func(t *testing.T, p *recPool) {
		p.jane(t)
		p.user(t, "john", "email", "john@example.com", "email_verified", "true")
		q := newRecPool(t, p.s, p.mode, nil) // another pool, with a jane of its own
		q.jane(t)

		johns := rsecFreshRecoveryCode(t, p, "john")
		// jane has no code outstanding: john's is an expired code for her.
		wantErr[*types.ExpiredCodeException](t, p.confirm("jane", johns, recNewPassword), recMsgExpired)

		janes := rsecFreshRecoveryCode(t, p, "jane", johns)
		otherPools := rsecFreshRecoveryCode(t, q, "jane", janes)
		wantErr[*types.CodeMismatchException](t, p.confirm("jane", johns, recNewPassword), recMsgMismatch)
		wantErr[*types.CodeMismatchException](t, p.confirm("jane", otherPools, recNewPassword), recMsgMismatch)
		// By alias, too.
		wantErr[*types.CodeMismatchException](t, p.confirm("jane@example.com", johns, recNewPassword), recMsgMismatch)
		rsecWantPasswordUnchanged(t, p, "jane")
		rsecWantPasswordUnchanged(t, q, "jane")

		// Each code still works for its own user, once.
		for _, c := range []struct {
			p          *recPool
			user, code string
		}{{p, "john", johns}, {q, "jane", otherPools}, {p, "jane", janes}} {
			if err := c.p.confirm(c.user, c.code, recNewPassword); err != nil {
				t.Fatalf("%s's own code: %v", c.user, err)
			}
			must(c.p.signIn(c.user, recNewPassword))(t)
		}
	})
}

// TestRecoveryPreviousCodeIsRejected proves that a new ForgotPassword invalidates the
// previous code, and that a used code cannot be replayed.
func TestRecoveryPreviousCodeIsRejected(t *testing.T) {
	t.Parallel()
	rsecForEachMode(t, func(t *testing.T, p *recPool) {
		p.jane(t)
		first := rsecFreshRecoveryCode(t, p, "jane")
		second := rsecFreshRecoveryCode(t, p, "jane", first)
		wantErr[*types.CodeMismatchException](t, p.confirm("jane", first, recNewPassword), recMsgMismatch)
		rsecWantPasswordUnchanged(t, p, "jane")

		if err := p.confirm("jane", second, recNewPassword); err != nil {
			t.Fatalf("the newest code: %v", err)
		}
		must(p.signIn("jane", recNewPassword))(t)
		// Once used, neither code sets a password again.
		const another = "Another-Passw0rd!"
		wantErr[*types.ExpiredCodeException](t, p.confirm("jane", second, another), recMsgExpired)
		wantErr[*types.ExpiredCodeException](t, p.confirm("jane", first, another), recMsgExpired)
		must(p.signIn("jane", recNewPassword))(t)
	})
}

// TestRecoverySixthGuessRefusedEvenWithRightCode proves that the guess counter is committed
// before the code is judged: after five wrong codes, the right one is refused with
// LimitExceededException and the password stays as it was.
func TestRecoverySixthGuessRefusedEvenWithRightCode(t *testing.T) {
	t.Parallel()
	rsecForEachMode(t, func(t *testing.T, p *recPool) {
		p.jane(t)
		must(p.forgot("jane"))(t)
		code := p.code(t, "jane")
		for _, wrong := range rsecWrongCodes(code, 5) {
			wantErr[*types.CodeMismatchException](t, p.confirm("jane", wrong, recNewPassword), recMsgMismatch)
		}
		wantErr[*types.LimitExceededException](t, p.confirm("jane", code, recNewPassword), recMsgLimit)
		wantErr[*types.LimitExceededException](t, p.confirm("jane@example.com", code, recNewPassword), recMsgLimit)
		rsecWantPasswordUnchanged(t, p, "jane")
		_, err := p.signIn("jane", recNewPassword)
		wantErr[*types.NotAuthorizedException](t, err, recMsgIncorrect)
	})
}

// TestRecoveryConcurrentConfirmsExactlyOneWins proves that a code is used at most once
// however many requests race with it: of 16 concurrent ConfirmForgotPassword calls with the
// right code, each with a different new password, exactly one succeeds, and its password is
// the one set. The others get ExpiredCodeException (they came after the winner, or lost the
// race to use the code) or LimitExceededException: every call is counted before its code is
// judged and only five fit in the hour, so most of the 16 get that (the winner's success
// clears the counter, so late calls pass it again and get ExpiredCodeException). Each round
// uses a fresh user so that no round's counters reach into the next. 200 rounds, half on a
// LEGACY and half on an ENABLED client, the two halves in parallel; 20 with -short.
func TestRecoveryConcurrentConfirmsExactlyOneWins(t *testing.T) {
	t.Parallel()
	rounds := 200
	if testing.Short() {
		rounds = 20
	}
	const racers = 16
	s := startServer(t)
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			p := newRecPool(t, s, mode, nil)
			total := map[string]int{}
			start := time.Now()
			n := rounds / len(recModes)
			for r := range n {
				name := fmt.Sprintf("racer%d", r)
				p.user(t, name, "email", name+"@example.com", "email_verified", "true")
				must(p.forgot(name))(t)
				code := p.code(t, name)
				password := func(i int) string { return fmt.Sprintf("Race-Passw0rd!%02d", i) }
				errs := recParallel(racers, func(i int) error { return p.confirm(name, code, password(i)) })
				tally := recTally(errs)
				for k, v := range tally {
					total[k] += v
				}
				if tally[""] != 1 || tally[""]+tally["ExpiredCodeException"]+tally["LimitExceededException"] != racers {
					t.Fatalf("round %d: %d concurrent confirmations with the right code: %v; want exactly one success, "+
						"the others ExpiredCodeException or LimitExceededException", r, racers, tally)
				}
				for i, err := range errs {
					if err == nil {
						if _, err := p.signIn(name, password(i)); err != nil {
							t.Fatalf("round %d: the winner's password does not sign in: %v", r, err)
						}
					}
				}
			}
			t.Logf("%d rounds of %d racers in %v: %v", n, racers, time.Since(start).Round(time.Millisecond), total)
		})
	}
}

// TestRecoveryCodesNeverStored proves that neither a code nor a password is ever written in
// clear: after a ForgotPassword, a wrong and a right ConfirmForgotPassword and a sign-in,
// the SQLite files (main database, WAL and shared memory) hold the code only in the body of
// the inbox message that carries it (the built-in inbox keeps bodies readable, ARCHITECTURE.md
// "Delivery"), and the passwords nowhere; the server's log and every answer hold neither.
//
// The files are searched for the codes as ASCII: a false alarm needs one of the few
// six-digit runs of stored text (fractions of seconds in JSON times) to equal a random code,
// odds of about one in ten thousand; on a hit the test prints where it is, to tell.
func TestRecoveryCodesNeverStored(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "c.db")
	s := startServer(t, "--store", dbPath)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesLegacy, nil)
	p.jane(t)

	var answers []string // every answer's text the client saw
	out, err := s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(p.client), Username: aws.String("jane")})
	if err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	answers = append(answers, fmt.Sprintf("%+v", *out.CodeDeliveryDetails))
	code := p.code(t, "jane")
	wrong := rsecWrongCodes(code, 1)[0]
	err = p.confirm("jane", wrong, recNewPassword)
	wantErr[*types.CodeMismatchException](t, err, recMsgMismatch)
	answers = append(answers, err.Error())
	// A refused new password (the policy wants a symbol), then the right one.
	const weak = "Weakpassw0rd"
	err = p.confirm("jane", code, weak)
	wantCode(t, err, "InvalidPasswordException")
	answers = append(answers, err.Error())
	if err := p.confirm("jane", code, recNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword with the right code: %v", err)
	}
	_, err = p.signIn("jane", recOldPassword)
	wantErr[*types.NotAuthorizedException](t, err, recMsgIncorrect)
	answers = append(answers, err.Error())
	must(p.signIn("jane", recNewPassword))(t)
	s.Stop(t)

	secrets := map[string]string{"the code": code, "the wrong code": wrong,
		"the old password": recOldPassword, "the new password": recNewPassword, "the refused password": weak}
	for what, secret := range secrets {
		for _, a := range answers {
			if strings.Contains(a, secret) {
				t.Errorf("an answer holds %s %q: %s", what, secret, a)
			}
		}
		if log := s.stderr.String(); strings.Contains(log, secret) {
			t.Errorf("the server log holds %s %q:\n%s", what, secret, rsecContext([]byte(log), []byte(secret)))
		}
	}

	// Before the inbox is emptied, the files hold the code: in the one message's body.
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	var bodies int
	if err := db.QueryRow(`SELECT count(*) FROM messages WHERE body LIKE '%' || ? || '%'`, code).Scan(&bodies); err != nil {
		t.Fatalf("reading the messages: %v", err)
	}
	if bodies != 1 {
		t.Errorf("%d message bodies hold the code, want 1", bodies)
	}
	if !bytes.Contains(rsecFiles(t, dbPath), []byte(code)) {
		t.Errorf("the database files do not hold the code even in the inbox: the search below would prove nothing")
	}
	for _, stmt := range []string{`DELETE FROM messages`, `VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw := rsecFiles(t, dbPath)
	for what, secret := range secrets {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the database files hold %s %q outside the inbox:\n%s", what, secret, rsecContext(raw, []byte(secret)))
		}
	}
}

// rsecFiles returns the bytes of a SQLite database's files: main, WAL and shared memory.
func rsecFiles(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, f := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatalf("no database files at %s", path)
	}
	return all
}

// rsecContext quotes what surrounds each occurrence of needle in b.
func rsecContext(b, needle []byte) string {
	var out strings.Builder
	for off := 0; ; {
		i := bytes.Index(b[off:], needle)
		if i < 0 {
			return out.String()
		}
		i += off
		fmt.Fprintf(&out, "  at %d: %q\n", i, b[max(0, i-60):min(len(b), i+len(needle)+60)])
		off = i + len(needle)
	}
}

// TestRecoveryEnumerationResponsesIdentical proves that with PreventUserExistenceErrors
// ENABLED the wire cannot tell an unknown user (or a disabled one) from a real one: the
// same status, headers and body layout for ForgotPassword (the masked destination differs
// only where the typed names differ), byte-identical CodeMismatchException answers to a
// wrong code afterwards, and byte-identical ExpiredCodeException answers without a request.
func TestRecoveryEnumerationResponsesIdentical(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	p.jane(t)
	p.user(t, "john", "email", "john@example.com", "email_verified", "true")
	p.user(t, "dora", "email", "dora@example.com", "email_verified", "true")
	p.disable(t, "dora")

	type answer struct {
		status int
		header http.Header
		body   []byte
	}
	call := func(op, username, extra string) answer {
		t.Helper()
		status, h, body := callRaw(t, s.URL, op, `{"ClientId":"`+p.client+`","Username":"`+username+`"`+extra+`}`)
		return answer{status, h, body}
	}
	// same compares two answers: status and headers but the request id and date, and the
	// bodies after rewriting want's with replace.
	same := func(what string, want, got answer, replace ...string) {
		t.Helper()
		if want.status != got.status {
			t.Errorf("%s: status %d, want %d as for the real user", what, got.status, want.status)
		}
		wh, gh := want.header.Clone(), got.header.Clone()
		for _, h := range []string{"X-Amzn-Requestid", "Date"} {
			if wh.Get(h) == "" || gh.Get(h) == "" {
				t.Errorf("%s: header %s missing (real user %q, other %q)", what, h, wh.Get(h), gh.Get(h))
			}
			wh.Del(h)
			gh.Del(h)
		}
		if diff := cmp.Diff(wh, gh); diff != "" {
			t.Errorf("%s: headers differ from the real user's (-real +other):\n%s", what, diff)
		}
		wantBody := string(want.body)
		if len(replace) > 0 {
			wantBody = strings.NewReplacer(replace...).Replace(wantBody)
		}
		if string(got.body) != wantBody {
			t.Errorf("%s: body\n got %s\nwant %s", what, got.body, wantBody)
		}
	}

	// ForgotPassword: the real user by alias, an unknown name, a disabled user.
	jane := call("ForgotPassword", "jane@example.com", "")
	const janeBody = `{"CodeDeliveryDetails":{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"j***@e***"}}`
	if jane.status != http.StatusOK || !rsecSameJSON(jane.body, janeBody) {
		t.Fatalf("ForgotPassword for jane: %d %s, want 200 %s", jane.status, jane.body, janeBody)
	}
	ghost := call("ForgotPassword", "ghost@example.com", "")
	same("ForgotPassword for ghost@example.com", jane, ghost, "j***@", "g***@")
	dora := call("ForgotPassword", "dora@example.com", "")
	same("ForgotPassword for disabled dora@example.com", jane, dora, "j***@", "d***@")
	if n := len(p.recoveryMessages(t, "jane")); n != 1 {
		t.Errorf("%d recovery messages to jane, want 1", n)
	}
	for _, m := range p.inbox(t) {
		if m.Username != "jane" {
			t.Errorf("a message went to %s (%s) for a simulated request", m.Username, m.Destination)
		}
	}

	// A wrong code afterwards: the same mismatch for all three.
	wrongCode := `,"ConfirmationCode":"` + recOtherCode(p.code(t, "jane")) + `","Password":"` + recNewPassword + `"`
	jane = call("ConfirmForgotPassword", "jane@example.com", wrongCode)
	code, msg := wireError(t, jane.body)
	if jane.status != http.StatusBadRequest || code != "CodeMismatchException" || msg != recMsgMismatch {
		t.Fatalf("ConfirmForgotPassword for jane with a wrong code: %d %s", jane.status, jane.body)
	}
	same("ConfirmForgotPassword for ghost@example.com after ForgotPassword", jane, call("ConfirmForgotPassword", "ghost@example.com", wrongCode))
	same("ConfirmForgotPassword for disabled dora@example.com after ForgotPassword", jane, call("ConfirmForgotPassword", "dora@example.com", wrongCode))

	// Without a request first: the same expired code for a real user and an unknown name.
	john := call("ConfirmForgotPassword", "john@example.com", wrongCode)
	code, msg = wireError(t, john.body)
	if john.status != http.StatusBadRequest || code != "ExpiredCodeException" || msg != recMsgExpired {
		t.Fatalf("ConfirmForgotPassword for john without a request: %d %s", john.status, john.body)
	}
	same("ConfirmForgotPassword for ghost2@example.com without a request", john, call("ConfirmForgotPassword", "ghost2@example.com", wrongCode))
}

// rsecSameJSON reports whether a JSON body equals want, member order aside.
func rsecSameJSON(body []byte, want string) bool {
	var a, b any
	if json.Unmarshal(body, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	return cmp.Equal(a, b)
}
