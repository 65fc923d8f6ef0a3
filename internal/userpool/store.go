package userpool

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotFound is returned by a Store when the thing asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned by a Store when a write collides with what is stored: a key that
// exists already, or a version that moved on since the caller read it.
var ErrConflict = errors.New("conflict")

// ErrAliasConflict is returned by a Store when a user write would give a second user an alias
// (a verified email or phone number, or a preferred_username) that another user holds.
// It is an ErrConflict too.
var ErrAliasConflict = fmt.Errorf("alias %w", ErrConflict)

// Store keeps cognate's state: the purpose-named stores below, composed into one.
// It knows no Cognito rules; the operations decide what a caller sees (rule 3 of
// ARCHITECTURE.md). Implementations: internal/sqlite, and later internal/postgres;
// userpooltest.TestStore is the contract both must pass.
//
// Every method is atomic: it changes all it names or nothing, and a reader never sees part
// of it. Each method's comment also says what holds when many callers run at once, in one
// process or several, against a database that isolates transactions no more strictly than
// Read Committed: no promise may rest on there being a single writer. Where a method
// answers a race (a compare-and-set, a limit, a claim), the promise says who wins.
type Store interface {
	PoolStore
	ClientStore
	UserStore
	GroupStore
	CodeStore
	AttemptStore
	OutboxStore
	SessionStore
	KeyStore
	RiskStore
	EventStore
	DomainStore
	ResourceServerStore
	IdentityProviderStore
	AuthorizationCodeStore
	HostedSessionStore
	ImportJobStore
	// store_branding.go: the hosted pages' look, terms, logs and quotas.
	UICustomizationStore
	BrandingStore
	TermsStore
	LogDeliveryStore
	QuotaStore
	CertificateStore
	DeviceStore
	ReplicaStore

	// Reset wipes all state but the signing keys (tests use it through POST /_cognate/reset):
	// keys are the installation's identity, and tokens stay verifiable. A write racing a
	// Reset lands wholly before it (and is wiped) or wholly after it.
	Reset(ctx context.Context) error
	// ResetPool removes one pool's users (with their aliases, memberships, codes, sessions
	// and auth events), its attempts, its messages and its shadow state (IssueCode's
	// Shadow), keeping the pool, its clients, groups and risk configuration
	// (POST /_cognate/reset?UserPoolId=), in one transaction. ErrNotFound if the pool does
	// not exist.
	ResetPool(ctx context.Context, poolID string) error
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
}

// PoolStore keeps user pools.
type PoolStore interface {
	// CreatePool stores a new pool; ErrConflict if the id exists. Of concurrent creates of
	// one id, exactly one succeeds.
	CreatePool(ctx context.Context, p *Pool) error
	// GetPool returns the pool as last committed, or ErrNotFound.
	GetPool(ctx context.Context, id string) (*Pool, error)
	// UpdatePool replaces the pool if its stored version equals p.Version (else ErrConflict),
	// and advances p.Version. ErrNotFound if the pool is gone. The compare and the replace
	// are one step: of concurrent updates read from one version, exactly one succeeds, so
	// no update is lost.
	UpdatePool(ctx context.Context, p *Pool) error
	// DeletePool removes the pool with its clients, users, groups, messages, codes, sessions,
	// attempts and shadow state; ErrNotFound if it does not exist. A concurrent write into the pool either
	// commits first (and is removed with it) or fails with ErrNotFound.
	DeletePool(ctx context.Context, id string) error
	// ListPools returns at most limit pools with ids greater than after, in id order. Each
	// page is read at one instant; pages taken one after another need not be.
	ListPools(ctx context.Context, after string, limit int) ([]*Pool, error)
	// CountUsers returns how many users the pool had at one instant during the call.
	CountUsers(ctx context.Context, poolID string) (int, error)
}

