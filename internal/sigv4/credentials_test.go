package sigv4

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

func TestLoadCredentials(t *testing.T) {
	tests := []struct {
		name string
		file string
		want Credentials
	}{
		{
			name: "one profile",
			file: "[default]\naws_access_key_id = AKID1\naws_secret_access_key = secret1\n",
			want: Credentials{"AKID1": "secret1"},
		},
		{
			name: "several profiles, comments, other keys and odd spacing",
			file: "\uFEFF# cognate's keys\n" +
				"; another comment\n" +
				"\n" +
				"[default]\n" +
				"aws_access_key_id=AKID1\n" +
				"aws_secret_access_key=secret/with+chars=\n" +
				"region = us-east-1\n" +
				"aws_session_token = ignored\n" +
				"\n" +
				"[ admin ]\n" +
				"  AWS_Secret_Access_Key   =   secret2  \n" +
				"\tAWS_ACCESS_KEY_ID = AKID2\n" +
				"[settings-only]\n" +
				"region = eu-west-1\n",
			want: Credentials{"AKID1": "secret/with+chars=", "AKID2": "secret2"},
		},
		{
			name: "CRLF line endings",
			file: "[default]\r\naws_access_key_id = AKID1\r\naws_secret_access_key = secret1\r\n",
			want: Credentials{"AKID1": "secret1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadCredentials(strings.NewReader(tt.file))
			if err != nil {
				t.Fatalf("LoadCredentials: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LoadCredentials mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadCredentialsErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string // the whole error text
	}{
		{
			name: "empty file",
			file: "",
			want: "invalid credentials file: no section has both aws_access_key_id and aws_secret_access_key",
		},
		{
			name: "only comments and settings",
			file: "# nothing here\n[default]\nregion = us-east-1\n",
			want: "invalid credentials file: no section has both aws_access_key_id and aws_secret_access_key",
		},
		{
			name: "every problem, in line order",
			file: "aws_access_key_id = AKID0\n" + // 1
				"[default\n" + // 2
				"aws_secret_access_key = lost\n" + // 3
				"[]\n" + // 4
				"[half]\n" + // 5
				"aws_access_key_id = AKID1\n" + // 6
				"[twice]\n" + // 7
				"aws_access_key_id = AKID2\n" + // 8
				"aws_access_key_id = AKID3\n" + // 9
				"aws_secret_access_key = s\n" + // 10
				"just some words\n" + // 11
				"[twice]\n" + // 12
				"[blank]\n" + // 13
				"aws_access_key_id =\n" + // 14
				"aws_secret_access_key = has space\n" + // 15
				"[copy]\n" + // 16
				"aws_access_key_id = AKID2\n" + // 17
				"aws_secret_access_key = s2\n" + // 18
				"[secret-only]\n" + // 19
				"aws_secret_access_key = s3\n", // 20
			want: "invalid credentials file:\n" +
				"  line 1: aws_access_key_id outside any [section]\n" +
				"  line 2: section header \"[default\" has no closing ']'\n" +
				"  line 4: section header has an empty name\n" +
				"  line 5: section [half] has aws_access_key_id but no aws_secret_access_key\n" +
				"  line 9: aws_access_key_id repeats the one on line 8\n" +
				"  line 11: expected \"key = value\", a [section] header or a comment\n" +
				"  line 12: section [twice] repeats the one on line 7\n" +
				"  line 14: aws_access_key_id is empty\n" +
				"  line 15: aws_secret_access_key contains whitespace\n" +
				"  line 17: access key id AKID2 is already defined on line 8\n" +
				"  line 19: section [secret-only] has aws_secret_access_key but no aws_access_key_id",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadCredentials(strings.NewReader(tt.file))
			if err == nil {
				t.Fatalf("LoadCredentials = %v, want an error", got)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadCredentialsReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := LoadCredentials(iotest.ErrReader(boom))
	if !errors.Is(err, boom) {
		t.Fatalf("LoadCredentials = %v, want it to wrap %v", err, boom)
	}
}
