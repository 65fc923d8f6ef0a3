// Package server is cognate's http.Handler: the Cognito API on POST /, the health check,
// the developer endpoints under /_cognate/ (the built-in inbox and the reset button), and
// internal/web's hosted pages, OAuth 2.0 endpoints and console.
//
// It wires the generated model tables, the operations of internal/userpool and the
// signature check together; it holds no behaviour of its own beyond who may call what.
package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/go-json-experiment/json"

	"cognate/internal/awsjson"
	"cognate/internal/sigv4"
	"cognate/internal/userpool"
	"cognate/internal/web"
)

// Config is what the handler is built from.
type Config struct {
	// Service carries out the operations.
	Service *userpool.Service
	// Verifier checks SigV4 signatures of the signed operations. Nil accepts any request,
	// signed or not: the emulator mode, allowed only on loopback (cmd/cognate enforces it).
	Verifier *sigv4.Verifier
	// OpenDevEndpoints makes /_cognate/* answer anyone: true when listening on loopback.
	OpenDevEndpoints bool
	// AdminToken, when set, lets a caller with "Authorization: Bearer <token>" use /_cognate/*.
	AdminToken string
	// Logger receives internal errors.
	Logger *slog.Logger
	// Controls are the emulator mode's test controls; nil refuses them.
	Controls *Controls
	// Ready, when set, adds to /readyz's check that the store answers (migrations
	// applied, not shutting down); an error makes it answer 503.
	Ready func(ctx context.Context) error
	// Metrics, when set, serves GET /metrics.
	Metrics http.Handler
	// Observe, when set, is told of every API request answered (awsjson.Handler.Observe).
	Observe func(r *http.Request, op, exception string, status int, took time.Duration)
	// Web serves the hosted pages, the OAuth 2.0 endpoints and the developer console; nil
	// serves none of them.
	Web *web.Handler
}

// Operations returns the names of the operations cognate carries out, for documentation
// and tests: the model's other operations answer UnsupportedOperationException.
func Operations() []string {
	var names []string
	for name, r := range routes(newModel(), nil) {
		if !r.Unsupported() {
			names = append(names, name)
		}
	}
	return names
}

// UnsupportedOperations returns the names of the model's operations cognate does not carry
// out: they answer UnsupportedOperationException.
func UnsupportedOperations() []string {
	var names []string
	for name, r := range routes(newModel(), nil) {
		if r.Unsupported() {
			names = append(names, name)
		}
	}
	return names
}

// New returns the handler.
func New(cfg Config) http.Handler {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	api := &awsjson.Handler{
		TargetPrefix:        "AWSCognitoIdentityProviderService",
		Routes:              routes(newModel(), cfg.Service),
		ValidationErrorCode: "InvalidParameterException",
		InternalError:       awsjson.Error{Code: "InternalErrorException", Message: "Internal server error.", Status: http.StatusInternalServerError},
		Logger:              log,
		Observe:             cfg.Observe,
		Context: func(ctx context.Context, r *http.Request) context.Context {
			c := caller(r)
			_, c.Operation, _ = strings.Cut(r.Header.Get("X-Amz-Target"), ".")
			c.Region = requestRegion(r)
			return userpool.WithCaller(ctx, c)
		},
	}
	if cfg.Service != nil {
		api.Admit = cfg.Service.AdmitRequest // request-rate quotas, when enabled
	}
	if cfg.Verifier != nil {
		api.Authorize = func(r *http.Request, body []byte, op *awsjson.Operation) error {
			err := cfg.Verifier.Verify(r, body)
			if e, ok := err.(*sigv4.Error); ok {
				return &awsjson.Error{Code: e.Code, Message: e.Message}
			}
			return err
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/", api)
	cfg.Logger = log
	mux.HandleFunc("GET /healthz", cfg.healthz)
	mux.HandleFunc("GET /readyz", cfg.readyz)
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", cfg.Metrics)
	}
	mux.HandleFunc("GET /{pool}/.well-known/jwks.json", func(w http.ResponseWriter, r *http.Request) {
		b, err := cfg.Service.JWKS(r.Context(), r.PathValue("pool"))
		wellKnown(w, r, log, b, err)
	})
	mux.HandleFunc("GET /{pool}/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		b, err := cfg.Service.OpenIDConfiguration(r.Context(), r.PathValue("pool"))
		wellKnown(w, r, log, b, err)
	})
	// The PreSignedUrl of an import job: its signature is the authorisation, as an S3
	// pre-signed URL's is, so it is open wherever cognate listens.
	mux.Handle("PUT /_cognate/import/{pool}/{job}", importUpload{service: cfg.Service, log: log})
	dev := devEndpoints{service: cfg.Service, log: log, controls: cfg.Controls}
	mux.Handle("GET /_cognate/messages", cfg.guard(http.HandlerFunc(dev.listMessages)))
	mux.Handle("DELETE /_cognate/messages", cfg.guard(http.HandlerFunc(dev.clearMessages)))
	mux.Handle("POST /_cognate/reset", cfg.guard(http.HandlerFunc(dev.reset)))
	mux.Handle("GET /_cognate/feedback-token", cfg.guard(http.HandlerFunc(dev.feedbackToken)))
	mux.Handle("GET /_cognate/clock", cfg.guard(http.HandlerFunc(cfg.Controls.getClock)))
	mux.Handle("POST /_cognate/clock", cfg.guard(http.HandlerFunc(cfg.Controls.advanceClock)))
	mux.Handle("DELETE /_cognate/clock", cfg.guard(http.HandlerFunc(cfg.Controls.resetClock)))
	if cfg.Web == nil {
		return mux
	}
	withCaller := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(userpool.WithCaller(r.Context(), caller(r))))
		})
	}
	assets := cfg.Web.Assets()
	uiFiles := cfg.Web.UICustomizationFiles()
	console := cfg.guard(withCaller(cfg.Web.Console()))
	// The hosted pages match their paths case-insensitively, as Cognito's do (spec §11.2).
	// They, the assets and the console are dispatched here rather than by mux patterns,
	// which would collide with /{pool}/.well-known/….
	hosted := cfg.Web.Hosted()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		switch h, ok := hosted[strings.ToLower(path)]; {
		case ok:
			withCaller(h).ServeHTTP(w, r)
		case strings.HasPrefix(path, "/assets/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			assets.ServeHTTP(w, r)
		case strings.HasPrefix(path, "/ui-customization/") && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			uiFiles.ServeHTTP(w, r) // the CSS and logos of SetUICustomization
		case path == "/_cognate/" || path == "/_cognate/inbox" || strings.HasPrefix(path, "/_cognate/pools/"):
			console.ServeHTTP(w, r)
		default:
			mux.ServeHTTP(w, r)
		}
	})
}

