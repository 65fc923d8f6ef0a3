package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"cognate/internal/userpool"
)

// The developer console at /_cognate/: pools, clients and users, the inbox with the latest
// code of each user, recent auth events, and buttons for the common admin acts. It reads
// and acts only through the API's operations (ListUserPools, AdminGetUser,
// AdminResetUserPassword, …), so what it shows and does is what the API would. internal/
// server guards it as it guards the inbox: open on loopback, else the admin token.

// Console returns the console's handler, for paths under /_cognate/.
func (h *Handler) Console() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_cognate/{$}", h.consolePools)
	mux.HandleFunc("GET /_cognate/pools/{pool}", h.consolePool)
	mux.HandleFunc("GET /_cognate/pools/{pool}/users/{user}", h.consoleUser)
	mux.HandleFunc("POST /_cognate/pools/{pool}/users/{user}/{act}", h.consoleAct)
	mux.HandleFunc("GET /_cognate/inbox", h.consoleInbox)
	return mux
}

var codePattern = regexp.MustCompile(`\b[0-9]{6}\b`)

// codeOf returns the code a message carries, or "".
func codeOf(m *userpool.Message) string { return codePattern.FindString(m.Body) }

func (h *Handler) console(w http.ResponseWriter, r *http.Request, name, title string, notice string, data any) {
	h.render(w, r, http.StatusOK, name, page{Title: title + " – cognate console", CSRF: h.csrfToken(w, r), Notice: notice, Data: data})
}

func (h *Handler) consoleError(w http.ResponseWriter, r *http.Request, err error) {
	h.render(w, r, http.StatusBadRequest, "message", page{Title: "The console can't show this", Error: sentence(err)})
}

func (h *Handler) consolePools(w http.ResponseWriter, r *http.Request) {
	out, err := h.svc.ListUserPools(r.Context(), &userpool.ListUserPoolsRequest{MaxResults: ptr(int32(60))})
	if err != nil {
		h.consoleError(w, r, err)
		return
	}
	h.console(w, r, "console_pools", "User pools", "", out.UserPools)
}

type consoleUserRow struct {
	Username, Status, Code string
	Enabled                bool
	Verified               []string
	Groups                 []string
	MFA                    []string
	CodeAt                 time.Time
}

func (h *Handler) consolePool(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	poolID := r.PathValue("pool")
	pool, err := h.svc.DescribeUserPool(ctx, &userpool.DescribeUserPoolRequest{UserPoolId: ptr(poolID)})
	if err != nil {
		h.consoleError(w, r, err)
		return
	}
	clients, err := h.svc.ListUserPoolClients(ctx, &userpool.ListUserPoolClientsRequest{UserPoolId: ptr(poolID), MaxResults: ptr(int32(60))})
	if err != nil {
		h.consoleError(w, r, err)
		return
	}
	users, err := h.svc.ListUsers(ctx, &userpool.ListUsersRequest{UserPoolId: ptr(poolID), Limit: ptr(int32(60))})
	if err != nil {
		h.consoleError(w, r, err)
		return
	}
	latest, err := h.latestCodes(ctx, poolID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var rows []consoleUserRow
	for _, u := range users.Users {
		row, err := h.userRow(ctx, poolID, deref(u.Username))
		if err != nil {
			h.consoleError(w, r, err)
			return
		}
		if m := latest[row.Username]; m != nil {
			row.Code, row.CodeAt = codeOf(m), m.CreatedAt
		}
		rows = append(rows, *row)
	}
	h.console(w, r, "console_pool", deref(pool.UserPool.Name), "", map[string]any{
		"Pool": pool.UserPool, "Clients": clients.UserPoolClients, "Users": rows,
	})
}

// latestCodes returns the newest inbox message with a code of each user of a pool.
func (h *Handler) latestCodes(ctx context.Context, poolID string) (map[string]*userpool.Message, error) {
	msgs, err := h.svc.Messages(ctx, userpool.MessageFilter{UserPoolID: poolID})
	if err != nil {
		return nil, err
	}
	out := map[string]*userpool.Message{}
	for _, m := range msgs { // newest first
		if _, seen := out[m.Username]; !seen && codeOf(m) != "" {
			out[m.Username] = m
		}
	}
	return out, nil
}

func (h *Handler) userRow(ctx context.Context, poolID, username string) (*consoleUserRow, error) {
	u, err := h.svc.AdminGetUser(ctx, &userpool.AdminGetUserRequest{UserPoolId: ptr(poolID), Username: ptr(username)})
	if err != nil {
		return nil, err
	}
	row := &consoleUserRow{Username: deref(u.Username), Status: deref(u.UserStatus), Enabled: deref(u.Enabled), MFA: u.UserMFASettingList}
	for _, a := range u.UserAttributes {
		if name, ok := strings.CutSuffix(deref(a.Name), "_verified"); ok && deref(a.Value) == "true" {
			row.Verified = append(row.Verified, name)
		}
	}
	groups, err := h.svc.AdminListGroupsForUser(ctx, &userpool.AdminListGroupsForUserRequest{UserPoolId: ptr(poolID), Username: ptr(username), Limit: ptr(int32(60))})
	if err != nil {
		return nil, err
	}
	for _, g := range groups.Groups {
		row.Groups = append(row.Groups, deref(g.GroupName))
	}
	return row, nil
}

func (h *Handler) consoleUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	poolID, username := r.PathValue("pool"), r.PathValue("user")
	u, err := h.svc.AdminGetUser(ctx, &userpool.AdminGetUserRequest{UserPoolId: ptr(poolID), Username: ptr(username)})
	if err != nil {
		h.consoleError(w, r, err)
		return
	}
	row, err := h.userRow(ctx, poolID, username)
	if err != nil {
		h.consoleError(w, r, err)
		return
	}
	msgs, err := h.svc.Messages(ctx, userpool.MessageFilter{UserPoolID: poolID, Username: deref(u.Username)})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var events []userpool.AuthEventType
	// Auth events exist where threat protection records them; elsewhere the list is empty.
	if ev, err := h.svc.AdminListUserAuthEvents(ctx, &userpool.AdminListUserAuthEventsRequest{UserPoolId: ptr(poolID),
		Username: ptr(username), MaxResults: ptr(int32(20))}); err == nil {
		events = ev.AuthEvents
	}
	h.console(w, r, "console_user", deref(u.Username), consoleActs[r.URL.Query().Get("done")].done, map[string]any{
		"PoolID": poolID, "User": u, "Row": row, "Messages": withCodes(msgs), "Events": events,
	})
}

