// Package web serves cognate's pages: the hosted sign-in, sign-up and forgot-password
// pages with Cognito's URL shapes, the OAuth 2.0 / OpenID Connect endpoints on the same
// URL, and the developer console under /_cognate/.
//
// It is HTTP and HTML only. Every decision (a password, a code, a redirect_uri, a grant)
// is the userpool.Service's, through the same methods the API calls: a page never has a
// second way to reset a password. Pages are html/template with embedded assets and no
// build step; they work without JavaScript (the one script only checks a password as it
// is typed), label every field for screen readers and fit a phone's screen. Every POST
// carries a CSRF token; a GET never changes anything (a link in an email is opened by mail
// scanners too), except /logout, which AWS defines as a GET.
//
// It never reads a request's Host header: absolute URLs come from the caller's public URL
// as internal/server puts it in the context.
package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"cognate/internal/userpool"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Cookie names. The session cookie stands for a hosted session (userpool keeps only its
// hash); the CSRF cookie is the secret the forms' tokens are MACs of.
const (
	sessionCookie = "cognate-session"
	csrfCookie    = "cognate-csrf"
	csrfField     = "_csrf"
)

// Handler serves the pages. Build it with New.
type Handler struct {
	svc     *userpool.Service
	log     *slog.Logger
	csrfKey []byte
	pages   map[string]*template.Template
}

// Config is what New needs.
type Config struct {
	Service *userpool.Service
	Logger  *slog.Logger
	// CSRFKey keys the MACs of the forms' CSRF tokens; derive it from the master key.
	CSRFKey []byte
}

// New returns the handler, with its templates parsed.
func New(cfg Config) (*Handler, error) {
	h := &Handler{svc: cfg.Service, log: cfg.Logger, csrfKey: cfg.CSRFKey, pages: map[string]*template.Template{}}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if len(h.csrfKey) < 16 {
		return nil, errors.New("web: a CSRF key of at least 16 bytes is needed")
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		h.pages[base] = t
	}
	return h, nil
}

// Hosted returns the hosted pages and OAuth endpoints by their path in lower case: Cognito
// matches these paths case-insensitively (the developer guide spells confirmForgotPassword
// both ways), so the caller looks a request's lower-cased path up here.
func (h *Handler) Hosted() map[string]http.Handler {
	return map[string]http.Handler{
		"/login":                 http.HandlerFunc(h.login),
		"/signup":                http.HandlerFunc(h.signup),
		"/confirm":               http.HandlerFunc(h.confirm),
		"/confirmuser":           http.HandlerFunc(h.confirmUser),
		"/forgotpassword":        http.HandlerFunc(h.forgotPassword),
		"/confirmforgotpassword": http.HandlerFunc(h.confirmForgotPassword),
		"/logout":                http.HandlerFunc(h.logout),
		"/oauth2/authorize":      http.HandlerFunc(h.authorize),
		"/oauth2/token":          http.HandlerFunc(h.token),
		"/oauth2/userinfo":       http.HandlerFunc(h.userInfo),
		"/oauth2/revoke":         http.HandlerFunc(h.revoke),
		"/oauth2/idpresponse":    http.HandlerFunc(h.idpResponse),
	}
}

// Assets serves the embedded stylesheet and script under /assets/.
func (h *Handler) Assets() http.Handler {
	sub, _ := fs.Sub(assetFS, "assets")
	files := http.StripPrefix("/assets/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// page is what every template gets.
type page struct {
	Title  string
	Error  string
	Notice string
	CSRF   string
	// Query carries the authorize request (and client_id) from page to page.
	Query string
	Data  any
	// Style is the client's UI customization (SetUICustomization), nil for none.
	Style *userpool.HostedStyle
}

// render writes a page with the given status. Headers keep the page out of frames and
// caches; the content security policy allows only cognate's own assets.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	t := h.pages[name]
	var buf bytes.Buffer
	if t == nil {
		h.log.ErrorContext(r.Context(), "no such page template", "page", name)
		http.Error(w, "Internal server error.", http.StatusInternalServerError)
		return
	}
	if err := t.Execute(&buf, p); err != nil {
		h.log.ErrorContext(r.Context(), "rendering a page failed", "page", name, "error", err.Error())
		http.Error(w, "Internal server error.", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// secure reports whether cookies must be Secure: when the public URL is https.
func (h *Handler) secure() bool { return strings.HasPrefix(h.svc.PublicURL(), "https://") }

// csrfToken returns the form token of the browser's CSRF cookie, setting the cookie first
// when the browser has none.
func (h *Handler) csrfToken(w http.ResponseWriter, r *http.Request) string {
	return h.mac(h.csrfSecret(w, r))
}

// csrfSecret returns the browser's CSRF cookie value, setting one if it has none. It is
// also the binding of a federated sign-in to its browser.
func (h *Handler) csrfSecret(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true, Secure: h.secure(), SameSite: http.SameSiteLaxMode})
	// Later reads in this request see it too.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: v})
	return v
}

func (h *Handler) mac(secret string) string {
	m := hmac.New(sha256.New, h.csrfKey)
	m.Write([]byte(secret))
	return hex.EncodeToString(m.Sum(nil))
}

// checkCSRF reports whether a POST carries the token of the browser's CSRF cookie.
func (h *Handler) checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	return hmac.Equal([]byte(r.PostFormValue(csrfField)), []byte(h.mac(c.Value)))
}

// sessionValue returns the hosted session cookie's value, or "".
func sessionValue(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func (h *Handler) setSession(w http.ResponseWriter, r *http.Request, value string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: value, Path: "/", Expires: expires,
		HttpOnly: true, Secure: h.secure(), SameSite: http.SameSiteLaxMode})
}

func (h *Handler) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure(), SameSite: http.SameSiteLaxMode})
}

