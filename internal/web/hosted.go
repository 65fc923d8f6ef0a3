package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"cognate/internal/userpool"
)

// The hosted pages. Each GET shows a page and changes nothing; each POST acts through the
// API's own operation and, when refused, shows the page again with a sentence and the
// user's input kept (passwords aside, which are never written back into a page).

// notices are the short messages a redirect can ask the next page to show, by key, so that
// no text travels in a URL.
var notices = map[string]string{
	"reset":     "Your password has been changed. Sign in with your new password.",
	"confirmed": "Your account is confirmed. You can sign in now.",
	"signedup":  "Your account is ready. You can sign in now.",
	"codesent":  "We have sent you a code. Enter it below.",
	"signedout": "You have signed out.",
}

// form is what the forms of the hosted pages show: the client, its policy, the values to
// keep, and the links to the other pages, each carrying the authorize request on.
type form struct {
	Client        *userpool.HostedClient
	Policy        policyView
	Username      string
	Email         string
	Phone         string
	Code          string
	Sent          string
	UsernameLabel string
	UsernameType  string
	AskUsername   bool
	AskEmail      bool
	AskPhone      bool
	Challenge     string
	Session       string
	Providers     []link
	Links         map[string]string
	Action        string
}

type link struct{ Name, URL string }

// policyView is a password policy as the page lists it and the script checks it.
type policyView struct {
	MinLength                      int32
	Upper, Lower, Numbers, Symbols bool
	SymbolChars                    string
}

func viewPolicy(p userpool.PasswordPolicyType) policyView {
	v := policyView{MinLength: 8, SymbolChars: userpool.PasswordSymbols}
	if p.MinimumLength != nil {
		v.MinLength = *p.MinimumLength
	}
	v.Upper = p.RequireUppercase != nil && *p.RequireUppercase
	v.Lower = p.RequireLowercase != nil && *p.RequireLowercase
	v.Numbers = p.RequireNumbers != nil && *p.RequireNumbers
	v.Symbols = p.RequireSymbols != nil && *p.RequireSymbols
	return v
}

// carried returns the query that carries the authorize request to the next page.
func carried(req userpool.AuthorizeRequest) url.Values { return req.Values() }

func pageURL(path string, q url.Values, extra ...string) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	return path + "?" + v.Encode()
}

// newForm fills what every form of a client shows.
func (h *Handler) newForm(c *userpool.HostedClient, req userpool.AuthorizeRequest) form {
	q := carried(req)
	f := form{Client: c, Policy: viewPolicy(c.PasswordPolicy), UsernameLabel: "Username", UsernameType: "text",
		AskUsername: true, AskEmail: true,
		Links: map[string]string{
			"login":   pageURL("/login", q),
			"signup":  pageURL("/signup", q),
			"forgot":  pageURL("/forgotPassword", q),
			"reset":   pageURL("/confirmForgotPassword", q),
			"confirm": pageURL("/confirm", q),
		}}
	switch {
	case slices.Contains(c.UsernameAttributes, "email"):
		f.UsernameLabel, f.UsernameType, f.AskEmail = "Email address", "email", false
	case slices.Contains(c.UsernameAttributes, "phone_number"):
		f.UsernameLabel, f.UsernameType = "Phone number", "tel"
	}
	for _, p := range c.Providers {
		f.Providers = append(f.Providers, link{Name: p, URL: pageURL("/oauth2/authorize", q, "identity_provider", p)})
	}
	return f
}

// checkAuthorize checks an authorize request, answering a failure itself (ok false): back to
// the client's redirect_uri for an OAuth error, the error page for any other.
func (h *Handler) checkAuthorize(w http.ResponseWriter, r *http.Request, req userpool.AuthorizeRequest) (*userpool.Authorization, bool) {
	a, err := h.svc.CheckAuthorize(r.Context(), req)
	var oe *userpool.OAuthError
	switch {
	case errors.As(err, &oe):
		redirect(w, r, a.ErrorRedirect(oe))
		return nil, false
	case err != nil:
		h.errorPage(w, r, err)
		return nil, false
	}
	return a, true
}