type messageView struct {
	*userpool.Message
	Code string
}

func withCodes(msgs []*userpool.Message) []messageView {
	out := make([]messageView, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, messageView{Message: m, Code: codeOf(m)})
	}
	return out
}

// consoleActs are the console's buttons, each one API operation.
var consoleActs = map[string]struct {
	done string
	do   func(ctx context.Context, s *userpool.Service, pool, user string) error
}{
	"reset-password": {"A password reset code has been sent; the user must choose a new password.", func(ctx context.Context, s *userpool.Service, pool, user string) error {
		_, err := s.AdminResetUserPassword(ctx, &userpool.AdminResetUserPasswordRequest{UserPoolId: &pool, Username: &user})
		return err
	}},
	"disable": {"The user is disabled.", func(ctx context.Context, s *userpool.Service, pool, user string) error {
		_, err := s.AdminDisableUser(ctx, &userpool.AdminDisableUserRequest{UserPoolId: &pool, Username: &user})
		return err
	}},
	"enable": {"The user is enabled.", func(ctx context.Context, s *userpool.Service, pool, user string) error {
		_, err := s.AdminEnableUser(ctx, &userpool.AdminEnableUserRequest{UserPoolId: &pool, Username: &user})
		return err
	}},
	"confirm": {"The user is confirmed.", func(ctx context.Context, s *userpool.Service, pool, user string) error {
		_, err := s.AdminConfirmSignUp(ctx, &userpool.AdminConfirmSignUpRequest{UserPoolId: &pool, Username: &user})
		return err
	}},
	"sign-out": {"The user is signed out everywhere.", func(ctx context.Context, s *userpool.Service, pool, user string) error {
		_, err := s.AdminUserGlobalSignOut(ctx, &userpool.AdminUserGlobalSignOutRequest{UserPoolId: &pool, Username: &user})
		return err
	}},
}

func (h *Handler) consoleAct(w http.ResponseWriter, r *http.Request) {
	if !h.parsePost(w, r) {
		return
	}
	poolID, username := r.PathValue("pool"), r.PathValue("user")
	act, ok := consoleActs[r.PathValue("act")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if err := act.do(r.Context(), h.svc, poolID, username); err != nil {
		h.consoleError(w, r, err)
		return
	}
	redirect(w, r, "/_cognate/pools/"+url.PathEscape(poolID)+"/users/"+url.PathEscape(username)+"?done="+url.QueryEscape(r.PathValue("act")))
}

func (h *Handler) consoleInbox(w http.ResponseWriter, r *http.Request) {
	msgs, err := h.svc.Messages(r.Context(), userpool.MessageFilter{UserPoolID: r.URL.Query().Get("UserPoolId")})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.console(w, r, "console_inbox", "Inbox", "", withCodes(msgs))
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
