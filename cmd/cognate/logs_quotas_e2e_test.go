package main

// End-to-end tests of log export (SetLogDeliveryConfiguration, written under
// --log-export-dir) and of the request-rate quotas (--request-quotas, GetProvisionedLimit,
// UpdateProvisionedLimit).

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

// exportedEvents reads the JSON lines of an exported log file (none when it is absent).
func exportedEvents(t *testing.T, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("exported line %q: %v", line, err)
		}
		out = append(out, ev)
	}
	return out
}

func TestLogDelivery(t *testing.T) {
	t.Parallel()
	mx := dlvStartSMTP(t, "127.0.0.1:0", nil)
	mx.setRcpt(func(int) error {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	})
	dir := t.TempDir()
	s := startServer(t, "--log-export-dir", dir, "--delivery", "fail-fast", "--smtp-url", "smtp://"+mx.Addr, "--fixed-code", "123456")
	c := s.Client
	a := dlvSetup(t, s, func(in *cip.CreateUserPoolInput) {
		in.UserPoolTier = types.UserPoolTierTypePlus
		in.UserPoolAddOns = &types.UserPoolAddOnsType{AdvancedSecurityMode: types.AdvancedSecurityModeTypeAudit}
	})
	a.user(t, "jane", "email", "jane@example.com", "email_verified", "true")
	set := func(pool string, cfgs ...types.LogConfigurationType) (*cip.SetLogDeliveryConfigurationOutput, error) {
		if cfgs == nil {
			cfgs = []types.LogConfigurationType{} // the member is required, if empty
		}
		return c.SetLogDeliveryConfiguration(bg, &cip.SetLogDeliveryConfigurationInput{UserPoolId: aws.String(pool), LogConfigurations: cfgs})
	}
	const (
		groupARN  = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/vendedlogs/cognito-notifications"
		bucketARN = "arn:aws:s3:::cognate-activity"
	)
	notifications := types.LogConfigurationType{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError,
		CloudWatchLogsConfiguration: &types.CloudWatchLogsConfigurationType{LogGroupArn: aws.String(groupARN)}}
	activity := types.LogConfigurationType{EventSource: types.EventSourceNameUserAuthEvents, LogLevel: types.LogLevelInfo,
		S3Configuration: &types.S3ConfigurationType{BucketArn: aws.String(bucketARN)}}

	// Never configured: no configurations.
	got := must(c.GetLogDeliveryConfiguration(bg, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(a.pool)}))(t).LogDeliveryConfiguration
	if aws.ToString(got.UserPoolId) != a.pool || len(got.LogConfigurations) != 0 {
		t.Fatalf("GetLogDeliveryConfiguration before any = %+v", got)
	}
	// The guide's rules: notifications go to CloudWatch Logs at ERROR; one destination
	// each; one configuration per source; user activity needs the Plus plan.
	for _, bad := range [][]types.LogConfigurationType{
		{{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelError, S3Configuration: activity.S3Configuration}},
		{{EventSource: types.EventSourceNameUserNotification, LogLevel: types.LogLevelInfo, CloudWatchLogsConfiguration: notifications.CloudWatchLogsConfiguration}},
		{{EventSource: types.EventSourceNameUserAuthEvents, LogLevel: types.LogLevelInfo, S3Configuration: activity.S3Configuration, CloudWatchLogsConfiguration: notifications.CloudWatchLogsConfiguration}},
		{notifications, notifications},
	} {
		_, err := set(a.pool, bad...)
		wantCode(t, err, "InvalidParameterException")
	}
	essentials := createPool(t, c, nil)
	_, err := set(essentials, activity)
	wantCode(t, err, "FeatureUnavailableInTierException")
	must(set(essentials, notifications))(t)
	_, err = set(missingPool, notifications)
	wantCode(t, err, "ResourceNotFoundException")

	out := must(set(a.pool, notifications, activity))(t).LogDeliveryConfiguration
	got = must(c.GetLogDeliveryConfiguration(bg, &cip.GetLogDeliveryConfigurationInput{UserPoolId: aws.String(a.pool)}))(t).LogDeliveryConfiguration
	if d := cmp.Diff(out, got, exported); d != "" || len(got.LogConfigurations) != 2 {
		t.Fatalf("GetLogDeliveryConfiguration (-set +got):\n%s", d)
	}

	// A recovery whose email the server refuses: the failure is a userNotification event in
	// the log group's file, the request an auth event in the bucket's, and so is the wrong
	// code tried next; all are written before the requests answer.
	_, err = a.forgot("jane")
	wantErr[*types.CodeDeliveryFailureException](t, err, dlvFailed)
	_, err = c.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(a.client), Username: aws.String("jane"),
		ConfirmationCode: aws.String("000000"), Password: aws.String("New-Passw0rd!")})
	wantCode(t, err, "CodeMismatchException")
	groupFile := filepath.Join(dir, "logs", "log-group:%2Faws%2Fvendedlogs%2Fcognito-notifications.jsonl")
	bucketFile := filepath.Join(dir, "s3", "cognate-activity.jsonl")
	notes := exportedEvents(t, groupFile)
	if len(notes) != 1 {
		t.Fatalf("%d userNotification events, want 1: %v", len(notes), notes)
	}
	n := notes[0]
	details, _ := n["message"].(map[string]any)["details"].(string)
	if n["eventSource"] != "USER_NOTIFICATION" || n["logLevel"] != "ERROR" || !strings.Contains(details, "550") ||
		n["logSourceId"].(map[string]any)["userPoolId"] != a.pool || n["eventTimestamp"] == "" {
		t.Errorf("userNotification event %v", n)
	}
	if strings.Contains(details, "jane@example.com") {
		t.Errorf("the notification event names the address: %q", details)
	}
	acts := exportedEvents(t, bucketFile)
	var kinds []string
	for _, ev := range acts {
		m := ev["message"].(map[string]any)
		if ev["eventSource"] != "USER_ACTIVITY" || ev["logLevel"] != "INFO" || m["userName"] != "jane" || m["userPoolId"] != a.pool || m["version"] != "1" {
			t.Errorf("userAuthEvents event %v", ev)
		}
		kinds = append(kinds, m["eventType"].(string))
	}
	if d := cmp.Diff([]string{"ForgotPassword", "PasswordChange"}, kinds); d != "" {
		t.Errorf("exported event types (-want +got):\n%s", d)
	}

	// With no configurations nothing more is written.
	must(set(a.pool))(t)
	_, err = a.forgot("jane")
	wantErr[*types.CodeDeliveryFailureException](t, err, dlvFailed)
	if len(exportedEvents(t, groupFile)) != 1 || len(exportedEvents(t, bucketFile)) != 2 {
		t.Error("events were exported after the configuration was emptied")
	}
}

