package userpool

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-json-experiment/json"
)

// Client secret rotation (AddUserPoolClientSecret, ListUserPoolClientSecrets,
// DeleteUserPoolClientSecret): "up to 2 active secrets per app client for zero-downtime
// credential rotation" (the model). While a client has two, either one computes a valid
// SecretHash and authenticates the client at the token endpoint. DescribeUserPoolClient's
// ClientSecret is the oldest secret still active (inferred: AWS does not say which of two
// it shows).

// maxClientSecrets is the model's limit of active secrets per app client.
const maxClientSecrets = 2

// secrets returns the client's active secrets, oldest first: the rotated ones, or else the
// one it was created with (with the id it would have been given).
func (c *Client) secrets() []ClientSecret {
	if len(c.Secrets) > 0 {
		return c.Secrets
	}
	if v := deref(c.Doc.ClientSecret); v != "" {
		created := c.Doc.CreationDate.Time
		return []ClientSecret{{ID: clientSecretID(c.ID, created), Value: v, CreatedAt: created}}
	}
	return nil
}

// hasSecret reports whether the client is a confidential one.
func (c *Client) hasSecret() bool { return deref(c.Doc.ClientSecret) != "" }

// anySecret reports whether ok holds for one of the client's active secrets. It tries
// every one, so that the time taken does not tell which matched.
func (c *Client) anySecret(ok func(secret string) bool) bool {
	found := false
	for _, sec := range c.secrets() {
		if ok(sec.Value) {
			found = true
		}
	}
	return found
}

// secretIs reports whether given is one of the client's active secrets, in constant time
// for each.
func (c *Client) secretIs(given string) bool {
	return c.anySecret(func(secret string) bool {
		return subtle.ConstantTimeCompare([]byte(secret), []byte(given)) == 1
	})
}

// clientSecretID is a secret's id in AWS's documented form, <client-id>--<epoch-create-time>
// (ClientSecretDescriptorType). The unit of the time is not documented; milliseconds,
// which the API's timestamps carry, keep two secrets made in one second apart.
func clientSecretID(clientID string, created time.Time) string {
	return fmt.Sprintf("%s--%d", clientID, created.UnixMilli())
}

// EncodeClientSecrets is how the stores keep a client's rotated secrets in one column: JSON,
// or "" for none.
func EncodeClientSecrets(secrets []ClientSecret) (string, error) {
	if len(secrets) == 0 {
		return "", nil
	}
	b, err := json.Marshal(secrets)
	return string(b), err
}

// DecodeClientSecrets reads what EncodeClientSecrets wrote.
func DecodeClientSecrets(s string) ([]ClientSecret, error) {
	if s == "" {
		return nil, nil
	}
	var secrets []ClientSecret
	err := json.Unmarshal([]byte(s), &secrets)
	return secrets, err
}

// secretDescriptor is a secret as the API describes it, without its value.
func secretDescriptor(sec ClientSecret) ClientSecretDescriptorType {
	return ClientSecretDescriptorType{ClientSecretId: ptr(sec.ID), ClientSecretCreateDate: At(sec.CreatedAt)}
}

// changeClientSecrets applies change to the active secrets of a confidential client and
// writes them back with the client as one compare-and-set, retried on a concurrent write.
func (s *Service) changeClientSecrets(ctx context.Context, poolID, clientID string, change func(c *Client, secrets []ClientSecret) ([]ClientSecret, error)) error {
	return retryConflicts(ctx, func() error {
		_, c, err := s.loadClient(ctx, poolID, clientID)
		if err != nil {
			return err
		}
		if !c.hasSecret() {
			// cognate's sentence: AWS documents the operations for confidential clients only.
			return invalidParameter("Client %s has no secret: secrets are added to confidential clients only.", c.ID)
		}
		secrets, err := change(c, slices.Clone(c.secrets()))
		if err != nil {
			return err
		}
		c.Secrets = secrets
		c.Doc.ClientSecret = ptr(secrets[0].Value)
		err = s.store.UpdateClient(ctx, c)
		if errors.Is(err, ErrNotFound) {
			return clientNotFound(c.ID)
		}
		return err
	})
}
