package main

// User import through the CSV job, end to end: GetCSVHeader, CreateUserImportJob, the PUT
// of the file to the job's PreSignedUrl, StartUserImportJob and DescribeUserImportJob
// through the real SDK, and what the imported users can do afterwards.

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// importRoleArn is a CloudWatch Logs role ARN of the shape the model requires.
const importRoleArn = "arn:aws:iam::000000000000:role/CognitoImportLogs"

// csvFile builds an import file with the pool's header (GetCSVHeader), one row per map:
// a column a row does not name is empty.
type csvFile struct {
	header []string
	rows   []string
}

func newCSVFile(t testing.TB, c *cip.Client, pool string) *csvFile {
	t.Helper()
	out := must(c.GetCSVHeader(bg, &cip.GetCSVHeaderInput{UserPoolId: aws.String(pool)}))(t)
	return &csvFile{header: out.CSVHeader}
}

func (f *csvFile) add(cells map[string]string) {
	row := make([]string, len(f.header))
	for i, h := range f.header {
		row[i] = cells[h]
	}
	f.rows = append(f.rows, strings.Join(row, ","))
}

func (f *csvFile) bytes() []byte {
	return []byte(strings.Join(f.header, ",") + "\n" + strings.Join(f.rows, "\n") + "\n")
}

// importedUser is a good row: a username, MFA off, a verified email.
func importedUser(name string) map[string]string {
	return map[string]string{"cognito:username": name, "cognito:mfa_enabled": "false",
		"email": name + "@example.com", "email_verified": "true", "given_name": "User " + name}
}

// upload PUTs a file to a PreSignedUrl as AWS's documentation does it with curl, the
// server-side encryption header included, and returns the status.
func upload(t testing.TB, url string, data []byte) int {
	t.Helper()
	h := http.Header{}
	h.Set("x-amz-server-side-encryption", "aws:kms")
	status, _, _ := httpDo(t, http.MethodPut, url, h, data)
	return status
}

// runImport creates a job, uploads the file, starts the job and waits for it to end.
func runImport(t testing.TB, c *cip.Client, pool string, data []byte) *types.UserImportJobType {
	t.Helper()
	job := must(c.CreateUserImportJob(bg, &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(pool), JobName: aws.String("import"), CloudWatchLogsRoleArn: aws.String(importRoleArn),
	}))(t).UserImportJob
	if status := upload(t, aws.ToString(job.PreSignedUrl), data); status != http.StatusOK {
		t.Fatalf("PUT of the file: status %d", status)
	}
	started := must(c.StartUserImportJob(bg, &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: job.JobId}))(t).UserImportJob
	if started.Status != types.UserImportJobStatusTypePending || started.StartDate == nil {
		t.Fatalf("StartUserImportJob answered status %s, start %v; want Pending with a StartDate", started.Status, started.StartDate)
	}
	return waitImport(t, c, pool, aws.ToString(job.JobId))
}

