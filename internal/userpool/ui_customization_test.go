package userpool

import (
	"reflect"
	"testing"
)

func TestCheckCSS(t *testing.T) {
	for _, ok := range []string{
		"",
		".label-customizable { font-weight: 400; }",
		"/* a comment */ .submitButton-customizable:hover, .idpButton-customizable:hover { color: #fff; background-color: #000; }",
		".background-customizable{background-color:#fafafa}.banner-customizable{padding:25px 0px 25px 0px}",
	} {
		if err := checkCSS(ok); err != nil {
			t.Errorf("checkCSS(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{
		"body { color: red; }",
		".label-customizable, div { color: red; }",
		".label-customizable { color: red; ",
		".label-customizable { color: red; } }",
		"@media screen { .label-customizable { color: red; } }",
		"@IMPORT 'x.css';",
		".label-customizable { background: url(JavaScript:alert(1)); }",
		".label-customizable { width: expression(alert(1)); }",
		".label-customizable { color: red; } stray",
		".label-customizable { color: red; </style><script>alert(1)</script> }",
	} {
		if err := checkCSS(bad); err == nil {
			t.Errorf("checkCSS(%q) = nil, want a refusal", bad)
		}
	}
}

func TestMergeSettings(t *testing.T) {
	old := map[string]any{"a": map[string]any{"x": 1.0, "y": 2.0}, "b": "keep"}
	got := mergeSettings(old, map[string]any{"a": map[string]any{"y": 3.0, "z": []any{1.0}}, "c": true})
	want := map[string]any{"a": map[string]any{"x": 1.0, "y": 3.0, "z": []any{1.0}}, "b": "keep", "c": true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mergeSettings = %v, want %v", got, want)
	}
	if old["a"].(map[string]any)["y"] != 2.0 {
		t.Error("mergeSettings changed the stored settings in place")
	}
}
