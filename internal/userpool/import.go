package userpool

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// User import from a CSV file, as Cognito does it (developer guide, "Importing users into
// user pools from a CSV file"): CreateUserImportJob makes a job and the URL its file is
// uploaded to, StartUserImportJob queues it, and RunImports carries it out: each good row
// becomes a user in RESET_REQUIRED with no password (nothing is hashed on the way in), so
// that the user's first act is ForgotPassword; each bad row is counted and skipped over.

// The statuses of a job (the model's UserImportJobStatusType). Expired is never reached:
// cognate keeps a job that was not started.
const (
	jobCreated    = "Created"
	jobPending    = "Pending"
	jobInProgress = "InProgress"
	jobStopping   = "Stopping"
	jobStopped    = "Stopped"
	jobFailed     = "Failed"
	jobSucceeded  = "Succeeded"
)

// CompletionMessages. Only the second is AWS's as observed (a job in which most users
// failed: aws-solutions/cognito-user-profiles-export-reference-architecture issue 9); AWS
// documents none, so the others are cognate's words.
const (
	completedMessage    = "Import Job Completed Successfully."
	tooManyFailedMsg    = "Too many users have failed or been skipped during the import."
	stoppedMessage      = "The import job was stopped."
	interruptedMessage  = "The import job was interrupted: cognate stopped before it finished. Create a new job to import the rest."
	importBatchSize     = 1000                   // users written by one SaveUsers
	importProgressEvery = 250 * time.Millisecond // how often a running job writes its counts
)

// MaxImportFileBytes is the largest CSV file an upload may carry: the developer guide's
// limit for one import file, 100 MB.
const MaxImportFileBytes = 100 << 20

// importJobNotFound answers a job id the pool does not have. AWS documents no message for
// it; this one names the job, as AWS's other ResourceNotFoundExceptions name what is missing.
func importJobNotFound(id string) *Error {
	return newError("ResourceNotFoundException", "Import job %s does not exist.", id)
}

// csvHeader is the pool's CSV header as GetCSVHeader returns it: the standard attributes
// in AWS's order (the developer guide's sample), cognito:mfa_enabled and cognito:username,
// then the pool's custom attributes.
func csvHeader(p *Pool) []string {
	out := make([]string, 0, len(p.Doc.SchemaAttributes)+2)
	for _, a := range standardAttributes {
		if a.name == "sub" {
			continue // Cognito makes every user's sub; a file cannot give one
		}
		if _, ok := schemaAttribute(p, a.name); ok {
			out = append(out, a.name)
		}
	}
	out = append(out, "cognito:mfa_enabled", "cognito:username")
	for _, sa := range p.Doc.SchemaAttributes {
		if name := deref(sa.Name); !isStandardAttribute(name) {
			out = append(out, name)
		}
	}
	return out
}

