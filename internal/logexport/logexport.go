// Package logexport writes the log events user pools export (SetLogDeliveryConfiguration)
// to local files: the stand-in for the CloudWatch Logs groups, S3 buckets and Firehose
// streams that AWS delivers them to. Each destination ARN names one file under a root
// directory, <root>/<service>/<resource>.jsonl, and each event is appended to it as one
// line of JSON.
//
// It does not create AWS resources, check that an ARN's account or region is cognate's,
// rotate files, or batch events the way the real destinations do.
package logexport

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Dir is a userpool.LogWriter over a directory. Its zero value is not ready: set Root.
type Dir struct {
	// Root is the directory the destinations' files are under; it is created as needed.
	Root string

	mu sync.Mutex // one append at a time, so that lines of one process never interleave
}

// Path returns the file an ARN names: <root>/<service>/<resource>.jsonl, with the
// resource escaped so that it is one file name (a log group "/aws/x" is "%2Faws%2Fx").
// ARNs that are not arn:<partition>:<service>:<region>:<account>:<resource> are refused.
func (d *Dir) Path(arn string) (string, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] == "" || parts[5] == "" {
		return "", fmt.Errorf("logexport: %q is not an ARN", arn)
	}
	service := url.PathEscape(parts[2])
	resource := url.PathEscape(parts[5])
	if service == "." || service == ".." {
		return "", fmt.Errorf("logexport: %q names no service", arn)
	}
	return filepath.Join(d.Root, service, resource+".jsonl"), nil
}

// WriteLogEvent appends event, one JSON document, as a line of the ARN's file. The line is
// written with one write to a file opened for appending, so that processes sharing the
// directory append whole lines.
func (d *Dir) WriteLogEvent(_ context.Context, arn string, event []byte) error {
	if d.Root == "" {
		return errors.New("logexport: no directory")
	}
	path, err := d.Path(arn)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("logexport: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("logexport: %w", err)
	}
	line := append(append(make([]byte, 0, len(event)+1), event...), '\n')
	_, err = f.Write(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("logexport: %w", err)
	}
	return nil
}
