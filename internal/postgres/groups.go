package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

const groupColumns = `g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.modified_at`

// CreateGroup stores a new group; ErrConflict if the name exists in the pool, ErrNotFound if
// the pool does not exist.
func (s *Store) CreateGroup(ctx context.Context, g *userpool.Group) error {
	_, err := s.db.Exec(ctx,
		`INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, modified_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		g.PoolID, g.Name, g.Description, g.RoleArn, g.Precedence, ts(g.CreatedAt), ts(g.ModifiedAt))
	if err != nil {
		return insertErr("create group "+g.Name, err)
	}
	return nil
}

// GetGroup returns the group or ErrNotFound.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (*userpool.Group, error) {
	g, err := scanGroup(s.db.QueryRow(ctx,
		`SELECT `+groupColumns+` FROM groups g WHERE g.pool_id = $1 AND g.name = $2`, poolID, name))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("group " + name)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: get group %s: %w", name, err)
	}
	return g, nil
}

// UpdateGroup replaces the group or answers ErrNotFound.
func (s *Store) UpdateGroup(ctx context.Context, g *userpool.Group) error {
	return s.execOne(ctx, "update group "+g.Name,
		`UPDATE groups SET description = $1, role_arn = $2, precedence = $3, created_at = $4, modified_at = $5
		 WHERE pool_id = $6 AND name = $7`,
		g.Description, g.RoleArn, g.Precedence, ts(g.CreatedAt), ts(g.ModifiedAt), g.PoolID, g.Name)
}

// DeleteGroup removes the group; the schema's cascade takes its memberships.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	return s.execOne(ctx, "delete group "+name, `DELETE FROM groups WHERE pool_id = $1 AND name = $2`, poolID, name)
}

// ListGroups returns at most limit groups with names greater than after, in name order.
func (s *Store) ListGroups(ctx context.Context, poolID, after string, limit int) ([]*userpool.Group, error) {
	rows, err := s.db.Query(ctx,
		`SELECT `+groupColumns+` FROM groups g WHERE g.pool_id = $1 AND g.name > $2 ORDER BY g.name LIMIT $3`,
		poolID, after, sqlLimit(limit))
	return collect(rows, err, "list groups", scanGroup)
}

// AddUserToGroup makes the user a member; adding a member again is not an error.
// The foreign keys answer ErrNotFound for a missing user or group: their check locks the
// user's and the group's rows, so a concurrent delete of either commits first (and the
// insert fails) or waits for the membership (and removes it).
func (s *Store) AddUserToGroup(ctx context.Context, poolID, userKey, group string) error {
	_, err := s.db.Exec(ctx,
		`INSERT INTO group_members (pool_id, group_name, user_key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		poolID, group, userKey)
	if err != nil {
		return insertErr("add user "+userKey+" to group "+group, err)
	}
	return nil
}

// RemoveUserFromGroup ends a membership; removing a non-member is not an error.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, userKey, group string) error {
	_, err := s.db.Exec(ctx,
		`DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND user_key = $3`, poolID, group, userKey)
	if err != nil {
		return fmt.Errorf("postgres: remove user %s from group %s: %w", userKey, group, err)
	}
	return nil
}

// ListGroupsForUser returns at most limit of the user's groups with names greater than
// after, in name order.
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, userKey, after string, limit int) ([]*userpool.Group, error) {
	rows, err := s.db.Query(ctx,
		`SELECT `+groupColumns+` FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
		 WHERE m.pool_id = $1 AND m.user_key = $2 AND m.group_name > $3 ORDER BY m.group_name LIMIT $4`,
		poolID, userKey, after, sqlLimit(limit))
	return collect(rows, err, "list groups for user", scanGroup)
}

// ListUsersInGroup returns at most limit members with keys greater than after, in key order.
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group, after string, limit int) ([]*userpool.User, error) {
	rows, err := s.db.Query(ctx,
		`SELECT `+userColumns+` FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.key = m.user_key
		 WHERE m.pool_id = $1 AND m.group_name = $2 AND m.user_key > $3 ORDER BY m.user_key LIMIT $4`,
		poolID, group, after, sqlLimit(limit))
	return collect(rows, err, "list users in group", s.scanUser)
}

func scanGroup(r pgx.Row) (*userpool.Group, error) {
	var g userpool.Group
	if err := r.Scan(&g.PoolID, &g.Name, &g.Description, &g.RoleArn, &g.Precedence, &g.CreatedAt, &g.ModifiedAt); err != nil {
		return nil, err
	}
	g.CreatedAt, g.ModifiedAt = g.CreatedAt.UTC(), g.ModifiedAt.UTC()
	return &g, nil
}
