package userpool

import (
	"context"
	"maps"
	"slices"
	"time"
)

// migrationAnswer is what a UserMigration function answers (spec §6.5, DG migrate-user).
type migrationAnswer struct {
	UserAttributes         map[string]string `json:"userAttributes"`
	FinalUserStatus        *string           `json:"finalUserStatus"`
	MessageAction          *string           `json:"messageAction"`
	DesiredDeliveryMediums []string          `json:"desiredDeliveryMediums"`
	ForceAliasCreation     *bool             `json:"forceAliasCreation"`
	EnableSMSMFA           *bool             `json:"enableSMSMFA"`
}

// migrateUser runs the pool's UserMigration function for a name that is no user yet
// (UserMigration_ForgotPassword, with no password; UserMigration_Authentication, with the
// password typed and the sign-in's ClientMetadata as validationData) and builds the user
// from its answer. The user is not written: the caller writes it with what the flow writes
// next (the recovery code, the session), so that a flow that fails creates nobody. It
// answers nil when the pool has no function or the function returned no attributes.
//
// The answer's attributes go through the pool's schema as AdminCreateUser's do; the
// password policy is not applied, as Cognito does not apply it to migrated passwords (spec
// §6.5). An alias another user holds refuses the migration unless the answer says
// forceAliasCreation, as AdminCreateUser's ForceAliasCreation does (DG migrate-user: the
// alias moves to the migrated user): the writes returned are the migrated user's (first)
// and those of the users it takes an alias from, to be written with it.
func (s *Service) migrateUser(ctx context.Context, p *Pool, c *Client, typed string, password *string, validation, metadata map[string]string, now time.Time) ([]UserWrite, error) {
	source := "UserMigration_ForgotPassword"
	if password != nil {
		source = "UserMigration_Authentication"
	}
	var pw, vd any
	if password != nil {
		pw = *password
	}
	if validation != nil {
		vd = validation
	}
	var ans migrationAnswer
	ran, err := s.runTrigger(ctx, p, triggerCall{trigger: trigUserMigration, source: source, clientID: c.ID, userName: typed,
		request: withMetadata(map[string]any{"password": pw, "validationData": vd}, metadata),
		response: map[string]any{"userAttributes": nil, "finalUserStatus": nil, "messageAction": nil,
			"desiredDeliveryMediums": nil, "forceAliasCreation": nil, "enableSMSMFA": nil}}, &ans)
	if err != nil || !ran || ans.UserAttributes == nil {
		return nil, err
	}
	status := StatusResetRequired
	switch st := deref(ans.FinalUserStatus); {
	case st == "CONFIRMED" && password != nil:
		status = StatusConfirmed
	case st == "" || st == "RESET_REQUIRED" || st == "CONFIRMED":
		// Without a password (the forgot-password flow) the user must set one: RESET_REQUIRED.
	default:
		return nil, errUnrecognizable
	}
	var attrs []AttributeType
	for _, name := range slices.Sorted(maps.Keys(ans.UserAttributes)) {
		if name == "sub" || name == "username" || name == "cognito:user_status" {
			continue // Cognito's own, not the function's to set
		}
		attrs = append(attrs, AttributeType{Name: ptr(name), Value: ptr(ans.UserAttributes[name])})
	}
	u, err := s.newUser(p, typed, attrs, status, now)
	if err != nil {
		return nil, err
	}
	if password != nil {
		if err := s.storePassword(ctx, p, u, *password, now); err != nil {
			return nil, err
		}
	}
	if ans.EnableSMSMFA != nil && *ans.EnableSMSMFA {
		u.MFA.SMSEnabled = true
	}
	p.computeAliases(u)
	writes := []UserWrite{{User: u, New: true}}
	if deref(ans.ForceAliasCreation) {
		moved, err := s.takeAliases(ctx, p, u, now)
		if err != nil {
			return nil, err
		}
		writes = append(writes, moved...)
	}
	return writes, nil
}
