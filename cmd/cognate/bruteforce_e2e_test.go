package main

// Brute force (issue 15 point 6, and the holes "unlimited guesses", "per-IP-only limits"
// and "parallel guesses racing past the budget"): an attacker with 100 source addresses,
// a fresh X-Forwarded-For and UserContextData.IpAddress on every request, and one
// connection per address, all guessing at once, gets no more code evaluations per user in
// an hour than the budget; after it, even the right code is refused.
//
// The helpers of this file are prefixed "bf".

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-json-experiment/json"
)

// bfAddresses is how many source addresses the attacker has: 127.0.0.2 to 127.0.0.101,
// all of them loopback on Linux without any set-up.
const bfAddresses = 100

// bfAttacker sends requests from bfAddresses source addresses, each on connections of its
// own, and claims a different client address on every request in X-Forwarded-For and in
// UserContextData.IpAddress.
type bfAttacker struct {
	url     string
	clients []*http.Client
	mu      sync.Mutex
	n       int // requests sent, to make each claimed address new
}

func newBFAttacker(t testing.TB, url string) *bfAttacker {
	t.Helper()
	a := &bfAttacker{url: url}
	for i := range bfAddresses {
		local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(2+i))}
		tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: local, Timeout: 30 * time.Second}).DialContext,
			MaxIdleConnsPerHost: 2}
		t.Cleanup(tr.CloseIdleConnections)
		a.clients = append(a.clients, &http.Client{Transport: tr, Timeout: time.Minute})
	}
	return a
}

// claimed returns a new client address to claim: 198.51.100.0/24 and 203.0.113.0/24 are
// documentation ranges, never real clients.
func (a *bfAttacker) claimed() (forwarded, context string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	return fmt.Sprintf("198.51.100.%d", a.n%250+1), fmt.Sprintf("203.0.113.%d", a.n%250+1)
}

// send posts op with body (a JSON object to which UserContextData is added when withIP)
// from source address number from, and returns the exception named ("" for success).
func (a *bfAttacker) send(from int, op string, body map[string]any, withIP bool) (string, error) {
	forwarded, ctxIP := a.claimed()
	if withIP {
		body = cloneMap(body)
		body["UserContextData"] = map[string]any{"IpAddress": ctxIP}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, a.url, bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	req.Header.Set("X-Forwarded-For", forwarded)
	req.Header.Set("X-Real-Ip", forwarded)
	res, err := a.clients[from%len(a.clients)].Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	answer, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode == http.StatusOK {
		return "", nil
	}
	var e struct {
		Type string `json:"__type"`
	}
	if err := json.Unmarshal(answer, &e, json.RejectUnknownMembers(false)); err != nil || e.Type == "" {
		return "", fmt.Errorf("status %d with %q", res.StatusCode, answer)
	}
	return e.Type, nil
}

func cloneMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// bfStorm sends each of codes as a guess, in waves of one guess from every address at
// once, and tallies the exceptions ("" counts successes).
func (a *bfAttacker) bfStorm(t testing.TB, op string, guess func(code string) map[string]any, withIP bool, codes []string) map[string]int {
	t.Helper()
	var (
		mu    sync.Mutex
		tally = map[string]int{}
	)
	for wave := 0; wave < len(codes); wave += len(a.clients) {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := wave; i < min(wave+len(a.clients), len(codes)); i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				exc, err := a.send(i, op, guess(codes[i]), withIP)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					t.Errorf("guess %d: %v", i, err)
					return
				}
				tally[exc]++
			}()
		}
		close(start)
		wg.Wait()
	}
	return tally
}

// bfTarget is one operation (or one challenge of it) that judges a code, with its per-user
// budget of evaluations in a rolling window. setup makes a user with an outstanding code and
// answers the victim: how a code is guessed, which codes are right, what the clock expires.
type bfTarget struct {
	name     string        // the row's name: op unless set (a challenge op answers)
	op       string        // the operation the guesses call
	budget   int           // evaluations in a window
	window   time.Duration // the budget's rolling window: an hour unless set
	mismatch string        // the answer to a wrong code that was judged: CodeMismatchException unless set
	refusal  string        // the answer past the budget: LimitExceededException unless set
	withIP   bool          // the operation's input has UserContextData
	setup    func(t *testing.T, p *recPool, name string) *bfVictim
}

