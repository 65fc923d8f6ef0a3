package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-json-experiment/json"

	"cognate/internal/userpool"
)

// The OAuth 2.0 / OpenID Connect endpoints. Apps call the token, userInfo and revoke
// endpoints from their back ends and from browsers (Amplify's signInWithRedirect), so they
// answer CORS; the authorize endpoint and idpresponse are browser navigations.

// authorize is GET /oauth2/authorize: it sends the browser to the identity provider the
// request names, back to the callback when the hosted session is still good, or to /login
// with the same parameters (authorization endpoint).
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		methodNotAllowed(w, "GET")
		return
	}
	ctx := r.Context()
	a, ok := h.checkAuthorize(w, r, userpool.ParseAuthorizeRequest(r.URL.Query()))
	if !ok {
		return
	}
	if a.Provider != "" {
		to, err := h.svc.FederationStart(ctx, a, h.csrfSecret(w, r))
		if err != nil {
			h.errorPage(w, r, err)
			return
		}
		redirect(w, r, to)
		return
	}
	res, err := h.svc.ResumeSession(ctx, a, sessionValue(r))
	if err != nil {
		h.errorPage(w, r, err)
		return
	}
	if res != nil {
		redirect(w, r, res.Redirect)
		return
	}
	redirect(w, r, "/login?"+r.URL.RawQuery)
}

// idpResponse is GET /oauth2/idpresponse, where a provider sends the user back.
func (h *Handler) idpResponse(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		methodNotAllowed(w, "GET")
		return
	}
	binding := ""
	if c, err := r.Cookie(csrfCookie); err == nil {
		binding = c.Value
	}
	res, err := h.svc.FederationFinish(r.Context(), r.URL.Query(), binding)
	if err != nil {
		h.errorPage(w, r, err)
		return
	}
	h.follow(w, r, form{}, res)
}

// cors answers the CORS preflight of the JSON endpoints and marks their answers readable
// from any origin; it reports whether the request was a preflight.
func cors(w http.ResponseWriter, r *http.Request, methods string) bool {
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		hd.Set("Access-Control-Allow-Methods", methods+", OPTIONS")
		hd.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		hd.Set("Access-Control-Max-Age", "3600")
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v, json.Deterministic(true))
	hd := w.Header()
	hd.Set("Content-Type", "application/json;charset=UTF-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	w.Write(b)
}

// oauthFail answers an endpoint's refusal as RFC 6749 §5.2 has it.
func (h *Handler) oauthFail(w http.ResponseWriter, r *http.Request, err error) {
	var oe *userpool.OAuthError
	if errors.As(err, &oe) {
		body := map[string]string{"error": oe.Code}
		if oe.Description != "" {
			body["error_description"] = oe.Description
		}
		if oe.Status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer error="`+oe.Code+`", error_description="`+strings.ReplaceAll(oe.Description, `"`, "'")+`"`)
		}
		writeJSON(w, oe.Status, body)
		return
	}
	var ue *userpool.Error
	if errors.As(err, &ue) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "error_description": ue.Message})
		return
	}
	h.log.ErrorContext(r.Context(), "oauth endpoint failed", "path", r.URL.Path, "error", err.Error())
	writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
}

// clientPost answers the preflight, a method other than POST and an unreadable request
// of the token and revoke endpoints itself (ok false); otherwise it returns the form and
// the client's credentials.
func (h *Handler) clientPost(w http.ResponseWriter, r *http.Request) (url.Values, userpool.ClientAuth, bool) {
	if cors(w, r, "POST") {
		return nil, userpool.ClientAuth{}, false
	}
	if r.Method != http.MethodPost {
		methodNotAllowed(w, "POST")
		return nil, userpool.ClientAuth{}, false
	}
	form, auth, err := clientForm(w, r)
	if err != nil {
		h.oauthFail(w, r, err)
		return nil, auth, false
	}
	return form, auth, true
}

// clientForm parses a token or revoke request: a form body, and the client's credentials
// from the Authorization header (client_secret_basic, form-encoded as RFC 6749 §2.3.1 says)
// or the body.
func clientForm(w http.ResponseWriter, r *http.Request) (url.Values, userpool.ClientAuth, error) {
	var auth userpool.ClientAuth
	ct := r.Header.Get("Content-Type")
	if !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return nil, auth, &userpool.OAuthError{Code: "invalid_request", Description: "Content-Type must be application/x-www-form-urlencoded.", Status: 400}
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return nil, auth, &userpool.OAuthError{Code: "invalid_request", Description: "The body is not a form.", Status: 400}
	}
	if id, secret, ok := r.BasicAuth(); ok {
		uid, err1 := url.QueryUnescape(id)
		usecret, err2 := url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return nil, auth, &userpool.OAuthError{Code: "invalid_client", Description: "The Authorization header is malformed.", Status: 400}
		}
		auth = userpool.ClientAuth{Basic: true, ID: uid, Secret: usecret}
	}
	return r.PostForm, auth, nil
}

// token is POST /oauth2/token.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) {
	form, auth, ok := h.clientPost(w, r)
	if !ok {
		return
	}
	res, err := h.svc.Token(r.Context(), form, auth)
	if err != nil {
		h.oauthFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// revoke is POST /oauth2/revoke; a success has an empty body.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request) {
	form, auth, ok := h.clientPost(w, r)
	if !ok {
		return
	}
	if err := h.svc.Revoke(r.Context(), form, auth); err != nil {
		h.oauthFail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// userInfo is GET (or POST) /oauth2/userInfo with a bearer access token.
func (h *Handler) userInfo(w http.ResponseWriter, r *http.Request) {
	if cors(w, r, "GET, POST") {
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		methodNotAllowed(w, "GET, POST")
		return
	}
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	info, err := h.svc.UserInfo(r.Context(), strings.TrimSpace(tok))
	if err != nil {
		h.oauthFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}
