package main

// cognate forgot-password and cognate confirm-forgot-password: the twins of the AWS Tools for
// PowerShell cmdlets Reset-CGIPForgottenPassword and Confirm-CGIPForgotPassword (spec §10),
// for people without PowerShell, against AWS or against cognate. They speak the wire through
// aws-sdk-go-v2, unsigned as the cmdlets are (the operations are public), and find region and
// endpoint as the SDK does: flags first, then the SDK's environment variables, then the shared
// config and credentials files.

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/config"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/go-json-experiment/json"
	"golang.org/x/term"
)

// recoveryCommand is one of the two commands.
type recoveryCommand struct {
	name      string // the cognate command
	operation string // the Cognito operation it calls
	confirm   bool   // confirm-forgot-password: takes a code and a new password
	// properties are the response's properties -Select may name, each with the properties
	// of its own type (the cmdlet's select is resolved on types, before the call).
	properties map[string][]string
	// defaultSelect is what is printed without --select ("" prints nothing, as
	// Confirm-CGIPForgotPassword, whose output type is None).
	defaultSelect string
}

var (
	forgotPasswordCommand = recoveryCommand{name: "forgot-password", operation: "ForgotPassword",
		properties:    map[string][]string{"CodeDeliveryDetails": {"AttributeName", "DeliveryMedium", "Destination"}},
		defaultSelect: "CodeDeliveryDetails"}
	confirmForgotPasswordCommand = recoveryCommand{name: "confirm-forgot-password", operation: "ConfirmForgotPassword", confirm: true}
)

// action is the operation as the confirmation prompt and --whatif name it.
func (rc recoveryCommand) action() string {
	return fmt.Sprintf("cognate %s (%s)", rc.name, rc.operation)
}

// recoveryFlags are the flags of both commands, one to one with the cmdlets' parameters.
type recoveryFlags struct {
	clientID            string
	clientMetadata      metadataFlag
	analyticsEndpointID string
	encodedData         string
	ipAddress           string
	secretHash          string
	clientSecret        string
	confirmationCode    string
	password            string
	passwordStdin       bool
	selectExpr          string
	passThru            bool
	force               bool
	confirm             bool
	whatIf              bool
	region              string
	profile             string
	profileLocation     string
	endpointURL         string
	output              string

	set map[string]bool // the flags given, by name
}

// metadataFlag is --client-metadata: key=value, repeatable, or a JSON object of strings.
type metadataFlag struct{ m map[string]string }

func (f *metadataFlag) String() string { return "" }

func (f *metadataFlag) Set(v string) error {
	if f.m == nil {
		f.m = map[string]string{}
	}
	add := func(k, val string) error {
		if _, dup := f.m[k]; dup {
			return fmt.Errorf("key %q given twice", k)
		}
		f.m[k] = val
		return nil
	}
	if strings.HasPrefix(strings.TrimSpace(v), "{") {
		var obj map[string]string
		if err := json.Unmarshal([]byte(v), &obj); err != nil {
			return fmt.Errorf("not a JSON object of strings: %v", err)
		}
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if err := add(k, obj[k]); err != nil {
				return err
			}
		}
		return nil
	}
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return errors.New("want key=value or a JSON object")
	}
	return add(k, val)
}

