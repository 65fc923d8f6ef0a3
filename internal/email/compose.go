package email

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"
)

// Mail is one message to send.
type Mail struct {
	// MessageID becomes the Message-ID header "<MessageID@cognate>". Keep it stable across
	// retries so that a receiver can spot a duplicate; empty means a random one. It may hold
	// only the characters of an RFC 5322 dot-atom (UUIDs qualify).
	MessageID string
	// From is "Name <addr>" or "addr"; empty means DefaultFrom.
	From string
	// ReplyTo is one address, or empty for no Reply-To header.
	ReplyTo string
	// To is one address, from a stored attribute.
	To string
	// Subject is plain text; it is RFC 2047-encoded when it is not ASCII.
	Subject string
	// Text is the plain-text body.
	Text string
	// HTML is an optional HTML body; when set the mail is multipart/alternative with Text
	// first and HTML second.
	HTML string
	// Date is the Date header; zero means the time of sending.
	Date time.Time
}

// envelope is what the SMTP conversation needs besides the message itself.
type envelope struct {
	from, to string
	utf8     bool // an address is not ASCII: the server must offer SMTPUTF8
}

// maxLine is where headers are folded (RFC 5322 §2.1.1 recommends 78).
const maxLine = 78

// compose checks m and renders it as a CRLF-terminated MIME message. Every problem it finds is
// permanent: the same Mail would fail the same way on every try.
func compose(m *Mail, now func() time.Time) ([]byte, envelope, error) {
	var env envelope
	if m == nil {
		return nil, env, permanentf("no mail")
	}
	// Header injection: no field that lands in a header may break the line.
	for _, f := range []struct{ name, value string }{
		{"MessageID", m.MessageID}, {"From", m.From}, {"ReplyTo", m.ReplyTo}, {"To", m.To}, {"Subject", m.Subject},
	} {
		if err := checkHeaderValue(f.name, f.value); err != nil {
			return nil, env, err
		}
	}

	id := m.MessageID
	if id == "" {
		id = rand.Text()
	}
	if !validIDLeft(id) {
		return nil, env, permanentf("MessageID may hold only letters, digits, dots and RFC 5322 atext")
	}

	fromValue := m.From
	if fromValue == "" {
		fromValue = DefaultFrom
	}
	from, err := parseAddress("From", fromValue)
	if err != nil {
		return nil, env, err
	}
	if m.To == "" {
		return nil, env, permanentf("no To address")
	}
	to, err := parseAddress("To", m.To)
	if err != nil {
		return nil, env, err
	}
	var replyTo *mail.Address
	if m.ReplyTo != "" {
		if replyTo, err = parseAddress("ReplyTo", m.ReplyTo); err != nil {
			return nil, env, err
		}
	}
	for _, f := range []struct{ name, value string }{{"Subject", m.Subject}, {"Text", m.Text}, {"HTML", m.HTML}} {
		if !utf8.ValidString(f.value) {
			return nil, env, permanentf("%s is not valid UTF-8", f.name)
		}
	}
	env = envelope{from: from.Address, to: to.Address, utf8: !isASCII(from.Address) || !isASCII(to.Address)}

	date := m.Date
	if date.IsZero() {
		date = now()
	}

	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(fold(name, value)) }
	header("From", from.String())
	if replyTo != nil {
		header("Reply-To", replyTo.String())
	}
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("UTF-8", m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", "<"+id+"@cognate>")
	header("MIME-Version", "1.0")
	// RFC 3834: keeps vacation responders from answering a verification code.
	header("Auto-Submitted", "auto-generated")

	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=UTF-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		writeQP(&b, m.Text)
		if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
			b.WriteString("\r\n")
		}
		return b.Bytes(), env, nil
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body) // random boundary
	for _, p := range []struct{ typ, content string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.typ + "; charset=UTF-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, env, fmt.Errorf("email: compose: %w", err)
		}
		qp := quotedprintable.NewWriter(w)
		qp.Write([]byte(p.content))
		qp.Close()
	}
	if err := mw.Close(); err != nil {
		return nil, env, fmt.Errorf("email: compose: %w", err)
	}
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	b.Write(body.Bytes())
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), env, nil
}

// writeQP writes s quoted-printable; line breaks become CRLF and lines stay under 77 octets.
func writeQP(b *bytes.Buffer, s string) {
	qp := quotedprintable.NewWriter(b)
	qp.Write([]byte(s)) // writes to a bytes.Buffer do not fail
	qp.Close()
}

// checkHeaderValue refuses line breaks and other control characters (tab aside) in a value
// bound for a header; the error does not repeat the value.
func checkHeaderValue(name, value string) error {
	for _, r := range value {
		switch {
		case r == '\r' || r == '\n':
			return permanentf("%s contains a line break", name)
		case (r < ' ' && r != '\t') || r == 0x7f:
			return permanentf("%s contains a control character", name)
		}
	}
	return nil
}

// parseAddress parses exactly one address; a list, a group or a bare name is refused.
func parseAddress(field, value string) (*mail.Address, error) {
	a, err := mail.ParseAddress(value)
	if err != nil {
		return nil, fmt.Errorf("email: invalid %s address (%v): %w", field, err, ErrPermanent)
	}
	return a, nil
}

// validIDLeft reports whether id can stand left of the @ in a Message-ID: a dot-atom-text.
func validIDLeft(id string) bool {
	if id == "" || len(id) > 200 || id[0] == '.' || id[len(id)-1] == '.' || strings.Contains(id, "..") {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~.", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// fold renders one header field, folding at spaces so that lines stay within maxLine where
// the value allows it. Unfolding (deleting each CRLF) gives back "name: value" exactly.
func fold(name, value string) string {
	var out strings.Builder
	line, hasWord := name+":", false
	for _, word := range strings.Split(value, " ") {
		// Fold before a word that would overflow the line, even right after the colon (an
		// RFC 2047 encoded-word can be 75 octets long), but never leave a blank line.
		if word != "" && (hasWord || line == name+":") && len(line)+1+len(word) > maxLine {
			out.WriteString(line)
			out.WriteString("\r\n")
			line, hasWord = "", false
		}
		line += " " + word
		hasWord = hasWord || word != ""
	}
	out.WriteString(line)
	out.WriteString("\r\n")
	return out.String()
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// permanentf returns a permanent error described by format.
func permanentf(format string, args ...any) error {
	return fmt.Errorf("email: %s: %w", fmt.Sprintf(format, args...), ErrPermanent)
}
