package main

// cognate import users.csv --pool ID: a user import job run over the wire, against cognate
// or AWS: CreateUserImportJob, the PUT of the file to the job's PreSignedUrl (with the
// server-side encryption header AWS's documentation sends), StartUserImportJob, and
// DescribeUserImportJob until the job ends, with a progress bar on a terminal and plain
// lines otherwise. Interrupted, it stops the job (StopUserImportJob).

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"golang.org/x/term"
)

// importFlags are the flags of cognate import.
type importFlags struct {
	pool, jobName, roleArn       string
	region, profile, endpointURL string
	poll                         time.Duration
}

func importCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := &importFlags{}
	fs := flag.NewFlagSet("cognate import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: cognate import [flags] FILE.csv\n\nImports the users of a CSV file (with the header GetCSVHeader gives) into a user pool through a user import job,\nas Cognito runs them: each user lands in RESET_REQUIRED, to set a password with ForgotPassword.\n\nflags:\n")
		fs.PrintDefaults()
	}
	fs.StringVar(&f.pool, "pool", "", "The user pool's id. Required.")
	fs.StringVar(&f.jobName, "job-name", "cognate-import", "The job's JobName.")
	fs.StringVar(&f.roleArn, "cloud-watch-logs-role-arn", "arn:aws:iam::000000000000:role/CognitoImportLogs",
		"The job's CloudWatchLogsRoleArn (AWS needs a real role; cognate keeps it and writes no logs there).")
	fs.StringVar(&f.region, "region", "", "The region; else AWS_REGION, AWS_DEFAULT_REGION or the profile's.")
	fs.StringVar(&f.profile, "profile", "", "The profile of the shared config and credentials files; else AWS_PROFILE, else default.")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "The endpoint, e.g. http://127.0.0.1:9229 for cognate; else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL or the profile's endpoint_url.")
	fs.DurationVar(&f.poll, "poll", 250*time.Millisecond, "How often to ask for the job's progress.")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	var problems []error
	if len(pos) != 1 {
		problems = append(problems, fmt.Errorf("import takes one CSV file, not %d", len(pos)))
	}
	if f.pool == "" {
		problems = append(problems, errors.New("--pool is required"))
	}
	if f.poll <= 0 {
		problems = append(problems, errors.New("--poll must be positive"))
	}
	if err := errors.Join(problems...); err != nil {
		return err
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	client, err := importClient(ctx, f)
	if err != nil {
		return err
	}
	rows := countRows(data)

	job, err := client.CreateUserImportJob(ctx, &cip.CreateUserImportJobInput{
		UserPoolId: aws.String(f.pool), JobName: aws.String(f.jobName), CloudWatchLogsRoleArn: aws.String(f.roleArn),
	})
	if err != nil {
		return apiError(err)
	}
	id := aws.ToString(job.UserImportJob.JobId)
	if err := putFile(ctx, aws.ToString(job.UserImportJob.PreSignedUrl), data); err != nil {
		return fmt.Errorf("uploading %s for job %s: %w", pos[0], id, err)
	}
	if _, err := client.StartUserImportJob(ctx, &cip.StartUserImportJobInput{UserPoolId: aws.String(f.pool), JobId: aws.String(id)}); err != nil {
		return apiError(err)
	}
	bar := newProgress(stderr, id, rows)
	final, err := waitForJob(ctx, client, f, id, bar)
	if err != nil {
		if ctx.Err() != nil {
			// Interrupted: stop the job rather than leave it running unwatched.
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if _, serr := client.StopUserImportJob(stopCtx, &cip.StopUserImportJobInput{UserPoolId: aws.String(f.pool), JobId: aws.String(id)}); serr != nil {
				return fmt.Errorf("interrupted; stopping job %s failed: %w", id, apiError(serr))
			}
			return fmt.Errorf("interrupted; job %s stopped", id)
		}
		return err
	}
	bar.done(final)
	fmt.Fprintf(stdout, "%s %s: %d imported, %d skipped, %d failed. %s\n", id, final.Status,
		final.ImportedUsers, final.SkippedUsers, final.FailedUsers, aws.ToString(final.CompletionMessage))
	if final.Status != types.UserImportJobStatusTypeSucceeded {
		return fmt.Errorf("import job %s ended %s", id, final.Status)
	}
	return nil
}

