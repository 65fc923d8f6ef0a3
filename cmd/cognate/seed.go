package main

// cognate serve --seed FILE: pools, app clients, groups and users made at start, as a team's
// app tests expect to find them. The file is JSON or YAML:
//
//	UserPools:
//	  - Id: us-east-1_TestPool1          # optional: the id the app is configured with
//	    PoolName: app                    # then any CreateUserPool member, as the API names it
//	    Clients:
//	      - ClientId: 1example23456789   # optional
//	        ClientName: web              # then any CreateUserPoolClient member
//	        ClientSecret: s3cr3t         # optional: a fixed secret (AWS takes it without GenerateSecret)
//	    Groups:
//	      - GroupName: admins            # any CreateGroup member
//	    Users:
//	      - Username: jane
//	        Password: Passw0rd!          # optional: permanent, so the user is CONFIRMED
//	        Attributes: {email: jane@example.com, email_verified: true}
//	        Groups: [admins]
//	        Enabled: false               # optional
//
// Applying it is idempotent: what exists already (a pool by Id, else by PoolName; a client
// by ClientId, else by ClientName; a group or user by name) is left as it is, and only what
// is missing is made (memberships are ensured). Every request is checked against the API
// model and carried out by the same operations as on the wire. The file is applied first to
// a copy of the store, and to the store only when the copy took all of it: a bad file fails
// the start with every problem listed, and changes nothing.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"go.yaml.in/yaml/v3"

	"cognate/internal/server"
	"cognate/internal/sqlite"
	"cognate/internal/userpool"
)

// seedFile is the file's top level.
type seedFile struct {
	UserPools []map[string]jsontext.Value `json:"UserPools"`
}

// seedUser is one user of a pool.
type seedUser struct {
	Username   string         `json:"Username"`
	Password   *string        `json:"Password"`
	Attributes map[string]any `json:"Attributes"`
	Groups     []string       `json:"Groups"`
	Enabled    *bool          `json:"Enabled"`
}

// seedCounts says what one application made.
type seedCounts struct{ pools, clients, groups, users int }

func (c seedCounts) String() string {
	return fmt.Sprintf("%d pools, %d clients, %d groups, %d users made", c.pools, c.clients, c.groups, c.users)
}

// seeder applies a seed file to one Service, collecting every problem rather than stopping
// at the first.
type seeder struct {
	svc      *userpool.Service
	check    func(op string, body []byte) error
	problems []string
	made     seedCounts
}

// seed applies the file to the store behind svc: first to a copy (a scratch store for
// ":memory:", which a starting server has empty; else a VACUUM INTO copy of the file), then,
// if that took everything, to the store itself.
func seed(ctx context.Context, file string, c *Config, st store, svc *userpool.Service, master []byte) (seedCounts, error) {
	store, ok := st.(*sqlite.Store)
	if !ok {
		return seedCounts{}, errors.New("--seed needs a SQLite store")
	}
	data, err := readSeed(file)
	if err != nil {
		return seedCounts{}, fmt.Errorf("--seed %s: %w", file, err)
	}
	check := server.Checker()

	dir, err := os.MkdirTemp("", "cognate-seed-")
	if err != nil {
		return seedCounts{}, err
	}
	defer os.RemoveAll(dir)
	scratchPath := ":memory:"
	if c.Store != ":memory:" {
		scratchPath = filepath.Join(dir, "check.db")
		if err := store.BackupTo(ctx, scratchPath); err != nil {
			return seedCounts{}, fmt.Errorf("--seed: copying the store to check the file against: %w", err)
		}
	}
	scratch, err := sqlite.Open(ctx, scratchPath, sqlite.Options{Migrate: true, Synchronous: "OFF"})
	if err != nil {
		return seedCounts{}, err
	}
	defer scratch.Close()
	// Cheap hashes on the copy: hashing cannot fail, and the copy is thrown away.
	dry := &seeder{svc: userpool.New(scratch, userpool.Options{Region: c.Region, MasterKey: master,
		Hasher: userpool.NewHasher(userpool.HashParams{MemoryKiB: 8, Time: 1, Threads: 1}, 2)}), check: check}
	dry.apply(ctx, data)
	if len(dry.problems) > 0 {
		return seedCounts{}, fmt.Errorf("--seed %s: %d problem(s), nothing was changed:\n  %s", file, len(dry.problems), strings.Join(dry.problems, "\n  "))
	}
	real := &seeder{svc: svc, check: check}
	real.apply(ctx, data)
	if len(real.problems) > 0 {
		// The copy took the file, so only something that changed in between (another
		// process writing the same store) gets here. Applying again is safe.
		return real.made, fmt.Errorf("--seed %s: %d problem(s) applying a file that the copy took:\n  %s", file, len(real.problems), strings.Join(real.problems, "\n  "))
	}
	return real.made, nil
}