// uploadSignature is the unguessable part of a job's upload URL: an HMAC of the pool and
// job ids under a key derived from the master key, so nothing secret is stored.
func (s *Service) uploadSignature(poolID, jobID string) string {
	m := hmac.New(sha256.New, s.keys.upload[:])
	m.Write([]byte(poolID + "\x00" + jobID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// UploadPath is the path under the public URL where a job's CSV file is PUT.
func UploadPath(poolID, jobID string) string {
	return "/_cognate/import/" + url.PathEscape(poolID) + "/" + url.PathEscape(jobID)
}

// UploadSignatureParam is the query parameter of an upload URL that carries its signature.
const UploadSignatureParam = "X-Cognate-Signature"

// preSignedURL is the job's PreSignedUrl: on cognate's own public URL, as AWS's is an S3
// pre-signed PUT URL.
func (s *Service) preSignedURL(poolID, jobID string) string {
	return s.publicURL + UploadPath(poolID, jobID) + "?" + UploadSignatureParam + "=" + s.uploadSignature(poolID, jobID)
}

// importJobType is a job as the operations describe it.
func (s *Service) importJobType(j *ImportJob) *UserImportJobType {
	out := j.Doc
	out.PreSignedUrl = ptr(s.preSignedURL(j.PoolID, j.ID))
	return &out
}

// loadImportJob reads a job of the pool, answering ResourceNotFoundException for a pool
// or a job that does not exist.
func (s *Service) loadImportJob(ctx context.Context, poolID, jobID string) (*ImportJob, error) {
	if _, err := s.loadPool(ctx, poolID); err != nil {
		return nil, err
	}
	j, err := s.store.GetImportJob(ctx, poolID, jobID)
	if errors.Is(err, ErrNotFound) {
		return nil, importJobNotFound(jobID)
	}
	return j, err
}

// changeImportJob reads a job, lets change refuse or change it, and writes it back with
// the version it read, again when another write went first.
func (s *Service) changeImportJob(ctx context.Context, poolID, jobID string, change func(j *ImportJob) error) (*ImportJob, error) {
	var j *ImportJob
	err := retryConflicts(ctx, func() error {
		var err error
		if j, err = s.loadImportJob(ctx, poolID, jobID); err != nil {
			return err
		}
		if err := change(j); err != nil {
			return err
		}
		return s.store.UpdateImportJob(ctx, j)
	})
	if errors.Is(err, ErrNotFound) {
		return nil, importJobNotFound(jobID)
	}
	return j, err
}

// ErrUploadRefused answers an upload whose URL is not (or no longer) one cognate gave out:
// a wrong signature, a job that is gone, or one that has started (S3 answers a pre-signed
// URL that has expired with 403 too).
var ErrUploadRefused = errors.New("the upload URL is not valid")

// UploadImportFile stores the CSV file PUT to a job's PreSignedUrl. The signature is
// compared in constant time before anything is read, so a wrong one learns nothing of
// which jobs exist.
func (s *Service) UploadImportFile(ctx context.Context, poolID, jobID, signature string, data []byte) error {
	if !hmac.Equal([]byte(signature), []byte(s.uploadSignature(poolID, jobID))) {
		return ErrUploadRefused
	}
	j, err := s.store.GetImportJob(ctx, poolID, jobID)
	if errors.Is(err, ErrNotFound) {
		return ErrUploadRefused
	}
	if err != nil {
		return err
	}
	// A file uploaded after the job started would not be read: refuse it rather than
	// pretend. (A start racing this upload reads the file it finds when it runs.)
	if deref(j.Doc.Status) != jobCreated {
		return ErrUploadRefused
	}
	if err := s.store.PutImportFile(ctx, poolID, jobID, data); errors.Is(err, ErrNotFound) {
		return ErrUploadRefused
	} else if err != nil {
		return err
	}
	return nil
}

// importRef names a started job waiting for RunImports.
type importRef struct{ poolID, jobID string }

// importQueue holds the jobs StartUserImportJob queued in this process.
type importQueue struct {
	mu   sync.Mutex
	jobs []importRef
	wake chan struct{} // a token when jobs is not empty
}

func (q *importQueue) push(r importRef) {
	q.mu.Lock()
	q.jobs = append(q.jobs, r)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *importQueue) pop() (importRef, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.jobs) == 0 {
		return importRef{}, false
	}
	r := q.jobs[0]
	q.jobs = q.jobs[1:]
	return r, true
}

// RunImports carries out the import jobs started in this process, one at a time, until
// ctx ends. A job running then stops between two batches and, like every job still
// queued, ends Failed with a message saying so: its file is not read again at the next
// start, and the users it wrote stay.
func (s *Service) RunImports(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			for {
				r, ok := s.imports.pop()
				if !ok {
					return
				}
				s.interruptImport(r)
			}
		case <-s.imports.wake:
		}
		for {
			r, ok := s.imports.pop()
			if !ok {
				break
			}
			if ctx.Err() != nil {
				s.interruptImport(r)
				continue
			}
			if err := s.runImport(ctx, r); err != nil {
				s.log.ErrorContext(ctx, "import job failed", "pool", r.poolID, "job", r.jobID, "error", err.Error())
			}
		}
	}
}

// interruptImport ends a queued job that will not run, Failed.
func (s *Service) interruptImport(r importRef) {
	ctx := context.Background()
	j, err := s.store.GetImportJob(ctx, r.poolID, r.jobID)
	if err != nil || deref(j.Doc.Status) != jobPending {
		return
	}
	im := &importRun{s: s, job: j}
	im.finish(ctx, jobFailed, interruptedMessage)
}

// importRun is one job being carried out: its record as last written and its counts.
type importRun struct {
	s   *Service
	job *ImportJob
	// The counts and the stop flag are shared by the goroutine that reads the file and the
	// one that writes its users.
	imported, skipped, failed atomic.Int64
	stopRequested             atomic.Bool
	lastProgress              time.Time // the writer's alone
	// completed and completion, once set, are the job's CompletionDate and
	// CompletionMessage, written with its final status.
	completed  time.Time
	completion string
}

