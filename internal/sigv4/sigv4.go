// Package sigv4 verifies AWS Signature Version 4 on incoming HTTP requests, so
// that cognate can demand from AWS SDKs and the AWS CLI the same signed requests
// that Amazon Cognito demands, using access keys that cognate's operator issues.
//
// It checks the Authorization-header form of SigV4 (algorithm AWS4-HMAC-SHA256)
// and reports failures with the exception names and messages AWS services send,
// so that clients see the errors they already know how to handle.
//
// It does not implement presigned (query-string) authentication, SigV4a,
// chunked/streaming payload signing, or IAM: a valid signature proves only that
// the caller holds one of the configured secrets, not what it may do. Session
// tokens (X-Amz-Security-Token) are tolerated but not validated, because cognate
// has no token service that could have issued them. The region in the credential
// scope is not checked against anything, because a self-hosted server has no
// reason to refuse a client configured for another region.
package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Error is a refused request: Code is the exception name AWS puts in the
// "__type" of its JSON error body and Message is AWS's wording for it, so that
// the server can send both unchanged.
type Error struct {
	Code    string
	Message string
}

// Error returns the code and message together, for logs.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// The exception names AWS JSON-protocol services use for authentication failures.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeUnrecognizedClient         = "UnrecognizedClientException"
	CodeInvalidSignature           = "InvalidSignatureException"
)

