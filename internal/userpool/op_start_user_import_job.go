package userpool

import (
	"context"
	"errors"
	"slices"
)

// StartUserImportJob moves a Created job whose file was uploaded to Pending and queues it
// for RunImports, which takes it InProgress and on to Succeeded, Failed or Stopped.
//
// AWS refuses a job that cannot start with PreconditionNotMetException (the model lists
// it); the developer guide says a pool with no auto-verified attribute cannot start a job.
// AWS's messages for these refusals are not documented: these are cognate's.
func (s *Service) StartUserImportJob(ctx context.Context, in *StartUserImportJobRequest) (*StartUserImportJobResponse, error) {
	j, err := s.changeImportJob(ctx, deref(in.UserPoolId), deref(in.JobId), func(j *ImportJob) error {
		if st := deref(j.Doc.Status); st != jobCreated {
			return newError("PreconditionNotMetException", "Import job %s cannot be started: its status is %s, not Created.", j.ID, st)
		}
		p, err := s.loadPool(ctx, j.PoolID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(p.Doc.AutoVerifiedAttributes, func(a string) bool { return a == "email" || a == "phone_number" }) {
			return newError("PreconditionNotMetException", "Import job %s cannot be started: the user pool has no auto-verified attributes (email or phone_number).", j.ID)
		}
		if _, err := s.store.GetImportFile(ctx, j.PoolID, j.ID); errors.Is(err, ErrNotFound) {
			return newError("PreconditionNotMetException", "Import job %s cannot be started: no CSV file was uploaded to its PreSignedUrl.", j.ID)
		} else if err != nil {
			return err
		}
		j.Doc.Status = ptr(jobPending)
		j.Doc.StartDate = At(s.clock())
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.imports.push(importRef{poolID: j.PoolID, jobID: j.ID})
	return &StartUserImportJobResponse{UserImportJob: s.importJobType(j)}, nil
}