// waitImport polls DescribeUserImportJob until the job ends.
func waitImport(t testing.TB, c *cip.Client, pool, jobID string) *types.UserImportJobType {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		j := must(c.DescribeUserImportJob(bg, &cip.DescribeUserImportJobInput{UserPoolId: aws.String(pool), JobId: aws.String(jobID)}))(t).UserImportJob
		switch j.Status {
		case types.UserImportJobStatusTypeSucceeded, types.UserImportJobStatusTypeFailed, types.UserImportJobStatusTypeStopped:
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("import job %s still %s after 2 minutes", jobID, j.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func wantCounts(t testing.TB, j *types.UserImportJobType, imported, skipped, failed int64) {
	t.Helper()
	if j.ImportedUsers != imported || j.SkippedUsers != skipped || j.FailedUsers != failed {
		t.Errorf("job counts imported %d, skipped %d, failed %d; want %d, %d, %d (%s: %s)",
			j.ImportedUsers, j.SkippedUsers, j.FailedUsers,
			imported, skipped, failed, j.Status, aws.ToString(j.CompletionMessage))
	}
}

// TestImportTenThousandThenRecover is issue 11's acceptance: 10,000 users imported through
// the CSV job, and one of them completes ForgotPassword → ConfirmForgotPassword → sign-in.
func TestImportTenThousandThenRecover(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	f := newCSVFile(t, s.Client, p.id)
	const n = 10000
	for i := range n {
		f.add(importedUser(fmt.Sprintf("user%05d", i)))
	}
	began := time.Now()
	j := runImport(t, s.Client, p.id, f.bytes())
	t.Logf("imported %d users in %v", n, time.Since(began))
	if j.Status != types.UserImportJobStatusTypeSucceeded {
		t.Fatalf("job ended %s: %s", j.Status, aws.ToString(j.CompletionMessage))
	}
	wantCounts(t, j, n, 0, 0)
	if j.CompletionDate == nil || j.StartDate == nil || j.CompletionDate.Before(*j.StartDate) {
		t.Errorf("job dates: start %v, completion %v", j.StartDate, j.CompletionDate)
	}
	pool := must(s.Client.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(p.id)}))(t).UserPool
	if pool.EstimatedNumberOfUsers != n {
		t.Errorf("EstimatedNumberOfUsers %d after the import, want %d", pool.EstimatedNumberOfUsers, n)
	}

	// An imported user: RESET_REQUIRED, its attributes as the file gave them.
	const name = "user04711"
	u := getUser(t, s.Client, p.id, name)
	if u.UserStatus != types.UserStatusTypeResetRequired || !u.Enabled {
		t.Fatalf("%s is %s (enabled %v), want RESET_REQUIRED and enabled", name, u.UserStatus, u.Enabled)
	}
	attrs := attrMap(u.UserAttributes)
	for k, v := range map[string]string{"email": name + "@example.com", "email_verified": "true", "given_name": "User " + name} {
		if attrs[k] != v {
			t.Errorf("%s's %s = %q, want %q", name, k, attrs[k], v)
		}
	}
	if !uuidLike(attrs["sub"]) {
		t.Errorf("%s's sub = %q, want a UUID", name, attrs["sub"])
	}
	// With no password, signing in is refused as for any user whose reset is required.
	if _, err := p.signIn(name, recOldPassword); err == nil {
		t.Fatalf("an imported user signed in without a password")
	}

	// ForgotPassword → ConfirmForgotPassword → sign-in, by the verified email alias too.
	if _, err := p.forgot(name + "@example.com"); err != nil {
		t.Fatalf("ForgotPassword: %v", err)
	}
	if err := p.confirm(name, p.code(t, name), recNewPassword); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	res, err := p.signIn(name, recNewPassword)
	if err != nil || res == nil || aws.ToString(res.AccessToken) == "" {
		t.Fatalf("sign-in after the reset: %v", err)
	}
	p.wantStatus(t, name, types.UserStatusTypeConfirmed)
}

func uuidLike(s string) bool {
	return len(s) == 36 && strings.Count(s, "-") == 4
}

// TestImportBadRows: bad rows are counted and the good ones still land, in one batch.
func TestImportBadRows(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	p.jane(t) // already in the pool: a row naming her is skipped
	f := newCSVFile(t, s.Client, p.id)
	// More good rows than bad ones, or the job would end Failed (TestImportMostlyBad).
	var good []string
	for i := range 12 {
		good = append(good, fmt.Sprintf("good%02d", i))
	}
	good = append(good, "bob")
	for _, name := range good[:7] {
		f.add(importedUser(name))
	}
	bad := []map[string]string{
		{"cognito:mfa_enabled": "false", "email": "nobody@example.com", "email_verified": "true"},                         // no username
		{"cognito:username": "nomfa", "email": "nomfa@example.com", "email_verified": "true"},                             // no cognito:mfa_enabled
		{"cognito:username": "unverified", "cognito:mfa_enabled": "false", "email": "u@example.com"},                      // no auto-verified attribute verified
		{"cognito:username": "noemail", "cognito:mfa_enabled": "false", "email_verified": "true"},                         // verified without a value
		{"cognito:username": "maybe", "cognito:mfa_enabled": "maybe", "email": "m@example.com", "email_verified": "true"}, // not a boolean
		{"cognito:username": "badbool", "cognito:mfa_enabled": "false", "email": "b@example.com", "email_verified": "yes"},
		{"cognito:username": "bademail", "cognito:mfa_enabled": "false", "email": "not-an-email", "email_verified": "true"},
		{"cognito:username": "ann2", "cognito:mfa_enabled": "false", "email": "good00@example.com", "email_verified": "true"}, // an alias earlier in the file
		{"cognito:username": "jane2", "cognito:mfa_enabled": "false", "email": "jane@example.com", "email_verified": "true"},  // jane's alias
	}
	for _, row := range bad {
		f.add(row)
	}
	f.rows = append(f.rows, "too,few,cells") // a row of the wrong width
	skipped := []map[string]string{importedUser("jane"), importedUser("bob")}
	skipped[0]["email"] = "jane.other@example.com"
	skipped[1]["email"] = "bob.again@example.com"
	for _, row := range skipped {
		f.add(row)
	}
	for _, name := range good[7:] {
		f.add(importedUser(name))
	}
	j := runImport(t, s.Client, p.id, f.bytes())
	if j.Status != types.UserImportJobStatusTypeSucceeded {
		t.Fatalf("job ended %s: %s", j.Status, aws.ToString(j.CompletionMessage))
	}
	wantCounts(t, j, int64(len(good)), int64(len(skipped)), int64(len(bad)+1))
	for _, name := range good {
		if st := p.status(t, name); st != types.UserStatusTypeResetRequired {
			t.Errorf("%s is %s, want RESET_REQUIRED", name, st)
		}
	}
	// What was skipped or failed left nothing behind, and jane is untouched.
	for _, name := range []string{"nomfa", "unverified", "noemail", "maybe", "badbool", "bademail", "ann2", "jane2"} {
		_, err := s.Client.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(p.id), Username: aws.String(name)})
		wantCode(t, err, "UserNotFoundException")
	}
	if got := attrMap(getUser(t, s.Client, p.id, "jane").UserAttributes)["email"]; got != "jane@example.com" {
		t.Errorf("jane's email became %q", got)
	}
	p.wantStatus(t, "jane", types.UserStatusTypeConfirmed)
}

