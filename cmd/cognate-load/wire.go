package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// wire calls operations of the cognito-idp service on its endpoints, taken in turn (round
// robin, as a load balancer in front of several instances would): a POST of AWS JSON 1.1
// with the X-Amz-Target header, as the AWS SDKs send it. Admin operations are signed with
// SigV4 under fixed local credentials (a server that checks signatures must know them);
// public ones go unsigned, as AWS's own clients send them.
type wire struct {
	endpoints []string
	next      atomic.Uint64
	region    string
	http      *http.Client
	signer    *v4.Signer
	creds     aws.Credentials
}

func newWire(endpoint, region, accessKey, secretKey string, conns int) *wire {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = conns * 2
	tr.MaxIdleConnsPerHost = conns * 2
	var endpoints []string
	for _, e := range strings.Split(endpoint, ",") {
		endpoints = append(endpoints, strings.TrimRight(e, "/"))
	}
	return &wire{
		endpoints: endpoints,
		region:    region,
		http:      &http.Client{Transport: tr, Timeout: time.Minute},
		signer:    v4.NewSigner(),
		creds:     aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secretKey},
	}
}

// endpoint is the endpoint the next request goes to.
func (w *wire) endpoint() string {
	return w.endpoints[(w.next.Add(1)-1)%uint64(len(w.endpoints))]
}

// apiError is an error answer of the service: its exception name and message.
type apiError struct {
	Type    string
	Message string
	Status  int
}

func (e *apiError) Error() string { return fmt.Sprintf("%s (%d): %s", e.Type, e.Status, e.Message) }

// call sends op with the JSON of in and decodes the answer into out (when not nil).
// signed says whether the operation is an admin one, signed with SigV4.
func (w *wire) call(ctx context.Context, op string, signed bool, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.endpoint()+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	if signed {
		sum := sha256.Sum256(body)
		if err := w.signer.SignHTTP(ctx, w.creds, req, hex.EncodeToString(sum[:]), "cognito-idp", w.region, time.Now()); err != nil {
			return err
		}
	}
	resp, data, err := w.do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return decodeError(resp, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// do sends req and reads the whole answer.
func (w *wire) do(req *http.Request) (*http.Response, []byte, error) {
	resp, err := w.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return resp, data, err
}

// decodeError reads an error answer: the exception from the x-amzn-ErrorType header or
// the body's __type (either may carry a namespace prefix and a trailing colon part).
func decodeError(resp *http.Response, data []byte) error {
	var b struct {
		Type     string `json:"__type"`
		Message  string `json:"message"`
		Message2 string `json:"Message"`
	}
	json.Unmarshal(data, &b)
	name := resp.Header.Get("X-Amzn-Errortype")
	if name == "" {
		name = b.Type
	}
	name, _, _ = strings.Cut(name, ":")
	if i := strings.LastIndexByte(name, '#'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" {
		name = fmt.Sprintf("HTTP%d", resp.StatusCode)
	}
	msg := b.Message
	if msg == "" {
		msg = b.Message2
	}
	return &apiError{Type: name, Message: msg, Status: resp.StatusCode}
}

// get fetches a developer endpoint of the server (cognate's /_cognate/...) as JSON.
func (w *wire) get(ctx context.Context, path string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.endpoint()+path, nil)
	if err != nil {
		return err
	}
	resp, data, err := w.do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return &apiError{Type: fmt.Sprintf("HTTP%d", resp.StatusCode), Message: string(data), Status: resp.StatusCode}
	}
	return json.Unmarshal(data, out)
}
