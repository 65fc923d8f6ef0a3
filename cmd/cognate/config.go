package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"cognate/internal/server"
	"cognate/internal/sms"
	"cognate/internal/userpool"
)

// Config is everything serve and migrate are told, from flags with COGNATE_* fallbacks.
type Config struct {
	Addr        string
	Store       string
	Region      string
	LogFormat   string
	LogLevel    string
	Credentials string
	Insecure    bool
	AdminToken  string
	Migrate     bool
	SecretKey   string
	PublicURL   string
	TokenIssuer string
	FixedCode   string
	Seed        string
	Pprof       string

	ShutdownDelay time.Duration

	PGMaxConns         int
	PGStatementTimeout time.Duration

	TLSCert       string
	TLSKey        string
	TLSSelfSigned bool

	// Issue 16: where exported pool logs are written, and the request-rate quotas.
	LogExportDir  string
	RequestQuotas bool

	Delivery        string
	EmailDailyQuota int
	SMTPURL         string
	SMTPCAFile      string
	SMTPRequireTLS  bool
	SMTPTimeout     time.Duration

	SMSProvider        string
	SNSEndpoint        string
	SNSRegion          string
	SNSAccessKeyID     string
	SNSSecretAccessKey string
	SMSSenderID        string
	SMSWebhookURL      string
	SMSWebhookSecret   string
	SMSSandbox         bool
	SMSVerifiedNumbers string
	SMSTimeout         time.Duration

	LambdaEndpoint        string
	LambdaRegion          string
	LambdaAccessKeyID     string
	LambdaSecretAccessKey string
	TriggerWebhooks       []string
	TriggerWebhooksFile   string
	TriggerWebhookSecret  string
	TriggerTimeout        time.Duration
	KMSEndpoint           string
}