func (rc recoveryCommand) flags(f *recoveryFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("cognate "+rc.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		what := "Sends a user a code to reset a forgotten password (ForgotPassword), as Reset-CGIPForgottenPassword does."
		if rc.confirm {
			what = "Sets a user's new password with the code ForgotPassword sent (ConfirmForgotPassword), as Confirm-CGIPForgotPassword does."
		}
		fmt.Fprintf(fs.Output(), "usage: cognate %s [flags] [USERNAME]\n\n%s\nWith no USERNAME, usernames are read from standard input, one a line.\n\nflags:\n", rc.name, what)
		fs.PrintDefaults()
	}
	fs.StringVar(&f.clientID, "client-id", "", "The app client's id (-ClientId). Required.")
	fs.Var(&f.clientMetadata, "client-metadata", "A key=value pair for the triggers' clientMetadata, repeatable, or a JSON object of strings (-ClientMetadata).")
	fs.StringVar(&f.analyticsEndpointID, "analytics-endpoint-id", "", "AnalyticsMetadata.AnalyticsEndpointId (-AnalyticsMetadata_AnalyticsEndpointId).")
	fs.StringVar(&f.encodedData, "user-context-encoded-data", "", "UserContextData.EncodedData, the device fingerprint (-UserContextData_EncodedData).")
	fs.StringVar(&f.ipAddress, "user-context-ip", "", "UserContextData.IpAddress, the user's address (-UserContextData_IpAddress).")
	fs.StringVar(&f.secretHash, "secret-hash", "", "The SecretHash of a client with a secret (-SecretHash).")
	fs.StringVar(&f.clientSecret, "client-secret", "", "The client's secret, to compute each user's SecretHash from (instead of --secret-hash).")
	if rc.confirm {
		fs.StringVar(&f.confirmationCode, "confirmation-code", "", "The code the user received (-ConfirmationCode). Required.")
		fs.StringVar(&f.password, "password", "", "The new password (-Password); or --password-stdin.")
		fs.BoolVar(&f.passwordStdin, "password-stdin", false, "Read the new password from the first line of standard input (then USERNAME must be given).")
	}
	fs.StringVar(&f.selectExpr, "select", "", "What to print (-Select): a response property or a dotted path into it, '*' for the whole response, '^Parameter' for a parameter's value. Default: "+orNothing(rc.defaultSelect)+".")
	fs.BoolVar(&f.passThru, "pass-thru", false, "Print the username instead of the response (-PassThru, deprecated by the cmdlet in favour of --select '^Username'); not with --select.")
	fs.BoolVar(&f.force, "force", false, "Never ask for confirmation (-Force).")
	fs.BoolVar(&f.confirm, "confirm", false, "Ask for confirmation before each call, on the terminal (-Confirm); the commands' impact is Medium, so they do not ask otherwise.")
	fs.BoolVar(&f.whatIf, "whatif", false, "Say what would be done and do nothing (-WhatIf).")
	fs.StringVar(&f.region, "region", "", "The region (-Region); else AWS_REGION, AWS_DEFAULT_REGION or the profile's.")
	fs.StringVar(&f.profile, "profile", "", "The profile of the shared config and credentials files; else AWS_PROFILE, else default.")
	fs.StringVar(&f.profileLocation, "profile-location", "", "A file to read profiles from instead of the shared config and credentials files, in either format (-ProfileLocation).")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "The endpoint, e.g. http://127.0.0.1:9229 for cognate (-EndpointUrl); else AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, AWS_ENDPOINT_URL or the profile's endpoint_url.")
	fs.StringVar(&f.output, "output", "json", "How results are printed: json, text or table.")
	return fs
}

func orNothing(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}

