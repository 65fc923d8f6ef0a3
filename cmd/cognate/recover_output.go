package main

// What the recovery commands print: the cmdlets' -Select (spec §10: a response property or a
// dotted path into it, '*' for the whole response, '^Parameter' for a parameter's value),
// rendered as JSON, text or a table.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
)

// A value is what a selection yields: a string, a bool, an int64, an object, or nil (nothing
// is printed, as the cmdlets emit nothing for a null).
type value any

// member is one property of an object.
type member struct {
	name string
	val  value
}

// object is a response or one of its structures, its properties in the model's order.
type object []member

// with appends a property when the pointer holds one.
func (o object) with(name string, v *string) object {
	if v == nil {
		return o
	}
	return append(o, member{name, *v})
}

// get finds a property by name without regard to case, as the cmdlets' reflection does.
func (o object) get(name string) (value, bool) {
	for _, m := range o {
		if strings.EqualFold(m.name, name) {
			return m.val, true
		}
	}
	return nil, false
}

// selector picks what to print from the response of one call.
type selector func(response value, meta resultMeta, f *recoveryFlags, username string) value

// errInvalidSelect is the cmdlets' answer to a -Select they cannot resolve.
var errInvalidSelect = errors.New("Invalid value for -Select parameter.")

// parameter is one of the cmdlet's own parameters, as '^Name' selects it.
type parameter struct {
	name string
	get  func(f *recoveryFlags, username string) value
}

// parameters are the parameters the cmdlet declares (the base classes' -Region and the like
// are not selectable: the cmdlets look only at their own declared properties).
func (rc recoveryCommand) parameters() []parameter {
	str := func(flagName string, v func(*recoveryFlags) string) func(*recoveryFlags, string) value {
		return func(f *recoveryFlags, _ string) value {
			if !f.set[flagName] {
				return nil
			}
			return v(f)
		}
	}
	ps := []parameter{
		{"AnalyticsMetadata_AnalyticsEndpointId", str("analytics-endpoint-id", func(f *recoveryFlags) string { return f.analyticsEndpointID })},
		{"ClientId", str("client-id", func(f *recoveryFlags) string { return f.clientID })},
		{"ClientMetadata", func(f *recoveryFlags, _ string) value {
			if f.clientMetadata.m == nil {
				return nil
			}
			var o object
			for _, k := range slices.Sorted(maps.Keys(f.clientMetadata.m)) {
				o = append(o, member{k, f.clientMetadata.m[k]})
			}
			return o
		}},
		{"UserContextData_EncodedData", str("user-context-encoded-data", func(f *recoveryFlags) string { return f.encodedData })},
		{"UserContextData_IpAddress", str("user-context-ip", func(f *recoveryFlags) string { return f.ipAddress })},
		{"SecretHash", func(f *recoveryFlags, username string) value {
			switch {
			case f.set["secret-hash"]:
				return f.secretHash
			case f.set["client-secret"]:
				return secretHash(f.clientSecret, username, f.clientID)
			}
			return nil
		}},
		{"Username", func(_ *recoveryFlags, username string) value { return username }},
		{"Select", str("select", func(f *recoveryFlags) string { return f.selectExpr })},
		{"PassThru", func(f *recoveryFlags, _ string) value { return f.passThru }},
		{"Force", func(f *recoveryFlags, _ string) value { return f.force }},
	}
	if rc.confirm {
		ps = append(ps,
			parameter{"ConfirmationCode", str("confirmation-code", func(f *recoveryFlags) string { return f.confirmationCode })},
			parameter{"Password", func(f *recoveryFlags, _ string) value {
				if !f.set["password"] && !f.passwordStdin {
					return nil
				}
				return f.password
			}},
		)
	}
	return ps
}

// selector resolves --select (or its absence) before any call, as the cmdlets do.
func (rc recoveryCommand) selector(f *recoveryFlags) (selector, error) {
	if f.passThru {
		return func(_ value, _ resultMeta, _ *recoveryFlags, username string) value { return username }, nil
	}
	expr := f.selectExpr
	if !f.set["select"] {
		if rc.defaultSelect == "" {
			return func(value, resultMeta, *recoveryFlags, string) value { return nil }, nil
		}
		expr = rc.defaultSelect
	}
	switch {
	case expr == "":
		return nil, errInvalidSelect
	case expr == "*":
		return func(response value, meta resultMeta, _ *recoveryFlags, _ string) value {
			whole := slices.Clone(response.(object))
			return append(whole,
				member{"ResponseMetadata", object{{"RequestId", meta.requestID}}},
				member{"ContentLength", meta.contentLength},
				member{"HttpStatusCode", int64(meta.status)})
		}, nil
	case strings.HasPrefix(expr, "^"):
		for _, p := range rc.parameters() {
			if strings.EqualFold(p.name, expr[1:]) {
				return func(_ value, _ resultMeta, f *recoveryFlags, username string) value { return p.get(f, username) }, nil
			}
		}
		return nil, errInvalidSelect
	}
	// A property of the response, or a dotted path through the types of its properties.
	path := strings.Split(expr, ".")
	props := slices.Sorted(func(yield func(string) bool) {
		for k := range rc.properties {
			if !yield(k) {
				return
			}
		}
	})
	for i, seg := range path {
		j := slices.IndexFunc(props, func(p string) bool { return strings.EqualFold(p, seg) })
		if j < 0 {
			return nil, errInvalidSelect
		}
		props = nil
		if i == 0 {
			props = rc.properties[rcKey(rc.properties, seg)]
		}
	}
	return func(response value, _ resultMeta, _ *recoveryFlags, _ string) value {
		v := response
		for _, seg := range path {
			o, ok := v.(object)
			if !ok {
				return nil
			}
			if v, ok = o.get(seg); !ok {
				return nil
			}
		}
		return v
	}, nil
}

