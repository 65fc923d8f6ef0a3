package main

// Which operations the end-to-end tests drive, read from what the SDK clients actually sent
// rather than from a list kept by hand: every client newClient makes carries a middleware
// that records the name of each operation the server answered with anything but
// UnsupportedOperationException. When the whole package has run, TestMain compares the
// record with the operations routes.go carries out.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"cognate/internal/server"
)

// everyOperationLanded makes TestMain fail while an operation of the model answers
// UnsupportedOperationException. Every one is carried out since the replicas of issue 16
// landed, so any that comes to answer it again fails the package.
const everyOperationLanded = true

// sentOperations records the operations the SDK clients of these tests sent and the server
// answered (with a result or an error other than UnsupportedOperationException).
var sentOperations sync.Map // operation name → struct{}

// recordOperations is an APIOptions entry that adds the recording middleware to a client.
func recordOperations(stack *middleware.Stack) error { return recordInto(&sentOperations)(stack) }

// recordInto returns an APIOptions entry recording into record.
func recordInto(record *sync.Map) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error { return addRecorder(stack, record) }
}

func addRecorder(stack *middleware.Stack, record *sync.Map) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("cognateRecordOperation",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if resp, ok := out.RawResponse.(*smithyhttp.Response); !ok || resp == nil || resp.Response == nil || resp.StatusCode == 0 {
				return out, md, err // never answered: not sent, or the connection failed
			}
			var api smithy.APIError
			if errors.As(err, &api) && api.ErrorCode() == "UnsupportedOperationException" {
				return out, md, err
			}
			record.Store(middleware.GetOperationName(ctx), struct{}{})
			return out, md, err
		}), middleware.Before) // before the operation's deserializer, so as to see the error it makes
}

// TestMain runs the tests, removes the binary the process tests built, and, when the whole
// package ran, checks which operations the end-to-end tests' SDK clients sent.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	removeBinary()
	if code == 0 && wholePackage() {
		if err := checkCoverage(os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "FAIL:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// wholePackage reports whether every test of the package ran: no -run or -skip selected
// some, and -short did not leave out the long ones.
func wholePackage() bool {
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return !testing.Short()
}

// checkCoverage fails when an operation routes.go carries out was never answered to these
// tests' SDK clients, and reports (or, once everyOperationLanded, fails on) the operations
// of the model cognate does not carry out.
func checkCoverage(w *os.File) error {
	var uncovered []string
	for _, op := range server.Operations() {
		if _, ok := sentOperations.Load(op); !ok {
			uncovered = append(uncovered, op)
		}
	}
	slices.Sort(uncovered)
	unsupported := server.UnsupportedOperations()
	slices.Sort(unsupported)
	var problems []string
	if len(uncovered) > 0 {
		problems = append(problems, fmt.Sprintf("%d operations of routes.go were never sent by the end-to-end tests' SDK clients: %s",
			len(uncovered), strings.Join(uncovered, ", ")))
	}
	if len(unsupported) > 0 {
		msg := fmt.Sprintf("%d operations of the model answer UnsupportedOperationException: %s", len(unsupported), strings.Join(unsupported, ", "))
		if everyOperationLanded {
			problems = append(problems, msg)
		} else {
			fmt.Fprintln(w, "coverage report:", msg)
		}
	}
	fmt.Fprintf(w, "coverage report: the SDK clients sent %d of the %d operations cognate carries out\n",
		len(server.Operations())-len(uncovered), len(server.Operations()))
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// TestRecordOperations shows that the recording middleware notes an operation once the
// server has answered it, even with an error, and not one refused as unsupported nor one
// that never reached a server.
func TestRecordOperations(t *testing.T) {
	t.Parallel()
	unsupported := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-amzn-ErrorType", "UnsupportedOperationException:")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"__type":"UnsupportedOperationException","message":"no"}`))
	}))
	defer unsupported.Close()
	s := startServer(t)
	var record sync.Map
	client := func(url string) *cip.Client {
		return cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
			Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""), APIOptions: []func(*middleware.Stack) error{recordInto(&record)}})
	}
	if _, err := client(s.URL).ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	_, err := client(s.URL).DescribeUserPool(bg, &cip.DescribeUserPoolInput{UserPoolId: aws.String(missingPool)})
	if nf := (*types.ResourceNotFoundException)(nil); !errors.As(err, &nf) {
		t.Fatalf("DescribeUserPool of a missing pool: %v, want ResourceNotFoundException", err)
	}
	_, err = client(unsupported.URL).GetUser(bg, &cip.GetUserInput{AccessToken: aws.String("x")})
	if err == nil {
		t.Fatal("GetUser against a server refusing everything succeeded")
	}
	_, err = client("http://127.0.0.1:1").AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(missingPool), Username: aws.String("jane")})
	if err == nil {
		t.Fatal("AdminGetUser against no server succeeded")
	}
	var got []string
	record.Range(func(k, _ any) bool { got = append(got, k.(string)); return true })
	slices.Sort(got)
	if want := []string{"DescribeUserPool", "ListUserPools"}; !slices.Equal(got, want) {
		t.Errorf("recorded %v, want %v", got, want)
	}
}