// TestImportMostlyBad: a job in which most rows fail ends Failed, with AWS's message, and
// the good rows still land.
func TestImportMostlyBad(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	f := newCSVFile(t, s.Client, p.id)
	f.add(importedUser("ann"))
	for i := range 3 {
		f.add(map[string]string{"cognito:username": fmt.Sprintf("bad%d", i), "cognito:mfa_enabled": "false"})
	}
	j := runImport(t, s.Client, p.id, f.bytes())
	if j.Status != types.UserImportJobStatusTypeFailed || aws.ToString(j.CompletionMessage) != "Too many users have failed or been skipped during the import." {
		t.Errorf("job ended %s: %q", j.Status, aws.ToString(j.CompletionMessage))
	}
	wantCounts(t, j, 1, 0, 3)
	p.wantStatus(t, "ann", types.UserStatusTypeResetRequired)
}

// TestImportJobLifecycle: the header, the refusals of StartUserImportJob and
// StopUserImportJob, the upload URL's signature, listing, and a file whose header is wrong.
func TestImportJobLifecycle(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema:                 []types.SchemaAttributeType{{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeString}},
	})
	header := must(c.GetCSVHeader(bg, &cip.GetCSVHeaderInput{UserPoolId: aws.String(pool)}))(t)
	want := []string{"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
		"picture", "website", "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number",
		"phone_number_verified", "address", "updated_at", "cognito:mfa_enabled", "cognito:username", "custom:tier"}
	if d := cmp.Diff(want, header.CSVHeader); d != "" || aws.ToString(header.UserPoolId) != pool {
		t.Errorf("GetCSVHeader (-want +got):\n%s", d)
	}
	_, err := c.GetCSVHeader(bg, &cip.GetCSVHeaderInput{UserPoolId: aws.String(missingPool)})
	wantCode(t, err, "ResourceNotFoundException")

	create := func() *types.UserImportJobType {
		return must(c.CreateUserImportJob(bg, &cip.CreateUserImportJobInput{
			UserPoolId: aws.String(pool), JobName: aws.String("lifecycle"), CloudWatchLogsRoleArn: aws.String(importRoleArn),
		}))(t).UserImportJob
	}
	j := create()
	if !strings.HasPrefix(aws.ToString(j.JobId), "import-") || j.Status != types.UserImportJobStatusTypeCreated ||
		aws.ToString(j.CloudWatchLogsRoleArn) != importRoleArn || aws.ToString(j.JobName) != "lifecycle" ||
		j.CreationDate == nil || j.ImportedUsers != 0 {
		t.Errorf("CreateUserImportJob answered %+v", j)
	}
	if !strings.HasPrefix(aws.ToString(j.PreSignedUrl), s.URL+"/") {
		t.Errorf("PreSignedUrl %q is not on cognate's URL %s", aws.ToString(j.PreSignedUrl), s.URL)
	}
	// CloudWatchLogsRoleArn is required (the SDK checks that itself, so ask over the wire).
	status, _, body := callRaw(t, s.URL, "CreateUserImportJob", `{"UserPoolId":"`+pool+`","JobName":"x"}`)
	if code, _ := wireError(t, body); status != http.StatusBadRequest || code != "InvalidParameterException" {
		t.Errorf("CreateUserImportJob without CloudWatchLogsRoleArn: %d %s", status, body)
	}
	id := j.JobId

	// Not started without a file; not stoppable before it starts.
	_, err = c.StartUserImportJob(bg, &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: id})
	wantCode(t, err, "PreconditionNotMetException")
	_, err = c.StopUserImportJob(bg, &cip.StopUserImportJobInput{UserPoolId: aws.String(pool), JobId: id})
	wantCode(t, err, "PreconditionNotMetException")
	_, err = c.DescribeUserImportJob(bg, &cip.DescribeUserImportJobInput{UserPoolId: aws.String(pool), JobId: aws.String("import-missing")})
	wantCode(t, err, "ResourceNotFoundException")

	// The URL's signature is what lets an upload in.
	url := aws.ToString(j.PreSignedUrl)
	forged := url[:len(url)-4] + "AAAA"
	if forged == url {
		forged = url[:len(url)-4] + "BBBB"
	}
	if status := upload(t, forged, []byte("x")); status != http.StatusForbidden {
		t.Errorf("an upload with a forged signature: status %d, want 403", status)
	}
	otherURL := aws.ToString(create().PreSignedUrl)
	swapped := otherURL[:strings.Index(otherURL, "?")] + url[strings.Index(url, "?"):]
	if status := upload(t, swapped, []byte("x")); status != http.StatusForbidden {
		t.Errorf("an upload to another job with this job's signature: status %d, want 403", status)
	}

	// A file whose header misses a column fails the job, and nobody is imported.
	if status := upload(t, url, []byte("cognito:username,email\njane,jane@example.com\n")); status != http.StatusOK {
		t.Fatalf("upload: status %d", status)
	}
	must(c.StartUserImportJob(bg, &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: id}))(t)
	_, err = c.StartUserImportJob(bg, &cip.StartUserImportJobInput{UserPoolId: aws.String(pool), JobId: id})
	wantCode(t, err, "PreconditionNotMetException") // started already
	done := waitImport(t, c, pool, aws.ToString(id))
	if done.Status != types.UserImportJobStatusTypeFailed || !strings.Contains(aws.ToString(done.CompletionMessage), "missing") {
		t.Errorf("a file with a short header: job %s, %q", done.Status, aws.ToString(done.CompletionMessage))
	}
	wantCounts(t, done, 0, 0, 0)
	if status := upload(t, url, []byte("x")); status != http.StatusForbidden {
		t.Errorf("an upload to a job that ended: status %d, want 403", status)
	}
	_, err = c.StopUserImportJob(bg, &cip.StopUserImportJobInput{UserPoolId: aws.String(pool), JobId: id})
	wantCode(t, err, "PreconditionNotMetException")

	// Listing: every job, MaxResults at a time.
	for range 3 {
		create()
	}
	var seen []string
	var token *string
	for {
		page := must(c.ListUserImportJobs(bg, &cip.ListUserImportJobsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2), PaginationToken: token}))(t)
		if len(page.UserImportJobs) > 2 {
			t.Fatalf("a page of %d jobs, MaxResults 2", len(page.UserImportJobs))
		}
		for _, j := range page.UserImportJobs {
			seen = append(seen, aws.ToString(j.JobId))
		}
		if token = page.PaginationToken; token == nil {
			break
		}
	}
	if len(seen) != 5 || !slices.IsSorted(seen) || !slices.Contains(seen, aws.ToString(id)) {
		t.Errorf("ListUserImportJobs listed %v, want the 5 jobs", seen)
	}
	_, err = c.ListUserImportJobs(bg, &cip.ListUserImportJobsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(61)})
	wantCode(t, err, "InvalidParameterException")

	// A pool with no auto-verified attribute cannot start a job.
	bare := createPool(t, c, nil)
	bj := must(c.CreateUserImportJob(bg, &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(bare), JobName: aws.String("bare"), CloudWatchLogsRoleArn: aws.String(importRoleArn),
	}))(t).UserImportJob
	upload(t, aws.ToString(bj.PreSignedUrl), newCSVFile(t, c, bare).bytes())
	_, err = c.StartUserImportJob(bg, &cip.StartUserImportJobInput{UserPoolId: aws.String(bare), JobId: bj.JobId})
	wantCode(t, err, "PreconditionNotMetException")
}

