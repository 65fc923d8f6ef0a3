package server

import (
	"errors"
	"io"
	"log/slog"
	"net/http"

	"cognate/internal/userpool"
)

// importUpload takes the CSV file of a user import job, PUT to the job's PreSignedUrl as
// AWS's documentation does it with S3 (curl -T file.csv -H
// "x-amz-server-side-encryption:aws:kms" URL): the body is the file. Headers S3 would
// honour, such as x-amz-server-side-encryption, change nothing here. Refusals answer as
// S3 does, in its XML error form.
type importUpload struct {
	service *userpool.Service
	log     *slog.Logger
}

func (h importUpload) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, userpool.MaxImportFileBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		s3Error(w, http.StatusRequestEntityTooLarge, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
		return
	case err != nil:
		s3Error(w, http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.")
		return
	}
	err = h.service.UploadImportFile(r.Context(), r.PathValue("pool"), r.PathValue("job"), r.URL.Query().Get(userpool.UploadSignatureParam), body)
	switch {
	case errors.Is(err, userpool.ErrUploadRefused):
		s3Error(w, http.StatusForbidden, "AccessDenied", "Access Denied")
	case err != nil:
		h.log.ErrorContext(r.Context(), "import upload failed", "error", err.Error())
		s3Error(w, http.StatusInternalServerError, "InternalError", "We encountered an internal error. Please try again.")
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// s3Error writes an error as S3 does: an XML document with a code and a message.
func s3Error(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Error><Code>"+code+"</Code><Message>"+message+"</Message></Error>")
}