// runImport carries out one job.
func (s *Service) runImport(ctx context.Context, r importRef) error {
	j, err := s.store.GetImportJob(ctx, r.poolID, r.jobID)
	if errors.Is(err, ErrNotFound) {
		return nil // its pool was deleted
	}
	if err != nil {
		return err
	}
	if deref(j.Doc.Status) != jobPending {
		return nil // stopped before it began
	}
	im := &importRun{s: s, job: j}
	if err := im.save(ctx, jobInProgress); err != nil || im.stopRequested.Load() {
		return im.end(ctx, err)
	}
	p, err := s.store.GetPool(ctx, r.poolID)
	if err != nil {
		return im.end(ctx, err)
	}
	data, err := s.store.GetImportFile(ctx, r.poolID, r.jobID)
	if errors.Is(err, ErrNotFound) {
		err = &badFile{"No CSV file was uploaded for the import job."}
	}
	if err != nil {
		return im.end(ctx, err)
	}
	return im.end(ctx, im.importFile(ctx, p, data))
}

// end finishes the job as what happened says: stopped on request, Failed when it could not
// go on (an error, a bad header, shutdown), else Succeeded unless most rows did not land.
func (im *importRun) end(ctx context.Context, err error) error {
	fin := context.WithoutCancel(ctx)
	var bad *badFile
	switch {
	case im.stopRequested.Load():
		return im.finish(fin, jobStopped, stoppedMessage)
	case errors.As(err, &bad):
		return im.finish(fin, jobFailed, bad.msg)
	case errors.Is(err, ErrNotFound):
		return nil // the pool, and the job with it, were deleted meanwhile
	case ctx.Err() != nil:
		return im.finish(fin, jobFailed, interruptedMessage)
	case err != nil:
		im.finish(fin, jobFailed, "The import job failed: internal error.")
		return err
	case im.failed.Load()+im.skipped.Load() > im.imported.Load():
		// Where AWS draws this line is not documented; in the observed case 32 of 46 failed.
		return im.finish(fin, jobFailed, tooManyFailedMsg)
	}
	return im.finish(fin, jobSucceeded, completedMessage)
}

// save writes the job's status and counts. A stop that came in meanwhile (the write
// answers ErrConflict) is taken up: the job is re-read, and stopRequested set when it is
// stopping.
func (im *importRun) save(ctx context.Context, status string) error {
	for try := 0; ; try++ {
		j := im.job
		j.Doc.Status = ptr(status)
		if im.completion != "" {
			j.Doc.CompletionDate, j.Doc.CompletionMessage = At(im.completed), ptr(im.completion)
		}
		j.Doc.ImportedUsers, j.Doc.SkippedUsers, j.Doc.FailedUsers = ptr(im.imported.Load()), ptr(im.skipped.Load()), ptr(im.failed.Load())
		err := im.s.store.UpdateImportJob(ctx, j)
		if !errors.Is(err, ErrConflict) || try == conflictTries {
			return err
		}
		fresh, err := im.s.store.GetImportJob(ctx, j.PoolID, j.ID)
		if err != nil {
			return err
		}
		im.job = fresh
		if st := deref(fresh.Doc.Status); st == jobStopping || st == jobStopped {
			im.stopRequested.Store(true)
			if isTerminal(status) {
				continue // write the final status over the stop
			}
			return nil
		}
	}
}

// finish writes the job's final status, counts and message.
func (im *importRun) finish(ctx context.Context, status, message string) error {
	im.completed, im.completion = im.s.clock(), message
	return im.save(ctx, status)
}

func isTerminal(status string) bool {
	return status == jobStopped || status == jobFailed || status == jobSucceeded
}

// badFile is a file the job cannot read at all; msg is the job's CompletionMessage.
type badFile struct{ msg string }

func (b *badFile) Error() string { return b.msg }

// importFile reads the file and writes its users, importBatchSize at a time. Reading and
// writing overlap: while one batch is being committed the next is being made, so that the
// rows' checks run while the store waits on the disk.
func (im *importRun) importFile(ctx context.Context, p *Pool, data []byte) error {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		return &badFile{"The CSV file has no header row."}
	}
	cols, err := headerColumns(p, head)
	if err != nil {
		return err
	}
	r.FieldsPerRecord = len(head)

	full := make(chan *importBatch, 1)  // made, waiting to be written
	empty := make(chan *importBatch, 2) // written, to be made again
	empty <- newImportBatch()
	empty <- newImportBatch()
	var halt atomic.Bool // the writer met an error or a stop: read no further
	written := make(chan error, 1)
	go func() {
		var err error
		for b := range full {
			if err == nil && !im.stopRequested.Load() {
				if err = im.flush(ctx, b); err != nil || im.stopRequested.Load() {
					halt.Store(true)
				}
			}
			b.reset()
			empty <- b
		}
		written <- err
	}()
	readErr := im.readRows(p, cols, r, full, empty, &halt)
	close(full)
	if err := <-written; err != nil {
		return err
	}
	return readErr
}