// redirect sends the browser on with 302 Found, as Cognito's endpoints do.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, to, http.StatusFound)
}

// parsePost parses a POSTed form (at most 64 KiB) and checks its CSRF token.
func (h *Handler) parsePost(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.render(w, r, http.StatusBadRequest, "message", page{Title: "Something went wrong", Error: "The form could not be read. Go back and try again."})
		return false
	}
	if !h.checkCSRF(r) {
		h.render(w, r, http.StatusForbidden, "message", page{Title: "This form has expired",
			Error: "For your safety this form can only be sent from the page it came from, and that page is out of date. Go back, reload the page and send the form again."})
		return false
	}
	return true
}

// fail answers an error no sentence covers: logged, and a plain page.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	h.log.ErrorContext(r.Context(), "page failed", "path", r.URL.Path, "error", err.Error())
	h.render(w, r, http.StatusInternalServerError, "message", page{Title: "Something went wrong",
		Error: "Something went wrong on our side. Try again in a moment."})
}

var funcs = template.FuncMap{
	"title": func(s string) string {
		if s == "" {
			return s
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"join":  strings.Join,
	"lower": strings.ToLower,
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
}

// UICustomizationFiles serves the style sheets and logos of UI customizations
// (SetUICustomization) at /ui-customization/<pool>/<ALL|client>/<version>/<file>, the URLs
// GetUICustomization's ImageUrl and the hosted pages name. A URL names one version, so
// its answer never changes and may be cached for good.
func (h *Handler) UICustomizationFiles() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/ui-customization/"), "/")
		if len(parts) != 4 {
			http.NotFound(w, r)
			return
		}
		f, err := h.svc.UICustomizationFile(r.Context(), parts[0], parts[1], parts[2], parts[3])
		if errors.Is(err, userpool.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			h.log.ErrorContext(r.Context(), "ui customization file failed", "path", r.URL.Path, "error", err.Error())
			http.Error(w, "Internal server error.", http.StatusInternalServerError)
			return
		}
		hd := w.Header()
		hd.Set("Content-Type", f.ContentType)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write(f.Body)
	})
}