// hostedClient resolves the client a page is opened for, showing the error page when it
// cannot; with redirect_uri in the request the whole authorize request must pass.
func (h *Handler) hostedClient(w http.ResponseWriter, r *http.Request) (*userpool.HostedClient, userpool.AuthorizeRequest, bool) {
	req := userpool.ParseAuthorizeRequest(r.URL.Query())
	ctx := r.Context()
	if req.RedirectURI != "" {
		a, ok := h.checkAuthorize(w, r, req)
		if !ok {
			return nil, req, false
		}
		return a.Client, req, true
	}
	c, err := h.svc.HostedClient(ctx, req.ClientID)
	if err != nil {
		h.errorPage(w, r, err)
		return nil, req, false
	}
	return c, req, true
}

// errorPage shows a refusal that has nowhere to redirect to.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	var e *userpool.Error
	if !errors.As(err, &e) {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusBadRequest, "message", page{Title: "This page can't be shown", Error: sentence(err)})
}

func (h *Handler) show(w http.ResponseWriter, r *http.Request, status int, name, title string, f form, err error, notice string) {
	p := page{Title: title, CSRF: h.csrfToken(w, r), Data: f, Notice: notice}
	if f.Client != nil {
		p.Style = f.Client.Style
	}
	if err != nil {
		p.Error = sentence(err)
		var e *userpool.Error
		if !errors.As(err, &e) {
			var oe *userpool.OAuthError
			if !errors.As(err, &oe) {
				h.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "error", err.Error())
			}
			status = http.StatusInternalServerError
		}
	}
	h.render(w, r, status, name, p)
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
}

// login is /login: the sign-in form (GET), a password sign-in or a challenge's answer (POST).
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	req := userpool.ParseAuthorizeRequest(r.URL.Query())
	a, ok := h.checkAuthorize(w, r, req)
	if !ok {
		return
	}
	f := h.newForm(a.Client, req)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.show(w, r, http.StatusOK, "login", "Sign in", f, nil, notices[r.URL.Query().Get("notice")])
	case http.MethodPost:
		if !h.parsePost(w, r) {
			return
		}
		if ch := r.PostFormValue("challenge"); ch != "" {
			h.respondChallenge(w, r, req, f, ch)
			return
		}
		f.Username = strings.TrimSpace(r.PostFormValue("username"))
		res, err := h.svc.HostedSignIn(ctx, req, f.Username, r.PostFormValue("password"))
		if err != nil {
			h.show(w, r, http.StatusBadRequest, "login", "Sign in", f, err, "")
			return
		}
		h.follow(w, r, f, res)
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

// follow takes the browser where a sign-in step leads: a challenge page, or a redirect
// with the session cookie set.
func (h *Handler) follow(w http.ResponseWriter, r *http.Request, f form, res *userpool.HostedResult) {
	if res.SessionCookie != "" {
		h.setSession(w, r, res.SessionCookie, res.SessionExpires)
	}
	if res.Challenge != "" {
		f.Challenge, f.Session = res.Challenge, res.ChallengeSession
		switch res.Challenge {
		case "NEW_PASSWORD_REQUIRED":
			h.show(w, r, http.StatusOK, "new_password", "Choose a new password", f, nil, "")
		default:
			// The MFA steps arrive with the API's MFA; this page says so rather than pretend.
			h.render(w, r, http.StatusNotImplemented, "message", page{Title: "This sign-in step is not available",
				Error: "Your account asks for a sign-in step (" + res.Challenge + ") that these pages can't show yet. Sign in through the app instead."})
		}
		return
	}
	redirect(w, r, res.Redirect)
}

func (h *Handler) respondChallenge(w http.ResponseWriter, r *http.Request, req userpool.AuthorizeRequest, f form, challenge string) {
	f.Challenge, f.Session = challenge, r.PostFormValue("session")
	answers := map[string]string{}
	if challenge == "NEW_PASSWORD_REQUIRED" {
		if r.PostFormValue("password") != r.PostFormValue("confirm") {
			h.show(w, r, http.StatusBadRequest, "new_password", "Choose a new password", f, errMismatch, "")
			return
		}
		answers["NEW_PASSWORD"] = r.PostFormValue("password")
	}
	res, err := h.svc.HostedRespond(r.Context(), req, challenge, f.Session, answers)
	if err != nil {
		h.show(w, r, http.StatusBadRequest, "new_password", "Choose a new password", f, err, "")
		return
	}
	h.follow(w, r, f, res)
}

// errMismatch is the page's own check that a new password was typed the same twice.
var errMismatch = &userpool.Error{Code: "PasswordMismatch", Message: "The two passwords are not the same. Type the same new password in both fields."}