// readRows turns the file's rows into batches of users.
func (im *importRun) readRows(p *Pool, cols *importColumns, r *csv.Reader, full chan<- *importBatch, empty <-chan *importBatch, halt *atomic.Bool) error {
	batch := <-empty
	for !halt.Load() {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			im.failed.Add(1) // a row of the wrong width, or a malformed one
			if !errors.Is(pe.Err, csv.ErrFieldCount) && !errors.Is(pe.Err, csv.ErrQuote) && !errors.Is(pe.Err, csv.ErrBareQuote) {
				return &badFile{fmt.Sprintf("The CSV file cannot be read: %v.", pe)}
			}
			continue
		}
		if batch.size() == 0 {
			batch.now = im.s.clock()
		}
		u, err := im.s.importedUser(p, cols, rec, batch.now)
		if err != nil {
			im.failed.Add(1)
			continue
		}
		switch batch.add(u) {
		case rowDuplicate:
			im.skipped.Add(1)
		case rowAliasClash:
			im.failed.Add(1)
		}
		if batch.size() == importBatchSize {
			full <- batch
			batch = <-empty
		}
	}
	if batch.size() > 0 {
		full <- batch
	}
	return nil
}

// flush writes the batch and reports progress now and then.
func (im *importRun) flush(ctx context.Context, b *importBatch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.size() > 0 {
		if err := im.write(ctx, b.writes); err != nil {
			return err
		}
	}
	// The wall clock, not the service's: this paces writes, it is not a time of the job.
	if now := time.Now(); now.Sub(im.lastProgress) >= importProgressEvery {
		im.lastProgress = now
		return im.save(ctx, jobInProgress)
	}
	return nil
}

// write saves users in one transaction; when that fails, it halves the batch and tries
// each half, down to single users, so that one bad row costs a few transactions and not
// its batch. A single user that still fails is skipped when its username exists (as AWS
// skips users already in the pool) and counted failed when an alias is another's.
func (im *importRun) write(ctx context.Context, writes []UserWrite) error {
	err := im.s.store.SaveUsers(ctx, writes...)
	switch {
	case err == nil:
		im.imported.Add(int64(len(writes)))
		return nil
	case len(writes) > 1 && errors.Is(err, ErrConflict):
		half := len(writes) / 2
		if err := im.write(ctx, writes[:half]); err != nil {
			return err
		}
		return im.write(ctx, writes[half:])
	case errors.Is(err, ErrAliasConflict):
		im.failed.Add(1)
		return nil
	case errors.Is(err, ErrConflict):
		im.skipped.Add(1)
		return nil
	}
	return err
}

// Outcomes of adding a row to a batch, before the store is asked.
const (
	rowAdded = iota
	rowDuplicate
	rowAliasClash
)

// importBatch gathers users to write together. It catches a username or alias given twice
// within the batch, which would fail the whole batch's transaction; repeats across
// batches are the store's to catch.
type importBatch struct {
	writes  []UserWrite
	keys    map[string]bool
	aliases map[string]bool
	now     time.Time
}

func newImportBatch() *importBatch {
	return &importBatch{writes: make([]UserWrite, 0, importBatchSize), keys: map[string]bool{}, aliases: map[string]bool{}}
}

func (b *importBatch) size() int { return len(b.writes) }

func (b *importBatch) add(u *User) int {
	if b.keys[u.Key] {
		return rowDuplicate
	}
	for _, a := range u.Aliases {
		if b.aliases[a] {
			return rowAliasClash
		}
	}
	b.keys[u.Key] = true
	for _, a := range u.Aliases {
		b.aliases[a] = true
	}
	b.writes = append(b.writes, UserWrite{User: u, New: true})
	return rowAdded
}

func (b *importBatch) reset() {
	b.writes = b.writes[:0]
	clear(b.keys)
	clear(b.aliases)
}

// importColumns is where each column of the pool's header sits in the file.
type importColumns struct {
	names         []string // the file's header
	username, mfa int
	emailVerified int
	phoneVerified int
	email, phone  int
}