func (r bfTarget) label() string       { return cmp.Or(r.name, r.op) }
func (r bfTarget) span() time.Duration { return cmp.Or(r.window, time.Hour) }
func (r bfTarget) judged() string      { return cmp.Or(r.mismatch, "CodeMismatchException") }
func (r bfTarget) refused() string     { return cmp.Or(r.refusal, "LimitExceededException") }

// bfVictim is a user with a code outstanding, as a row's setup leaves it.
type bfVictim struct {
	guess func(code string) map[string]any // the request body that offers code
	// valid answers the codes that are right at any moment of a storm starting now, the one
	// right now first: the one code sent, or a software token's codes of the next minutes.
	valid func() []string
	// renew renews what a move of the clock may have expired (a token, a challenge's session
	// and code) before the next storm; nil when nothing does.
	renew func()
	later string // the answer to the right code after the hour of storms: "" for success
}

// bfSent is valid for a code sent once, right until it expires.
func bfSent(code string) func() []string { return func() []string { return []string{code} } }

// bfSignInWindow is the window of the sign-in attempt budget that MFA and one-time-code
// answers count in with passwords (signInLimit and signInWindow, internal/userpool/auth.go):
// five attempts a rolling 15 minutes, so at most 20 in any hour. The sign-in that opens a
// challenge is one of the five, so that four codes are judged in a window it opens.
const bfSignInWindow = 15 * time.Minute

// bfChallengeBudget is the codes judged in a sign-in window: five attempts less the sign-in.
const bfChallengeBudget = 5 - 1