// importClient builds the SDK client as the SDK configures itself. The import operations
// are signed; when no credentials resolve, the requests go unsigned, which cognate takes
// on loopback without --credentials (and AWS refuses).
func importClient(ctx context.Context, f *importFlags) (*cip.Client, error) {
	opts := []func(*config.LoadOptions) error{config.WithAppID("cognate")}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	if f.endpointURL != "" {
		// An endpoint of one's own is no EC2 instance's AWS: credentials come from the
		// environment or the shared files, and no time goes on asking the instance's.
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		return nil, errors.New("no region: give --region, or set AWS_REGION")
	}
	if cfg.Credentials == nil {
		cfg.Credentials = aws.AnonymousCredentials{}
	} else if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		cfg.Credentials = aws.AnonymousCredentials{}
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		if f.endpointURL != "" {
			o.BaseEndpoint = aws.String(f.endpointURL)
		}
	}), nil
}

// countRows counts the file's users: its records less the header.
func countRows(data []byte) int64 {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var n int64
	for {
		if _, err := r.Read(); err == io.EOF {
			break
		}
		n++
	}
	return max(n-1, 0)
}

// putFile uploads the file as AWS's documentation does (curl -T file.csv -H
// "x-amz-server-side-encryption:aws:kms" URL).
func putFile(ctx context.Context, url string, data []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("x-amz-server-side-encryption", "aws:kms")
	resp, err := (&http.Client{Timeout: 10 * time.Minute}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	return nil
}

// waitForJob polls DescribeUserImportJob until the job ends, showing its progress.
func waitForJob(ctx context.Context, client *cip.Client, f *importFlags, id string, bar *progress) (*types.UserImportJobType, error) {
	tick := time.NewTicker(f.poll)
	defer tick.Stop()
	for {
		out, err := client.DescribeUserImportJob(ctx, &cip.DescribeUserImportJobInput{UserPoolId: aws.String(f.pool), JobId: aws.String(id)})
		if err != nil {
			return nil, apiError(err)
		}
		j := out.UserImportJob
		switch j.Status {
		case types.UserImportJobStatusTypeSucceeded, types.UserImportJobStatusTypeFailed,
			types.UserImportJobStatusTypeStopped, types.UserImportJobStatusTypeExpired:
			return j, nil
		}
		bar.show(j)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

// progress shows a job's progress: a bar redrawn in place on a terminal, else a line each
// time it changes.
type progress struct {
	w     io.Writer
	tty   bool
	id    string
	total int64
	last  string
}

func newProgress(w io.Writer, id string, total int64) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, tty: ok && term.IsTerminal(int(f.Fd())), id: id, total: total}
}

func (p *progress) show(j *types.UserImportJobType) {
	done := j.ImportedUsers + j.SkippedUsers + j.FailedUsers
	if p.tty {
		const width = 30
		filled := 0
		if p.total > 0 {
			filled = int(min(done, p.total) * width / p.total)
		}
		pct := 100
		if p.total > 0 {
			pct = int(min(done, p.total) * 100 / p.total)
		}
		fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d users (%d skipped, %d failed) %s ", p.id,
			strings.Repeat("=", filled), strings.Repeat(" ", width-filled), pct, done, p.total,
			j.SkippedUsers, j.FailedUsers, j.Status)
		return
	}
	line := fmt.Sprintf("%s %s: %d of %d users (%d imported, %d skipped, %d failed)", p.id, j.Status, done, p.total,
		j.ImportedUsers, j.SkippedUsers, j.FailedUsers)
	if line != p.last {
		fmt.Fprintln(p.w, line)
		p.last = line
	}
}

// done draws the bar a last time, full, and ends its line.
func (p *progress) done(j *types.UserImportJobType) {
	p.show(j)
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