// limitCall calls GetProvisionedLimit or UpdateProvisionedLimit on the wire, for requests
// the SDK's types cannot form (a missing or wrong-typed member).
func limitCall(t *testing.T, s *testServer, op, body string) (int, map[string]any) {
	t.Helper()
	status, _, b := callRaw(t, s.URL, op, body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s answered %s: %v", op, b, err)
	}
	return status, out
}

func TestProvisionedLimits(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	def := func(category string) string {
		return `{"LimitClass":"API_CATEGORY","Attributes":{"Category":"` + category + `"}}`
	}
	status, out := limitCall(t, s, "GetProvisionedLimit", `{"LimitDefinition":`+def("UserCreation")+`}`)
	want := map[string]any{"Limit": map[string]any{"LimitDefinition": map[string]any{"LimitClass": "API_CATEGORY", "Attributes": map[string]any{"Category": "UserCreation"}},
		"ProvisionedLimitValue": 50.0, "FreeLimitValue": 50.0}}
	if d := cmp.Diff(want, out); status != 200 || d != "" {
		t.Fatalf("GetProvisionedLimit: %d (-want +got):\n%s", status, d)
	}
	for _, tc := range []struct{ op, body, code string }{
		{"UpdateProvisionedLimit", `{"LimitDefinition":` + def("UserCreation") + `,"RequestedLimitValue":49}`, "InvalidParameterException"},
		{"UpdateProvisionedLimit", `{"LimitDefinition":` + def("UserAccountRecovery") + `,"RequestedLimitValue":60}`, "InvalidParameterException"},
		{"UpdateProvisionedLimit", `{"LimitDefinition":` + def("NoSuchCategory") + `,"RequestedLimitValue":60}`, "ResourceNotFoundException"},
		{"GetProvisionedLimit", `{"LimitDefinition":{"LimitClass":"API_CATEGORY","Attributes":{}}}`, "InvalidParameterException"},
		{"GetProvisionedLimit", `{"LimitDefinition":{"LimitClass":"ACCOUNT","Attributes":{"Category":"UserCreation"}}}`, "InvalidParameterException"},
		{"UpdateProvisionedLimit", `{"LimitDefinition":` + def("UserCreation") + `}`, "InvalidParameterException"},
	} {
		status, out := limitCall(t, s, tc.op, tc.body)
		if status != 400 || out["__type"] != tc.code {
			t.Errorf("%s %s: %d %v, want 400 %s", tc.op, tc.body, status, out, tc.code)
		}
	}
	status, out = limitCall(t, s, "UpdateProvisionedLimit", `{"LimitDefinition":`+def("UserCreation")+`,"RequestedLimitValue":75}`)
	if l, _ := out["Limit"].(map[string]any); status != 200 || l["ProvisionedLimitValue"] != 75.0 || l["FreeLimitValue"] != 50.0 {
		t.Fatalf("UpdateProvisionedLimit: %d %v", status, out)
	}
	if _, out = limitCall(t, s, "GetProvisionedLimit", `{"LimitDefinition":`+def("UserCreation")+`}`); out["Limit"].(map[string]any)["ProvisionedLimitValue"] != 75.0 {
		t.Errorf("GetProvisionedLimit after the update: %v", out)
	}

	// The same through the Go SDK, whose newer releases carry both operations.
	sdkDef := &types.LimitDefinitionType{LimitClass: types.LimitClassApiCategory, Attributes: map[string]string{"Category": "UserCreation"}}
	up, err := s.Client.UpdateProvisionedLimit(bg, &cip.UpdateProvisionedLimitInput{LimitDefinition: sdkDef, RequestedLimitValue: 80})
	if err != nil || up.Limit == nil || up.Limit.ProvisionedLimitValue != 80 || up.Limit.FreeLimitValue != 50 {
		t.Fatalf("UpdateProvisionedLimit through the SDK: %+v, %v", up, err)
	}
	got, err := s.Client.GetProvisionedLimit(bg, &cip.GetProvisionedLimitInput{LimitDefinition: sdkDef})
	if err != nil || got.Limit == nil || got.Limit.ProvisionedLimitValue != 80 || got.Limit.LimitDefinition.Attributes["Category"] != "UserCreation" {
		t.Errorf("GetProvisionedLimit through the SDK: %+v, %v", got, err)
	}
}

