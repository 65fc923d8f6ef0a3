package userpooltest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"cognate/internal/userpool"
)

// importTests are the conformance tests of ImportJobStore (store_import.go).
var importTests = []struct {
	name string
	fn   func(t *testing.T, s userpool.Store)
}{
	{"ImportJob/CreateGet", testImportJobCreateGet},
	{"ImportJob/CreateErrors", testImportJobCreateErrors},
	{"ImportJob/Update", testImportJobUpdate},
	{"ImportJob/UpdateRace", testImportJobUpdateRace},
	{"ImportJob/List", testImportJobList},
	{"ImportJob/File", testImportFile},
	{"ImportJob/DeletePoolCascades", testImportJobDeletePool},
}

// newImportJob returns a job with every field of its description set, so that the round
// trip covers them all.
func newImportJob(poolID, id string) *userpool.ImportJob {
	at := base()
	return &userpool.ImportJob{PoolID: poolID, ID: id, Doc: userpool.UserImportJobType{
		JobName: ptr("job " + id), JobId: ptr(id), UserPoolId: ptr(poolID),
		PreSignedUrl:             ptr("https://upload.example/" + id),
		CreationDate:             userpool.At(at),
		StartDate:                userpool.At(at.Add(time.Minute)),
		CompletionDate:           userpool.At(at.Add(2 * time.Minute)),
		Status:                   ptr("Created"),
		CloudWatchLogsRoleArn:    ptr("arn:aws:iam::000000000000:role/import"),
		ImportedUsers:            ptr(int64(7)),
		SkippedUsers:             ptr(int64(1)),
		FailedUsers:              ptr(int64(2)),
		CompletionMessage:        ptr("done"),
		PasswordHashingAlgorithm: ptr("BCRYPT"),
	}}
}

func createImportJob(t *testing.T, s userpool.Store, poolID, id string) *userpool.ImportJob {
	t.Helper()
	j := newImportJob(poolID, id)
	must(t, "CreateImportJob "+id, s.CreateImportJob(t.Context(), j))
	return j
}

func testImportJobCreateGet(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	j := newImportJob(p.ID, "import-one")
	allSet(t, &j.Doc)
	must(t, "CreateImportJob", s.CreateImportJob(t.Context(), j))
	if j.Version != 1 {
		t.Fatalf("CreateImportJob set Version %d, want 1", j.Version)
	}
	got, err := s.GetImportJob(t.Context(), p.ID, "import-one")
	must(t, "GetImportJob", err)
	same(t, "GetImportJob", j, got)
	wantUTC(t, "GetImportJob", got.Doc.CreationDate.Time, got.Doc.StartDate.Time, got.Doc.CompletionDate.Time)
	_, err = s.GetImportJob(t.Context(), p.ID, "import-none")
	wantErr(t, "GetImportJob of a missing job", err, userpool.ErrNotFound)
	_, err = s.GetImportJob(t.Context(), "us-east-1_other", "import-one")
	wantErr(t, "GetImportJob in another pool", err, userpool.ErrNotFound)
}

func testImportJobCreateErrors(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	createImportJob(t, s, p.ID, "import-one")
	wantErr(t, "CreateImportJob of a taken id", s.CreateImportJob(t.Context(), newImportJob(p.ID, "import-one")), userpool.ErrConflict)
	wantErr(t, "CreateImportJob in a missing pool", s.CreateImportJob(t.Context(), newImportJob("us-east-1_none", "import-two")), userpool.ErrNotFound)
	// Ids are a pool's own.
	createImportJob(t, s, q.ID, "import-one")

	// Of racing creates of one id, exactly one wins.
	errs := make([]error, 8)
	race(len(errs), func(i int) { errs[i] = s.CreateImportJob(t.Context(), newImportJob(p.ID, "import-raced")) })
	oneWins(t, "racing creates of one job", errs)
}

// oneWins fails the test unless exactly one of errs is nil and the others ErrConflict.
func oneWins(t *testing.T, what string, errs []error) {
	t.Helper()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			wantErr(t, "a loser of "+what, err, userpool.ErrConflict)
		}
	}
	if won != 1 {
		t.Fatalf("%d of %d %s succeeded, want 1", won, len(errs), what)
	}
}

func testImportJobUpdate(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	j := createImportJob(t, s, p.ID, "import-one")
	stale := *j
	j.Doc.Status = ptr("Pending")
	must(t, "UpdateImportJob", s.UpdateImportJob(t.Context(), j))
	if j.Version != 2 {
		t.Fatalf("UpdateImportJob set Version %d, want 2", j.Version)
	}
	got, err := s.GetImportJob(t.Context(), p.ID, j.ID)
	must(t, "GetImportJob", err)
	same(t, "GetImportJob after update", j, got)

	stale.Doc.Status = ptr("Stopped")
	wantErr(t, "UpdateImportJob from a stale version", s.UpdateImportJob(t.Context(), &stale), userpool.ErrConflict)
	if stale.Version != 1 {
		t.Fatalf("a failed UpdateImportJob moved Version to %d", stale.Version)
	}
	got, _ = s.GetImportJob(t.Context(), p.ID, j.ID)
	same(t, "the job after a stale update", j, got)
	wantErr(t, "UpdateImportJob of a missing job", s.UpdateImportJob(t.Context(), newImportJob(p.ID, "import-none")), userpool.ErrNotFound)
}

