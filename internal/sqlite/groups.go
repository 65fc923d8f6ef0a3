package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cognate/internal/userpool"
)

const groupColumns = `g.pool_id, g.name, g.description, g.role_arn, g.precedence, g.created_at, g.modified_at`

// CreateGroup stores a new group; ErrConflict if the name exists in the pool, ErrNotFound if
// the pool does not exist.
func (s *Store) CreateGroup(ctx context.Context, g *userpool.Group) error {
	_, err := s.exec(ctx,
		`INSERT INTO groups (pool_id, name, description, role_arn, precedence, created_at, modified_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?)`,
		g.PoolID, g.Name, g.Description, g.RoleArn, g.Precedence, micros(g.CreatedAt), micros(g.ModifiedAt))
	if err != nil {
		return insertErr("create group "+g.Name, err)
	}
	return nil
}

// GetGroup returns the group or ErrNotFound.
func (s *Store) GetGroup(ctx context.Context, poolID, name string) (*userpool.Group, error) {
	g, err := scanGroup(s.read.QueryRowContext(ctx,
		`SELECT `+groupColumns+` FROM groups g WHERE g.pool_id = ? AND g.name = ?`, poolID, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("group " + name)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: get group %s: %w", name, err)
	}
	return g, nil
}

// UpdateGroup replaces the group or answers ErrNotFound.
func (s *Store) UpdateGroup(ctx context.Context, g *userpool.Group) error {
	res, err := s.exec(ctx,
		`UPDATE groups SET description = ?, role_arn = ?, precedence = ?, created_at = ?, modified_at = ?
		 WHERE pool_id = ? AND name = ?`,
		g.Description, g.RoleArn, g.Precedence, micros(g.CreatedAt), micros(g.ModifiedAt), g.PoolID, g.Name)
	if err != nil {
		return fmt.Errorf("sqlite: update group %s: %w", g.Name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("sqlite: update group %s: %w", g.Name, err)
	} else if n == 0 {
		return notFound("group " + g.Name)
	}
	return nil
}

// DeleteGroup removes the group; the schema's cascade takes its memberships.
func (s *Store) DeleteGroup(ctx context.Context, poolID, name string) error {
	res, err := s.exec(ctx, `DELETE FROM groups WHERE pool_id = ? AND name = ?`, poolID, name)
	return deleted(res, err, "group "+name)
}

// ListGroups returns at most limit groups with names greater than after, in name order.
func (s *Store) ListGroups(ctx context.Context, poolID, after string, limit int) ([]*userpool.Group, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+groupColumns+` FROM groups g WHERE g.pool_id = ? AND g.name > ? ORDER BY g.name LIMIT ?`,
		poolID, after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list groups: %w", err)
	}
	return collect(rows, scanGroup)
}

// AddUserToGroup makes the user a member; adding a member again is not an error.
// The foreign keys answer ErrNotFound for a missing user or group.
func (s *Store) AddUserToGroup(ctx context.Context, poolID, userKey, group string) error {
	_, err := s.exec(ctx,
		`INSERT INTO group_members (pool_id, group_name, user_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		poolID, group, userKey)
	if err != nil {
		return insertErr("add user "+userKey+" to group "+group, err)
	}
	return nil
}

// RemoveUserFromGroup ends a membership; removing a non-member is not an error.
func (s *Store) RemoveUserFromGroup(ctx context.Context, poolID, userKey, group string) error {
	_, err := s.exec(ctx,
		`DELETE FROM group_members WHERE pool_id = ? AND group_name = ? AND user_key = ?`, poolID, group, userKey)
	if err != nil {
		return fmt.Errorf("sqlite: remove user %s from group %s: %w", userKey, group, err)
	}
	return nil
}

// ListGroupsForUser returns at most limit of the user's groups with names greater than
// after, in name order.
func (s *Store) ListGroupsForUser(ctx context.Context, poolID, userKey, after string, limit int) ([]*userpool.Group, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+groupColumns+` FROM group_members m JOIN groups g ON g.pool_id = m.pool_id AND g.name = m.group_name
		 WHERE m.pool_id = ? AND m.user_key = ? AND m.group_name > ? ORDER BY m.group_name LIMIT ?`,
		poolID, userKey, after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list groups for user: %w", err)
	}
	return collect(rows, scanGroup)
}

// ListUsersInGroup returns at most limit members with keys greater than after, in key order.
func (s *Store) ListUsersInGroup(ctx context.Context, poolID, group, after string, limit int) ([]*userpool.User, error) {
	rows, err := s.read.QueryContext(ctx,
		`SELECT `+userColumns+` FROM group_members m JOIN users u ON u.pool_id = m.pool_id AND u.key = m.user_key
		 WHERE m.pool_id = ? AND m.group_name = ? AND m.user_key > ? ORDER BY m.user_key LIMIT ?`,
		poolID, group, after, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list users in group: %w", err)
	}
	return collect(rows, s.scanUser)
}

func scanGroup(r scanner) (*userpool.Group, error) {
	var (
		g                    userpool.Group
		description, roleArn sql.Null[string]
		precedence           sql.Null[int32]
		created, modified    int64
	)
	if err := r.Scan(&g.PoolID, &g.Name, &description, &roleArn, &precedence, &created, &modified); err != nil {
		return nil, err
	}
	if description.Valid {
		g.Description = &description.V
	}
	if roleArn.Valid {
		g.RoleArn = &roleArn.V
	}
	if precedence.Valid {
		g.Precedence = &precedence.V
	}
	g.CreatedAt, g.ModifiedAt = fromMicros(created), fromMicros(modified)
	return &g, nil
}
