// Package userpool is cognate's domain: user pools, app clients, users and groups, and the
// Cognito operations on them, one file per operation (op_<Operation>.go).
//
// It knows nothing of HTTP, SQL or SMTP. It reaches the outside only through its ports:
// Store (state), Sender (messages). Time and randomness are injected so that tests can
// move the clock and fix the dice. Request and response types are generated from the
// Cognito API model (api_gen.go) so that every JSON name is exactly Cognito's.
package userpool

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"cognate/internal/token"
)

// Options configure a Service. Zero values mean the defaults documented on each field.
type Options struct {
	// Region is the AWS region cognate poses as; it prefixes pool ids and appears in ARNs.
	// Default "us-east-1".
	Region string
	// AccountID appears in ARNs. Default "000000000000".
	AccountID string
	// PublicURL is where clients reach cognate ("https://auth.example.com"): every absolute
	// URL cognate makes (links in messages, token issuers, the discovery document) starts
	// with it, and nothing a request says can change it. Default "http://127.0.0.1:9229".
	PublicURL string
	// TokenIssuer is the form of the iss claim: IssuerURL (the default) or IssuerAWS.
	TokenIssuer string
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand is the source of randomness for ids, secrets and codes. Default crypto/rand.Reader.
	Rand io.Reader
	// Logger receives the service's own log lines. Default: discard.
	Logger *slog.Logger
	// HashConcurrency bounds how many password hashes run at once, so that a burst of
	// sign-ins cannot exhaust memory (each argon2id hash takes 19 MiB). Default 2×GOMAXPROCS.
	HashConcurrency int
	// Hasher overrides the password hash parameters (tests use cheap ones). Default
	// argon2id m=19456 KiB, t=2, p=1 as ARCHITECTURE.md decides.
	Hasher *Hasher
	// MasterKey is the secret kept outside the store from which the keys of codes, SRP
	// verifiers, sessions, refresh tokens and signing keys are derived. At least 32 bytes.
	// Nil draws a random one: fine for a store that dies with the process, fatal for one
	// that does not (codes and tokens would not survive a restart).
	MasterKey []byte
	// Email and SMS are the channels of each medium; the zero Channel is the built-in inbox.
	Email, SMS Channel
	// FailFast makes the request that writes a message also make its one delivery attempt,
	// answering CodeDeliveryFailureException when it fails. Default: queue mode, where the
	// request succeeds once the message is durably queued and the dispatcher retries.
	FailFast bool
	// EmailDailyQuota, when positive, simulates the COGNITO_DEFAULT sender's daily quota.
	EmailDailyQuota int
	// FixedCode, when set, is every one-time code the service makes (sign-up, recovery,
	// attribute verification) instead of a random one: a test control of the emulator mode,
	// which cmd/cognate refuses with --credentials or off loopback. Six digits.
	FixedCode string
	// Federator talks to third-party OpenID Connect providers. Nil: federated sign-in is
	// refused.
	Federator Federator
	// Invoker calls Lambda triggers. Nil: triggers are not called (and a warning is logged
	// where a pool configures one).
	Invoker Invoker
	// TriggerTimeout bounds each try of a synchronous trigger. Default (and AWS's, which
	// cannot be changed there) DefaultTriggerTimeout, 5 s; tests shorten it.
	TriggerTimeout time.Duration
	// Encrypter encrypts the codes custom sender triggers get. Nil: a pool with a custom
	// sender cannot send codes (UnexpectedLambdaException says why).
	Encrypter CodeEncrypter
	// Observer is told of trigger invocations, for metrics. Nil: nobody.
	Observer Observer
	// LogWriter receives the log events pools export (SetLogDeliveryConfiguration). Nil:
	// configurations are stored and described, and nothing is written.
	LogWriter LogWriter
	// RequestQuotas enforces the request-rate quotas of the API categories (quota.go),
	// counted in the store. Default off.
	RequestQuotas bool
}

// The forms of a token's iss claim (Options.TokenIssuer).
const (
	// IssuerURL is <public URL>/<pool id>, where cognate serves the pool's discovery
	// document and JWKS.
	IssuerURL = "url"
	// IssuerAWS is AWS's own issuer, https://cognito-idp.<region>.amazonaws.com/<pool id>
	// (issuer-cognito-idp for a pool whose IssuerConfiguration is UPDATED), which verifiers
	// such as aws-jwt-verify's CognitoJwtVerifier insist on.
	IssuerAWS = "aws"
)