// testImportJobUpdateRace: of updates read from one version, exactly one lands.
func testImportJobUpdateRace(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	createImportJob(t, s, p.ID, "import-one")
	const n = 8
	errs := make([]error, n)
	var mu sync.Mutex
	winner := ""
	race(n, func(i int) {
		j, err := s.GetImportJob(t.Context(), p.ID, "import-one")
		if err != nil {
			errs[i] = err
			return
		}
		j.Version = 1 // every racer read the first version
		j.Doc.CompletionMessage = ptr(fmt.Sprintf("racer %d", i))
		if errs[i] = s.UpdateImportJob(t.Context(), j); errs[i] == nil {
			mu.Lock()
			winner = *j.Doc.CompletionMessage
			mu.Unlock()
		}
	})
	oneWins(t, "racing updates from one version", errs)
	got, err := s.GetImportJob(t.Context(), p.ID, "import-one")
	must(t, "GetImportJob", err)
	if deref(got.Doc.CompletionMessage) != winner || got.Version != 2 {
		t.Fatalf("stored %q at version %d, want the winner's %q at version 2", deref(got.Doc.CompletionMessage), got.Version, winner)
	}
}

func testImportJobList(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	q := createPool(t, s, "us-east-1_bbbb")
	var ids []string
	for _, id := range []string{"import-c", "import-a", "import-e", "import-b", "import-d"} {
		createImportJob(t, s, p.ID, id)
		ids = append(ids, id)
	}
	createImportJob(t, s, q.ID, "import-other")
	for _, limit := range []int{1, 2, 5, 10} {
		got := pageKeys(t, limit, func(after string, limit int) ([]*userpool.ImportJob, error) {
			return s.ListImportJobs(t.Context(), p.ID, after, limit)
		}, func(j *userpool.ImportJob) string { return j.ID })
		same(t, fmt.Sprintf("ListImportJobs by %d", limit), sorted(ids...), got)
	}
	all, err := s.ListImportJobs(t.Context(), p.ID, "", 0)
	must(t, "ListImportJobs", err)
	if len(all) != len(ids) {
		t.Fatalf("ListImportJobs with no limit: %d jobs, want %d", len(all), len(ids))
	}
	want := newImportJob(p.ID, "import-a")
	want.Version = 1
	same(t, "a listed job", want, all[0])
}

func testImportFile(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	createImportJob(t, s, p.ID, "import-one")
	createImportJob(t, s, p.ID, "import-two")
	_, err := s.GetImportFile(t.Context(), p.ID, "import-one")
	wantErr(t, "GetImportFile before a put", err, userpool.ErrNotFound)
	wantErr(t, "PutImportFile of a missing job", s.PutImportFile(t.Context(), p.ID, "import-none", []byte("x")), userpool.ErrNotFound)

	first := []byte("cognito:username,email\njane,jane@example.com\n")
	must(t, "PutImportFile", s.PutImportFile(t.Context(), p.ID, "import-one", first))
	got, err := s.GetImportFile(t.Context(), p.ID, "import-one")
	must(t, "GetImportFile", err)
	same(t, "GetImportFile", first, got)
	_, err = s.GetImportFile(t.Context(), p.ID, "import-two")
	wantErr(t, "GetImportFile of another job", err, userpool.ErrNotFound)

	// A second put replaces the first; an empty file is a file.
	must(t, "PutImportFile again", s.PutImportFile(t.Context(), p.ID, "import-one", []byte{}))
	got, err = s.GetImportFile(t.Context(), p.ID, "import-one")
	must(t, "GetImportFile after the second put", err)
	if len(got) != 0 {
		t.Fatalf("GetImportFile after an empty put: %q, want empty", got)
	}

	// A large file survives whole: every byte value, a few MiB.
	big := make([]byte, 3<<20)
	for i := range big {
		big[i] = byte(i * 7)
	}
	must(t, "PutImportFile (large)", s.PutImportFile(t.Context(), p.ID, "import-two", big))
	got, err = s.GetImportFile(t.Context(), p.ID, "import-two")
	must(t, "GetImportFile (large)", err)
	if string(got) != string(big) {
		t.Fatalf("GetImportFile returned %d bytes that differ from the %d put", len(got), len(big))
	}

	// Of concurrent puts, the last to commit stands whole: what is read is one of them.
	race(6, func(i int) {
		must(t, "racing PutImportFile", s.PutImportFile(t.Context(), p.ID, "import-one", []byte(fmt.Sprintf("file %d", i))))
	})
	got, err = s.GetImportFile(t.Context(), p.ID, "import-one")
	must(t, "GetImportFile after racing puts", err)
	var n int
	if _, err := fmt.Sscanf(string(got), "file %d", &n); err != nil || n < 0 || n >= 6 {
		t.Fatalf("GetImportFile after racing puts: %q, want one of the files put", got)
	}
}

func testImportJobDeletePool(t *testing.T, s userpool.Store) {
	p := createPool(t, s, "us-east-1_aaaa")
	createImportJob(t, s, p.ID, "import-one")
	must(t, "PutImportFile", s.PutImportFile(t.Context(), p.ID, "import-one", []byte("x")))
	must(t, "DeletePool", s.DeletePool(t.Context(), p.ID))
	createPool(t, s, p.ID)
	_, err := s.GetImportJob(t.Context(), p.ID, "import-one")
	wantErr(t, "GetImportJob after the pool was deleted", err, userpool.ErrNotFound)
	_, err = s.GetImportFile(t.Context(), p.ID, "import-one")
	wantErr(t, "GetImportFile after the pool was deleted", err, userpool.ErrNotFound)
	jobs, err := s.ListImportJobs(t.Context(), p.ID, "", 0)
	must(t, "ListImportJobs", err)
	if len(jobs) != 0 {
		t.Fatalf("%d jobs outlived their pool", len(jobs))
	}
}