// ClientStore keeps the app clients of pools.
type ClientStore interface {
	// CreateClient stores a new app client; ErrConflict if the id exists, ErrNotFound if the
	// pool does not. Of concurrent creates of one id, exactly one succeeds.
	CreateClient(ctx context.Context, c *Client) error
	// GetClient returns the pool's client or ErrNotFound.
	GetClient(ctx context.Context, poolID, clientID string) (*Client, error)
	// FindClient returns the client with this id in whichever pool has it, or ErrNotFound.
	// Public operations name only a client id.
	FindClient(ctx context.Context, clientID string) (*Client, error)
	// UpdateClient replaces the client if its stored version equals c.Version (else
	// ErrConflict; ErrNotFound if it is gone), and advances c.Version: a compare-and-set,
	// as UpdatePool.
	UpdateClient(ctx context.Context, c *Client) error
	// DeleteClient removes the client or answers ErrNotFound; of concurrent deletes, one
	// succeeds and the others answer ErrNotFound.
	DeleteClient(ctx context.Context, poolID, clientID string) error
	// ListClients returns at most limit of the pool's clients with ids greater than after,
	// in id order, each page read at one instant.
	ListClients(ctx context.Context, poolID, after string, limit int) ([]*Client, error)
}

// UserStore keeps users, their aliases and the messages written with them.
type UserStore interface {
	// GetUser returns the user whose Key is key, or ErrNotFound. The user and its aliases
	// are read at one instant.
	GetUser(ctx context.Context, poolID, key string) (*User, error)
	// GetUserBySub returns the user with this sub, or ErrNotFound.
	GetUserBySub(ctx context.Context, poolID, sub string) (*User, error)
	// GetUserByAlias returns the user holding this alias (as in User.Aliases), or ErrNotFound.
	GetUserByAlias(ctx context.Context, poolID, alias string) (*User, error)
	// SaveUsers writes users in one transaction: each New write inserts (ErrConflict if the
	// key or sub exists), each other write replaces the user if its stored version equals
	// User.Version (else ErrConflict; ErrNotFound if it is gone). Aliases are replaced with
	// the user's Aliases; one held by another user fails the whole call with ErrAliasConflict.
	// Each user's Outbox is written in the same transaction. On success every written
	// user's Version has advanced. Under concurrency: of saves read from one version of a
	// user, exactly one succeeds (no lost update); of concurrent saves that give one alias
	// to different users, at most one succeeds.
	SaveUsers(ctx context.Context, writes ...UserWrite) error
	// DeleteUser removes the user, its aliases, group memberships, codes and sessions, or
	// answers ErrNotFound. A concurrent write to the user either commits first (and is
	// removed) or fails.
	DeleteUser(ctx context.Context, poolID, key string) error
	// ListUsers returns at most limit users with keys greater than after, in key order,
	// each page read at one instant.
	ListUsers(ctx context.Context, poolID, after string, limit int) ([]*User, error)
}

// GroupStore keeps groups and their memberships.
type GroupStore interface {
	// CreateGroup stores a new group; ErrConflict if the name exists in the pool. Of
	// concurrent creates of one name, exactly one succeeds.
	CreateGroup(ctx context.Context, g *Group) error
	// GetGroup returns the group or ErrNotFound.
	GetGroup(ctx context.Context, poolID, name string) (*Group, error)
	// UpdateGroup replaces the group or answers ErrNotFound; of concurrent updates, the
	// last to commit stands whole (groups carry no version: UpdateGroup replaces every
	// field it is given).
	UpdateGroup(ctx context.Context, g *Group) error
	// DeleteGroup removes the group and its memberships, or answers ErrNotFound.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// ListGroups returns at most limit groups with names greater than after, in name order.
	ListGroups(ctx context.Context, poolID, after string, limit int) ([]*Group, error)
	// AddUserToGroup makes the user a member; adding a member again, concurrently or not,
	// is not an error. ErrNotFound if the user or the group does not exist (or is deleted
	// concurrently).
	AddUserToGroup(ctx context.Context, poolID, userKey, group string) error
	// RemoveUserFromGroup ends a membership; removing a non-member is not an error.
	RemoveUserFromGroup(ctx context.Context, poolID, userKey, group string) error
	// ListGroupsForUser returns at most limit of the user's groups with names greater than after.
	ListGroupsForUser(ctx context.Context, poolID, userKey, after string, limit int) ([]*Group, error)
	// ListUsersInGroup returns at most limit members with keys greater than after, in key order.
	ListUsersInGroup(ctx context.Context, poolID, group, after string, limit int) ([]*User, error)
}