// bfMFAPool makes a pool of mfaPool's, with the MFA configuration mfa and the first factors,
// and a client of p's PreventUserExistenceErrors mode for USER_PASSWORD_AUTH,
// ADMIN_USER_PASSWORD_AUTH and USER_AUTH.
func bfMFAPool(t *testing.T, p *recPool, mfa *cip.SetUserPoolMfaConfigInput, factors ...types.AuthFactorType) (pool, client string) {
	t.Helper()
	pool, _ = mfaPool(t, p.s.Client, mfa, factors...)
	client, _ = auClient(t, p.s.Client, pool, &cip.CreateUserPoolClientInput{ClientName: aws.String("attacked"),
		PreventUserExistenceErrors: p.mode, ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	return pool, client
}

// bfChallenge is the victim of a sign-in challenge: start signs in up to it (one attempt of
// the sign-in budget) and answers its session, and valid the codes that answer it. A guess
// answers challenge with the code in param, by AdminRespondToAuthChallenge when admin.
func bfChallenge(pool, client, name, challenge, param string, admin bool, start func() string, valid func() []string) *bfVictim {
	session := start()
	return &bfVictim{valid: valid, renew: func() { session = start() }, guess: func(code string) map[string]any {
		body := map[string]any{"ClientId": client, "ChallengeName": challenge, "Session": session,
			"ChallengeResponses": map[string]any{"USERNAME": name, param: code}}
		if admin {
			body["UserPoolId"] = pool
		}
		return body
	}}
}

// bfPasswordStart is a challenge's start: a sign-in with the password (by AdminInitiateAuth
// when admin) that must answer challenge.
func bfPasswordStart(t *testing.T, c *cip.Client, pool, client, name string, challenge types.ChallengeNameType, admin bool) func() string {
	return func() string {
		t.Helper()
		var (
			got    types.ChallengeNameType
			params map[string]string
			sess   *string
		)
		if admin {
			out := must(c.AdminInitiateAuth(bg, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(client),
				AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": auPassword}}))(t)
			got, params, sess = out.ChallengeName, out.ChallengeParameters, out.Session
		} else {
			out := must(auPasswordAuth(c, client, name, auPassword))(t)
			got, params, sess = out.ChallengeName, out.ChallengeParameters, out.Session
		}
		mfaWantChallenge(t, got, params, challenge, nil)
		return aws.ToString(sess)
	}
}

// bfInboxCode is valid for a challenge whose code is the newest message to the user.
func bfInboxCode(t *testing.T, s *testServer, pool, name string) func() []string {
	return func() []string {
		t.Helper()
		msgs := auInbox(t, s, pool, name)
		if len(msgs) == 0 {
			t.Fatalf("no message to %s", name)
		}
		return []string{auSixDigits.FindString(msgs[0].Body)}
	}
}

// bfTOTPCodes is valid for a software token: the codes of its secret from the step before
// the server's now to 20 minutes on, so that no guess of a storm can be right by the time
// it arrives. secret is read at each call: a renewal may associate a new one.
func bfTOTPCodes(t *testing.T, s *testServer, secret *string) func() []string {
	return func() []string {
		t.Helper()
		now := s.serverNow(t)
		codes := []string{mfaTOTP(t, *secret, now)}
		for k := -1; k <= 40; k++ {
			codes = append(codes, mfaTOTP(t, *secret, now.Add(time.Duration(k)*30*time.Second)))
		}
		return codes
	}
}

// bfMFAUser makes a user of a pool with MFA optional whose one factor is the SMS, email or
// software token MFA factor, preferred, and answers the token's secret (for TOTP).
func bfMFAUser(t *testing.T, s *testServer, pool, client, name string, factor types.ChallengeNameType) string {
	c := s.Client
	auUser(t, c, pool, name, auPassword, "phone_number", "+15555550100", "email", name+"@example.com", "email_verified", "true")
	in := &cip.AdminSetUserMFAPreferenceInput{UserPoolId: aws.String(pool), Username: aws.String(name)}
	var secret string
	switch factor {
	case types.ChallengeNameTypeSmsMfa:
		in.SMSMfaSettings = &types.SMSMfaSettingsType{Enabled: true, PreferredMfa: true}
	case types.ChallengeNameTypeEmailOtp:
		in.EmailMfaSettings = &types.EmailMfaSettingsType{Enabled: true, PreferredMfa: true}
	case types.ChallengeNameTypeSoftwareTokenMfa:
		secret = mfaRegister(t, s, aws.ToString(auSignIn(t, c, client, name, auPassword).AccessToken))
		in.SoftwareTokenMfaSettings = &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}
	}
	must(c.AdminSetUserMFAPreference(bg, in))(t)
	return secret
}

// bfMFAConfig is an optional-MFA configuration with the SMS, email and software token
// factors.
func bfMFAConfig() *cip.SetUserPoolMfaConfigInput {
	return &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration:           &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your sign-in code is {####}")},
		EmailMfaConfiguration:         &types.EmailMfaConfigType{Subject: aws.String("Sign-in code"), Message: aws.String("Use {####} to sign in")},
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}
}

// bfMFARow is the row of an MFA challenge that follows the password: SMS_MFA, EMAIL_OTP or
// SOFTWARE_TOKEN_MFA, answered with the code in param, by the administrator's form when
// admin. Past the budget the answer is the sign-in lockout's NotAuthorizedException
// ("Password attempts exceeded").
func bfMFARow(challenge types.ChallengeNameType, param string, admin bool) bfTarget {
	op := "RespondToAuthChallenge"
	if admin {
		op = "AdminRespondToAuthChallenge"
	}
	return bfTarget{name: op + " " + string(challenge), op: op, budget: bfChallengeBudget, window: bfSignInWindow,
		refusal: "NotAuthorizedException", withIP: !admin,
		setup: func(t *testing.T, p *recPool, name string) *bfVictim {
			pool, client := bfMFAPool(t, p, bfMFAConfig())
			secret := bfMFAUser(t, p.s, pool, client, name, challenge)
			valid := bfInboxCode(t, p.s, pool, name)
			if challenge == types.ChallengeNameTypeSoftwareTokenMfa {
				valid = bfTOTPCodes(t, p.s, &secret)
			}
			return bfChallenge(pool, client, name, string(challenge), param, admin,
				bfPasswordStart(t, p.s.Client, pool, client, name, challenge, admin), valid)
		}}
}

// bfFirstFactorRow is the row of a USER_AUTH one-time-code first factor, EMAIL_OTP or
// SMS_OTP: no password, and the sign-in that sends the code counts in the same budget.
func bfFirstFactorRow(factor string) bfTarget {
	return bfTarget{name: "RespondToAuthChallenge USER_AUTH " + factor, op: "RespondToAuthChallenge", budget: bfChallengeBudget,
		window: bfSignInWindow, refusal: "NotAuthorizedException", withIP: true,
		setup: func(t *testing.T, p *recPool, name string) *bfVictim {
			pool, client := bfMFAPool(t, p, nil, types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp, types.AuthFactorTypeSmsOtp)
			auUser(t, p.s.Client, pool, name, auPassword, "email", name+"@example.com", "email_verified", "true",
				"phone_number", "+15555550123", "phone_number_verified", "true")
			start := func() string {
				t.Helper()
				out := must(uaInitiate(p.s.Client, client, map[string]string{"USERNAME": name, "PREFERRED_CHALLENGE": factor}, nil))(t)
				mfaWantChallenge(t, out.ChallengeName, out.ChallengeParameters, types.ChallengeNameType(factor), nil)
				return aws.ToString(out.Session)
			}
			return bfChallenge(pool, client, name, factor, factor+"_CODE", false, start, bfInboxCode(t, p.s, pool, name))
		}}
}

// bfVerifyTokenRow is the row of VerifySoftwareToken, which confirms a software token being
// enrolled: by AccessToken, or by Session in MFA_SETUP. A wrong code is
// EnableSoftwareTokenMFAException; the budget is the user's 15 an hour of them.
func bfVerifyTokenRow(bySession bool) bfTarget {
	label := "VerifySoftwareToken by AccessToken"
	if bySession {
		label = "VerifySoftwareToken by Session (MFA_SETUP)"
	}
	return bfTarget{name: label, op: "VerifySoftwareToken", budget: 15, mismatch: "EnableSoftwareTokenMFAException",
		setup: func(t *testing.T, p *recPool, name string) *bfVictim {
			c := p.s.Client
			mfa := &cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
				SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}
			if bySession {
				mfa.MfaConfiguration = types.UserPoolMfaTypeOn
			}
			pool, client := bfMFAPool(t, p, mfa)
			auUser(t, c, pool, name, auPassword)
			var credential, secret string // the AccessToken or Session, and the secret being enrolled
			renew := func() {
				t.Helper()
				if !bySession { // the secret stays; the access token expires with the hour
					credential = aws.ToString(auSignIn(t, c, client, name, auPassword).AccessToken)
					return
				}
				sess := bfPasswordStart(t, c, pool, client, name, types.ChallengeNameTypeMfaSetup, false)()
				assoc := must(c.AssociateSoftwareToken(bg, &cip.AssociateSoftwareTokenInput{Session: aws.String(sess)}))(t)
				credential, secret = aws.ToString(assoc.Session), aws.ToString(assoc.SecretCode)
			}
			renew()
			if !bySession {
				secret = aws.ToString(must(c.AssociateSoftwareToken(bg, &cip.AssociateSoftwareTokenInput{AccessToken: aws.String(credential)}))(t).SecretCode)
			}
			member := "AccessToken"
			if bySession {
				member = "Session"
			}
			return &bfVictim{valid: bfTOTPCodes(t, p.s, &secret), renew: renew, guess: func(code string) map[string]any {
				return map[string]any{member: credential, "UserCode": code}
			}}
		}}
}

var bfTargets = []bfTarget{
	{op: "ConfirmForgotPassword", budget: 5, withIP: true, setup: func(t *testing.T, p *recPool, name string) *bfVictim {
		p.user(t, name, "email", name+"@example.com", "email_verified", "true")
		must(p.forgot(name))(t)
		// Recovery codes live an hour: by the end of the hour of storms it has expired.
		return &bfVictim{valid: bfSent(p.code(t, name)), later: "ExpiredCodeException", guess: func(code string) map[string]any {
			return map[string]any{"ClientId": p.client, "Username": name, "ConfirmationCode": code, "Password": recNewPassword}
		}}
	}},
	{op: "ConfirmSignUp", budget: 15, withIP: true, setup: func(t *testing.T, p *recPool, name string) *bfVictim {
		must(p.s.Client.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(p.client), Username: aws.String(name),
			Password: aws.String(recOldPassword), UserAttributes: attributes("email", name+"@example.com")}))(t)
		return &bfVictim{valid: bfSent(rsecCode(t, p, name, "CustomMessage_SignUp")), guess: func(code string) map[string]any {
			return map[string]any{"ClientId": p.client, "Username": name, "ConfirmationCode": code}
		}}
	}},
	{op: "VerifyUserAttribute", budget: 15, setup: func(t *testing.T, p *recPool, name string) *bfVictim {
		p.user(t, name, "email", name+"@example.com")
		auth := must(p.signIn(name, recOldPassword))(t)
		must(p.s.Client.GetUserAttributeVerificationCode(bg, &cip.GetUserAttributeVerificationCodeInput{
			AccessToken: auth.AccessToken, AttributeName: aws.String("email")}))(t)
		return &bfVictim{valid: bfSent(rsecCode(t, p, name, "CustomMessage_VerifyUserAttribute")),
			renew: func() { auth = must(p.signIn(name, recOldPassword))(t) }, // the access token expires with the hour
			guess: func(code string) map[string]any {
				return map[string]any{"AccessToken": aws.ToString(auth.AccessToken), "AttributeName": "email", "Code": code}
			}}
	}},
	bfMFARow(types.ChallengeNameTypeSmsMfa, "SMS_MFA_CODE", false),
	bfMFARow(types.ChallengeNameTypeSmsMfa, "SMS_MFA_CODE", true),
	bfMFARow(types.ChallengeNameTypeEmailOtp, "EMAIL_OTP_CODE", false),
	bfMFARow(types.ChallengeNameTypeSoftwareTokenMfa, "SOFTWARE_TOKEN_MFA_CODE", false),
	bfMFARow(types.ChallengeNameTypeSoftwareTokenMfa, "SOFTWARE_TOKEN_MFA_CODE", true),
	bfFirstFactorRow("EMAIL_OTP"),
	bfFirstFactorRow("SMS_OTP"),
	bfVerifyTokenRow(false),
	bfVerifyTokenRow(true),
}

