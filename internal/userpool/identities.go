package userpool

import (
	"strconv"

	"github.com/go-json-experiment/json"
)

// identity is one entry of a user's "identities" attribute: a federated identity the user
// signs in with, as AWS writes it (developer guide, "Linking federated users") and as the
// ID token's identities claim carries it.
type identity struct {
	UserID       string  `json:"userId"`
	ProviderName string  `json:"providerName"`
	ProviderType string  `json:"providerType"`
	Issuer       *string `json:"issuer"`
	Primary      bool    `json:"primary"`
	DateCreated  int64   `json:"dateCreated"` // epoch milliseconds
}

// identitiesClaim is the identities claim of an ID token: the attribute's entries with
// primary and dateCreated as strings, as AWS's ID tokens carry them.
func identitiesClaim(ids []identity) []map[string]any {
	out := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, map[string]any{
			"userId": id.UserID, "providerName": id.ProviderName, "providerType": id.ProviderType,
			"issuer": id.Issuer, "primary": strconv.FormatBool(id.Primary), "dateCreated": strconv.FormatInt(id.DateCreated, 10),
		})
	}
	return out
}

// identitiesAttr is the attribute that holds a user's federated identities, a JSON list.
// Only cognate writes it: it is not in the schema, so no client can.
const identitiesAttr = "identities"

func (u *User) identities() []identity {
	v, ok := u.attr(identitiesAttr)
	if !ok {
		return nil
	}
	var ids []identity
	if json.Unmarshal([]byte(v), &ids) != nil {
		return nil
	}
	return ids
}

func (u *User) setIdentities(ids []identity) {
	if len(ids) == 0 {
		u.setAttr(identitiesAttr, "")
		return
	}
	b, _ := json.Marshal(ids)
	u.setAttr(identitiesAttr, string(b))
}

// identityAlias is the alias a federated identity is found by: the store keeps it unique
// in the pool, so one identity belongs to at most one user.
func identityAlias(provider, userID string) string {
	return "identity:" + provider + ":" + userID
}