const (
	algorithm       = "AWS4-HMAC-SHA256"
	terminator      = "aws4_request"
	isoBasic        = "20060102T150405Z" // ISO 8601 basic format, as SigV4 writes dates
	unsignedPayload = "UNSIGNED-PAYLOAD"
	defaultMaxSkew  = 15 * time.Minute // what AWS allows between client and server clocks

	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// Verifier checks SigV4 signatures against a fixed set of credentials. Its zero
// value is not usable: Credentials and Service must be set. A Verifier is not
// modified by Verify, so one value may serve concurrent requests.
type Verifier struct {
	// Credentials are the access keys that may sign requests.
	Credentials Credentials
	// Service is the signing name the credential scope must name, "cognito-idp" for cognate.
	Service string
	// Now returns the current time; nil means time.Now. Tests set it to pin the clock.
	Now func() time.Time
	// MaxSkew is how far the signing date may be from Now in either direction;
	// 0 means 15 minutes, the window AWS uses.
	MaxSkew time.Duration
}

// Verify checks the signature of r, whose body the caller has already read into
// body (Verify does not touch r.Body, so the caller can still use the bytes).
// It returns nil if the request is signed by one of v.Credentials for v.Service,
// and otherwise an *Error carrying the exception name and message AWS would send.
//
// The checks run in the order AWS's services run them, so that a request that is
// wrong in several ways is refused with the same error AWS would give.
func (v *Verifier) Verify(r *http.Request, body []byte) error {
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	if auth == "" {
		return &Error{CodeMissingAuthenticationToken, "Missing Authentication Token"}
	}

	alg, params, err := parseAuthorization(auth)
	if err != nil {
		return err
	}

	// AWS lists every missing part at once, then quotes the header it got; the
	// header holds the access key id and signature but never the secret key.
	rawDate, dateFromAmz := r.Header.Get("X-Amz-Date"), true
	if rawDate == "" {
		rawDate, dateFromAmz = r.Header.Get("Date"), false
	}
	var missing strings.Builder
	for _, name := range []string{"Credential", "Signature", "SignedHeaders"} {
		// An empty SignedHeaders passes here, as with AWS; the Host check refuses it.
		if value, ok := params[name]; !ok || value == "" && name != "SignedHeaders" {
			fmt.Fprintf(&missing, "Authorization header requires '%s' parameter. ", name)
		}
	}
	if rawDate == "" {
		missing.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	if missing.Len() > 0 {
		return &Error{CodeIncompleteSignature, missing.String() + "Authorization=" + auth}
	}

	signedAt, ok := parseDate(rawDate, dateFromAmz)
	if !ok {
		return &Error{CodeIncompleteSignature, fmt.Sprintf(
			"Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", rawDate)}
	}
	if err := v.checkSkew(signedAt); err != nil {
		return err
	}

	signedHeaders := strings.Split(params["SignedHeaders"], ";")
	if !slices.ContainsFunc(signedHeaders, func(h string) bool { return strings.EqualFold(h, "host") }) {
		return &Error{CodeInvalidSignature, "'Host' must be a 'SignedHeader' in the AWS Authorization."}
	}

	if alg != algorithm {
		return &Error{CodeIncompleteSignature, fmt.Sprintf(
			"Unsupported AWS 'algorithm': '%s' (only %s for now). ", alg, algorithm)}
	}

	credential := params["Credential"]
	scope := strings.Split(strings.TrimRight(credential, "/"), "/")
	if len(scope) != 5 {
		return &Error{CodeIncompleteSignature, fmt.Sprintf(
			"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'",
			credential)}
	}
	keyID, scopeDate, region, service, term := scope[0], scope[1], scope[2], scope[3], scope[4]
	amzDate := signedAt.Format(isoBasic)
	var wrongScope strings.Builder
	if !validRegion(region) {
		fmt.Fprintf(&wrongScope, "Credential should be scoped to a valid region, not '%s'. ", region)
	}
	if service != v.Service {
		fmt.Fprintf(&wrongScope, "Credential should be scoped to correct service: '%s'. ", v.Service)
	}
	if term != terminator {
		fmt.Fprintf(&wrongScope, "Credential should be scoped with a valid terminator: '%s', not '%s'. ", terminator, term)
	}
	if scopeDate != amzDate[:8] {
		fmt.Fprintf(&wrongScope,
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			scopeDate, amzDate[:8], amzDate)
	}
	if wrongScope.Len() > 0 {
		return &Error{CodeInvalidSignature, wrongScope.String()}
	}

	secret, ok := v.Credentials[keyID]
	if !ok {
		return &Error{CodeUnrecognizedClient, "The security token included in the request is invalid."}
	}

	payloadHash, ok := payloadHash(r, body)
	if !ok {
		return &Error{CodeInvalidSignature, msgSignatureMismatch}
	}
	canonical := canonicalRequest(r, signedHeaders, payloadHash)
	credentialScope := strings.Join(scope[1:], "/")
	stringToSign := algorithm + "\n" + amzDate + "\n" + credentialScope + "\n" + hexSHA256([]byte(canonical))

	key := hmacSHA256([]byte("AWS4"+secret), scopeDate)
	key = hmacSHA256(key, region)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, terminator)
	want := hex.EncodeToString(hmacSHA256(key, stringToSign))

	// Constant time, so that response timing does not reveal how many leading
	// characters of a forged signature were right.
	if !hmac.Equal([]byte(want), []byte(params["Signature"])) {
		return &Error{CodeInvalidSignature, msgSignatureMismatch}
	}
	return nil
}

// parseAuthorization splits "ALGORITHM k=v, k=v, ..." into the algorithm and its
// parameters, refusing the header the way AWS does if a part is not a key=value pair.
func parseAuthorization(auth string) (alg string, params map[string]string, err error) {
	alg, rest, _ := strings.Cut(auth, " ")
	params = map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok {
			return "", nil, &Error{CodeIncompleteSignature, fmt.Sprintf(
				"'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", part, auth)}
		}
		params[strings.TrimSpace(k)] = strings.TrimSpace(val)
	}
	return alg, params, nil
}

// parseDate reads the signing date. X-Amz-Date must be in ISO 8601 basic format;
// a Date header may also be in any HTTP date format, because that is what the
// header normally carries and SigV4 allows it to stand in for X-Amz-Date.
func parseDate(raw string, fromAmz bool) (time.Time, bool) {
	if t, err := time.Parse(isoBasic, raw); err == nil && len(raw) == len(isoBasic) {
		return t, true
	}
	if !fromAmz {
		if t, err := http.ParseTime(raw); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// checkSkew refuses a signing date too far from the server's clock, which limits
// how long a captured request can be replayed. The messages follow AWS's, which
// show the arithmetic so that a user can see how far off their clock is.
func (v *Verifier) checkSkew(signedAt time.Time) error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	skew := v.MaxSkew
	if skew <= 0 {
		skew = defaultMaxSkew
	}
	t := now().UTC().Truncate(time.Second)
	window := formatWindow(skew)
	switch {
	case signedAt.Before(t.Add(-skew)):
		return &Error{CodeInvalidSignature, fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - %s.)",
			signedAt.Format(isoBasic), t.Add(-skew).Format(isoBasic), t.Format(isoBasic), window)}
	case signedAt.After(t.Add(skew)):
		return &Error{CodeInvalidSignature, fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + %s.)",
			signedAt.Format(isoBasic), t.Add(skew).Format(isoBasic), t.Format(isoBasic), window)}
	}
	return nil
}