// headerColumns checks the file's header against the pool's: every column present once,
// none unknown, in any order (developer guide: "All columns in the header must be present",
// "The order of columns in the CSV file doesn't matter").
func headerColumns(p *Pool, head []string) (*importColumns, error) {
	want := csvHeader(p)
	seen := map[string]int{}
	var unknown []string
	for i, h := range head {
		h = strings.TrimSpace(h)
		head[i] = h
		if _, dup := seen[h]; dup {
			return nil, &badFile{fmt.Sprintf("The CSV header names %s twice.", printable(h))}
		}
		seen[h] = i
		if !slices.Contains(want, h) {
			unknown = append(unknown, printable(h))
		}
	}
	var missing []string
	for _, w := range want {
		if _, ok := seen[w]; !ok {
			missing = append(missing, w)
		}
	}
	if len(unknown) > 0 || len(missing) > 0 {
		msg := "The CSV header does not match the user pool's (GetCSVHeader):"
		if len(missing) > 0 {
			msg += " missing " + strings.Join(missing, ", ") + "."
		}
		if len(unknown) > 0 {
			msg += " unknown " + strings.Join(unknown, ", ") + "."
		}
		return nil, &badFile{msg}
	}
	return &importColumns{names: slices.Clone(head), username: seen["cognito:username"], mfa: seen["cognito:mfa_enabled"],
		emailVerified: seen["email_verified"], phoneVerified: seen["phone_number_verified"],
		email: seen["email"], phone: seen["phone_number"]}, nil
}

// printable is a column name as the job's CompletionMessage may quote it: a name that is
// not UTF-8 would make the message one the store cannot keep, and the job would never end.
func printable(name string) string {
	return strings.ToValidUTF8(name, "\uFFFD")
}

// parseBool reads a boolean cell as the import does: true or false in any case.
func parseBool(v string) (bool, bool) {
	switch {
	case strings.EqualFold(v, "true"):
		return true, true
	case strings.EqualFold(v, "false"):
		return false, true
	}
	return false, false
}

// importedUser makes the user a row describes, or says why the row fails, by the
// developer guide's rules: cognito:username and cognito:mfa_enabled are required; a
// verified email or phone number needs its value; at least one of the pool's auto-verified
// attributes must be verified (so that the user can receive ForgotPassword's code); the
// pool's required attributes must have values; every value must fit the schema.
func (s *Service) importedUser(p *Pool, cols *importColumns, rec []string, now time.Time) (*User, error) {
	username := rec[cols.username]
	if username == "" {
		return nil, errors.New("cognito:username is empty")
	}
	mfa, ok := parseBool(rec[cols.mfa])
	if !ok {
		return nil, errors.New("cognito:mfa_enabled is neither true nor false")
	}
	verified := map[string]bool{}
	for attr, col := range map[string]int{"email": cols.emailVerified, "phone_number": cols.phoneVerified} {
		v := rec[col]
		if v == "" {
			continue
		}
		b, ok := parseBool(v)
		if !ok {
			return nil, fmt.Errorf("%s_verified is neither true nor false", attr)
		}
		verified[attr] = b
	}
	if verified["email"] && rec[cols.email] == "" {
		return nil, errors.New("email_verified is true without an email")
	}
	if verified["phone_number"] && rec[cols.phone] == "" {
		return nil, errors.New("phone_number_verified is true without a phone_number")
	}
	if !slices.ContainsFunc(p.Doc.AutoVerifiedAttributes, func(a string) bool { return verified[a] }) {
		return nil, errors.New("none of the pool's auto-verified attributes is verified")
	}
	if mfa && rec[cols.phone] == "" {
		// SMS MFA needs a number to send to; AWS's own rule here is not documented.
		return nil, errors.New("cognito:mfa_enabled is true without a phone_number")
	}
	attrs := make([]AttributeType, 0, len(rec))
	for i, v := range rec {
		if v == "" || i == cols.username || i == cols.mfa {
			continue
		}
		attrs = append(attrs, AttributeType{Name: &cols.names[i], Value: ptr(v)})
	}
	sub, err := s.newUUID()
	if err != nil {
		return nil, err
	}
	u := &User{PoolID: p.ID, Sub: sub, Status: StatusResetRequired, Enabled: true, CreatedAt: now, ModifiedAt: now}
	if u.Username, attrs, err = signInName(p, username, sub, attrs); err != nil {
		return nil, err
	}
	if err := checkAttributes(p, u, attrs, attrsCreate); err != nil {
		return nil, err
	}
	u.Key = p.userKey(u.Username)
	u.Attributes = make([]Attribute, 1, len(attrs)+1)
	u.Attributes[0] = Attribute{Name: "sub", Value: sub}
	applyAttributes(p, u, attrs)
	u.MFA.SMSEnabled = mfa
	p.computeAliases(u)
	return u, nil
}
