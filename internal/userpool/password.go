package userpool

import (
	"context"
	crand "crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// HashParams are argon2id's cost parameters.
type HashParams struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultHashParams are the parameters ARCHITECTURE.md decides: m=19456 KiB, t=2, p=1
// (OWASP's argon2id recommendation).
var DefaultHashParams = HashParams{MemoryKiB: 19456, Time: 2, Threads: 1}

// Hasher hashes and verifies passwords with argon2id, at most a fixed number at a time:
// each hash holds MemoryKiB of memory, so an unbounded burst of sign-ins could exhaust it.
// At most HashQueue hashes a slot wait for one; past that the server is overloaded, and a
// request is refused with TooManyRequestsException rather than queued until its client
// gives up.
type Hasher struct {
	params HashParams
	slots  chan struct{}
	dummy  string
	queue  int64 // how many may wait for a slot
	// waiting counts the hashes queued for a slot: the depth operators watch.
	waiting atomic.Int64
}

// NewHasher returns a Hasher with the given parameters that runs at most concurrency hashes at once.
func NewHasher(p HashParams, concurrency int) *Hasher {
	if concurrency < 1 {
		concurrency = 1
	}
	h := &Hasher{params: p, slots: make(chan struct{}, concurrency), queue: HashQueue * int64(concurrency)}
	// A fixed hash to verify against when there is no user, so that "no such user" costs
	// the same time as "wrong password" (equal-time answers, ARCHITECTURE.md "Enumeration").
	// Verify derives a key under its parameters and salt, which is the whole cost, and
	// never accepts it, so its key need not be derived from anything: no argon2id at start,
	// which kept a restart waiting for a hash on busy cores.
	h.dummy = h.encode(make([]byte, 16), make([]byte, 32))
	return h
}

func (h *Hasher) key(password, salt []byte, p HashParams) []byte {
	return argon2.IDKey(password, salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

func (h *Hasher) encode(salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.MemoryKiB, h.params.Time, h.params.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Waiting returns how many hashes wait for a free slot.
func (h *Hasher) Waiting() int { return int(h.waiting.Load()) }

// HashQueue is how many hashes may wait for each slot. The bound is on the queue, not on
// the time waited, so that it holds on a slow machine as on a fast one: a burst of a few
// dozen hashes is queued anywhere, and a flood that would queue without end (ten times the
// rate the cores hash) is refused. The wait it allows is HashQueue hash times: about a
// second on two free cores, many more on cores other work starves.
const HashQueue = 16

// errOverloaded is the answer to a request whose hash found the queue full: the exception
// Cognito's model lists for every operation that hashes a password, with the message AWS
// was observed to send with it (spec §1.3, row 2: the request-rate quota).
var errOverloaded = newError("TooManyRequestsException", "Too many requests")

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	defer h.waiting.Add(-1)
	if h.waiting.Add(1) > h.queue {
		return errOverloaded
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Admit refuses, with TooManyRequestsException, a request whose hash would find the queue
// full. Operations that count an attempt before they hash ask first, so that an overloaded
// server does not spend a user's attempts (and lock a right password out) on hashes it
// refuses. It is advisory: the queue may fill between Admit and the hash, which then is
// refused after the count, as rarely as two requests meet in that instant.
func (h *Hasher) Admit() error {
	if len(h.slots) == cap(h.slots) && h.waiting.Load() >= h.queue {
		return errOverloaded
	}
	return nil
}

// Hash returns the PHC string of password under a fresh salt read from rnd.
func (h *Hasher) Hash(ctx context.Context, rnd io.Reader, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := io.ReadFull(rnd, salt); err != nil {
		return "", err
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	return h.encode(salt, h.key([]byte(password), salt, h.params)), nil
}

// Verify reports whether password matches the PHC string. An empty encoded string is
// checked against a dummy hash, so that the call takes the same time and answers false.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	real := encoded != ""
	if !real {
		encoded = h.dummy
	}
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := h.key([]byte(password), salt, p)
	return real && subtle.ConstantTimeCompare(got, want) == 1, nil
}

func parsePHC(s string) (HashParams, []byte, []byte, error) {
	var p HashParams
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("password hash: not an argon2id PHC string")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errors.New("password hash: unsupported argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("password hash: parameters: %w", err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("password hash: salt: %w", err)
	}
	key, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return p, nil, nil, fmt.Errorf("password hash: key: %w", err)
	}
	return p, salt, key, nil
}

// passwordSymbols are the characters Cognito counts as symbols (developer guide,
// "Password policies"); a space counts too when it is not leading or trailing.
const passwordSymbols = "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+= "

// defaultPasswordPolicy is Cognito's policy for a pool created without one.
func defaultPasswordPolicy() *PasswordPolicyType {
	return &PasswordPolicyType{
		MinimumLength:                 ptr(int32(8)),
		RequireUppercase:              ptr(true),
		RequireLowercase:              ptr(true),
		RequireNumbers:                ptr(true),
		RequireSymbols:                ptr(true),
		TemporaryPasswordValidityDays: ptr(int32(7)),
	}
}

// checkPassword applies the pool's policy and answers InvalidPasswordException with AWS's reason.
func checkPassword(p *PasswordPolicyType, password string) error {
	if p == nil {
		p = defaultPasswordPolicy()
	}
	fail := func(reason string) error {
		return newError("InvalidPasswordException", "Password does not conform to policy: %s", reason)
	}
	min := int(deref(p.MinimumLength))
	if min == 0 {
		min = 8
	}
	if len([]rune(password)) < min {
		return fail("Password not long enough")
	}
	var upper, lower, digit, symbol bool
	for _, r := range password {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(passwordSymbols, r):
			symbol = true
		}
	}
	switch {
	case deref(p.RequireUppercase) && !upper:
		return fail("Password must have uppercase characters")
	case deref(p.RequireLowercase) && !lower:
		return fail("Password must have lowercase characters")
	case deref(p.RequireNumbers) && !digit:
		return fail("Password must have numeric characters")
	case deref(p.RequireSymbols) && !symbol:
		return fail("Password must have symbol characters")
	}
	return nil
}

// temporaryPassword draws a password that satisfies the policy, for AdminCreateUser
// without TemporaryPassword.
func temporaryPassword(rnd io.Reader, p *PasswordPolicyType) (string, error) {
	if p == nil {
		p = defaultPasswordPolicy()
	}
	n := max(int(deref(p.MinimumLength)), 12)
	const (
		uppers  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		lowers  = "abcdefghijkmnopqrstuvwxyz"
		digits  = "23456789"
		symbols = "^$*.[]{}()?-!@#%&/,><:;|_~+="
	)
	pick := func(set string) (byte, error) {
		i, err := randIndex(rnd, len(set))
		return set[i], err
	}
	out := make([]byte, 0, n)
	for _, set := range []string{uppers, lowers, digits, symbols} {
		c, err := pick(set)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	all := uppers + lowers + digits + symbols
	for len(out) < n {
		c, err := pick(all)
		if err != nil {
			return "", err
		}
		out = append(out, c)
	}
	// Shuffle so that the classes do not sit at fixed places.
	for i := len(out) - 1; i > 0; i-- {
		j, err := randIndex(rnd, i+1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

// randIndex returns a uniform integer in [0, n) from rnd, without modulo bias.
func randIndex(rnd io.Reader, n int) (int, error) {
	v, err := crand.Int(rnd, big.NewInt(int64(n)))
	if err != nil {
		return 0, err
	}
	return int(v.Int64()), nil
}

// asSignUpPasswordError rewords a policy refusal the way SignUp and AdminCreateUser word
// it ("Password did not conform with policy: …"); other operations say "does not conform to".
func asSignUpPasswordError(err error) error {
	if e, ok := err.(*Error); ok && e.Code == "InvalidPasswordException" {
		return &Error{Code: e.Code, Message: strings.Replace(e.Message, "Password does not conform to policy: ", "Password did not conform with policy: ", 1)}
	}
	return err
}

// PasswordSymbols are the characters a password policy's RequireSymbols counts, for the
// hosted pages to check a password as it is typed.
const PasswordSymbols = passwordSymbols