// bfStorms is how many storms each row gets in the hour: one at every start of a sign-in
// window, the shortest of the budgets' windows.
const bfStorms = int(time.Hour / bfSignInWindow)

// TestBruteForceBudgetHoldsAcross100Addresses proves, for every operation and challenge
// that judges a code, that an attacker with 100 source addresses gets exactly the budget's
// evaluations per user: 200 wrong guesses, in two waves of 100 at once, one from each of 100
// source addresses in every wave, each claiming a new client address, get the budget's
// evaluations (the row's mismatch answer) and its refusal for the rest, and then the right
// code is refused too, from yet another address. The clock then moves on by the sign-in
// window three times, with a storm of 100 more guesses each time (the row's credentials
// renewed first: a new sign-in for a challenge): a budget of that window is back each time,
// one of an hour is not, so that over the hour the attacker gets exactly budget × (hour /
// window) evaluations. An hour after the first storm the right code works (the budget is
// per user and window, not for ever). It is also the named test of the holes "per-IP-only
// limits", "unlimited guesses" and "parallel guesses racing past the budget".
func TestBruteForceBudgetHoldsAcross100Addresses(t *testing.T) {
	t.Parallel()
	for _, mode := range recModes {
		// One mode after the other: each storm is a hundred requests at once already.
		t.Run(string(mode), func(t *testing.T) {
			// A server of its own: the clock moves.
			s := startServer(t)
			p := newRecPool(t, s, mode, nil)
			a := newBFAttacker(t, s.URL)
			type result struct {
				target bfTarget
				victim *bfVictim
				hour   int // evaluations over the hour
			}
			results := make([]*result, len(bfTargets))
			for k := range bfStorms {
				if k > 0 {
					s.clock(t, http.MethodPost, "Advance="+bfSignInWindow.String(), "")
				}
				for i, target := range bfTargets {
					n := bfAddresses
					if k == 0 { // set up each row just before its first storm: a challenge lives 3 minutes
						results[i] = &result{target: target, victim: target.setup(t, p, fmt.Sprintf("victim%d", i))}
						n = 2 * bfAddresses
					} else if results[i].victim.renew != nil {
						results[i].victim.renew()
					}
					r := results[i]
					tally := a.bfStorm(t, target.op, r.victim.guess, target.withIP, rsecCodesNotIn(r.victim.valid(), n))
					judged := 0
					if time.Duration(k)*bfSignInWindow%target.span() == 0 { // a new window
						judged = target.budget
					}
					want := map[string]int{target.judged(): judged, target.refused(): n - judged}
					maps.DeleteFunc(want, func(_ string, n int) bool { return n == 0 })
					if fmt.Sprint(tally) != fmt.Sprint(want) {
						t.Errorf("%s, storm %d: %d wrong guesses from %d addresses at once: %v; want %v", target.label(), k+1, n, bfAddresses, tally, want)
					}
					r.hour += tally[target.judged()]
					if k > 0 {
						continue
					}
					exc, err := a.send(7, target.op, r.victim.guess(r.victim.valid()[0]), target.withIP)
					if err != nil || exc != target.refused() {
						t.Errorf("%s: the right code after the budget was spent: %q, %v; want %s", target.label(), exc, err, target.refused())
					}
				}
			}
			for _, r := range results {
				want := r.target.budget * int(time.Hour/r.target.span())
				if r.hour != want {
					t.Errorf("%s: %d codes judged in the hour, want %d", r.target.label(), r.hour, want)
				}
				t.Logf("%s: budget %d per %v; %d storms (%d, then %d wrong guesses at once from %d addresses): %d judged in the hour",
					r.target.label(), r.target.budget, r.target.span(), bfStorms, 2*bfAddresses, bfAddresses, bfAddresses, r.hour)
			}
			// An hour after the first storm every budget is back.
			s.clock(t, http.MethodPost, "Advance="+(time.Hour+time.Minute-time.Duration(bfStorms-1)*bfSignInWindow).String(), "")
			for _, r := range results {
				if r.victim.renew != nil {
					r.victim.renew()
				}
				exc, err := a.send(9, r.target.op, r.victim.guess(r.victim.valid()[0]), r.target.withIP)
				if err != nil || exc != r.victim.later {
					t.Errorf("%s: the right code an hour later: %q, %v; want %q", r.target.label(), exc, err, r.victim.later)
				}
			}
		})
	}
}

