package userpool

import "context"

// StopUserImportJob stops a job that has started: a Pending job is Stopped at once, a
// running one goes Stopping and the job itself ends Stopped after the batch it is writing
// (users written so far stay, as the model's "has not stopped importing users yet" says).
// A job that has not started or has ended answers PreconditionNotMetException; AWS's
// message for it is not documented.
func (s *Service) StopUserImportJob(ctx context.Context, in *StopUserImportJobRequest) (*StopUserImportJobResponse, error) {
	j, err := s.changeImportJob(ctx, deref(in.UserPoolId), deref(in.JobId), func(j *ImportJob) error {
		switch st := deref(j.Doc.Status); st {
		case jobPending:
			j.Doc.Status = ptr(jobStopped)
			j.Doc.CompletionDate = At(s.clock())
			j.Doc.CompletionMessage = ptr(stoppedMessage)
		case jobInProgress:
			j.Doc.Status = ptr(jobStopping)
		default:
			return newError("PreconditionNotMetException", "Import job %s cannot be stopped: its status is %s, not Pending or InProgress.", j.ID, st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &StopUserImportJobResponse{UserImportJob: s.importJobType(j)}, nil
}