// TestRequestQuotas sends more DescribeUserPool requests (UserPoolRead: 15 a second) at
// once than the quota allows in the seconds they span: no more than 15 a second succeed,
// the rest answer TooManyRequestsException "Rate exceeded" with status 400. Without
// --request-quotas the same burst all succeeds.
func TestRequestQuotas(t *testing.T) {
	t.Parallel()
	const n, perSecond = 40, 15
	burst := func(s *testServer, pool string) (ok, throttled int, seconds int64) {
		var (
			mu sync.Mutex
			wg sync.WaitGroup
		)
		start := make(chan struct{})
		first := time.Now().Unix()
		for range n {
			wg.Go(func() {
				<-start
				_, err := s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(pool)})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case isCode(err, "TooManyRequestsException"):
					wantCodeMsg(t, err, "TooManyRequestsException", "Rate exceeded")
					throttled++
				default:
					t.Errorf("DescribeUserPool: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		return ok, throttled, time.Now().Unix() - first + 1
	}

	s := startServer(t, "--request-quotas")
	pool := createPool(t, s.Client, nil)
	ok, throttled, seconds := burst(s, pool)
	if ok+throttled != n || int64(ok) > perSecond*seconds {
		t.Fatalf("%d requests over %d s: %d succeeded, %d throttled; at most %d may succeed", n, seconds, ok, throttled, perSecond*seconds)
	}
	if seconds <= 2 && throttled < n-2*perSecond {
		t.Errorf("%d requests within %d s: only %d throttled", n, seconds, throttled)
	}
	status, _, body := callRaw(t, s.URL, "DescribeUserPool", `{"UserPoolId":"`+pool+`"}`)
	if status == 400 {
		if code, msg := wireError(t, body); code != "TooManyRequestsException" || msg != "Rate exceeded" {
			t.Errorf("a throttled request's wire answer: %s %q", code, msg)
		}
	}

	off := startServer(t)
	pool = createPool(t, off.Client, nil)
	if ok, throttled, _ := burst(off, pool); ok != n || throttled != 0 {
		t.Errorf("without --request-quotas: %d succeeded, %d throttled, want all %d to succeed", ok, throttled, n)
	}
}