// CodeStore keeps one-time codes, at most one per user and purpose, and carries out the two
// acts of their life: issuing one (with its message) and using one up (with what it changes).
type CodeStore interface {
	// IssueCode writes a request for a code in one transaction: it counts an attempt
	// against each of the issue's Limits (as CountAttempt does, at At), and, only if every
	// one has room, writes the Users (as SaveUsers does: a new user, or the change the code
	// comes with), stores the Code (replacing the user's code for its purpose: the newest
	// wins), the Message that carries it, and the Event. It answers -1 when it wrote all
	// that, else the index in Limits of the first limit reached, and then writes nothing.
	// Code and Message may be nil (a simulated request only counts). ErrNotFound if the
	// pool or the code's user does not exist; the user writes answer as SaveUsers does,
	// and on any error nothing is written. Under concurrency the limits hold as
	// CountAttempt's do (of concurrent issues with room for k, exactly k write), and of
	// concurrent issues for one user and purpose the last to commit holds the code.
	//
	// A Shadow issue (a request for a name the caller may not learn about) writes its Code,
	// Message and Event as a user's are written, with the same statements on tables of the
	// same shape, so that it costs what a real request costs; but those are tables nothing
	// else reads: the message is never delivered nor listed, the event never listed, and
	// the code is found only by GetShadowCode. The Code's UserSub is then the request's
	// subject (a shadow name, or the sub of a user the caller may not learn about), with no
	// user behind it needed. A subject keeps one shadow code per purpose, and the pool one
	// shadow message and one shadow event per username and subject: the newest replaces the
	// last, as a user's code does. ErrNotFound if the pool does not exist.
	IssueCode(ctx context.Context, issue *CodeIssue) (int, error)
	// GetCode returns the user's outstanding code for purpose, or ErrNotFound.
	GetCode(ctx context.Context, poolID, userSub, purpose string) (*Code, error)
	// GetShadowCode returns the code a Shadow IssueCode stored for subject and purpose, or
	// ErrNotFound.
	GetShadowCode(ctx context.Context, poolID, subject, purpose string) (*Code, error)
	// RedeemCode uses a code up in one transaction: it deletes r.Code if its MAC is still
	// r.Code.MAC, writes r.Users as SaveUsers does, forgets the counters of r.Clear and
	// records r.Event. ErrNotFound if the code is gone (used or replaced), ErrConflict or
	// ErrAliasConflict as SaveUsers answers them; on any error nothing is written. On
	// success every written user's Version has advanced. A password reset thus happens
	// exactly when its code is used up: of concurrent redemptions of one code, exactly one
	// succeeds, and the others answer ErrNotFound.
	RedeemCode(ctx context.Context, r *Redemption) error
}

// AttemptStore keeps the counters of rate limits: attempts by a subject (a user's sub, a
// shadow name, a pool) of a kind, in a rolling window.
type AttemptStore interface {
	// CountAttempt records one attempt of kind by subject at at, unless limit attempts were
	// recorded in the window before at; it answers whether this attempt was recorded
	// (allowed). Attempts after at-window count, later ones too: a request that read its
	// clock before another committed must still see it. The count and the insert are one
	// atomic step, so counters hold across processes: of any number of concurrent calls
	// for one subject and kind with room for k, exactly k are allowed. Attempts older than
	// the window may be forgotten. ErrNotFound if the pool does not exist.
	CountAttempt(ctx context.Context, poolID, subject, kind string, at time.Time, window time.Duration, limit int) (bool, error)
	// CountAttempts returns how many of subject's attempts of kind were recorded after since.
	CountAttempts(ctx context.Context, poolID, subject, kind string, since time.Time) (int, error)
	// ClearAttempts forgets subject's attempts of kind (those committed before it).
	ClearAttempts(ctx context.Context, poolID, subject, kind string) error
}