// TestImportCommand runs cognate import against a server: plain progress lines (the test's
// output is no terminal), the result on stdout, and the users in the pool.
func TestImportCommand(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	f := newCSVFile(t, s.Client, p.id)
	for i := range 2500 {
		f.add(importedUser(fmt.Sprintf("cli%04d", i)))
	}
	f.add(map[string]string{"cognito:username": "broken", "cognito:mfa_enabled": "false"}) // nothing verified
	file := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(file, f.bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(bg, []string{"import", file, "--pool", p.id, "--endpoint-url", s.URL, "--region", "us-east-1", "--poll", "20ms"},
		noEnv, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("cognate import: %v\nstderr:\n%s", err, stderr.String())
	}
	out := stdout.String()
	if !regexp.MustCompile(`^import-[0-9A-Za-z]+ Succeeded: 2500 imported, 0 skipped, 1 failed\. `).MatchString(out) {
		t.Errorf("stdout = %q", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if line != "" && !regexp.MustCompile(`^import-[0-9A-Za-z]+ (Pending|InProgress|Succeeded): [0-9]+ of 2501 users \(`).MatchString(line) {
			t.Errorf("a progress line %q", line)
		}
	}
	p.wantStatus(t, "cli1234", types.UserStatusTypeResetRequired)

	// Misuse is reported before anything is called.
	err = run(bg, []string{"import", "--region", "us-east-1"}, noEnv, strings.NewReader(""), &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "--pool is required") || !strings.Contains(err.Error(), "one CSV file") {
		t.Errorf("cognate import with no file or pool: %v", err)
	}
}

// TestImportStopRunning: a job stopped while it runs ends Stopped after the batch it was
// writing; the users written so far stay, and the rest are not imported.
func TestImportStopRunning(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	p := newRecPool(t, s, types.PreventUserExistenceErrorTypesEnabled, nil)
	f := newCSVFile(t, c, p.id)
	const n = 40000 // seconds of work, so that the stop comes while it runs
	for i := range n {
		f.add(importedUser(fmt.Sprintf("stop%05d", i)))
	}
	job := must(c.CreateUserImportJob(bg, &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(p.id), JobName: aws.String("stop"), CloudWatchLogsRoleArn: aws.String(importRoleArn),
	}))(t).UserImportJob
	if status := upload(t, aws.ToString(job.PreSignedUrl), f.bytes()); status != http.StatusOK {
		t.Fatalf("upload: status %d", status)
	}
	must(c.StartUserImportJob(bg, &cip.StartUserImportJobInput{UserPoolId: aws.String(p.id), JobId: job.JobId}))(t)
	stopped := must(c.StopUserImportJob(bg, &cip.StopUserImportJobInput{UserPoolId: aws.String(p.id), JobId: job.JobId}))(t).UserImportJob
	if stopped.Status != types.UserImportJobStatusTypeStopping && stopped.Status != types.UserImportJobStatusTypeStopped {
		t.Fatalf("StopUserImportJob answered %s, want Stopping or Stopped", stopped.Status)
	}
	j := waitImport(t, c, p.id, aws.ToString(job.JobId))
	if j.Status != types.UserImportJobStatusTypeStopped || j.CompletionDate == nil {
		t.Fatalf("a stopped job ended %s (%s)", j.Status, aws.ToString(j.CompletionMessage))
	}
	if j.ImportedUsers >= n {
		t.Errorf("the stopped job imported all %d users", j.ImportedUsers)
	}
	pool := must(c.DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(p.id)}))(t).UserPool
	if int64(pool.EstimatedNumberOfUsers) != j.ImportedUsers {
		t.Errorf("the pool has %d users, the job says it imported %d", pool.EstimatedNumberOfUsers, j.ImportedUsers)
	}
	_, err := c.StartUserImportJob(bg, &cip.StartUserImportJobInput{UserPoolId: aws.String(p.id), JobId: job.JobId})
	wantCode(t, err, "PreconditionNotMetException")
}