// parseInterspersed parses flags before and after the one positional argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// runRecovery is the whole of either command.
func runRecovery(ctx context.Context, rc recoveryCommand, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	f := &recoveryFlags{set: map[string]bool{}}
	fs := rc.flags(f, stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if len(pos) > 1 {
		return fmt.Errorf("%s takes one USERNAME, not %d: %s", rc.name, len(pos), strings.Join(pos, " "))
	}
	in := bufio.NewReader(stdin)
	if err := rc.check(f, len(pos) == 1); err != nil {
		return err
	}
	sel, err := rc.selector(f)
	if err != nil {
		return err
	}
	if f.passwordStdin {
		line, err := in.ReadString('\n')
		if err != nil && (err != io.EOF || line == "") {
			return errors.New("--password-stdin: no password on standard input")
		}
		f.password = strings.TrimRight(line, "\r\n")
	}
	client, err := recoveryClient(ctx, f)
	if err != nil {
		return err
	}
	asker := &confirmer{stdin: stdin, in: in, stderr: stderr}
	defer asker.close()

	if len(pos) == 1 {
		if err := rc.one(ctx, client, f, sel, asker, pos[0], stdout); !errors.Is(err, errStopAll) {
			return err
		}
		return nil
	}
	// The pipeline: one username a line; a failure is reported and the rest go on.
	failed, total := 0, 0
	for {
		line, rerr := in.ReadString('\n')
		if name := strings.TrimSpace(line); name != "" {
			total++
			if err := rc.one(ctx, client, f, sel, asker, name, stdout); err != nil {
				if errors.Is(err, errStopAll) {
					break
				}
				failed++
				fmt.Fprintf(stderr, "%s: %v\n", name, err)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("reading usernames from standard input: %w", rerr)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%s failed for %d of %d usernames", rc.name, failed, total)
	}
	return nil
}

// check reports every misuse of the flags at once, before anything is called.
func (rc recoveryCommand) check(f *recoveryFlags, named bool) error {
	var errs []error
	if !f.set["client-id"] {
		errs = append(errs, errors.New("--client-id is required"))
	}
	if f.set["secret-hash"] && f.set["client-secret"] {
		errs = append(errs, errors.New("give --secret-hash or --client-secret, not both"))
	}
	if rc.confirm {
		if !f.set["confirmation-code"] {
			errs = append(errs, errors.New("--confirmation-code is required"))
		}
		switch {
		case f.set["password"] && f.passwordStdin:
			errs = append(errs, errors.New("give --password or --password-stdin, not both"))
		case !f.set["password"] && !f.passwordStdin:
			errs = append(errs, errors.New("--password (or --password-stdin) is required"))
		case f.passwordStdin && !named:
			errs = append(errs, errors.New("--password-stdin needs USERNAME: standard input cannot carry both the password and the usernames"))
		}
	}
	if f.passThru && f.set["select"] {
		// The cmdlet's own words (spec §10.1).
		errs = append(errs, errors.New("-PassThru cannot be used when -Select is specified."))
	}
	if !slices.Contains([]string{"json", "text", "table"}, f.output) {
		errs = append(errs, fmt.Errorf("--output must be json, text or table, not %q", f.output))
	}
	return errors.Join(errs...)
}

// recoveryClient builds the SDK client as the SDK configures itself, with anonymous
// credentials: the operations are unsigned, as the cmdlets send them.
func recoveryClient(ctx context.Context, f *recoveryFlags) (*cip.Client, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithCredentialsProvider(aws.AnonymousCredentials{}),
		config.WithAppID("cognate"),
	}
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	if f.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(f.profile))
	}
	if f.profileLocation != "" {
		if _, err := os.Stat(f.profileLocation); err != nil {
			return nil, fmt.Errorf("--profile-location: %w", err)
		}
		// PowerShell's profile files are in the credentials format ([name]); the SDK's
		// config format says [profile name]. The file is read as both.
		files := []string{f.profileLocation}
		opts = append(opts, config.WithSharedConfigFiles(files), config.WithSharedCredentialsFiles(files))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		// The cmdlets' words when no region resolves.
		return nil, errors.New("No region specified or obtained from persisted/shell defaults.")
	}
	return cip.NewFromConfig(cfg, func(o *cip.Options) {
		if f.endpointURL != "" {
			o.BaseEndpoint = aws.String(f.endpointURL)
		}
	}), nil
}

// errStopAll is answered when the user said "No to All": the pipeline ends, without error.
var errStopAll = errors.New("no to all")