// OutboxStore keeps messages: those of the built-in inbox, readable by developers, and
// those queued for a real channel, which dispatchers lease, send and finish. Messages are
// written with what they are about (IssueCode, SaveUsers), never on their own.
type OutboxStore interface {
	// ListMessages returns the inbox's messages matching f, newest first, read at one instant.
	ListMessages(ctx context.Context, f MessageFilter) ([]*Message, error)
	// ClearMessages empties the inbox.
	ClearMessages(ctx context.Context) error
	// ClaimMessages leases at most limit queued messages due at now (NextAttemptAt <= now)
	// whose lease is free or has run out, to owner until now+lease, oldest first. Two owners
	// never hold the same message at once: concurrent claimers get disjoint messages.
	ClaimMessages(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*Message, error)
	// FinishMessage records the outcome of a delivery attempt (Status, Attempts,
	// NextAttemptAt, LastError, DeliveredAt, and Body/HTML, which a real channel wipes) and
	// frees the lease; ErrConflict if owner no longer holds the lease. The check of the
	// lease and the write are one step, so an owner whose lease ran out and was taken
	// records nothing.
	FinishMessage(ctx context.Context, m *Message, owner string) error
	// ReleaseMessages frees every lease owner holds on queued messages, so that another
	// dispatcher (the next start's) may take them at once rather than when the leases run
	// out: a stopping server hands over what it did not send. A lease owner no longer
	// holds (taken by another after it ran out) is left alone.
	ReleaseMessages(ctx context.Context, owner string) error
	// CountQueuedMessages returns how many messages wait for delivery, by channel (the
	// outbox depth operators watch); channels with none are absent.
	CountQueuedMessages(ctx context.Context) (map[string]int, error)
}

// SessionStore keeps sign-in sessions: what refresh tokens stand for.
type SessionStore interface {
	// StartSession stores a new sign-in session and, in the same transaction, forgets the
	// counters of clear (the lockout a successful sign-in ends); ErrConflict if the id
	// exists, ErrNotFound if the user does not, and then nothing is written.
	StartSession(ctx context.Context, s *Session, clear ...Counter) error
	// GetSession returns the session or ErrNotFound.
	GetSession(ctx context.Context, id string) (*Session, error)
	// RevokeSession marks the session revoked; revoking twice, concurrently or not, is not
	// an error and keeps the first RevokedAt to commit. ErrNotFound if it does not exist.
	RevokeSession(ctx context.Context, id string, at time.Time) error
}

// KeyStore keeps the installation's token signing keys.
type KeyStore interface {
	// SigningKeys returns the installation's token signing keys, oldest first.
	SigningKeys(ctx context.Context) ([]*SigningKeyRecord, error)
	// AddSigningKey stores a new signing key; ErrConflict if its id exists.
	AddSigningKey(ctx context.Context, k *SigningKeyRecord) error
}

// RiskStore keeps threat protection's risk configurations.
type RiskStore interface {
	// PutRiskConfiguration stores the risk configuration of a pool (ClientId nil) or of one
	// of its clients, replacing what there was (of concurrent puts, the last to commit
	// stands whole); ErrNotFound if the pool does not exist.
	PutRiskConfiguration(ctx context.Context, r *RiskConfigurationType) error
	// GetRiskConfiguration returns the risk configuration of a pool (clientID "") or a
	// client, or ErrNotFound.
	GetRiskConfiguration(ctx context.Context, poolID, clientID string) (*RiskConfigurationType, error)
}

// EventStore keeps users' auth events, as AdminListUserAuthEvents lists them.
type EventStore interface {
	// AddAuthEvent records an auth event of a user; ErrNotFound if the user does not exist.
	// Deleting the user deletes its events. Each event gets a Seq unique among the user's
	// events, greater than that of every event of the user committed before it was added.
	AddAuthEvent(ctx context.Context, poolID, userSub string, e *AuthEventType) error
	// ListAuthEvents returns at most limit of the user's events recorded before the one
	// whose Seq is before (0: from the newest), newest first.
	ListAuthEvents(ctx context.Context, poolID, userSub string, before int64, limit int) ([]AuthEventRecord, error)
	// SetAuthEventFeedback records feedback on the user's event whose EventId is eventID,
	// replacing earlier feedback (of concurrent calls, the last to commit stands whole);
	// ErrNotFound if the user has no such event.
	SetAuthEventFeedback(ctx context.Context, poolID, userSub, eventID string, fb *EventFeedbackType) error
}

// Pool is a stored user pool: the description DescribeUserPool returns, less the figures
// computed on read (EstimatedNumberOfUsers).
type Pool struct {
	ID      string
	Doc     UserPoolType
	MFA     PoolMFA // what of the MFA configuration Doc has no member for (mfa_pool.go)
	Version int64
}

// Client is a stored app client: the description DescribeUserPoolClient returns.
type Client struct {
	PoolID  string
	ID      string
	Doc     UserPoolClientType
	Version int64
	// Secrets are the client's secrets once AddUserPoolClientSecret has rotated them,
	// oldest first (Doc.ClientSecret is the oldest's value). Nil while the client has only
	// the secret it was created with, or none. Stored with the client, in the same write.
	Secrets []ClientSecret
}

// ClientSecret is one of an app client's secrets, as ListUserPoolClientSecrets names it.
type ClientSecret struct {
	ID        string    `json:"id"`
	Value     string    `json:"value"`
	CreatedAt time.Time `json:"createdAt"`
}

// Attribute is one user attribute, a name and a string value as Cognito keeps them.
type Attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// User is a stored user. Key, Sub and Aliases are indexed by the store; the rest is opaque
// to it (implementations keep it as a document), so that new fields need no migration.
type User struct {
	PoolID  string   `json:"-"`
	Key     string   `json:"-"` // Username, folded to lower case when the pool is case-insensitive
	Sub     string   `json:"-"`
	Aliases []string `json:"-"` // "email:…", "phone_number:…", "preferred_username:…", normalised
	Version int64    `json:"-"`

	Username         string      `json:"username"`
	Attributes       []Attribute `json:"attributes"`
	Status           string      `json:"status"`
	Enabled          bool        `json:"enabled"`
	PasswordHash     string      `json:"passwordHash,omitempty"`
	PasswordHistory  []string    `json:"passwordHistory,omitempty"`
	PasswordSetAt    time.Time   `json:"passwordSetAt,omitzero"`
	MFA              MFASettings `json:"mfa,omitzero"`
	TokensValidAfter time.Time   `json:"tokensValidAfter,omitzero"`
	// SRPSalt and SRPVerifier let the user sign in with USER_SRP_AUTH; the verifier is
	// sealed under a key kept outside the store (ARCHITECTURE.md "Passwords").
	SRPSalt     string `json:"srpSalt,omitempty"`
	SRPVerifier []byte `json:"srpVerifier,omitempty"`
	// TOTP is the user's software token (totp.go), its secrets sealed likewise.
	TOTP SoftwareToken `json:"totp,omitzero"`
	// Pending holds new email or phone values waiting for verification before they replace
	// the verified ones (UserAttributeUpdateSettings).
	Pending map[string]string `json:"pending,omitempty"`
	// Outbox holds messages to write in the same transaction as the user (SaveUsers,
	// RedeemCode): an invitation is queued exactly when its user is created. Not stored
	// with the user.
	Outbox     []*Message `json:"-"`
	CreatedAt  time.Time  `json:"createdAt"`
	ModifiedAt time.Time  `json:"modifiedAt"`
}

// MFASettings are a user's MFA preferences as AdminSetUserMFAPreference sets them.
type MFASettings struct {
	SMSEnabled     bool `json:"smsEnabled,omitempty"`
	SMSPreferred   bool `json:"smsPreferred,omitempty"`
	TOTPEnabled    bool `json:"totpEnabled,omitempty"`
	TOTPPreferred  bool `json:"totpPreferred,omitempty"`
	EmailEnabled   bool `json:"emailEnabled,omitempty"`
	EmailPreferred bool `json:"emailPreferred,omitempty"`
}

// UserWrite is one write of SaveUsers: an insert when New, otherwise a versioned replace.
type UserWrite struct {
	User *User
	New  bool
}

// Group is a stored group of a pool.
type Group struct {
	PoolID      string
	Name        string
	Description *string
	RoleArn     *string
	Precedence  *int32
	CreatedAt   time.Time
	ModifiedAt  time.Time
}

// Message is one message to a user, as the outbox keeps it: what is to be (or was) sent,
// to whom, by which channel, and how its delivery went. Messages of the built-in inbox are
// delivered as they are written; the others wait for the dispatcher.
type Message struct {
	MessageID      string    `json:"MessageId"`
	UserPoolID     string    `json:"UserPoolId"`
	Username       string    `json:"Username"`
	DeliveryMedium string    `json:"DeliveryMedium"`
	Destination    string    `json:"Destination"`
	Subject        string    `json:"Subject,omitempty"`
	Body           string    `json:"Body"`
	HTML           string    `json:"Html,omitempty"`
	From           string    `json:"From,omitempty"`
	ReplyTo        string    `json:"ReplyTo,omitempty"`
	TriggerSource  string    `json:"TriggerSource"`
	CreatedAt      time.Time `json:"CreatedAt"`
	// ShapedBy names the trigger that shaped the message, for a developer reading the inbox:
	// "CustomMessage" when the pool's CustomMessage function worded it, "CustomEmailSender"
	// or "CustomSMSSender" when the code was handed to a custom sender instead (the record
	// of the hand-off has no body); "" when the pool's template stands.
	ShapedBy string `json:"ShapedBy,omitempty"`

	// Channel is "inbox", "smtp", "sns" or "webhook".
	Channel string `json:"Channel"`
	// Status is "queued", "delivered", "failed", "superseded" (its code was replaced before
	// it went out) or "expired" (its code expired first).
	Status        string    `json:"Status"`
	Attempts      int       `json:"Attempts"`
	NextAttemptAt time.Time `json:"-"`
	LastError     string    `json:"LastError,omitempty"`
	DeliveredAt   time.Time `json:"-"`
	// Code names the code the message carries, so that the dispatcher sends no code that
	// was replaced or has expired. Nil for messages without one.
	Code *CodeRef `json:"-"`
	// LeaseOwner and LeaseUntil, when set at writing, hold the message for its writer (a
	// fail-fast request making its own attempt) so that no dispatcher takes it meanwhile.
	LeaseOwner string    `json:"-"`
	LeaseUntil time.Time `json:"-"`
}

// CodeRef names a stored code: by its MAC, which changes when a new code replaces it.
type CodeRef struct {
	UserSub   string
	Purpose   string
	MAC       []byte
	ExpiresAt time.Time
}

// MessageFilter selects inbox messages; empty fields match everything.
type MessageFilter struct {
	UserPoolID  string
	Username    string
	Destination string
}

// Code is a one-time code as stored: only its MAC, never the code itself.
type Code struct {
	PoolID    string
	UserSub   string
	Purpose   string // "signup", "recovery", "verify:email", "verify:phone_number"
	MAC       []byte // HMAC-SHA256 under a key kept outside the store, bound to pool, user and purpose
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Session is a sign-in: what a refresh token stands for, and what access and ID tokens
// minted from it name as origin_jti. Revoking it ends them all.
type Session struct {
	ID        string // the origin_jti
	PoolID    string
	ClientID  string
	UserSub   string
	AuthTime  time.Time
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt time.Time // zero while valid
}

// SigningKeyRecord is a token signing key as stored: its private key sealed under a key
// kept outside the store.
type SigningKeyRecord struct {
	ID        string
	Sealed    []byte
	CreatedAt time.Time
}

// Limit is a rate limit an act counts one attempt against: at most Max attempts of Kind by
// Subject in the Window before the act.
type Limit struct {
	Subject string
	Kind    string
	Window  time.Duration
	Max     int
}

// Counter names the attempts of one Kind by one Subject, which an act may clear.
type Counter struct {
	Subject string
	Kind    string
}

// UserEvent is an auth event of a user, recorded with the act it describes.
type UserEvent struct {
	UserSub string
	Event   *AuthEventType
}

// CodeIssue is what a request for a one-time code writes (IssueCode), all at once.
type CodeIssue struct {
	PoolID  string
	At      time.Time // when the attempts are counted
	Limits  []Limit
	Users   []UserWrite // written before the code, which may be for a user they create
	Code    *Code       // nil for a request that only counts
	Message *Message    // the message carrying the code, or nil
	Event   *UserEvent  // nil for none
	// Shadow marks a request for a name the caller may not learn about: Code, Message and
	// Event are written where nothing reads them (see IssueCode).
	Shadow bool
}

// Redemption is what using a one-time code up writes (RedeemCode), all at once.
type Redemption struct {
	Code  *Code
	Users []UserWrite // the changes the code pays for
	Clear []Counter   // counters of the code's pool that the success clears
	Event *UserEvent  // nil for none
}

// AuthEventRecord is a stored auth event with its place in the user's history.
type AuthEventRecord struct {
	Seq   int64
	Event AuthEventType
}