// TestBruteForceRequestBudgetHoldsAcross100Addresses proves that the ForgotPassword
// request budget (5 an hour) is the user's, not an address's: 100 requests at once from
// 100 source addresses, each claiming a new client address, send exactly five codes.
func TestBruteForceRequestBudgetHoldsAcross100Addresses(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for _, mode := range recModes {
		t.Run(string(mode), func(t *testing.T) {
			t.Parallel()
			p := newRecPool(t, s, mode, nil)
			p.jane(t)
			a := newBFAttacker(t, s.URL)
			body := map[string]any{"ClientId": p.client, "Username": "jane"}
			codes := make([]string, bfAddresses) // the storm's guesses: here, one request each
			tally := a.bfStorm(t, "ForgotPassword", func(string) map[string]any { return body }, true, codes)
			want := map[string]int{"": 5, "LimitExceededException": bfAddresses - 5}
			if fmt.Sprint(tally) != fmt.Sprint(want) {
				t.Errorf("%d ForgotPassword at once from %d addresses: %v; want %v", bfAddresses, bfAddresses, tally, want)
			}
			if n := len(p.recoveryMessages(t, "jane")); n != 5 {
				t.Errorf("%d recovery messages sent, want 5", n)
			}
		})
	}
}

// TestBruteForceTOTPCodeOnceAcrossRacingAnswers proves that a software token's code signs
// in once however many answers race with it (RFC 6238 §5.2: "the verifier MUST NOT accept
// the second attempt of the OTP after the successful validation"; the serial replays are
// TestSoftwareTokenMFA's): in each of 20 rounds, two sign-ins to the SOFTWARE_TOKEN_MFA
// challenge, then the same right code sent at once from three addresses, twice with one
// session and once with the other, give exactly one sign-in; the others are refused as a
// spent code (CodeMismatchException) or a spent session (NotAuthorizedException). The
// five attempts of a round are the sign-in budget's; the clock moves on past its window
// and to a new step between rounds.
func TestBruteForceTOTPCodeOnceAcrossRacingAnswers(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool, client := mfaPool(t, s.Client, bfMFAConfig())
	secret := bfMFAUser(t, s, pool, client, "tom", types.ChallengeNameTypeSoftwareTokenMfa)
	start := bfPasswordStart(t, s.Client, pool, client, "tom", types.ChallengeNameTypeSoftwareTokenMfa, false)
	a := newBFAttacker(t, s.URL)
	for round := range 20 {
		s.clock(t, http.MethodPost, "Advance="+(bfSignInWindow+time.Minute).String(), "")
		sessions := []string{start(), start()}
		code := mfaTOTP(t, secret, s.serverNow(t))
		// The storm's "codes" name the session each racer answers with.
		tally := a.bfStorm(t, "RespondToAuthChallenge", func(i string) map[string]any {
			return map[string]any{"ClientId": client, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": sessions[i[0]-'0'],
				"ChallengeResponses": map[string]any{"USERNAME": "tom", "SOFTWARE_TOKEN_MFA_CODE": code}}
		}, true, []string{"0", "0", "1"})
		if tally[""] != 1 || tally[""]+tally["CodeMismatchException"]+tally["NotAuthorizedException"] != 3 {
			t.Errorf("round %d: one right code answered three times at once: %v; want one sign-in, the rest refused", round, tally)
		}
	}
}