// one runs the command for one username: confirmation, the call, the output.
func (rc recoveryCommand) one(ctx context.Context, client *cip.Client, f *recoveryFlags, sel selector, asker *confirmer, username string, stdout io.Writer) error {
	target := fmt.Sprintf("Performing the operation %q on target %q.", rc.action(), username)
	if f.whatIf {
		// -WhatIf always wins, -Force included.
		fmt.Fprintf(stdout, "What if: %s\n", target)
		return nil
	}
	if f.confirm && !f.force {
		ok, err := asker.ask(target)
		if err != nil || !ok {
			return err
		}
	}
	hash := f.secretHash
	if f.clientSecret != "" {
		hash = secretHash(f.clientSecret, username, f.clientID)
	}
	var analytics *types.AnalyticsMetadataType
	if f.set["analytics-endpoint-id"] {
		analytics = &types.AnalyticsMetadataType{AnalyticsEndpointId: aws.String(f.analyticsEndpointID)}
	}
	var userContext *types.UserContextDataType
	if f.set["user-context-encoded-data"] || f.set["user-context-ip"] {
		userContext = &types.UserContextDataType{}
		if f.set["user-context-encoded-data"] {
			userContext.EncodedData = aws.String(f.encodedData)
		}
		if f.set["user-context-ip"] {
			userContext.IpAddress = aws.String(f.ipAddress)
		}
	}
	optional := func(set bool, v string) *string {
		if !set && v == "" {
			return nil
		}
		return aws.String(v)
	}
	var (
		response value
		meta     resultMeta
	)
	if rc.confirm {
		out, err := client.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{
			ClientId: aws.String(f.clientID), Username: aws.String(username),
			ConfirmationCode: aws.String(f.confirmationCode), Password: aws.String(f.password),
			SecretHash: optional(f.set["secret-hash"], hash), ClientMetadata: f.clientMetadata.m,
			AnalyticsMetadata: analytics, UserContextData: userContext,
		})
		if err != nil {
			return apiError(err)
		}
		response, meta = object{}, metaOf(out.ResultMetadata)
	} else {
		out, err := client.ForgotPassword(ctx, &cip.ForgotPasswordInput{
			ClientId: aws.String(f.clientID), Username: aws.String(username),
			SecretHash: optional(f.set["secret-hash"], hash), ClientMetadata: f.clientMetadata.m,
			AnalyticsMetadata: analytics, UserContextData: userContext,
		})
		if err != nil {
			return apiError(err)
		}
		obj := object{}
		if d := out.CodeDeliveryDetails; d != nil {
			cdd := object{}
			cdd = cdd.with("AttributeName", d.AttributeName)
			if d.DeliveryMedium != "" {
				cdd = append(cdd, member{"DeliveryMedium", string(d.DeliveryMedium)})
			}
			cdd = cdd.with("Destination", d.Destination)
			obj = append(obj, member{"CodeDeliveryDetails", cdd})
		}
		response, meta = obj, metaOf(out.ResultMetadata)
	}
	v := sel(response, meta, f, username)
	if v == nil {
		return nil
	}
	return render(stdout, f.output, rc.operation, v)
}

// secretHash is Base64(HMAC-SHA256(key = client secret, message = username + client id)) (spec §8).
func secretHash(secret, username, clientID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(username + clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// apiError words a failed call as the exception name and AWS's message.
func apiError(err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("%s: %s", ae.ErrorCode(), ae.ErrorMessage())
	}
	return err
}

// resultMeta is what the cmdlet's whole response carries besides the operation's members.
type resultMeta struct {
	requestID     string
	status        int
	contentLength int64
}

func metaOf(md middleware.Metadata) resultMeta {
	var m resultMeta
	m.requestID, _ = awsmiddleware.GetRequestIDMetadata(md)
	if resp, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok {
		m.status, m.contentLength = resp.StatusCode, resp.ContentLength
	}
	return m
}

// confirmer asks "are you sure" on the terminal: standard input when it is one, else the
// process's controlling terminal. With neither, it refuses rather than guess an answer.
type confirmer struct {
	stdin  io.Reader
	in     *bufio.Reader
	stderr io.Writer
	tty    *os.File
	ttyIn  *bufio.Reader
	all    bool
}

func (c *confirmer) ask(target string) (bool, error) {
	if c.all {
		return true, nil
	}
	r, w, err := c.terminal()
	if err != nil {
		return false, err
	}
	fmt.Fprintf(w, "\nConfirm\nAre you sure you want to perform this action?\n%s\n[Y] Yes  [A] Yes to All  [N] No  [L] No to All  (default is \"Y\"): ", target)
	line, err := r.ReadString('\n')
	if err != nil && line == "" {
		return false, errors.New("no answer to the confirmation prompt")
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "", "y", "yes":
		return true, nil
	case "a":
		c.all = true
		return true, nil
	case "l":
		return false, errStopAll
	default:
		return false, nil
	}
}

// terminal returns where to read answers and write the prompt.
func (c *confirmer) terminal() (*bufio.Reader, io.Writer, error) {
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return c.in, c.stderr, nil
	}
	if c.tty == nil {
		tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
		if err != nil {
			return nil, nil, errors.New("--confirm asks on a terminal and there is none; give --force, or leave out --confirm (the commands do not ask by default)")
		}
		c.tty, c.ttyIn = tty, bufio.NewReader(tty)
	}
	return c.ttyIn, c.tty, nil
}

func (c *confirmer) close() {
	if c.tty != nil {
		c.tty.Close()
	}
}
