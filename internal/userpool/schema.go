package userpool

import (
	"slices"
	"strings"
)

// standardAttributes lists Cognito's standard attributes in the order DescribeUserPool
// returns them, with their types.
var standardAttributes = []struct{ name, kind string }{
	{"sub", "String"}, {"name", "String"}, {"given_name", "String"}, {"family_name", "String"},
	{"middle_name", "String"}, {"nickname", "String"}, {"preferred_username", "String"},
	{"profile", "String"}, {"picture", "String"}, {"website", "String"}, {"email", "String"},
	{"email_verified", "Boolean"}, {"gender", "String"}, {"birthdate", "String"},
	{"zoneinfo", "String"}, {"locale", "String"}, {"phone_number", "String"},
	{"phone_number_verified", "Boolean"}, {"address", "String"}, {"updated_at", "Number"},
}

// standardSchema returns the SchemaAttributes a new pool starts with.
func standardSchema() []SchemaAttributeType {
	out := make([]SchemaAttributeType, 0, len(standardAttributes))
	for _, a := range standardAttributes {
		s := SchemaAttributeType{
			Name:                   ptr(a.name),
			AttributeDataType:      ptr(a.kind),
			DeveloperOnlyAttribute: ptr(false),
			Mutable:                ptr(a.name != "sub"),
			Required:               ptr(a.name == "sub"),
		}
		switch {
		case a.name == "sub":
			s.StringAttributeConstraints = &StringAttributeConstraintsType{MinLength: ptr("1"), MaxLength: ptr("2048")}
		case a.name == "birthdate":
			s.StringAttributeConstraints = &StringAttributeConstraintsType{MinLength: ptr("10"), MaxLength: ptr("10")}
		case a.kind == "String":
			s.StringAttributeConstraints = &StringAttributeConstraintsType{MinLength: ptr("0"), MaxLength: ptr("2048")}
		case a.kind == "Number":
			s.NumberAttributeConstraints = &NumberAttributeConstraintsType{MinValue: ptr("0")}
		}
		out = append(out, s)
	}
	return out
}

func isStandardAttribute(name string) bool {
	return slices.ContainsFunc(standardAttributes, func(a struct{ name, kind string }) bool { return a.name == name })
}

// mergeSchema applies the Schema of CreateUserPool or AddCustomAttributes to the pool's
// attributes: a standard attribute's settings are replaced, a custom one is appended
// under its "custom:" (or "dev:custom:") name.
func mergeSchema(schema []SchemaAttributeType, in []SchemaAttributeType, custom bool) ([]SchemaAttributeType, error) {
	for _, a := range in {
		name := deref(a.Name)
		if !custom && isStandardAttribute(name) {
			i := slices.IndexFunc(schema, func(s SchemaAttributeType) bool { return deref(s.Name) == name })
			if name == "sub" {
				return nil, invalidParameter("Attribute sub cannot be modified.")
			}
			merged := schema[i]
			if a.Required != nil {
				merged.Required = a.Required
			}
			if a.Mutable != nil {
				merged.Mutable = a.Mutable
			}
			if a.StringAttributeConstraints != nil && deref(merged.AttributeDataType) == "String" {
				merged.StringAttributeConstraints = fillStringConstraints(a.StringAttributeConstraints)
			}
			if a.NumberAttributeConstraints != nil && deref(merged.AttributeDataType) == "Number" {
				merged.NumberAttributeConstraints = a.NumberAttributeConstraints
			}
			schema[i] = merged
			continue
		}
		if deref(a.Required) {
			return nil, invalidParameter("Required custom attributes are not supported currently.")
		}
		kind := deref(a.AttributeDataType)
		if kind == "" {
			kind = "String"
		}
		full := "custom:" + name
		if deref(a.DeveloperOnlyAttribute) {
			full = "dev:" + full
		}
		if slices.ContainsFunc(schema, func(s SchemaAttributeType) bool {
			n := deref(s.Name)
			return n == full || strings.TrimPrefix(n, "dev:") == "custom:"+name
		}) {
			return nil, invalidParameter("%s: Existing attribute already has name %s.", full, full)
		}
		s := SchemaAttributeType{
			Name:                   ptr(full),
			AttributeDataType:      ptr(kind),
			DeveloperOnlyAttribute: ptr(deref(a.DeveloperOnlyAttribute)),
			Mutable:                ptr(a.Mutable == nil || *a.Mutable),
			Required:               ptr(false),
		}
		switch kind {
		case "String":
			s.StringAttributeConstraints = fillStringConstraints(a.StringAttributeConstraints)
		case "Number":
			s.NumberAttributeConstraints = a.NumberAttributeConstraints
			if s.NumberAttributeConstraints == nil {
				s.NumberAttributeConstraints = &NumberAttributeConstraintsType{}
			}
		}
		schema = append(schema, s)
	}
	if n := countCustom(schema); n > 50 {
		return nil, invalidParameter("A user pool can have at most 50 custom attributes.")
	}
	return schema, nil
}

func fillStringConstraints(c *StringAttributeConstraintsType) *StringAttributeConstraintsType {
	out := StringAttributeConstraintsType{MinLength: ptr("0"), MaxLength: ptr("2048")}
	if c != nil {
		if c.MinLength != nil {
			out.MinLength = c.MinLength
		}
		if c.MaxLength != nil {
			out.MaxLength = c.MaxLength
		}
	}
	return &out
}

func countCustom(schema []SchemaAttributeType) int {
	n := 0
	for _, s := range schema {
		if strings.Contains(deref(s.Name), "custom:") {
			n++
		}
	}
	return n
}

// schemaAttribute finds a pool attribute by the name a request uses for it.
func schemaAttribute(p *Pool, name string) (SchemaAttributeType, bool) {
	for _, s := range p.Doc.SchemaAttributes {
		if deref(s.Name) == name {
			return s, true
		}
	}
	return SchemaAttributeType{}, false
}
