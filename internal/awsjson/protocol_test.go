package awsjson_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"cognate/internal/awsjson"
)

// widget returns a valid PutWidget body with more members (each starting with a comma).
func widget(more string) string {
	return `{"UserPoolId":"us-east-1_abc","Username":"alice","Password":"correct-horse"` + more + `}`
}

const poolPattern = `[\w-]+_[0-9a-zA-Z]+`

// TestProtocol drives the handler with one request per case and checks the status, the
// error's __type and message, and (for errors) the wire format against testdata/<name>.golden.
func TestProtocol(t *testing.T) {
	tests := []struct {
		name        string
		req         request
		wantStatus  int
		wantType    string // "" for success
		wantMessage string // checked exactly unless wantPrefix is set
		wantPrefix  string // for messages that quote the JSON library's own words
	}{
		// Dispatch.
		{
			name:        "unknown_operation",
			req:         request{target: op("Nope"), body: `{}`},
			wantStatus:  400,
			wantType:    "UnknownOperationException",
			wantMessage: "Unknown operation WidgetService.Nope.",
		},
		{
			name:        "missing_target",
			req:         request{body: `{}`},
			wantStatus:  400,
			wantType:    "UnknownOperationException",
			wantMessage: "The X-Amz-Target header is missing.",
		},
		{
			name:        "wrong_target_prefix",
			req:         request{target: "OtherService.PutWidget", body: widget("")},
			wantStatus:  400,
			wantType:    "UnknownOperationException",
			wantMessage: "Unknown operation OtherService.PutWidget.",
		},
		{
			name:        "target_without_prefix",
			req:         request{target: "PutWidget", body: widget("")},
			wantStatus:  400,
			wantType:    "UnknownOperationException",
			wantMessage: "Unknown operation PutWidget.",
		},
		{
			name:        "wrong_content_type",
			req:         request{target: op("PutWidget"), contentType: "application/json", body: widget("")},
			wantStatus:  400,
			wantType:    "UnknownOperationException",
			wantMessage: "Content-Type must be application/x-amz-json-1.1.",
		},
		{
			name:        "missing_content_type",
			req:         request{target: op("PutWidget"), contentType: "-", body: widget("")},
			wantStatus:  400,
			wantType:    "UnknownOperationException",
			wantMessage: "Content-Type must be application/x-amz-json-1.1.",
		},
		{
			name:       "content_type_with_charset_accepted",
			req:        request{target: op("PutWidget"), contentType: "application/x-amz-json-1.1; charset=utf-8", body: widget("")},
			wantStatus: 200,
		},
		{
			name:        "get_root_refused",
			req:         request{method: http.MethodGet},
			wantStatus:  400,
			wantType:    "UnknownOperationException",
			wantMessage: "Operations are called with POST.",
		},

		// Size.
		{
			name:       "body_of_exactly_1MiB_accepted",
			req:        request{target: op("PutWidget"), body: padded(t, awsjson.MaxBodyBytes)},
			wantStatus: 200,
		},
		{
			name:        "body_of_1MiB_plus_1_too_large",
			req:         request{target: op("PutWidget"), body: padded(t, awsjson.MaxBodyBytes+1)},
			wantStatus:  413,
			wantType:    "RequestEntityTooLargeException",
			wantMessage: "The request body is larger than 1048576 bytes.",
		},

		// Strict JSON.
		{
			name:       "malformed_json",
			req:        request{target: op("PutWidget"), body: `{"UserPoolId":`},
			wantStatus: 400,
			wantType:   "SerializationException",
			wantPrefix: "The request body is not valid JSON: ",
		},
		{
			name:       "invalid_utf8_in_string_value",
			req:        request{target: op("PutWidget"), body: "{\"UserPoolId\":\"us-east-1_abc\",\"Username\":\"al\xffce\",\"Password\":\"correct-horse\"}"},
			wantStatus: 400,
			wantType:   "SerializationException",
			wantPrefix: "The request body is not valid JSON: ",
		},
		{
			name:       "invalid_utf8_in_key",
			req:        request{target: op("PutWidget"), body: "{\"UserPoolId\":\"us-east-1_abc\",\"User\xffname\":\"alice\",\"Password\":\"correct-horse\"}"},
			wantStatus: 400,
			wantType:   "SerializationException",
			wantPrefix: "The request body is not valid JSON: ",
		},
		{
			name:       "invalid_utf8_in_unknown_member",
			req:        request{target: op("PutWidget"), body: widget(",\"Extra\":\"\xc3\"")},
			wantStatus: 400,
			wantType:   "SerializationException",
			wantPrefix: "The request body is not valid JSON: ",
		},
		{
			name:       "duplicate_key_top_level",
			req:        request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","Username":"alice","Username":"bob","Password":"correct-horse"}`},
			wantStatus: 400,
			wantType:   "SerializationException",
			wantPrefix: "The request body is not valid JSON: ",
		},
		{
			name:       "duplicate_key_nested",
			req:        request{target: op("PutWidget"), body: widget(`,"Settings":{"Note":"a","Note":"b"}`)},
			wantStatus: 400,
			wantType:   "SerializationException",
			wantPrefix: "The request body is not valid JSON: ",
		},
		{
			name:        "wrong_case_key_rejected",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","username":"alice","Password":"correct-horse"}`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Unrecognized member 'username' (the model names it 'Username').",
		},
		{
			name:        "wrong_case_key_nested_rejected",
			req:         request{target: op("PutWidget"), body: widget(`,"Settings":{"note":"x"}`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Unrecognized member 'note' (the model names it 'Note').",
		},
		{
			name:        "two_wrong_case_keys_first_in_name_order",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","username":"alice","password":"correct-horse"}`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Unrecognized member 'password' (the model names it 'Password').",
		},
		{
			name:       "unknown_key_ignored",
			req:        request{target: op("PutWidget"), body: widget(`,"NewMember":{"Anything":[1,2,3]}`)},
			wantStatus: 200,
		},
		{
			name:       "null_optional_member_ignored",
			req:        request{target: op("PutWidget"), body: widget(`,"Count":null,"Settings":null`)},
			wantStatus: 200,
		},
		{
			name:        "top_level_array",
			req:         request{target: op("PutWidget"), body: `[]`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "The request body must be a JSON object.",
		},
		{
			name:        "top_level_string",
			req:         request{target: op("PutWidget"), body: `"hello"`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "The request body must be a JSON object.",
		},
		{
			name:        "top_level_null",
			req:         request{target: op("PutWidget"), body: `null`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "The request body must be a JSON object.",
		},
		{
			name:        "trailing_object_after_body",
			req:         request{target: op("PutWidget"), body: widget("") + `{}`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "The request body has data after its JSON object.",
		},
		{
			name:        "trailing_garbage_after_body",
			req:         request{target: op("PutWidget"), body: widget("") + ` x`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "The request body has data after its JSON object.",
		},
		{
			name:       "trailing_whitespace_accepted",
			req:        request{target: op("PutWidget"), body: " \n" + widget("") + "\r\n\t "},
			wantStatus: 200,
		},

		// Types.
		{
			name:        "string_for_integer",
			req:         request{target: op("PutWidget"), body: widget(`,"Count":"5"`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a number at 'count'.",
		},
		{
			name:        "number_for_string",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","Username":5,"Password":"correct-horse"}`},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a string at 'username'.",
		},
		{
			name:        "object_for_list",
			req:         request{target: op("PutWidget"), body: widget(`,"Tags":{}`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a list at 'tags'.",
		},
		{
			name:        "null_inside_list",
			req:         request{target: op("PutWidget"), body: widget(`,"Tags":["a",null]`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a list without null members at 'tags'.",
		},
		{
			name:        "integer_above_int32",
			req:         request{target: op("PutWidget"), body: widget(`,"Count":2147483648`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected an integer in range at 'count'.",
		},
		{
			name:        "integer_below_int32",
			req:         request{target: op("PutWidget"), body: widget(`,"Count":-2147483649`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected an integer in range at 'count'.",
		},
		{
			name:        "fraction_for_integer",
			req:         request{target: op("PutWidget"), body: widget(`,"Count":1.5`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected an integer in range at 'count'.",
		},
		{
			name:        "integer_at_int32_max_is_range_checked",
			req:         request{target: op("PutWidget"), body: widget(`,"Count":2147483647`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '2147483647' at 'count' failed to satisfy constraint: Member must have value less than or equal to 60",
		},
		{
			name:        "string_for_boolean",
			req:         request{target: op("PutWidget"), body: widget(`,"Enabled":"true"`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a boolean at 'enabled'.",
		},
		{
			name:        "string_for_timestamp",
			req:         request{target: op("PutWidget"), body: widget(`,"When":"2024-01-01T00:00:00Z"`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a timestamp in epoch seconds at 'when'.",
		},
		{
			name:        "list_for_map",
			req:         request{target: op("PutWidget"), body: widget(`,"Metadata":[]`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a map at 'metadata'.",
		},
		{
			name:        "null_map_value",
			req:         request{target: op("PutWidget"), body: widget(`,"Metadata":{"k":null}`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected a map without null values at 'metadata'.",
		},
		{
			name:        "string_for_structure",
			req:         request{target: op("PutWidget"), body: widget(`,"Settings":"x"`)},
			wantStatus:  400,
			wantType:    "SerializationException",
			wantMessage: "Expected an object at 'settings'.",
		},

		// Model constraints, in AWS Coral's words.
		{
			name:        "validation_one_pattern",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"x","Username":"alice","Password":"correct-horse"}`},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: " + poolPattern,
		},
		{
			name: "validation_several_in_member_order",
			// The members come in another order than the model's; the clauses follow the model.
			req:        request{target: op("PutWidget"), body: `{"Mode":"C","Username":"much-too-long","Password":"correct-horse","UserPoolId":"x"}`},
			wantStatus: 400,
			wantType:   "InvalidParameterException",
			wantMessage: "3 validation errors detected: " +
				"Value 'x' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: " + poolPattern + "; " +
				"Value 'much-too-long' at 'username' failed to satisfy constraint: Member must have length less than or equal to 8; " +
				"Value 'C' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [A, B]",
		},
		{
			name:        "validation_missing_required",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","Password":"correct-horse"}`},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
		},
		{
			name:        "validation_null_required",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","Username":null,"Password":"correct-horse"}`},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
		},
		{
			name:       "empty_body_is_an_empty_object",
			req:        request{target: op("PutWidget"), body: ``},
			wantStatus: 400,
			wantType:   "InvalidParameterException",
			wantMessage: "3 validation errors detected: " +
				"Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'username' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'password' failed to satisfy constraint: Member must not be null",
		},
		{
			name:        "validation_sensitive_value_omitted",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","Username":"alice","Password":"short"}`},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6",
		},
		{
			name:       "validation_sensitive_two_clauses",
			req:        request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","Username":"alice","Password":"a b"}`},
			wantStatus: 400,
			wantType:   "InvalidParameterException",
			wantMessage: "2 validation errors detected: " +
				`Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\S]+; ` +
				"Value at 'password' failed to satisfy constraint: Member must have length greater than or equal to 6",
		},
		{
			name:        "validation_enum",
			req:         request{target: op("PutWidget"), body: widget(`,"Mode":"C"`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value 'C' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [A, B]",
		},
		{
			name:        "validation_integer_below_min",
			req:         request{target: op("PutWidget"), body: widget(`,"Count":0`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1",
		},
		{
			name:        "validation_integer_above_max",
			req:         request{target: op("PutWidget"), body: widget(`,"Count":61`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '61' at 'count' failed to satisfy constraint: Member must have value less than or equal to 60",
		},
		{
			name:        "validation_string_length_in_utf16_units",
			req:         request{target: op("PutWidget"), body: `{"UserPoolId":"us-east-1_abc","Username":"😀😀😀😀😀","Password":"correct-horse"}`},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '😀😀😀😀😀' at 'username' failed to satisfy constraint: Member must have length less than or equal to 8",
		},
		{
			name:        "validation_list_too_long",
			req:         request{target: op("PutWidget"), body: widget(`,"Tags":["a","b","c","d"]`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '[a, b, c, d]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 3",
		},
		{
			// The list is not sensitive but its items hold a sensitive member: the value
			// that would print it is left out, as for a sensitive member.
			name:        "validation_list_too_long_hides_sensitive_items",
			req:         request{target: op("PutWidget"), body: widget(`,"Attributes":[` + strings.TrimSuffix(strings.Repeat(`{"Name":"n","Value":"s3cret"},`, 6), ",") + `]`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value at 'attributes' failed to satisfy constraint: Member must have length less than or equal to 5",
		},
		{
			name:        "validation_list_index_path",
			req:         request{target: op("PutWidget"), body: widget(`,"Tags":["ok","BAD"]`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '[ok, BAD]' at 'tags' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy regular expression pattern: [a-z]+]",
		},
		{
			name:        "validation_list_of_structures_path",
			req:         request{target: op("PutWidget"), body: widget(`,"Attributes":[{"Name":"` + strings.Repeat("n", 33) + `"}]`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '" + strings.Repeat("n", 33) + "' at 'attributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 32",
		},
		{
			name:        "validation_list_of_structures_missing_member",
			req:         request{target: op("PutWidget"), body: widget(`,"Attributes":[{"Name":"email","Value":"a@b"},{"Value":"x"}]`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value null at 'attributes.2.member.name' failed to satisfy constraint: Member must not be null",
		},
		{
			name:        "validation_sensitive_member_of_list_item",
			req:         request{target: op("PutWidget"), body: widget(`,"Attributes":[{"Name":"email","Value":"seventeen-chars!!"}]`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value at 'attributes.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 16",
		},
		{
			name:        "validation_map_value",
			req:         request{target: op("PutWidget"), body: widget(`,"Metadata":{"k":"elevenchars"}`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '{k=elevenchars}' at 'metadata' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 10]",
		},
		{
			name:        "validation_map_key",
			req:         request{target: op("PutWidget"), body: widget(`,"Metadata":{"":"v"}`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '{=v}' at 'metadata' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length greater than or equal to 1]",
		},
		{
			name:        "validation_map_too_many_entries",
			req:         request{target: op("PutWidget"), body: widget(`,"Metadata":{"c":"3","a":"1","b":"2"}`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value '{a=1, b=2, c=3}' at 'metadata' failed to satisfy constraint: Member must have length less than or equal to 2",
		},
		{
			name:       "validation_map_values_in_key_order",
			req:        request{target: op("PutWidget"), body: widget(`,"Metadata":{"b":"bbbbbbbbbbb","a":"aaaaaaaaaaa"}`)},
			wantStatus: 400,
			wantType:   "InvalidParameterException",
			wantMessage: "1 validation error detected: " +
				"Value '{a=aaaaaaaaaaa, b=bbbbbbbbbbb}' at 'metadata' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 10]",
		},
		{
			name:        "validation_sensitive_map_value_omitted",
			req:         request{target: op("PutWidget"), body: widget(`,"Secrets":{"k":"elevenchars"}`)},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value at 'secrets' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 10]",
		},
		{
			name:       "validation_nested_structure",
			req:        request{target: op("PutWidget"), body: widget(`,"Settings":{"Level":0,"Inner":{}}`)},
			wantStatus: 400,
			wantType:   "InvalidParameterException",
			wantMessage: "2 validation errors detected: " +
				"Value '0' at 'settings.level' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value null at 'settings.inner.deep' failed to satisfy constraint: Member must not be null",
		},
		{
			name:       "timestamp_with_fraction_accepted",
			req:        request{target: op("PutWidget"), body: widget(`,"When":1700000000.25`)},
			wantStatus: 200,
		},

		// Routes made by Refuse validate like any other.
		{
			name:        "refused_operation_validates_first",
			req:         request{target: op("Refused"), body: `{}`},
			wantStatus:  400,
			wantType:    "InvalidParameterException",
			wantMessage: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
		},
		{
			name:        "refused_operation_answers_its_error",
			req:         request{target: op("Refused"), body: `{"UserPoolId":"us-east-1_abc"}`},
			wantStatus:  400,
			wantType:    "UnsupportedOperationException",
			wantMessage: "Refused is not supported.",
		},
	}
	f := newFixture(t)
	seen := map[string]bool{}
	for _, tt := range tests {
		if seen[tt.name] {
			t.Fatalf("duplicate case name %q", tt.name)
		}
		seen[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			res, body := f.do(t, tt.req)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d; body %s", res.StatusCode, tt.wantStatus, body)
			}
			if ct := res.Header.Get("Content-Type"); ct != awsjson.ContentType {
				t.Errorf("Content-Type = %q, want %q", ct, awsjson.ContentType)
			}
			if tt.wantType == "" {
				if res.Header.Get("x-amzn-ErrorType") != "" || !strings.HasPrefix(body, "{") {
					t.Errorf("want success, got x-amzn-ErrorType %q, body %s", res.Header.Get("x-amzn-ErrorType"), body)
				}
				return
			}
			got := errorOf(t, res, body)
			if got.Type != tt.wantType {
				t.Errorf("__type = %q, want %q", got.Type, tt.wantType)
			}
			if tt.wantPrefix != "" {
				if !strings.HasPrefix(got.Message, tt.wantPrefix) {
					t.Errorf("message = %q, want prefix %q", got.Message, tt.wantPrefix)
				}
			} else if diff := cmp.Diff(tt.wantMessage, got.Message); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
			checkGolden(t, tt.name, res, body)
		})
	}
}