// formatWindow writes the skew as AWS does ("15 min"), falling back to seconds
// for a window that is not a whole number of minutes.
func formatWindow(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d sec", d/time.Second)
}

// validRegion accepts anything shaped like a region name, since any region is
// served; it only rejects scopes that cannot be one, such as an empty element.
func validRegion(region string) bool {
	if region == "" {
		return false
	}
	for _, c := range []byte(region) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// payloadHash returns the hash the client signed the body with. Without an
// X-Amz-Content-Sha256 header that is the hash of the body itself. With one, the
// client signed the header's value instead, so that value is used, but a hex hash
// must still match the body, or a body swapped in transit would pass along with
// the original header. UNSIGNED-PAYLOAD is the client's explicit choice not to
// protect the body and is honoured. ok is false for any other value.
func payloadHash(r *http.Request, body []byte) (hash string, ok bool) {
	actual := hexSHA256(body)
	declared := r.Header.Get("X-Amz-Content-Sha256")
	switch {
	case declared == "":
		return actual, true
	case declared == unsignedPayload:
		return declared, true
	case hmac.Equal([]byte(strings.ToLower(declared)), []byte(actual)):
		return declared, true
	}
	return "", false
}

// canonicalRequest builds the SigV4 canonical request for r as a client signs it.
func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.RawQuery))
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(strings.ToLower(name))
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// canonicalURI is the path as it came over the wire, URI-encoded once more. Every
// service but S3 signs it that way, so a path segment reaches the signature
// encoded twice relative to its decoded form. An empty path is "/".
func canonicalURI(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		return "/"
	}
	return uriEncode(p, false)
}

// canonicalQuery encodes each query name and value, then sorts by encoded name
// and value, as SigV4 requires. It reads the query the way net/http does
// (a '+' is a space), because that is how the AWS SDKs read it when signing.
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	// A malformed pair is dropped by ParseQuery just as it is by r.URL.Query();
	// if it mattered to the client, the signature will not match.
	values, _ := url.ParseQuery(raw)
	type pair struct{ k, v string }
	pairs := make([]pair, 0, len(values))
	for k, vs := range values {
		for _, val := range vs {
			pairs = append(pairs, pair{uriEncode(k, true), uriEncode(val, true)})
		}
	}
	// Sorted by encoded name, then encoded value; sorting joined "k=v" strings
	// would not do, since '=' sorts after '-', '.', '%' and the digits.
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	joined := make([]string, len(pairs))
	for i, p := range pairs {
		joined[i] = p.k + "=" + p.v
	}
	return strings.Join(joined, "&")
}

// canonicalHeaderValue joins a header's values with commas, each trimmed and with
// runs of spaces collapsed. Go's server moves Host out of the header map into
// r.Host, and a chunked request has no Content-Length header, so both are taken
// from where net/http keeps them.
func canonicalHeaderValue(r *http.Request, name string) string {
	values := r.Header.Values(name)
	if len(values) == 0 {
		switch strings.ToLower(name) {
		case "host":
			values = []string{r.Host}
		case "content-length":
			if r.ContentLength >= 0 {
				values = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		}
	}
	cleaned := make([]string, len(values))
	for i, val := range values {
		cleaned[i] = trimAll(val)
	}
	return strings.Join(cleaned, ",")
}

// trimAll trims surrounding whitespace and collapses each run of inner spaces to
// one. Only spaces are collapsed, not tabs, because that is what the spec says
// and what the AWS SDKs do; collapsing more would break their signatures.
func trimAll(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// uriEncode percent-encodes every byte outside RFC 3986's unreserved set with
// upper-case hex, as SigV4 specifies; '/' is kept when encoding a path.
func uriEncode(s string, encodeSlash bool) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// ScopeRegion returns the region of a request's SigV4 credential scope (the third element
// of the Authorization header's Credential), or "" when the request carries no such
// header or the scope names no region. It does not verify the signature: a Verifier does,
// and it covers the scope, so once the request has passed one the region is the signer's.
func ScopeRegion(r *http.Request) string {
	alg, params, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil || alg != algorithm {
		return ""
	}
	scope := strings.Split(params["Credential"], "/")
	if len(scope) != 5 || !validRegion(scope[2]) {
		return ""
	}
	return scope[2]
}
