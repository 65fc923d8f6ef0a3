package awsjson

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/go-json-experiment/json/jsontext"
)

// number is a JSON number kept as written, so that integers are checked exactly.
type number string

// parse reads a request body into a tree of map[string]any, []any, string, number, bool and
// nil. jsontext refuses invalid UTF-8 and duplicate names, which encoding/json lets through.
func parse(body []byte) (map[string]any, error) {
	d := jsontext.NewDecoder(bytes.NewReader(body))
	if d.PeekKind() != '{' {
		if _, err := d.ReadToken(); err != nil {
			return nil, serialization("The request body is not valid JSON: %v", err)
		}
		return nil, serialization("The request body must be a JSON object.")
	}
	v, err := decodeValue(d)
	if err != nil {
		return nil, serialization("The request body is not valid JSON: %v", err)
	}
	if _, err := d.ReadToken(); !errors.Is(err, io.EOF) {
		return nil, serialization("The request body has data after its JSON object.")
	}
	return v.(map[string]any), nil
}

func decodeValue(d *jsontext.Decoder) (any, error) {
	tok, err := d.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '{':
		m := map[string]any{}
		for d.PeekKind() != '}' {
			k, err := d.ReadToken()
			if err != nil {
				return nil, err
			}
			key := k.String()
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
		_, err := d.ReadToken()
		return m, err
	case '[':
		l := []any{}
		for d.PeekKind() != ']' {
			v, err := decodeValue(d)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		_, err := d.ReadToken()
		return l, err
	case '"':
		return tok.String(), nil
	case '0':
		return number(tok.String()), nil
	case 't', 'f':
		return tok.Bool(), nil
	}
	return nil, nil
}

// validator collects the model constraint violations of one request, in AWS Coral's words.
type validator struct {
	clauses []string
	collect bool // keep only the constraint phrases, for a list's or map's one clause
}

// scalar reports whether a shape is a plain value (not a structure, list, map or document).
func scalar(s *Shape) bool {
	switch s.Kind {
	case KindStructure, KindList, KindMap, KindDocument:
		return false
	}
	return true
}

// unique keeps the first of each repeated phrase, in order.
func unique(phrases []string) []string {
	var out []string
	for _, p := range phrases {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// memberPath is how Coral names a member in messages: its name with a lower-case first letter.
func memberPath(parent, name string) string {
	n := strings.ToLower(name[:1]) + name[1:]
	if parent == "" {
		return n
	}
	return parent + "." + n
}

func (v *validator) fail(value any, path string, sensitive bool, constraint string) {
	if v.collect {
		v.clauses = append(v.clauses, constraint)
		return
	}
	if sensitive {
		v.clauses = append(v.clauses, fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", path, constraint))
		return
	}
	v.clauses = append(v.clauses, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", show(value), path, constraint))
}

// sortedKeys returns the names of an object in order, so that messages about a map (or the
// first of several wrong-case names) do not change with Go's random map iteration order.
func sortedKeys(obj map[string]any) []string {
	return slices.Sorted(maps.Keys(obj))
}

// show prints a value as Coral does (Java's toString): lists as [a, b], maps as {k=v}.
func show(value any) string {
	switch x := value.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		parts := make([]string, 0, len(x))
		for _, k := range sortedKeys(x) {
			parts = append(parts, k+"="+show(x[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case nil:
		return "null"
	}
	return fmt.Sprint(value)
}

func (v *validator) structure(s *Shape, obj map[string]any, path string, sensitive bool) error {
	for _, key := range sortedKeys(obj) {
		known := false
		for _, m := range s.Members {
			if m.Name == key {
				known = true
				break
			}
		}
		if known {
			continue
		}
		for _, m := range s.Members {
			if strings.EqualFold(m.Name, key) {
				// Member names are case-sensitive; a near miss is a client bug to report,
				// not a member to ignore silently.
				return serialization("Unrecognized member '%s' (the model names it '%s').", key, m.Name)
			}
		}
		// Unknown members are ignored, as AWS does, so that newer clients keep working.
	}
	for _, m := range s.Members {
		p := memberPath(path, m.Name)
		val, present := obj[m.Name]
		if !present || val == nil {
			if m.Required {
				v.clauses = append(v.clauses, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", p))
			}
			continue
		}
		if err := v.value(m.Shape, val, p, sensitive || m.Shape.Sensitive); err != nil {
			return err
		}
	}
	return nil
}

func (v *validator) value(s *Shape, val any, path string, sensitive bool) error {
	mismatch := func(want string) error {
		return serialization("Expected %s at '%s'.", want, path)
	}
	switch s.Kind {
	case KindDocument:
		return nil
	case KindStructure:
		obj, ok := val.(map[string]any)
		if !ok {
			return mismatch("an object")
		}
		return v.structure(s, obj, path, sensitive || s.Sensitive)
	case KindList:
		list, ok := val.([]any)
		if !ok {
			return mismatch("a list")
		}
		v.length(s, val, int64(len(list)), path, sensitive)
		if scalar(s.Item) {
			// Coral reports a plain member's violations once, at the list, with the whole
			// list as the value: "Member must satisfy constraint: [<what the member broke>]".
			inner := validator{collect: true}
			for _, e := range list {
				if e == nil {
					return mismatch("a list without null members")
				}
				if err := inner.value(s.Item, e, path, false); err != nil {
					return err
				}
			}
			if len(inner.clauses) > 0 {
				v.fail(val, path, sensitive || s.Item.Sensitive, "Member must satisfy constraint: ["+strings.Join(unique(inner.clauses), ", ")+"]")
			}
			return nil
		}
		for i, e := range list {
			if e == nil {
				return mismatch("a list without null members")
			}
			if err := v.value(s.Item, e, fmt.Sprintf("%s.%d.member", path, i+1), sensitive || s.Item.Sensitive); err != nil {
				return err
			}
		}
	case KindMap:
		obj, ok := val.(map[string]any)
		if !ok {
			return mismatch("a map")
		}
		v.length(s, val, int64(len(obj)), path, sensitive)
		if scalar(s.Item) {
			// As for lists, Coral reports once at the map: its keys, then its values.
			keys, values := validator{collect: true}, validator{collect: true}
			for _, k := range sortedKeys(obj) {
				if s.Key != nil {
					if err := keys.value(s.Key, k, path, false); err != nil {
						return err
					}
				}
				if obj[k] == nil {
					return mismatch("a map without null values")
				}
				if err := values.value(s.Item, obj[k], path, false); err != nil {
					return err
				}
			}
			if len(keys.clauses) > 0 {
				v.fail(val, path, sensitive || s.Key.Sensitive, "Map keys must satisfy constraint: ["+strings.Join(unique(keys.clauses), ", ")+"]")
			}
			if len(values.clauses) > 0 {
				v.fail(val, path, sensitive || s.Item.Sensitive, "Map value must satisfy constraint: ["+strings.Join(unique(values.clauses), ", ")+"]")
			}
			return nil
		}
		for _, k := range sortedKeys(obj) {
			e := obj[k]
			if s.Key != nil {
				if err := v.value(s.Key, k, path+".key", sensitive || s.Key.Sensitive); err != nil {
					return err
				}
			}
			if e == nil {
				return mismatch("a map without null values")
			}
			if err := v.value(s.Item, e, path+"."+k, sensitive || s.Item.Sensitive); err != nil {
				return err
			}
		}
	case KindString:
		str, ok := val.(string)
		if !ok {
			return mismatch("a string")
		}
		// Coral reports the pattern before the length (as real Cognito answers show).
		if s.Pattern != nil && !s.Pattern.MatchString(str) {
			v.fail(str, path, sensitive, "Member must satisfy regular expression pattern: "+s.PatternSrc)
		}
		v.length(s, str, int64(len(utf16.Encode([]rune(str)))), path, sensitive)
		if len(s.Enum) > 0 {
			found := false
			for _, e := range s.Enum {
				if e == str {
					found = true
					break
				}
			}
			if !found {
				v.fail(str, path, sensitive, "Member must satisfy enum value set: ["+strings.Join(s.Enum, ", ")+"]")
			}
		}
	case KindInteger, KindLong:
		n, ok := val.(number)
		if !ok {
			return mismatch("a number")
		}
		bits := 32
		if s.Kind == KindLong {
			bits = 64
		}
		i, err := strconv.ParseInt(string(n), 10, bits)
		if err != nil {
			return mismatch("an integer in range")
		}
		if s.Min != nil && i < *s.Min {
			v.fail(i, path, sensitive, fmt.Sprintf("Member must have value greater than or equal to %d", *s.Min))
		}
		if s.Max != nil && i > *s.Max {
			v.fail(i, path, sensitive, fmt.Sprintf("Member must have value less than or equal to %d", *s.Max))
		}
	case KindBoolean:
		if _, ok := val.(bool); !ok {
			return mismatch("a boolean")
		}
	case KindTimestamp:
		n, ok := val.(number)
		if !ok {
			return mismatch("a timestamp in epoch seconds")
		}
		if f, err := strconv.ParseFloat(string(n), 64); err != nil || math.IsInf(f, 0) {
			return mismatch("a timestamp in epoch seconds")
		}
	case KindBlob:
		str, ok := val.(string)
		if !ok {
			return mismatch("a base64 string")
		}
		if _, err := base64.StdEncoding.DecodeString(str); err != nil {
			return mismatch("a base64 string")
		}
	}
	return nil
}

func (v *validator) length(s *Shape, val any, n int64, path string, sensitive bool) {
	// A list or map is printed whole, so it is shown only when nothing inside it is sensitive.
	hide := func() bool { return sensitive || holdsSensitive(s, map[*Shape]bool{}) }
	if s.Min != nil && n < *s.Min {
		v.fail(val, path, hide(), fmt.Sprintf("Member must have length greater than or equal to %d", *s.Min))
	}
	if s.Max != nil && n > *s.Max {
		v.fail(val, path, hide(), fmt.Sprintf("Member must have length less than or equal to %d", *s.Max))
	}
}

// holdsSensitive reports whether a value of shape s may carry sensitive data anywhere inside.
func holdsSensitive(s *Shape, seen map[*Shape]bool) bool {
	if s == nil || seen[s] {
		return false
	}
	if s.Sensitive {
		return true
	}
	seen[s] = true
	switch s.Kind {
	case KindStructure:
		for _, m := range s.Members {
			if holdsSensitive(m.Shape, seen) {
				return true
			}
		}
	case KindList, KindMap:
		return holdsSensitive(s.Item, seen) || holdsSensitive(s.Key, seen)
	}
	return false
}