// readSeed reads a JSON or YAML (.yaml, .yml) seed file as JSON.
func readSeed(file string) (*seedFile, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if ext := strings.ToLower(filepath.Ext(file)); ext == ".yaml" || ext == ".yml" {
		var v any
		if err := yaml.Unmarshal(b, &v); err != nil {
			return nil, err
		}
		if b, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("not a file of JSON's shapes: %w", err)
		}
	}
	var f seedFile
	if err := json.Unmarshal(b, &f, json.RejectUnknownMembers(true)); err != nil {
		return nil, err
	}
	return &f, nil
}

func (s *seeder) fail(where string, err error) {
	var ue *userpool.Error
	if errors.As(err, &ue) {
		s.problems = append(s.problems, fmt.Sprintf("%s: %s: %s", where, ue.Code, ue.Message))
		return
	}
	s.problems = append(s.problems, fmt.Sprintf("%s: %v", where, err))
}

// seedCall checks body against the model as the wire does, then calls the operation.
func seedCall[In, Out any](ctx context.Context, s *seeder, where, op string, body map[string]any, f func(context.Context, *In) (*Out, error)) (*Out, bool) {
	b, err := json.Marshal(body)
	if err == nil {
		err = s.check(op, b)
	}
	in := new(In)
	if err == nil {
		err = json.Unmarshal(b, in)
	}
	var out *Out
	if err == nil {
		out, err = f(ctx, in)
	}
	if err != nil {
		s.fail(where, err)
		return nil, false
	}
	return out, true
}

