package sigv4

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Credentials maps access key ids to the secret access keys that sign with them.
type Credentials map[string]string

// The keys of a shared-credentials section that make up one key pair. Other keys
// (region, aws_session_token, ...) may appear in the same file and are ignored, so
// that a file written for the AWS CLI can be used unchanged.
const (
	keyAccessKeyID     = "aws_access_key_id"
	keySecretAccessKey = "aws_secret_access_key"
)

// LoadCredentials reads key pairs in the AWS shared-credentials INI format:
// "[name]" lines open a section, "key = value" lines set a key in it, and lines
// starting with '#' or ';' are comments. Every section that sets both
// aws_access_key_id and aws_secret_access_key contributes one pair; a section that
// sets only one of them is an error, because it is almost certainly a mistake that
// would otherwise silently lock a client out. All problems are reported together,
// each with its line number, so that a broken file can be fixed in one pass. A
// file that yields no pair at all is an error too: a server that accepts no
// credentials would refuse every request.
func LoadCredentials(r io.Reader) (Credentials, error) {
	type section struct {
		name               string
		line               int
		id, secret         string
		idLine, secretLine int
	}
	type problemAt struct {
		line int
		msg  string
	}
	var (
		problems []problemAt
		sections []*section
		seen     = map[string]int{} // section name -> line of its header
		cur      *section
		// skipping is set after a header that was itself reported as broken, so that
		// the keys under it are not reported a second time as being outside a section.
		skipping bool
	)
	problem := func(line int, format string, args ...any) {
		problems = append(problems, problemAt{line, fmt.Sprintf(format, args...)})
	}

	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if n == 1 {
			line = strings.TrimPrefix(line, "\uFEFF") // editors on Windows like to add a BOM
		}
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
			continue
		case line[0] == '[':
			if !strings.HasSuffix(line, "]") {
				problem(n, "section header %q has no closing ']'", line)
				cur, skipping = nil, true
				continue
			}
			name := strings.TrimSpace(line[1 : len(line)-1])
			if name == "" {
				problem(n, "section header has an empty name")
				cur, skipping = nil, true
				continue
			}
			if first, ok := seen[name]; ok {
				problem(n, "section [%s] repeats the one on line %d", name, first)
				cur, skipping = nil, true
				continue
			}
			seen[name] = n
			cur, skipping = &section{name: name, line: n}, false
			sections = append(sections, cur)
			continue
		}

		key, value, ok := strings.Cut(line, "=")
		if !ok {
			problem(n, "expected \"key = value\", a [section] header or a comment")
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		if key != keyAccessKeyID && key != keySecretAccessKey {
			continue
		}
		if cur == nil {
			if !skipping {
				problem(n, "%s outside any [section]", key)
			}
			continue
		}
		if value == "" {
			problem(n, "%s is empty", key)
			continue
		}
		if strings.ContainsAny(value, " \t") {
			problem(n, "%s contains whitespace", key)
			continue
		}
		switch key {
		case keyAccessKeyID:
			if cur.idLine != 0 {
				problem(n, "%s repeats the one on line %d", key, cur.idLine)
				continue
			}
			cur.id, cur.idLine = value, n
		case keySecretAccessKey:
			if cur.secretLine != 0 {
				problem(n, "%s repeats the one on line %d", key, cur.secretLine)
				continue
			}
			cur.secret, cur.secretLine = value, n
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading credentials: %w", err)
	}

	creds := Credentials{}
	idLines := map[string]int{} // access key id -> line it was first set on
	for _, s := range sections {
		switch {
		case s.idLine == 0 && s.secretLine == 0:
			continue // a section for other settings, e.g. only a region
		case s.idLine == 0:
			problem(s.line, "section [%s] has %s but no %s", s.name, keySecretAccessKey, keyAccessKeyID)
			continue
		case s.secretLine == 0:
			problem(s.line, "section [%s] has %s but no %s", s.name, keyAccessKeyID, keySecretAccessKey)
			continue
		}
		if first, ok := idLines[s.id]; ok {
			// The same id with two secrets cannot be served; with the same secret it is
			// harmless but still a sign of a copy-and-paste slip, so it is reported too.
			problem(s.idLine, "access key id %s is already defined on line %d", s.id, first)
			continue
		}
		idLines[s.id] = s.idLine
		creds[s.id] = s.secret
	}

	if len(problems) > 0 {
		// Section-level problems are found after the scan; sorting puts every
		// message back in file order, which is how a reader fixes them.
		slices.SortStableFunc(problems, func(a, b problemAt) int { return cmp.Compare(a.line, b.line) })
		var b strings.Builder
		b.WriteString("invalid credentials file:")
		for _, p := range problems {
			fmt.Fprintf(&b, "\n  line %d: %s", p.line, p.msg)
		}
		return nil, errors.New(b.String())
	}
	if len(creds) == 0 {
		return nil, fmt.Errorf("invalid credentials file: no section has both %s and %s", keyAccessKeyID, keySecretAccessKey)
	}
	return creds, nil
}
