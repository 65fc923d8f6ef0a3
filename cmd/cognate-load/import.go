package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"time"
)

// importMaker makes users with user import jobs, as Cognito's CSV import does it:
// GetCSVHeader, CreateUserImportJob, the CSV PUT to the job's PreSignedUrl,
// StartUserImportJob, DescribeUserImportJob until the job ends. Imported users are
// RESET_REQUIRED with a verified email and no password, which is what ForgotPassword
// wants; a mix that signs in needs the admin API's users, with a password.
type importMaker struct {
	w *wire
	// perJob is how many users one job imports.
	perJob int
	// poll is how often a running job is described.
	poll time.Duration
}

func (importMaker) name() string { return "user import jobs" }

// importRoleARN is the CloudWatch Logs role the model requires of CreateUserImportJob;
// cognate does not assume it.
const importRoleARN = "arn:aws:iam::000000000000:role/cognate-load-import"

func (m importMaker) makeUsers(ctx context.Context, t *target, first, n int, done func()) error {
	var header struct{ CSVHeader []string }
	if err := m.w.call(ctx, "GetCSVHeader", true, map[string]any{"UserPoolId": t.poolID}, &header); err != nil {
		return fmt.Errorf("GetCSVHeader: %w", err)
	}
	perJob := max(m.perJob, 1)
	for from := first; from < first+n; from += perJob {
		count := min(perJob, first+n-from)
		body, err := importCSV(header.CSVHeader, from, count)
		if err != nil {
			return err
		}
		if err := m.runJob(ctx, t, fmt.Sprintf("load-%d", from), body, done); err != nil {
			return err
		}
	}
	return nil
}

// importCSV is the file of users first … first+count-1 under the pool's header.
func importCSV(header []string, first, count int) ([]byte, error) {
	values := map[string]func(name string) string{
		"cognito:username":      func(name string) string { return name },
		"email":                 func(name string) string { return name + "@example.com" },
		"email_verified":        func(string) string { return "true" },
		"phone_number_verified": func(string) string { return "false" },
		"cognito:mfa_enabled":   func(string) string { return "false" },
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	row := make([]string, len(header))
	for i := first; i < first+count; i++ {
		name := username(i)
		for j, col := range header {
			row[j] = ""
			if f, ok := values[col]; ok {
				row[j] = f(name)
			}
		}
		if err := cw.Write(row); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// importJob is the part of UserImportJobType the maker reads.
type importJob struct {
	JobId, Status, PreSignedUrl, CompletionMessage string
	ImportedUsers, SkippedUsers, FailedUsers       int64
}

func (m importMaker) runJob(ctx context.Context, t *target, name string, body []byte, done func()) error {
	var created struct{ UserImportJob importJob }
	if err := m.w.call(ctx, "CreateUserImportJob", true, map[string]any{
		"JobName": name, "UserPoolId": t.poolID, "CloudWatchLogsRoleArn": importRoleARN,
	}, &created); err != nil {
		return fmt.Errorf("CreateUserImportJob: %w", err)
	}
	job := created.UserImportJob
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, job.PreSignedUrl, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("the job's PreSignedUrl: %w", err)
	}
	// The header AWS's guide has the upload send (curl -T file.csv -H ...).
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	resp, data, err := m.w.do(req)
	if err != nil {
		return fmt.Errorf("uploading the CSV: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("uploading the CSV: HTTP %d: %s", resp.StatusCode, data)
	}
	ids := map[string]any{"UserPoolId": t.poolID, "JobId": job.JobId}
	if err := m.w.call(ctx, "StartUserImportJob", true, ids, nil); err != nil {
		return fmt.Errorf("StartUserImportJob: %w", err)
	}
	var reported int64
	for {
		var d struct{ UserImportJob importJob }
		if err := m.w.call(ctx, "DescribeUserImportJob", true, ids, &d); err != nil {
			return fmt.Errorf("DescribeUserImportJob: %w", err)
		}
		job = d.UserImportJob
		for ; reported < job.ImportedUsers; reported++ {
			done()
		}
		switch job.Status {
		case "Succeeded", "Failed", "Stopped", "Expired":
			if job.Status != "Succeeded" || job.SkippedUsers > 0 || job.FailedUsers > 0 {
				return fmt.Errorf("import job %s: %s (%s), %d imported, %d skipped, %d failed",
					job.JobId, job.Status, job.CompletionMessage, job.ImportedUsers, job.SkippedUsers, job.FailedUsers)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(m.poll):
		}
	}
}