// caller is what the operations may know of a request.
func caller(r *http.Request) userpool.Caller {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	return userpool.Caller{SourceIP: ip, UserAgent: r.UserAgent()}
}

// requestRegion is the AWS Region a request of the API was addressed to: its SigV4
// credential scope's, else that of a host named as AWS's regional endpoint,
// cognito-idp.<region>.amazonaws.com (a client pointed at cognate by name, which is how an
// unsigned request, such as InitiateAuth's, can name one); else "".
func requestRegion(r *http.Request) string {
	if region := sigv4.ScopeRegion(r); region != "" {
		return region
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	rest, ok := strings.CutPrefix(strings.ToLower(host), "cognito-idp.")
	if !ok {
		return ""
	}
	region, ok := strings.CutSuffix(rest, ".amazonaws.com")
	if !ok || region == "" || strings.Contains(region, ".") {
		return ""
	}
	return region
}

// wellKnown answers a discovery document, 404 for a pool that does not exist.
func wellKnown(w http.ResponseWriter, r *http.Request, log *slog.Logger, body []byte, err error) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	var ue *userpool.Error
	switch {
	case errors.As(err, &ue):
		writeJSON(w, http.StatusNotFound, map[string]string{"message": ue.Message})
	case err != nil:
		log.ErrorContext(r.Context(), "discovery document failed", "path", r.URL.Path, "error", err.Error())
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal server error."})
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}

// guard lets a request to the developer endpoints through when they are open (loopback) or
// when it carries the admin token.
func (cfg Config) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cfg.OpenDevEndpoints {
			token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if cfg.AdminToken == "" || !ok || subtle.ConstantTimeCompare([]byte(token), []byte(cfg.AdminToken)) != 1 {
				writeJSON(w, http.StatusForbidden, map[string]string{"message": "The developer endpoints need the admin token off loopback."})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

type devEndpoints struct {
	service  *userpool.Service
	log      *slog.Logger
	controls *Controls
}

func (d devEndpoints) listMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	msgs, err := d.service.Messages(r.Context(), userpool.MessageFilter{
		UserPoolID: q.Get("UserPoolId"), Username: q.Get("Username"), Destination: q.Get("Destination"),
	})
	if err != nil {
		d.fail(w, r, err)
		return
	}
	// The inbox's wire form: the message as stored, its time in epoch seconds as AWS writes times.
	type wireMessage struct {
		*userpool.Message
		CreatedAt userpool.Time `json:"CreatedAt"`
	}
	out := make([]wireMessage, len(msgs))
	for i, m := range msgs {
		out[i] = wireMessage{Message: m, CreatedAt: userpool.At(m.CreatedAt)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"Messages": out})
}

func (d devEndpoints) clearMessages(w http.ResponseWriter, r *http.Request) {
	if err := d.service.ClearMessages(r.Context()); err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (d devEndpoints) reset(w http.ResponseWriter, r *http.Request) {
	if pool := r.URL.Query().Get("UserPoolId"); pool != "" {
		d.resetPool(w, r, pool)
		return
	}
	if err := d.service.Reset(r.Context()); err != nil {
		d.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

func (d devEndpoints) fail(w http.ResponseWriter, r *http.Request, err error) {
	d.log.ErrorContext(r.Context(), "developer endpoint failed", "path", r.URL.Path, "error", err.Error())
	writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal server error."})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Internal server error."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

// IsLoopback reports whether a listen address (host:port) binds only loopback interfaces.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
