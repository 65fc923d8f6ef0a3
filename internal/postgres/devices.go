package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"cognate/internal/userpool"
)

// Devices and passkeys (migration 0005): two tables of one shape, a user's documents keyed
// by an id unique in the pool.

// userDocs is one of those tables: its name and the name of its id column.
type userDocs struct{ table, id, what string }

var (
	deviceDocs  = userDocs{"devices", "device_key", "device"}
	passkeyDocs = userDocs{"passkeys", "credential_id", "passkey"}
)

func (s *Store) createUserDoc(ctx context.Context, t userDocs, poolID, id, sub string, doc any) error {
	text, err := s.docs.Encode(doc)
	if err != nil {
		return fmt.Errorf("postgres: encode %s %s: %w", t.what, id, err)
	}
	_, err = s.db.Exec(ctx, `INSERT INTO `+t.table+` (pool_id, `+t.id+`, user_sub, doc) VALUES ($1, $2, $3, $4)`, poolID, id, sub, text)
	if err != nil {
		return insertErr("create "+t.what+" "+id, err)
	}
	return nil
}

func (s *Store) getUserDoc(ctx context.Context, t userDocs, poolID, id string, sub *string, doc any) error {
	var text string
	err := s.db.QueryRow(ctx, `SELECT user_sub, doc FROM `+t.table+` WHERE pool_id = $1 AND `+t.id+` = $2`, poolID, id).Scan(sub, &text)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(t.what + " " + id)
	}
	if err != nil {
		return fmt.Errorf("postgres: get %s %s: %w", t.what, id, err)
	}
	if err := s.docs.Decode(text, doc); err != nil {
		return fmt.Errorf("postgres: decode %s %s: %w", t.what, id, err)
	}
	return nil
}

func (s *Store) updateUserDoc(ctx context.Context, t userDocs, poolID, id string, doc any) error {
	text, err := s.docs.Encode(doc)
	if err != nil {
		return fmt.Errorf("postgres: encode %s %s: %w", t.what, id, err)
	}
	return s.execOne(ctx, "update "+t.what+" "+id, `UPDATE `+t.table+` SET doc = $1 WHERE pool_id = $2 AND `+t.id+` = $3`, text, poolID, id)
}

func (s *Store) deleteUserDoc(ctx context.Context, t userDocs, poolID, id string) error {
	return s.execOne(ctx, "delete "+t.what+" "+id, `DELETE FROM `+t.table+` WHERE pool_id = $1 AND `+t.id+` = $2`, poolID, id)
}

// listUserDocs calls add with each of the user's rows after the given id, in id order.
func (s *Store) listUserDocs(ctx context.Context, t userDocs, poolID, sub, after string, limit int, add func(id, text string) error) error {
	rows, err := s.db.Query(ctx, `SELECT `+t.id+`, doc FROM `+t.table+`
		WHERE pool_id = $1 AND user_sub = $2 AND `+t.id+` > $3 ORDER BY `+t.id+` LIMIT $4`, poolID, sub, after, sqlLimit(limit))
	if err != nil {
		return fmt.Errorf("postgres: list %ss: %w", t.what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, text string
		if err := rows.Scan(&id, &text); err != nil {
			return fmt.Errorf("postgres: list %ss: %w", t.what, err)
		}
		if err := add(id, text); err != nil {
			return fmt.Errorf("postgres: decode %s %s: %w", t.what, id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: list %ss: %w", t.what, err)
	}
	return nil
}

// CreateDevice stores a confirmed device.
func (s *Store) CreateDevice(ctx context.Context, d *userpool.Device) error {
	return s.createUserDoc(ctx, deviceDocs, d.PoolID, d.Key, d.UserSub, &d.Doc)
}

// GetDevice returns the pool's device with this key.
func (s *Store) GetDevice(ctx context.Context, poolID, key string) (*userpool.Device, error) {
	d := &userpool.Device{PoolID: poolID, Key: key}
	if err := s.getUserDoc(ctx, deviceDocs, poolID, key, &d.UserSub, &d.Doc); err != nil {
		return nil, err
	}
	return d, nil
}

// UpdateDevice replaces the device's document.
func (s *Store) UpdateDevice(ctx context.Context, d *userpool.Device) error {
	return s.updateUserDoc(ctx, deviceDocs, d.PoolID, d.Key, &d.Doc)
}

// DeleteDevice removes the device.
func (s *Store) DeleteDevice(ctx context.Context, poolID, key string) error {
	return s.deleteUserDoc(ctx, deviceDocs, poolID, key)
}

// ListDevices returns the user's devices in key order.
func (s *Store) ListDevices(ctx context.Context, poolID, userSub, after string, limit int) ([]*userpool.Device, error) {
	var out []*userpool.Device
	err := s.listUserDocs(ctx, deviceDocs, poolID, userSub, after, limit, func(id, text string) error {
		d := &userpool.Device{PoolID: poolID, Key: id, UserSub: userSub}
		out = append(out, d)
		return s.docs.Decode(text, &d.Doc)
	})
	return out, err
}

// CreatePasskey stores a registered passkey.
func (s *Store) CreatePasskey(ctx context.Context, k *userpool.Passkey) error {
	return s.createUserDoc(ctx, passkeyDocs, k.PoolID, k.ID, k.UserSub, &k.Doc)
}

// GetPasskey returns the pool's passkey with this credential id.
func (s *Store) GetPasskey(ctx context.Context, poolID, credentialID string) (*userpool.Passkey, error) {
	k := &userpool.Passkey{PoolID: poolID, ID: credentialID}
	if err := s.getUserDoc(ctx, passkeyDocs, poolID, credentialID, &k.UserSub, &k.Doc); err != nil {
		return nil, err
	}
	return k, nil
}

// UpdatePasskey replaces the passkey's document.
func (s *Store) UpdatePasskey(ctx context.Context, k *userpool.Passkey) error {
	return s.updateUserDoc(ctx, passkeyDocs, k.PoolID, k.ID, &k.Doc)
}

// DeletePasskey removes the passkey.
func (s *Store) DeletePasskey(ctx context.Context, poolID, credentialID string) error {
	return s.deleteUserDoc(ctx, passkeyDocs, poolID, credentialID)
}

// ListPasskeys returns the user's passkeys in credential id order.
func (s *Store) ListPasskeys(ctx context.Context, poolID, userSub, after string, limit int) ([]*userpool.Passkey, error) {
	var out []*userpool.Passkey
	err := s.listUserDocs(ctx, passkeyDocs, poolID, userSub, after, limit, func(id, text string) error {
		k := &userpool.Passkey{PoolID: poolID, ID: id, UserSub: userSub}
		out = append(out, k)
		return s.docs.Decode(text, &k.Doc)
	})
	return out, err
}
