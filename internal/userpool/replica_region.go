package userpool

import (
	"context"
	"errors"
)

// What a request addressed to a secondary replica's Region may do. The developer guide
// ("Multi-Region replication for user pools") and the model say:
//
//   - "The primary user pool serves as the authoritative source for administrative
//     configuration and user directory write operations like password resets and user
//     sign-up. Secondary user pools can't create users, inherit most settings from the
//     primary user pool" (the guide); "Generally, only administrator operations that set
//     configurations specific to the replica, and only end-user operations that do not
//     create or change attributes of a user are supported" (the model, ReplicaRoleType).
//   - "You can't generate new users in secondary user pools, either through sign-up or
//     administrative creation"; "Users can't reset their password or modify their profile
//     in secondary user pools"; "Secondary replicas don't support TOTP MFA" (the guide).
//   - INACTIVE: "The replica has been created, but is not accepting requests for
//     end-users. Administrator configuration operations are supported" (the model,
//     UserPoolReplicaType.Status).
//   - DeleteUserPoolReplica "must be called from the primary Region" (the model).
//
// Refusals answer OperationNotEnabledException, which the model describes as "thrown when
// an operation is not available in the current region ... operations that are not
// supported in secondary replica regions". AWS's exact message is not documented; the
// words here are cognate's, built on the model's.

// notInSecondary are the operations refused in a secondary Region whatever its status.
var notInSecondary = setOf(
	// New users, by sign-up, administrative creation or import (the guide).
	"SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp",
	"CreateUserImportJob", "StartUserImportJob", "StopUserImportJob",
	// Password resets and changes (the guide: password resets are user directory writes
	// of the primary; users can't reset their password in secondary user pools).
	"ForgotPassword", "ConfirmForgotPassword", "AdminResetUserPassword", "AdminSetUserPassword", "ChangePassword",
	// Changes to a user's attributes and profile (the guide; the model's "do not create or
	// change attributes of a user"), and the other writes of the user directory.
	"UpdateUserAttributes", "AdminUpdateUserAttributes", "DeleteUserAttributes", "AdminDeleteUserAttributes",
	"VerifyUserAttribute", "AdminLinkProviderForUser", "AdminDisableProviderForUser",
	"AdminDeleteUser", "DeleteUser", "AdminDisableUser", "AdminEnableUser",
	"AdminAddUserToGroup", "AdminRemoveUserFromGroup",
	// TOTP MFA (the guide: secondary replicas don't support it).
	"AssociateSoftwareToken", "VerifySoftwareToken", "AdminDeleteSoftwareToken",
	// The pool's global configuration, set in the primary and synchronized (the guide: "All
	// other settings are set in the primary user pool"), and the replicas themselves.
	"DeleteUserPool", "AddCustomAttributes", "SetUserPoolMfaConfig",
	"CreateUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient",
	"AddUserPoolClientSecret", "DeleteUserPoolClientSecret",
	"CreateGroup", "UpdateGroup", "DeleteGroup",
	"CreateUserPoolDomain", "UpdateUserPoolDomain", "DeleteUserPoolDomain",
	"CreateResourceServer", "UpdateResourceServer", "DeleteResourceServer",
	"CreateIdentityProvider", "UpdateIdentityProvider", "DeleteIdentityProvider",
	"SetUICustomization", "CreateManagedLoginBranding", "UpdateManagedLoginBranding", "DeleteManagedLoginBranding",
	"CreateTerms", "UpdateTerms", "DeleteTerms",
	"CreateUserPoolReplica", "DeleteUserPoolReplica",
)

// regionalInSecondary are the operations AWS carries out in a secondary Region on the
// replica's own settings: "regional configurations for email, SMS, Lambda functions, and
// tags can be updated" (UpdateUserPool in the model), NotifyConfiguration's SourceArn and
// From (SetRiskConfiguration), and the log export configuration (the guide's list of
// settings "you can configure independently in replicas"). cognate keeps one configuration
// for a pool and its replica, so it cannot apply them to the replica alone: it says so
// rather than change the primary's settings.
var regionalInSecondary = setOf("UpdateUserPool", "SetRiskConfiguration", "SetLogDeliveryConfiguration")

// endUserOperations are those of end users, which an INACTIVE replica does not accept:
// sign-in and the operations authorized by a user's tokens.
var endUserOperations = setOf(
	"InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge",
	"GetTokensFromRefreshToken", "RevokeToken", "GlobalSignOut", "ResendConfirmationCode",
	"GetUser", "GetUserAttributeVerificationCode", "GetUserAuthFactors", "SetUserMFAPreference", "SetUserSettings",
	"ConfirmDevice", "GetDevice", "ListDevices", "ForgetDevice", "UpdateDeviceStatus",
	"StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "ListWebAuthnCredentials", "DeleteWebAuthnCredential",
	"UpdateAuthEventFeedback",
)

func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// checkReplicaRegion refuses what the request's operation may not do in its Region for
// pool p: nothing when the request names no Region, the pool's own, or one the pool has no
// replica in (cognate serves a pool to a client of any Region, as it always has).
func (s *Service) checkReplicaRegion(ctx context.Context, p *Pool) error {
	c := CallerFrom(ctx)
	if c.Operation == "" || c.Region == "" || c.Region == primaryRegion(p.ID) {
		return nil
	}
	r, err := s.store.GetReplica(ctx, p.ID, c.Region)
	if errors.Is(err, ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	switch {
	case notInSecondary[c.Operation]:
		return newError("OperationNotEnabledException", "%s is not supported in secondary replica regions: send it to the primary Region, %s.", c.Operation, primaryRegion(p.ID))
	case regionalInSecondary[c.Operation]:
		return newError("UnsupportedOperationException", "cognate keeps one configuration for user pool %s and its replicas, and does not support %s on the replica in %s: send it to the primary Region, %s.", p.ID, c.Operation, c.Region, primaryRegion(p.ID))
	case endUserOperations[c.Operation] && r.Status != replicaActive:
		return newError("OperationNotEnabledException", "The replica of user pool %s in %s is %s and does not accept requests for end users.", p.ID, c.Region, r.Status)
	}
	return nil
}
