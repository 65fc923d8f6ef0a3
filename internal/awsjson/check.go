package awsjson

import (
	"fmt"
	"sort"
)

// Check reads and validates a request body of op exactly as ServeHTTP does, without calling
// the operation: what a request from somewhere other than the wire (a seed file) must pass.
// strict also refuses members the model does not name, which the wire ignores as AWS does,
// but which in a file written by hand are typos to report.
func (h *Handler) Check(op *Operation, body []byte, strict bool) error {
	tree, err := parse(body)
	if err != nil {
		return err
	}
	if strict && op.Input != nil {
		if unknown := unknownMembers(op.Input, tree, ""); len(unknown) > 0 {
			return &Error{Code: h.ValidationErrorCode, Message: fmt.Sprintf("unknown member %s", unknown[0])}
		}
	}
	return h.validate(op, tree)
}

// unknownMembers lists the paths of members that s and its member shapes do not name.
func unknownMembers(s *Shape, val any, path string) []string {
	var out []string
	switch s.Kind {
	case KindStructure:
		obj, ok := val.(map[string]any)
		if !ok {
			return nil
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			var member *Member
			for i := range s.Members {
				if s.Members[i].Name == k {
					member = &s.Members[i]
				}
			}
			if member == nil {
				out = append(out, fmt.Sprintf("'%s'", join(path, k)))
				continue
			}
			out = append(out, unknownMembers(member.Shape, obj[k], join(path, k))...)
		}
	case KindList:
		list, _ := val.([]any)
		for i, item := range list {
			out = append(out, unknownMembers(s.Item, item, fmt.Sprintf("%s[%d]", path, i))...)
		}
	case KindMap:
		m, _ := val.(map[string]any)
		for k, item := range m {
			out = append(out, unknownMembers(s.Item, item, join(path, k))...)
		}
	}
	return out
}

// join names a member by its path as a file spells it.
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