// keys are the service's secret keys, each derived from the master key for one purpose.
type keys struct {
	code, srp, session, refresh, signing, upload, totp, feedback, certificate [32]byte
}

// Service carries out the Cognito operations. It is safe for concurrent use.
type Service struct {
	store          Store
	region         string
	account        string
	publicURL      string // without a trailing slash
	awsIssuer      bool
	now            func() time.Time
	rand           io.Reader
	log            *slog.Logger
	passwords      *Hasher
	keys           keys
	signers        signers
	invoker        Invoker
	triggerTimeout time.Duration
	encrypter      CodeEncrypter
	observer       Observer
	federator      Federator

	email, sms      Channel
	failFast        bool
	fixedCode       string
	emailDailyQuota int
	owner           string // this process's name as a message lease holder
	breaker         breaker
	imports         importQueue // the import jobs started and waiting for RunImports
	requestQuotas   bool        // Options.RequestQuotas
	shadows         shadowTimes // how long ForgotPassword takes names the UserMigration function finds nobody for, for found users to take as long
	answers         shadowTimes // how long a found user's ForgotPassword takes a hiding client, for unknown names to take as long
}

// New returns a Service over the given store.
func New(store Store, opts Options) *Service {
	s := &Service{
		store:           store,
		email:           opts.Email,
		sms:             opts.SMS,
		failFast:        opts.FailFast,
		fixedCode:       opts.FixedCode,
		emailDailyQuota: opts.EmailDailyQuota,
		region:          opts.Region,
		account:         opts.AccountID,
		publicURL:       strings.TrimRight(opts.PublicURL, "/"),
		awsIssuer:       opts.TokenIssuer == IssuerAWS,
		now:             opts.Now,
		rand:            opts.Rand,
		log:             opts.Logger,
		invoker:         opts.Invoker,
		triggerTimeout:  opts.TriggerTimeout,
		encrypter:       opts.Encrypter,
		observer:        opts.Observer,
		federator:       opts.Federator,
		imports:         importQueue{wake: make(chan struct{}, 1)},
		requestQuotas:   opts.RequestQuotas,
	}
	if opts.LogWriter != nil {
		s.store = &exportingStore{Store: store, s: s, w: opts.LogWriter}
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.account == "" {
		s.account = "000000000000"
	}
	if s.publicURL == "" {
		s.publicURL = "http://127.0.0.1:9229"
	}
	if s.triggerTimeout <= 0 {
		s.triggerTimeout = DefaultTriggerTimeout
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	master := opts.MasterKey
	if len(master) == 0 {
		master = make([]byte, 32)
		if _, err := io.ReadFull(s.rand, master); err != nil {
			panic("userpool: no randomness for a master key: " + err.Error())
		}
	}
	s.keys = keys{
		code:        token.DeriveKey(master, "cognate code mac v1"),
		srp:         token.DeriveKey(master, "cognate srp verifier v1"),
		session:     token.DeriveKey(master, "cognate auth session v1"),
		refresh:     token.DeriveKey(master, "cognate refresh token v1"),
		signing:     token.DeriveKey(master, "cognate signing key v1"),
		upload:      token.DeriveKey(master, "cognate import upload v1"),
		totp:        token.DeriveKey(master, "cognate totp secret v1"),
		feedback:    token.DeriveKey(master, "cognate feedback token v1"),
		certificate: token.DeriveKey(master, "cognate pool certificate key v1"),
	}
	s.owner, _ = s.newUUID()
	s.passwords = opts.Hasher
	if s.passwords == nil {
		n := opts.HashConcurrency
		if n <= 0 {
			n = 2 * runtime.GOMAXPROCS(0)
		}
		s.passwords = NewHasher(DefaultHashParams, n)
	}
	return s
}

// Region returns the region the service poses as.
func (s *Service) Region() string { return s.region }

// clock reads the clock once for an operation (rule 4: each operation reads it once),
// truncated to the microsecond so that what is stored reads back equal.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Ping reports whether the store is reachable, for /healthz.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }
