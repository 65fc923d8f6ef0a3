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

// Store keeps cognate's state. Each method is atomic: it changes all it names or nothing.
// It knows no Cognito rules; the operations decide what a caller sees (rule 3 of ARCHITECTURE.md).
// Implementations: internal/sqlite, and later internal/postgres; userpooltest.TestStore is
// the contract both must pass.
type Store interface {
	// CreatePool stores a new pool; ErrConflict if the id exists.
	CreatePool(ctx context.Context, p *Pool) error
	// GetPool returns the pool or ErrNotFound.
	GetPool(ctx context.Context, id string) (*Pool, error)
	// UpdatePool replaces the pool if its stored version equals p.Version (else ErrConflict),
	// and advances p.Version. ErrNotFound if the pool is gone.
	UpdatePool(ctx context.Context, p *Pool) error
	// DeletePool removes the pool with its clients, users, groups, messages, codes, sessions
	// and attempts; ErrNotFound if it does not exist.
	DeletePool(ctx context.Context, id string) error
	// ListPools returns at most limit pools with ids greater than after, in id order.
	ListPools(ctx context.Context, after string, limit int) ([]*Pool, error)
	// CountUsers returns how many users the pool has.
	CountUsers(ctx context.Context, poolID string) (int, error)

	// CreateClient stores a new app client; ErrConflict if the id exists, ErrNotFound if the pool does not.
	CreateClient(ctx context.Context, c *Client) error
	// GetClient returns the pool's client or ErrNotFound.
	GetClient(ctx context.Context, poolID, clientID string) (*Client, error)
	// FindClient returns the client with this id in whichever pool has it, or ErrNotFound.
	// Public operations name only a client id.
	FindClient(ctx context.Context, clientID string) (*Client, error)
	// UpdateClient replaces the client if its stored version equals c.Version, and advances c.Version.
	UpdateClient(ctx context.Context, c *Client) error
	// DeleteClient removes the client or answers ErrNotFound.
	DeleteClient(ctx context.Context, poolID, clientID string) error
	// ListClients returns at most limit of the pool's clients with ids greater than after, in id order.
	ListClients(ctx context.Context, poolID, after string, limit int) ([]*Client, error)

	// GetUser returns the user whose Key is key, or ErrNotFound.
	GetUser(ctx context.Context, poolID, key string) (*User, error)
	// GetUserBySub returns the user with this sub, or ErrNotFound.
	GetUserBySub(ctx context.Context, poolID, sub string) (*User, error)
	// GetUserByAlias returns the user holding this alias (as in User.Aliases), or ErrNotFound.
	GetUserByAlias(ctx context.Context, poolID, alias string) (*User, error)
	// SaveUsers writes users in one transaction: each New write inserts (ErrConflict if the
	// key or sub exists), each other write replaces the user if its stored version equals
	// User.Version (else ErrConflict; ErrNotFound if it is gone). Aliases are replaced with
	// the user's Aliases; one held by another user fails the whole call with ErrAliasConflict.
	// On success every written user's Version has advanced.
	SaveUsers(ctx context.Context, writes ...UserWrite) error
	// DeleteUser removes the user, its aliases, group memberships, codes and sessions, or
	// answers ErrNotFound.
	DeleteUser(ctx context.Context, poolID, key string) error
	// ListUsers returns at most limit users with keys greater than after, in key order.
	ListUsers(ctx context.Context, poolID, after string, limit int) ([]*User, error)

	// CreateGroup stores a new group; ErrConflict if the name exists in the pool.
	CreateGroup(ctx context.Context, g *Group) error
	// GetGroup returns the group or ErrNotFound.
	GetGroup(ctx context.Context, poolID, name string) (*Group, error)
	// UpdateGroup replaces the group or answers ErrNotFound.
	UpdateGroup(ctx context.Context, g *Group) error
	// DeleteGroup removes the group and its memberships, or answers ErrNotFound.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// ListGroups returns at most limit groups with names greater than after, in name order.
	ListGroups(ctx context.Context, poolID, after string, limit int) ([]*Group, error)
	// AddUserToGroup makes the user a member; adding a member again is not an error.
	// ErrNotFound if the user or the group does not exist.
	AddUserToGroup(ctx context.Context, poolID, userKey, group string) error
	// RemoveUserFromGroup ends a membership; removing a non-member is not an error.
	RemoveUserFromGroup(ctx context.Context, poolID, userKey, group string) error
	// ListGroupsForUser returns at most limit of the user's groups with names greater than after.
	ListGroupsForUser(ctx context.Context, poolID, userKey, after string, limit int) ([]*Group, error)
	// ListUsersInGroup returns at most limit members with keys greater than after, in key order.
	ListUsersInGroup(ctx context.Context, poolID, group, after string, limit int) ([]*User, error)

	// AddMessage stores a message in the built-in inbox.
	AddMessage(ctx context.Context, m *Message) error
	// ListMessages returns the inbox's messages matching f, newest first.
	ListMessages(ctx context.Context, f MessageFilter) ([]*Message, error)
	// ClearMessages empties the inbox.
	ClearMessages(ctx context.Context) error
	// PutCodeWithMessage stores a code as PutCode does and, in the same transaction, the
	// message that carries it.
	PutCodeWithMessage(ctx context.Context, c *Code, m *Message) error
	// ClaimMessages leases at most limit queued messages due at now (NextAttemptAt <= now)
	// whose lease is free or has run out, to owner until now+lease, oldest first. Two owners
	// never hold the same message at once.
	ClaimMessages(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*Message, error)
	// ClaimMessage leases one queued message by id, as ClaimMessages does; ErrNotFound if it
	// is not queued or is leased to someone else.
	ClaimMessage(ctx context.Context, id, owner string, now time.Time, lease time.Duration) (*Message, error)
	// FinishMessage records the outcome of a delivery attempt (Status, Attempts,
	// NextAttemptAt, LastError, DeliveredAt, and Body/HTML, which a real channel wipes) and
	// frees the lease; ErrConflict if owner no longer holds the lease.
	FinishMessage(ctx context.Context, m *Message, owner string) error
	// ReleaseMessages frees every lease owner holds on queued messages, so that another
	// dispatcher (the next start's) may take them at once rather than when the leases run
	// out: a stopping server hands over what it did not send.
	ReleaseMessages(ctx context.Context, owner string) error
	// CountQueuedMessages returns how many messages wait for delivery, by channel (the
	// outbox depth operators watch); channels with none are absent.
	CountQueuedMessages(ctx context.Context) (map[string]int, error)

	// PutCode stores a one-time code, replacing any code the user had for the same purpose
	// (the newest code wins). ErrNotFound if the user does not exist.
	PutCode(ctx context.Context, c *Code) error
	// GetCode returns the user's outstanding code for purpose, or ErrNotFound.
	GetCode(ctx context.Context, poolID, userSub, purpose string) (*Code, error)
	// ConsumeCode deletes the code if it is still the one whose MAC is given; it answers
	// ErrNotFound when another call consumed or replaced it first, so that a code is used
	// at most once however many requests race for it.
	ConsumeCode(ctx context.Context, poolID, userSub, purpose string, mac []byte) error
	// RedeemCode consumes the code (if its MAC is still c.MAC) and replaces the user (if its
	// stored version equals u.Version) in one transaction: ErrNotFound if the code is gone,
	// ErrConflict if the user moved on; on either, nothing is written. On success u.Version
	// has advanced. A password reset thus happens exactly when its code is used up.
	RedeemCode(ctx context.Context, c *Code, u *User) error
	// DeleteCodes deletes the user's outstanding codes for the given purposes (all if none).
	DeleteCodes(ctx context.Context, poolID, userSub string, purposes ...string) error

	// CountAttempt records one attempt of kind by subject at at, unless limit attempts were
	// recorded in the window before at; it answers whether this attempt was recorded
	// (allowed). Attempts after at-window count, later ones too: a request that read its
	// clock before another committed must still see it. The count and the insert are one atomic step,
	// so counters hold across processes. Attempts older than the window may be forgotten.
	// ErrNotFound if the pool does not exist.
	CountAttempt(ctx context.Context, poolID, subject, kind string, at time.Time, window time.Duration, limit int) (bool, error)
	// CountAttempts returns how many of subject's attempts of kind were recorded after since.
	CountAttempts(ctx context.Context, poolID, subject, kind string, since time.Time) (int, error)
	// ClearAttempts forgets subject's attempts of kind.
	ClearAttempts(ctx context.Context, poolID, subject, kind string) error

	// CreateSession stores a sign-in session (what a refresh token stands for); ErrConflict if
	// the id exists, ErrNotFound if the user does not.
	CreateSession(ctx context.Context, s *Session) error
	// GetSession returns the session or ErrNotFound.
	GetSession(ctx context.Context, id string) (*Session, error)
	// RevokeSession marks the session revoked; revoking twice is not an error and keeps the
	// first RevokedAt.
	// ErrNotFound if it does not exist.
	RevokeSession(ctx context.Context, id string, at time.Time) error

	// PutRiskConfiguration stores the risk configuration of a pool (ClientId nil) or of one
	// of its clients, replacing what there was; ErrNotFound if the pool does not exist.
	PutRiskConfiguration(ctx context.Context, r *RiskConfigurationType) error
	// GetRiskConfiguration returns the risk configuration of a pool (clientID "") or a
	// client, or ErrNotFound.
	GetRiskConfiguration(ctx context.Context, poolID, clientID string) (*RiskConfigurationType, error)
	// AddAuthEvent records an auth event of a user; ErrNotFound if the user does not exist.
	// Deleting the user deletes its events.
	AddAuthEvent(ctx context.Context, poolID, userSub string, e *AuthEventType) error
	// ListAuthEvents returns at most limit of the user's events recorded before the one
	// whose Seq is before (0: from the newest), newest first.
	ListAuthEvents(ctx context.Context, poolID, userSub string, before int64, limit int) ([]AuthEventRecord, error)

	// SigningKeys returns the installation's token signing keys, oldest first.
	SigningKeys(ctx context.Context) ([]*SigningKeyRecord, error)
	// AddSigningKey stores a new signing key; ErrConflict if its id exists.
	AddSigningKey(ctx context.Context, k *SigningKeyRecord) error

	// Reset wipes all state but the signing keys (tests use it through POST /_cognate/reset):
	// keys are the installation's identity, and tokens stay verifiable.
	Reset(ctx context.Context) error
	// ResetPool removes one pool's users (with their aliases, memberships, codes, sessions
	// and auth events), its attempts and its messages, keeping the pool, its clients, groups
	// and risk configuration (POST /_cognate/reset?UserPoolId=). ErrNotFound if the pool
	// does not exist.
	ResetPool(ctx context.Context, poolID string) error
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
}

// Pool is a stored user pool: the description DescribeUserPool returns, less the figures
// computed on read (EstimatedNumberOfUsers).
type Pool struct {
	ID      string
	Doc     UserPoolType
	Version int64
}

// Client is a stored app client: the description DescribeUserPoolClient returns.
type Client struct {
	PoolID  string
	ID      string
	Doc     UserPoolClientType
	Version int64
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

// AuthEventRecord is a stored auth event with its place in the user's history.
type AuthEventRecord struct {
	Seq   int64
	Event AuthEventType
}