// parseConfig reads flags, falling back to the environment for each one not given.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (*Config, error) {
	c := &Config{}
	fs := flag.NewFlagSet("cognate "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	envBool := func(key string, def bool) bool {
		if b, err := strconv.ParseBool(getenv(key)); err == nil {
			return b
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("COGNATE_ADDR", "127.0.0.1:9229"),
		"The address to listen on, host:port. (COGNATE_ADDR)")
	fs.StringVar(&c.Store, "store", env("COGNATE_STORE", "./cognate-data/cognate.db"),
		"Where state is kept: a SQLite file path, :memory: for a store that ends with the process, or a PostgreSQL URL (postgres://user@host:5432/db?sslmode=require), which many cognate processes may share. (COGNATE_STORE)")
	fs.StringVar(&c.Region, "region", env("COGNATE_REGION", "us-east-1"),
		"The AWS region cognate poses as; it prefixes pool ids and appears in ARNs. (COGNATE_REGION)")
	fs.StringVar(&c.LogFormat, "log-format", env("COGNATE_LOG_FORMAT", "text"),
		"How log lines are written: text or json. (COGNATE_LOG_FORMAT)")
	fs.StringVar(&c.LogLevel, "log-level", env("COGNATE_LOG_LEVEL", "info"),
		"The least severe log level written: debug, info, warn or error. (COGNATE_LOG_LEVEL)")
	fs.StringVar(&c.Credentials, "credentials", env("COGNATE_CREDENTIALS", ""),
		"A file of access keys in the AWS shared-credentials format; when given, signed operations must carry a valid SigV4 signature by one of them. (COGNATE_CREDENTIALS)")
	fs.BoolVar(&c.Insecure, "insecure", envBool("COGNATE_INSECURE", false),
		"Allow listening on a non-loopback address without --credentials, accepting any signature. (COGNATE_INSECURE)")
	fs.StringVar(&c.AdminToken, "admin-token", env("COGNATE_ADMIN_TOKEN", ""),
		"A bearer token that opens the /_cognate/ developer endpoints off loopback. (COGNATE_ADMIN_TOKEN)")
	fs.StringVar(&c.SecretKey, "secret-key-file", env("COGNATE_SECRET_KEY_FILE", ""),
		"The file holding the master key that codes, SRP verifiers, sessions and signing keys are protected with, kept outside the store. Default: secret.key beside a SQLite file, made at first start; none (a random key per process) for :memory:. (COGNATE_SECRET_KEY_FILE)")
	fs.StringVar(&c.PublicURL, "public-url", env("COGNATE_PUBLIC_URL", ""),
		"The URL clients reach cognate at (https://auth.example.com); links in messages, token issuers and the discovery document are built from it, never from a request's Host header. Default: http:// and the address cognate listens on. (COGNATE_PUBLIC_URL)")
	fs.StringVar(&c.TokenIssuer, "token-issuer", env("COGNATE_TOKEN_ISSUER", "url"),
		"The iss claim of tokens: url (<public URL>/<pool id>, where cognate serves the discovery document) or aws (https://cognito-idp.<region>.amazonaws.com/<pool id>, as AWS's verifiers expect; the JWKS is still cognate's). (COGNATE_TOKEN_ISSUER)")
	fs.StringVar(&c.FixedCode, "fixed-code", env("COGNATE_FIXED_CODE", ""),
		"A test control: make every one-time code these six digits. Emulator mode only (refused with --credentials or off loopback). (COGNATE_FIXED_CODE)")
	fs.StringVar(&c.Seed, "seed", env("COGNATE_SEED", ""),
		"A JSON or YAML file of pools, clients, groups and users to make at start, idempotently; a bad file fails the start and changes nothing. (COGNATE_SEED)")
	fs.StringVar(&c.Pprof, "pprof", env("COGNATE_PPROF", ""),
		"Serve net/http/pprof on this address, which must be loopback (e.g. 127.0.0.1:6060). Off by default. (COGNATE_PPROF)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("COGNATE_TLS_CERT", ""),
		"Serve HTTPS with this PEM certificate (chain), with --tls-key. (COGNATE_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("COGNATE_TLS_KEY", ""),
		"The PEM private key of --tls-cert. (COGNATE_TLS_KEY)")
	fs.BoolVar(&c.TLSSelfSigned, "tls-self-signed", envBool("COGNATE_TLS_SELF_SIGNED", false),
		"Serve HTTPS with a self-signed certificate for localhost and the loopback addresses, made at first start and kept beside the store (tls-cert.pem, tls-key.pem); its SHA-256 fingerprint is printed. For development. (COGNATE_TLS_SELF_SIGNED)")
	fs.BoolVar(&c.Migrate, "migrate", envBool("COGNATE_MIGRATE", true),
		"Bring the store's schema up to date at start. (COGNATE_MIGRATE)")
	envInt := func(key string, def int) int {
		if n, err := strconv.Atoi(getenv(key)); err == nil {
			return n
		}
		return def
	}
	envDuration := func(key string, def time.Duration) time.Duration {
		if d, err := time.ParseDuration(getenv(key)); err == nil {
			return d
		}
		return def
	}
	fs.DurationVar(&c.ShutdownDelay, "shutdown-delay", envDuration("COGNATE_SHUTDOWN_DELAY", 0),
		"On SIGTERM, keep serving this long with /readyz answering 503 before the listener closes, so that a load balancer checking readiness stops sending first (a rolling restart without failed requests). (COGNATE_SHUTDOWN_DELAY)")
	fs.IntVar(&c.PGMaxConns, "pg-max-conns", envInt("COGNATE_PG_MAX_CONNS", 0),
		"With a PostgreSQL store: the most connections this process holds open; 0 means the larger of 4 and the number of CPUs. (COGNATE_PG_MAX_CONNS)")
	fs.DurationVar(&c.PGStatementTimeout, "pg-statement-timeout", envDuration("COGNATE_PG_STATEMENT_TIMEOUT", 10*time.Second),
		"With a PostgreSQL store: the longest a statement may run before PostgreSQL cancels it and its request fails; 0 keeps the server's statement_timeout. (COGNATE_PG_STATEMENT_TIMEOUT)")
	fs.StringVar(&c.Delivery, "delivery", env("COGNATE_DELIVERY", "queue"),
		"How messages are delivered: queue (the request succeeds once the message is durably queued; failures are retried) or fail-fast (the request makes the delivery attempt and fails with CodeDeliveryFailureException when it fails). (COGNATE_DELIVERY)")
	fs.IntVar(&c.EmailDailyQuota, "email-daily-quota", envInt("COGNATE_EMAIL_DAILY_QUOTA", 0),
		"Simulate the COGNITO_DEFAULT sender's daily email quota per pool (AWS: 50); 0 turns it off. (COGNATE_EMAIL_DAILY_QUOTA)")
	fs.StringVar(&c.LogExportDir, "log-export-dir", env("COGNATE_LOG_EXPORT_DIR", ""),
		"Write the logs pools export (SetLogDeliveryConfiguration) as JSON lines under this directory, one file per destination ARN: <dir>/<service>/<resource>.jsonl. Empty: configurations are stored and described only. (COGNATE_LOG_EXPORT_DIR)")
	fs.BoolVar(&c.RequestQuotas, "request-quotas", envBool("COGNATE_REQUEST_QUOTAS", false),
		"Enforce the request-rate quotas of the API categories (UserAuthentication 120/s, UserAccountRecovery 30/s, ...; UpdateProvisionedLimit raises the adjustable ones), counted in the store so that instances on one database share them; past a quota requests answer TooManyRequestsException. (COGNATE_REQUEST_QUOTAS)")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("COGNATE_SMTP_URL", ""),
		"Send email over SMTP: smtp://user:pass@host:port (STARTTLS when offered) or smtps://user:pass@host:port (implicit TLS). Empty: email goes to the built-in inbox. (COGNATE_SMTP_URL)")
	fs.StringVar(&c.SMTPCAFile, "smtp-ca-file", env("COGNATE_SMTP_CA_FILE", ""),
		"A PEM file of extra CA certificates to trust for the SMTP server. (COGNATE_SMTP_CA_FILE)")
	fs.BoolVar(&c.SMTPRequireTLS, "smtp-require-tls", envBool("COGNATE_SMTP_REQUIRE_TLS", false),
		"With smtp://, refuse to send when the server does not offer STARTTLS. (COGNATE_SMTP_REQUIRE_TLS)")
	fs.DurationVar(&c.SMTPTimeout, "smtp-timeout", envDuration("COGNATE_SMTP_TIMEOUT", 10*time.Second),
		"How long one SMTP delivery may take, from dialling to the end. (COGNATE_SMTP_TIMEOUT)")
	fs.StringVar(&c.SMSProvider, "sms-provider", env("COGNATE_SMS_PROVIDER", "inbox"),
		"Where SMS goes: inbox (the built-in inbox), sns (the AWS SNS Publish API) or webhook (an HMAC-signed HTTPS POST). (COGNATE_SMS_PROVIDER)")
	fs.StringVar(&c.SNSEndpoint, "sns-endpoint", env("COGNATE_SNS_ENDPOINT", ""),
		"The SNS endpoint URL; empty for AWS's own. (COGNATE_SNS_ENDPOINT)")
	fs.StringVar(&c.SNSRegion, "sns-region", env("COGNATE_SNS_REGION", "us-east-1"),
		"The region SNS is called in. (COGNATE_SNS_REGION)")
	fs.StringVar(&c.SNSAccessKeyID, "sns-access-key-id", env("COGNATE_SNS_ACCESS_KEY_ID", ""),
		"The access key id SNS calls are signed with. (COGNATE_SNS_ACCESS_KEY_ID)")
	fs.StringVar(&c.SNSSecretAccessKey, "sns-secret-access-key", env("COGNATE_SNS_SECRET_ACCESS_KEY", ""),
		"The secret access key SNS calls are signed with. (COGNATE_SNS_SECRET_ACCESS_KEY)")
	fs.StringVar(&c.SMSSenderID, "sms-sender-id", env("COGNATE_SMS_SENDER_ID", ""),
		"The SNS sender id of SMS messages, where the destination supports one. (COGNATE_SMS_SENDER_ID)")
	fs.DurationVar(&c.SMSTimeout, "sms-timeout", envDuration("COGNATE_SMS_TIMEOUT", sms.DefaultTimeout),
		"How long one SMS delivery (an SNS Publish or a webhook POST) may take. (COGNATE_SMS_TIMEOUT)")
	fs.StringVar(&c.SMSWebhookURL, "sms-webhook-url", env("COGNATE_SMS_WEBHOOK_URL", ""),
		"The URL SMS messages are POSTed to with --sms-provider webhook. (COGNATE_SMS_WEBHOOK_URL)")
	fs.StringVar(&c.SMSWebhookSecret, "sms-webhook-secret", env("COGNATE_SMS_WEBHOOK_SECRET", ""),
		"The secret the webhook's X-Cognate-Signature header is an HMAC under. (COGNATE_SMS_WEBHOOK_SECRET)")
	fs.BoolVar(&c.SMSSandbox, "sms-sandbox", envBool("COGNATE_SMS_SANDBOX", false),
		"Like AWS's SMS sandbox: send SMS only to the numbers of --sms-verified-numbers; others fail as AWS fails them. (COGNATE_SMS_SANDBOX)")
	fs.StringVar(&c.SMSVerifiedNumbers, "sms-verified-numbers", env("COGNATE_SMS_VERIFIED_NUMBERS", ""),
		"Comma-separated E.164 numbers the SMS sandbox lets through. (COGNATE_SMS_VERIFIED_NUMBERS)")
	fs.StringVar(&c.LambdaEndpoint, "lambda-endpoint", env("COGNATE_LAMBDA_ENDPOINT", ""),
		"The Lambda Invoke API that runs the pools' triggers (SAM local, LocalStack, serverless-offline); empty means AWS's for --lambda-region. (COGNATE_LAMBDA_ENDPOINT)")
	fs.StringVar(&c.LambdaRegion, "lambda-region", env("COGNATE_LAMBDA_REGION", ""),
		"The region Lambda invocations are signed for; empty means --region. (COGNATE_LAMBDA_REGION)")
	fs.StringVar(&c.LambdaAccessKeyID, "lambda-access-key-id", env("COGNATE_LAMBDA_ACCESS_KEY_ID", ""),
		"The access key ID that SigV4-signs Lambda invocations. (COGNATE_LAMBDA_ACCESS_KEY_ID)")
	fs.StringVar(&c.LambdaSecretAccessKey, "lambda-secret-access-key", env("COGNATE_LAMBDA_SECRET_ACCESS_KEY", ""),
		"The secret access key that SigV4-signs Lambda invocations. (COGNATE_LAMBDA_SECRET_ACCESS_KEY)")
	if v := env("COGNATE_TRIGGER_WEBHOOKS", ""); v != "" {
		c.TriggerWebhooks = strings.Split(v, ",")
	}
	fs.Func("trigger-webhook", "ARN=URL: the trigger function ARN is run by POSTing its event to URL; repeatable. (COGNATE_TRIGGER_WEBHOOKS, comma-separated)",
		func(v string) error { c.TriggerWebhooks = append(c.TriggerWebhooks, v); return nil })
	fs.StringVar(&c.TriggerWebhooksFile, "trigger-webhooks-file", env("COGNATE_TRIGGER_WEBHOOKS_FILE", ""),
		"A file of \"function-ARN URL\" lines, as --trigger-webhook. (COGNATE_TRIGGER_WEBHOOKS_FILE)")
	fs.StringVar(&c.TriggerWebhookSecret, "trigger-webhook-secret", env("COGNATE_TRIGGER_WEBHOOK_SECRET", ""),
		"The secret the trigger webhooks' X-Cognate-Signature header is an HMAC under. (COGNATE_TRIGGER_WEBHOOK_SECRET)")
	fs.StringVar(&c.KMSEndpoint, "kms-endpoint", env("COGNATE_KMS_ENDPOINT", ""),
		"The KMS API that encrypts the codes custom sender triggers get, signed with the --lambda-* keys in --lambda-region; empty means AWS's. (COGNATE_KMS_ENDPOINT)")
	fs.DurationVar(&c.TriggerTimeout, "trigger-timeout", envDuration("COGNATE_TRIGGER_TIMEOUT", userpool.DefaultTriggerTimeout),
		"How long each of a synchronous trigger's three tries may take. AWS's is 5s and cannot be changed; shorten it only in tests. (COGNATE_TRIGGER_TIMEOUT)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return c, nil
}

// storeName is --store as logs and messages may show it: a PostgreSQL URL without its password.
func (c *Config) storeName() string {
	if isPostgres(c.Store) {
		if u, err := url.Parse(c.Store); err == nil {
			return u.Redacted()
		}
		return "postgres"
	}
	return c.Store
}

// Validate reports every problem with the configuration at once.
func (c *Config) Validate() error {
	var errs []error
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat))
	}
	if _, err := c.level(); err != nil {
		errs = append(errs, err)
	}
	if c.Region == "" || strings.ContainsAny(c.Region, "_ /") {
		errs = append(errs, fmt.Errorf("--region %q is not a region name", c.Region))
	}
	if c.Store == "" {
		errs = append(errs, errors.New("--store must not be empty"))
	}
	if c.ShutdownDelay < 0 {
		errs = append(errs, errors.New("--shutdown-delay must not be negative"))
	}
	if isPostgres(c.Store) {
		if c.SecretKey == "" {
			errs = append(errs, errors.New("--store postgres: give --secret-key-file, the master key every server on the database shares"))
		}
		if c.Seed != "" {
			errs = append(errs, errors.New("--seed is not supported with a PostgreSQL store yet (it checks a file against a copy of a SQLite store)"))
		}
		if c.PGMaxConns < 0 {
			errs = append(errs, errors.New("--pg-max-conns must not be negative"))
		}
		if c.PGStatementTimeout < 0 {
			errs = append(errs, errors.New("--pg-statement-timeout must not be negative"))
		}
	}
	if c.PublicURL != "" {
		if err := checkPublicURL(c.PublicURL); err != nil {
			errs = append(errs, err)
		}
	}
	if c.TokenIssuer != "url" && c.TokenIssuer != "aws" {
		errs = append(errs, fmt.Errorf("--token-issuer must be url or aws, not %q", c.TokenIssuer))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("--tls-cert and --tls-key go together"))
	}
	if c.TLSSelfSigned && c.TLSCert != "" {
		errs = append(errs, errors.New("--tls-self-signed and --tls-cert are alternatives; give one"))
	}
	if c.Delivery != "queue" && c.Delivery != "fail-fast" {
		errs = append(errs, fmt.Errorf("--delivery must be queue or fail-fast, not %q", c.Delivery))
	}
	if (len(c.TriggerWebhooks) > 0 || c.TriggerWebhooksFile != "") && c.TriggerWebhookSecret == "" {
		errs = append(errs, errors.New("--trigger-webhook needs --trigger-webhook-secret"))
	}
	if (c.LambdaAccessKeyID == "") != (c.LambdaSecretAccessKey == "") {
		errs = append(errs, errors.New("--lambda-access-key-id and --lambda-secret-access-key go together"))
	}
	if c.LambdaEndpoint != "" && c.LambdaAccessKeyID == "" {
		errs = append(errs, errors.New("--lambda-endpoint needs --lambda-access-key-id and --lambda-secret-access-key to sign with"))
	}
	if c.KMSEndpoint != "" && c.LambdaAccessKeyID == "" {
		errs = append(errs, errors.New("--kms-endpoint needs --lambda-access-key-id and --lambda-secret-access-key to sign with"))
	}
	if c.TriggerTimeout <= 0 {
		errs = append(errs, errors.New("--trigger-timeout must be positive"))
	}
	if c.SMSTimeout <= 0 {
		errs = append(errs, errors.New("--sms-timeout must be positive"))
	}
	if c.SMSProvider == "webhook" && (c.SMSWebhookURL == "" || c.SMSWebhookSecret == "") {
		errs = append(errs, errors.New("--sms-provider webhook needs --sms-webhook-url and --sms-webhook-secret"))
	}
	if c.Pprof != "" && !server.IsLoopback(c.Pprof) {
		errs = append(errs, fmt.Errorf("--pprof %s: the profiling listener must be on loopback", c.Pprof))
	}
	if !server.IsLoopback(c.Addr) && c.Credentials == "" && !c.Insecure {
		errs = append(errs, fmt.Errorf("refusing to listen on %s, which is not loopback, without --credentials: anyone who reaches it could call every admin operation; give --credentials FILE, or --insecure to accept that", c.Addr))
	}
	errs = append(errs, c.validateControls()...)
	return errors.Join(errs...)
}

// checkPublicURL reports a --public-url that cannot be the start of cognate's URLs: it must
// be an absolute http or https URL with a host and nothing after its path.
func checkPublicURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "#") {
		return fmt.Errorf("--public-url %q must be an absolute http:// or https:// URL with a host and no user, query or fragment", raw)
	}
	return nil
}

func (c *Config) level() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", c.LogLevel)
	}
	return l, nil
}

// logger builds the process's logger as configured.
func (c *Config) logger(w io.Writer) *slog.Logger {
	l, _ := c.level()
	opts := &slog.HandlerOptions{Level: l}
	if c.LogFormat == "json" {
		return slog.New(requestIDs{slog.NewJSONHandler(w, opts)})
	}
	return slog.New(requestIDs{slog.NewTextHandler(w, opts)})
}