// signup is /signup: SignUp with the pool's username and an email or phone number.
func (h *Handler) signup(w http.ResponseWriter, r *http.Request) {
	c, req, ok := h.hostedClient(w, r)
	if !ok {
		return
	}
	f := h.newForm(c, req)
	if !c.SignUp {
		h.render(w, r, http.StatusForbidden, "message", page{Title: "Sign-up is closed", Error: "You can't sign yourself up for this app. Ask its administrator for an account."})
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.show(w, r, http.StatusOK, "signup", "Create an account", f, nil, "")
	case http.MethodPost:
		if !h.parsePost(w, r) {
			return
		}
		f.Username = strings.TrimSpace(r.PostFormValue("username"))
		f.Email = strings.TrimSpace(r.PostFormValue("email"))
		if r.PostFormValue("password") != r.PostFormValue("confirm") {
			h.show(w, r, http.StatusBadRequest, "signup", "Create an account", f, errMismatch, "")
			return
		}
		var attrs []userpool.AttributeType
		if f.Email != "" && f.AskEmail {
			attrs = append(attrs, userpool.AttributeType{Name: ptr("email"), Value: ptr(f.Email)})
		}
		out, err := h.svc.SignUp(r.Context(), &userpool.SignUpRequest{ClientId: ptr(c.ClientID), Username: ptr(f.Username),
			Password: ptr(r.PostFormValue("password")), SecretHash: c.SecretHash(f.Username), UserAttributes: attrs})
		if err != nil {
			h.show(w, r, http.StatusBadRequest, "signup", "Create an account", f, err, "")
			return
		}
		if out.UserConfirmed != nil && *out.UserConfirmed {
			redirect(w, r, pageURL("/login", carried(req), "notice", "signedup"))
			return
		}
		redirect(w, r, h.sentURL("/confirm", req, f.Username, out.CodeDeliveryDetails))
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

// sentURL leads to the page that takes a code, saying where the code went. The destination
// (masked, as AWS answers it) travels with a MAC, so that no one can make the page say
// something else.
func (h *Handler) sentURL(path string, req userpool.AuthorizeRequest, username string, d *userpool.CodeDeliveryDetailsType) string {
	extra := []string{"username", username}
	if d != nil && d.Destination != nil {
		sent := *d.Destination
		extra = append(extra, "sent", sent, "sig", h.mac("sent:" + sent)[:32])
	}
	return pageURL(path, carried(req), extra...)
}

// sentNotice reads the destination a sentURL carries back, if its MAC holds.
func (h *Handler) sentNotice(r *http.Request) string {
	q := r.URL.Query()
	sent := q.Get("sent")
	if sent == "" || q.Get("sig") != h.mac("sent:" + sent)[:32] {
		return ""
	}
	return "We have sent a code to " + sent + ". Enter it below."
}

// confirm is /confirm: ConfirmSignUp with the code a sign-up sent, or a new code.
func (h *Handler) confirm(w http.ResponseWriter, r *http.Request) {
	c, req, ok := h.hostedClient(w, r)
	if !ok {
		return
	}
	f := h.newForm(c, req)
	f.Username = r.URL.Query().Get("username")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.show(w, r, http.StatusOK, "confirm", "Confirm your account", f, nil, h.sentNotice(r))
	case http.MethodPost:
		if !h.parsePost(w, r) {
			return
		}
		f.Username = strings.TrimSpace(r.PostFormValue("username"))
		f.Code = strings.TrimSpace(r.PostFormValue("code"))
		ctx := r.Context()
		if r.PostFormValue("action") == "resend" {
			out, err := h.svc.ResendConfirmationCode(ctx, &userpool.ResendConfirmationCodeRequest{ClientId: ptr(c.ClientID),
				Username: ptr(f.Username), SecretHash: c.SecretHash(f.Username)})
			if err != nil {
				h.show(w, r, http.StatusBadRequest, "confirm", "Confirm your account", f, err, "")
				return
			}
			redirect(w, r, h.sentURL("/confirm", req, f.Username, out.CodeDeliveryDetails))
			return
		}
		_, err := h.svc.ConfirmSignUp(ctx, &userpool.ConfirmSignUpRequest{ClientId: ptr(c.ClientID), Username: ptr(f.Username),
			ConfirmationCode: ptr(f.Code), SecretHash: c.SecretHash(f.Username)})
		if err != nil {
			h.show(w, r, http.StatusBadRequest, "confirm", "Confirm your account", f, err, "")
			return
		}
		h.done(w, r, req, "confirmed", "Account confirmed")
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

// done leads on after a step that ends at the sign-in page: to /login when the request
// can sign in there, else to a page that says it is done.
func (h *Handler) done(w http.ResponseWriter, r *http.Request, req userpool.AuthorizeRequest, notice, title string) {
	if req.RedirectURI != "" {
		redirect(w, r, pageURL("/login", carried(req), "notice", notice))
		return
	}
	h.render(w, r, http.StatusOK, "message", page{Title: title, Notice: notices[notice]})
}

// forgotPassword is /forgotPassword: ForgotPassword for the username typed.
func (h *Handler) forgotPassword(w http.ResponseWriter, r *http.Request) {
	c, req, ok := h.hostedClient(w, r)
	if !ok {
		return
	}
	f := h.newForm(c, req)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.show(w, r, http.StatusOK, "forgot", "Forgot your password?", f, nil, "")
	case http.MethodPost:
		if !h.parsePost(w, r) {
			return
		}
		f.Username = strings.TrimSpace(r.PostFormValue("username"))
		out, err := h.svc.ForgotPassword(r.Context(), &userpool.ForgotPasswordRequest{ClientId: ptr(c.ClientID),
			Username: ptr(f.Username), SecretHash: c.SecretHash(f.Username)})
		if err != nil {
			h.show(w, r, http.StatusBadRequest, "forgot", "Forgot your password?", f, err, "")
			return
		}
		redirect(w, r, h.sentURL("/confirmForgotPassword", req, f.Username, out.CodeDeliveryDetails))
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

// confirmForgotPassword is /confirmForgotPassword: ConfirmForgotPassword with the code and
// the new password, typed twice; the pool's policy is listed and checked as it is typed
// (by the script, when the browser runs it) and again by the service.
func (h *Handler) confirmForgotPassword(w http.ResponseWriter, r *http.Request) {
	c, req, ok := h.hostedClient(w, r)
	if !ok {
		return
	}
	f := h.newForm(c, req)
	f.Username = r.URL.Query().Get("username")
	const title = "Reset your password"
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.show(w, r, http.StatusOK, "reset", title, f, nil, h.sentNotice(r))
	case http.MethodPost:
		if !h.parsePost(w, r) {
			return
		}
		f.Username = strings.TrimSpace(r.PostFormValue("username"))
		f.Code = strings.TrimSpace(r.PostFormValue("code"))
		if r.PostFormValue("password") != r.PostFormValue("confirm") {
			h.show(w, r, http.StatusBadRequest, "reset", title, f, errMismatch, "")
			return
		}
		_, err := h.svc.ConfirmForgotPassword(r.Context(), &userpool.ConfirmForgotPasswordRequest{ClientId: ptr(c.ClientID),
			Username: ptr(f.Username), ConfirmationCode: ptr(f.Code), Password: ptr(r.PostFormValue("password")),
			SecretHash: c.SecretHash(f.Username)})
		if err != nil {
			h.show(w, r, http.StatusBadRequest, "reset", title, f, err, "")
			return
		}
		h.done(w, r, req, "reset", "Password changed")
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

// confirmUser is the link of a CONFIRM_WITH_LINK email. Opening it shows a button; only
// pressing it (a POST) confirms, so a mail scanner that opens links uses no code up.
func (h *Handler) confirmUser(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.render(w, r, http.StatusOK, "confirm_link", page{Title: "Confirm your account", CSRF: h.csrfToken(w, r),
			Data: map[string]string{"Username": q.Get("user_name"), "Action": "/confirmUser?" + r.URL.RawQuery}})
	case http.MethodPost:
		if !h.parsePost(w, r) {
			return
		}
		err := h.svc.ConfirmSignUpByLink(r.Context(), q.Get("client_id"), q.Get("user_name"), q.Get("confirmation_code"))
		if err != nil {
			h.errorPage(w, r, err)
			return
		}
		h.render(w, r, http.StatusOK, "message", page{Title: "Account confirmed", Notice: "Your registration has been confirmed!"})
	default:
		methodNotAllowed(w, "GET, POST")
	}
}

// logout is /logout: the hosted session ends, and the browser goes to logout_uri or back to
// the sign-in page.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	to, err := h.svc.SignOut(r.Context(), r.URL.Query(), sessionValue(r))
	if err != nil {
		h.errorPage(w, r, err)
		return
	}
	h.clearSession(w, r)
	redirect(w, r, to)
}

func ptr[T any](v T) *T { return &v }