// take removes a member from an entry and decodes it into v, when present.
func take(entry map[string]jsontext.Value, name string, v any) error {
	raw, ok := entry[name]
	if !ok {
		return nil
	}
	delete(entry, name)
	if err := json.Unmarshal(raw, v, json.RejectUnknownMembers(true)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// body turns what is left of an entry into a request body with the extra members given.
func body(entry map[string]jsontext.Value, extra map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range entry {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// stringMember is an entry's string member, or "" when it is absent or not a string.
func stringMember(entry map[string]jsontext.Value, key string) string {
	var v string
	if raw, ok := entry[key]; ok && json.Unmarshal(raw, &v) == nil {
		return v
	}
	return ""
}

// named labels a place in the file with the entry's name, when it has one.
func named(where string, entry map[string]jsontext.Value, key string) string {
	if name := stringMember(entry, key); name != "" {
		return fmt.Sprintf("%s (%s)", where, name)
	}
	return where
}

func (s *seeder) apply(ctx context.Context, f *seedFile) {
	for i, entry := range f.UserPools {
		entry = maps.Clone(entry) // take removes members, and the file is applied twice
		where := named(fmt.Sprintf("UserPools[%d]", i), entry, "PoolName")
		var (
			id      string
			clients []map[string]jsontext.Value
			groups  []map[string]jsontext.Value
			users   []seedUser
		)
		var errs []error
		for name, v := range map[string]any{"Id": &id, "Clients": &clients, "Groups": &groups, "Users": &users} {
			errs = append(errs, take(entry, name, v))
		}
		if err := errors.Join(errs...); err != nil {
			s.fail(where, err)
			continue
		}
		pool, ok := s.pool(ctx, where, id, entry)
		if !ok {
			continue // its clients, groups and users cannot be checked without it
		}
		for j, c := range clients {
			c = maps.Clone(c)
			s.client(ctx, named(fmt.Sprintf("%s.Clients[%d]", where, j), c, "ClientName"), pool, c)
		}
		for j, g := range groups {
			s.group(ctx, named(fmt.Sprintf("%s.Groups[%d]", where, j), g, "GroupName"), pool, g)
		}
		for j, u := range users {
			w := fmt.Sprintf("%s.Users[%d]", where, j)
			if u.Username != "" {
				w += " (" + u.Username + ")"
			}
			s.user(ctx, w, pool, u)
		}
	}
}

// pool finds the pool (by id, else by name) or makes it, and answers its id.
func (s *seeder) pool(ctx context.Context, where, id string, entry map[string]jsontext.Value) (string, bool) {
	if id != "" {
		if _, err := s.svc.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: &id}); err == nil {
			return id, true
		}
	} else if want := stringMember(entry, "PoolName"); want != "" {
		var next *string
		for {
			out, err := s.svc.ListUserPools(ctx, &userpool.ListUserPoolsRequest{MaxResults: ptrTo(int32(60)), NextToken: next})
			if err != nil {
				s.fail(where, err)
				return "", false
			}
			for _, p := range out.UserPools {
				if p.Name != nil && *p.Name == want {
					return *p.Id, true
				}
			}
			if next = out.NextToken; next == nil {
				break
			}
		}
	}
	create := s.svc.CreateUserPool
	if id != "" {
		create = func(ctx context.Context, in *userpool.CreateUserPoolRequest) (*userpool.CreateUserPoolResponse, error) {
			return s.svc.CreateUserPoolWithID(ctx, id, in)
		}
	}
	out, ok := seedCall(ctx, s, where, "CreateUserPool", body(entry, nil), create)
	if !ok {
		return "", false
	}
	s.made.pools++
	return *out.UserPool.Id, true
}

func (s *seeder) client(ctx context.Context, where, pool string, entry map[string]jsontext.Value) {
	var id string
	if err := take(entry, "ClientId", &id); err != nil {
		s.fail(where, err)
		return
	}
	name := stringMember(entry, "ClientName")
	if id != "" {
		if _, err := s.svc.DescribeUserPoolClient(ctx, &userpool.DescribeUserPoolClientRequest{UserPoolId: &pool, ClientId: &id}); err == nil {
			return
		}
	} else if name != "" {
		var next *string
		for {
			out, err := s.svc.ListUserPoolClients(ctx, &userpool.ListUserPoolClientsRequest{UserPoolId: &pool, MaxResults: ptrTo(int32(60)), NextToken: next})
			if err != nil {
				s.fail(where, err)
				return
			}
			for _, c := range out.UserPoolClients {
				if c.ClientName != nil && *c.ClientName == name {
					return
				}
			}
			if next = out.NextToken; next == nil {
				break
			}
		}
	}
	extra := map[string]any{"UserPoolId": pool}
	create := s.svc.CreateUserPoolClient
	if id != "" {
		create = func(ctx context.Context, in *userpool.CreateUserPoolClientRequest) (*userpool.CreateUserPoolClientResponse, error) {
			return s.svc.CreateUserPoolClientWithID(ctx, id, in)
		}
	}
	if _, ok := seedCall(ctx, s, where, "CreateUserPoolClient", body(entry, extra), create); ok {
		s.made.clients++
	}
}

func (s *seeder) group(ctx context.Context, where, pool string, entry map[string]jsontext.Value) {
	if name := stringMember(entry, "GroupName"); name != "" {
		if _, err := s.svc.GetGroup(ctx, &userpool.GetGroupRequest{UserPoolId: &pool, GroupName: &name}); err == nil {
			return
		}
	}
	if _, ok := seedCall(ctx, s, where, "CreateGroup", body(entry, map[string]any{"UserPoolId": pool}), s.svc.CreateGroup); ok {
		s.made.groups++
	}
}

func (s *seeder) user(ctx context.Context, where, pool string, u seedUser) {
	_, err := s.svc.AdminGetUser(ctx, &userpool.AdminGetUserRequest{UserPoolId: &pool, Username: &u.Username})
	if err != nil {
		var attrs []map[string]string
		for _, name := range slices.Sorted(maps.Keys(u.Attributes)) {
			switch v := u.Attributes[name].(type) {
			case string:
				attrs = append(attrs, map[string]string{"Name": name, "Value": v})
			case bool:
				attrs = append(attrs, map[string]string{"Name": name, "Value": fmt.Sprint(v)})
			default:
				s.fail(where, fmt.Errorf("attribute %s: want a string or a boolean, not %v", name, v))
				return
			}
		}
		in := map[string]any{"UserPoolId": pool, "Username": u.Username, "MessageAction": "SUPPRESS"}
		if attrs != nil {
			in["UserAttributes"] = attrs
		}
		if _, ok := seedCall(ctx, s, where, "AdminCreateUser", in, s.svc.AdminCreateUser); !ok {
			return
		}
		s.made.users++
		if u.Password != nil {
			seedCall(ctx, s, where+".Password", "AdminSetUserPassword", map[string]any{"UserPoolId": pool, "Username": u.Username,
				"Password": *u.Password, "Permanent": true}, s.svc.AdminSetUserPassword)
		}
		if u.Enabled != nil && !*u.Enabled {
			seedCall(ctx, s, where+".Enabled", "AdminDisableUser", map[string]any{"UserPoolId": pool, "Username": u.Username}, s.svc.AdminDisableUser)
		}
	}
	for k, g := range u.Groups {
		seedCall(ctx, s, fmt.Sprintf("%s.Groups[%d] (%s)", where, k, g), "AdminAddUserToGroup",
			map[string]any{"UserPoolId": pool, "Username": u.Username, "GroupName": g}, s.svc.AdminAddUserToGroup)
	}
}

func ptrTo[T any](v T) *T { return &v }