// rcKey is the key of m equal to name without regard to case.
func rcKey(m map[string][]string, name string) string {
	for k := range m {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return name
}

// render prints one value in the chosen format, followed by a newline.
func render(w io.Writer, format, title string, v value) error {
	var b bytes.Buffer
	switch format {
	case "text":
		renderText(&b, "", v)
	case "table":
		renderTable(&b, title, v)
	default:
		renderJSON(&b, v, "")
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

func renderJSON(b *bytes.Buffer, v value, indent string) {
	switch v := v.(type) {
	case object:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{\n")
		for i, m := range v {
			b.WriteString(indent + "  ")
			name, _ := json.Marshal(m.name)
			b.Write(name)
			b.WriteString(": ")
			renderJSON(b, m.val, indent+"  ")
			if i < len(v)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(indent + "}")
	default:
		out, err := json.Marshal(v)
		if err != nil {
			out = []byte("null")
		}
		b.Write(out)
	}
}

// scalar words a value that is not an object.
func scalar(v value) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprint(v)
}

// renderText writes the AWS CLI's text form: an object's scalar properties on one line,
// tab-separated (after its name in capitals when it is nested), then each nested object.
func renderText(b *bytes.Buffer, name string, v value) {
	o, ok := v.(object)
	if !ok {
		if name != "" {
			b.WriteString(strings.ToUpper(name) + "\t")
		}
		b.WriteString(scalar(v) + "\n")
		return
	}
	var fields []string
	if name != "" {
		fields = append(fields, strings.ToUpper(name))
	}
	for _, m := range o {
		if _, nested := m.val.(object); !nested {
			fields = append(fields, scalar(m.val))
		}
	}
	if len(fields) > 0 && (name == "" || len(fields) > 1) {
		b.WriteString(strings.Join(fields, "\t") + "\n")
	}
	for _, m := range o {
		if _, nested := m.val.(object); nested {
			renderText(b, m.name, m.val)
		}
	}
}

// renderTable writes a boxed table titled by the operation: one row per property, nested
// properties by their dotted path.
func renderTable(b *bytes.Buffer, title string, v value) {
	var rows [][2]string
	var flatten func(prefix string, v value)
	flatten = func(prefix string, v value) {
		o, ok := v.(object)
		if !ok {
			rows = append(rows, [2]string{prefix, scalar(v)})
			return
		}
		for _, m := range o {
			name := m.name
			if prefix != "" {
				name = prefix + "." + m.name
			}
			flatten(name, m.val)
		}
	}
	flatten("", v)
	w0, w1 := 0, 0
	for _, r := range rows {
		w0, w1 = max(w0, utf8.RuneCountInString(r[0])), max(w1, utf8.RuneCountInString(r[1]))
	}
	pad := func(s string, n int) string { return s + strings.Repeat(" ", n-utf8.RuneCountInString(s)) }
	if w0 == 0 { // a lone scalar: one cell
		width := max(w1+4, utf8.RuneCountInString(title)+4)
		line := strings.Repeat("-", width+2)
		fmt.Fprintf(b, "%s\n|%s|\n+%s+\n|  %s|\n+%s+\n", line, center(title, width), strings.Repeat("-", width), pad(rows[0][1], width-2), strings.Repeat("-", width))
		return
	}
	inner := w0 + w1 + 9
	if t := utf8.RuneCountInString(title) + 4; t > inner {
		w1 += t - inner
		inner = t
	}
	rule := "+" + strings.Repeat("-", w0+4) + "+" + strings.Repeat("-", w1+4) + "+"
	fmt.Fprintf(b, "%s\n|%s|\n%s\n", strings.Repeat("-", inner+2), center(title, inner), rule)
	for _, r := range rows {
		fmt.Fprintf(b, "|  %s  |  %s  |\n", pad(r[0], w0), pad(r[1], w1))
	}
	b.WriteString(rule + "\n")
}

func center(s string, width int) string {
	n := utf8.RuneCountInString(s)
	left := (width - n) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-n-left)
}
