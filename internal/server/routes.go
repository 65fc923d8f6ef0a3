package server

import (
	"cognate/internal/awsjson"
	"cognate/internal/userpool"
)

//go:generate go run ../modelgen -model ../../api/cognito-idp/service-2.json -schema schema_gen.go -types ../userpool/api_gen.go

// routes lists every Cognito operation cognate carries out, each once. Operations of the
// model that are not here answer UnsupportedOperationException (see unsupported).
func routes(ops map[string]*awsjson.Operation, s *userpool.Service) map[string]awsjson.Route {
	r := map[string]awsjson.Route{}
	add := func(rt awsjson.Route) { r[rt.Op.Name] = rt }

	// User pools.
	add(awsjson.Bind(ops["CreateUserPool"], s.CreateUserPool))
	add(awsjson.Bind(ops["DescribeUserPool"], s.DescribeUserPool))
	add(awsjson.Bind(ops["UpdateUserPool"], s.UpdateUserPool))
	add(awsjson.Bind(ops["DeleteUserPool"], s.DeleteUserPool))
	add(awsjson.Bind(ops["ListUserPools"], s.ListUserPools))
	add(awsjson.Bind(ops["AddCustomAttributes"], s.AddCustomAttributes))

	// Tags of user pools, kept on the pool (its UserPoolTags).
	add(awsjson.Bind(ops["TagResource"], s.TagResource))
	add(awsjson.Bind(ops["UntagResource"], s.UntagResource))
	add(awsjson.Bind(ops["ListTagsForResource"], s.ListTagsForResource))

	// App clients.
	add(awsjson.Bind(ops["CreateUserPoolClient"], s.CreateUserPoolClient))
	add(awsjson.Bind(ops["DescribeUserPoolClient"], s.DescribeUserPoolClient))
	add(awsjson.Bind(ops["UpdateUserPoolClient"], s.UpdateUserPoolClient))
	add(awsjson.Bind(ops["DeleteUserPoolClient"], s.DeleteUserPoolClient))
	add(awsjson.Bind(ops["ListUserPoolClients"], s.ListUserPoolClients))

	// Client secret rotation: two active secrets at most, either one valid meanwhile.
	add(awsjson.Bind(ops["AddUserPoolClientSecret"], s.AddUserPoolClientSecret))
	add(awsjson.Bind(ops["ListUserPoolClientSecrets"], s.ListUserPoolClientSecrets))
	add(awsjson.Bind(ops["DeleteUserPoolClientSecret"], s.DeleteUserPoolClientSecret))

	// Users, as an administrator.
	add(awsjson.Bind(ops["AdminCreateUser"], s.AdminCreateUser))
	add(awsjson.Bind(ops["AdminGetUser"], s.AdminGetUser))
	add(awsjson.Bind(ops["AdminDeleteUser"], s.AdminDeleteUser))
	add(awsjson.Bind(ops["AdminUpdateUserAttributes"], s.AdminUpdateUserAttributes))
	add(awsjson.Bind(ops["AdminDeleteUserAttributes"], s.AdminDeleteUserAttributes))
	add(awsjson.Bind(ops["AdminDisableUser"], s.AdminDisableUser))
	add(awsjson.Bind(ops["AdminEnableUser"], s.AdminEnableUser))
	add(awsjson.Bind(ops["AdminSetUserPassword"], s.AdminSetUserPassword))
	add(awsjson.Bind(ops["AdminConfirmSignUp"], s.AdminConfirmSignUp))
	add(awsjson.Bind(ops["ListUsers"], s.ListUsers))

	// User import from a CSV file; the file is PUT to the job's PreSignedUrl, which
	// server.go serves (importUpload).
	add(awsjson.Bind(ops["GetCSVHeader"], s.GetCSVHeader))
	add(awsjson.Bind(ops["CreateUserImportJob"], s.CreateUserImportJob))
	add(awsjson.Bind(ops["StartUserImportJob"], s.StartUserImportJob))
	add(awsjson.Bind(ops["StopUserImportJob"], s.StopUserImportJob))
	add(awsjson.Bind(ops["DescribeUserImportJob"], s.DescribeUserImportJob))
	add(awsjson.Bind(ops["ListUserImportJobs"], s.ListUserImportJobs))

	// Groups.
	add(awsjson.Bind(ops["CreateGroup"], s.CreateGroup))
	add(awsjson.Bind(ops["GetGroup"], s.GetGroup))
	add(awsjson.Bind(ops["UpdateGroup"], s.UpdateGroup))
	add(awsjson.Bind(ops["DeleteGroup"], s.DeleteGroup))
	add(awsjson.Bind(ops["ListGroups"], s.ListGroups))
	add(awsjson.Bind(ops["AdminAddUserToGroup"], s.AdminAddUserToGroup))
	add(awsjson.Bind(ops["AdminRemoveUserFromGroup"], s.AdminRemoveUserFromGroup))
	add(awsjson.Bind(ops["AdminListGroupsForUser"], s.AdminListGroupsForUser))
	add(awsjson.Bind(ops["ListUsersInGroup"], s.ListUsersInGroup))

	// Sign-up and sign-in.
	add(awsjson.Bind(ops["SignUp"], s.SignUp))
	add(awsjson.Bind(ops["ConfirmSignUp"], s.ConfirmSignUp))
	add(awsjson.Bind(ops["ResendConfirmationCode"], s.ResendConfirmationCode))
	add(awsjson.Bind(ops["InitiateAuth"], s.InitiateAuth))
	add(awsjson.Bind(ops["AdminInitiateAuth"], s.AdminInitiateAuth))
	add(awsjson.Bind(ops["RespondToAuthChallenge"], s.RespondToAuthChallenge))
	add(awsjson.Bind(ops["AdminRespondToAuthChallenge"], s.AdminRespondToAuthChallenge))
	add(awsjson.Bind(ops["GetTokensFromRefreshToken"], s.GetTokensFromRefreshToken))
	add(awsjson.Bind(ops["RevokeToken"], s.RevokeToken))
	add(awsjson.Bind(ops["AdminUserGlobalSignOut"], s.AdminUserGlobalSignOut))

	// MFA: the pool's configuration, users' factors and preferences.
	add(awsjson.Bind(ops["SetUserPoolMfaConfig"], s.SetUserPoolMfaConfig))
	add(awsjson.Bind(ops["GetUserPoolMfaConfig"], s.GetUserPoolMfaConfig))
	add(awsjson.Bind(ops["AdminSetUserMFAPreference"], s.AdminSetUserMFAPreference))
	add(awsjson.Bind(ops["AdminSetUserSettings"], s.AdminSetUserSettings))
	add(awsjson.Bind(ops["AdminGetUserAuthFactors"], s.AdminGetUserAuthFactors))
	add(awsjson.Bind(ops["AdminDeleteSoftwareToken"], s.AdminDeleteSoftwareToken))
	add(awsjson.Bind(ops["AssociateSoftwareToken"], s.AssociateSoftwareToken))
	add(awsjson.Bind(ops["VerifySoftwareToken"], s.VerifySoftwareToken))
	add(awsjson.Bind(ops["SetUserMFAPreference"], s.SetUserMFAPreference))
	add(awsjson.Bind(ops["SetUserSettings"], s.SetUserSettings))
	add(awsjson.Bind(ops["GetUserAuthFactors"], s.GetUserAuthFactors))

	// Account recovery.
	add(awsjson.Bind(ops["ForgotPassword"], s.ForgotPassword))
	add(awsjson.Bind(ops["ConfirmForgotPassword"], s.ConfirmForgotPassword))
	add(awsjson.Bind(ops["AdminResetUserPassword"], s.AdminResetUserPassword))

	// Domains, resource servers and identity providers: the hosted pages, the OAuth 2.0
	// authorization server and federation (internal/web serves them).
	add(awsjson.Bind(ops["CreateUserPoolDomain"], s.CreateUserPoolDomain))
	add(awsjson.Bind(ops["DescribeUserPoolDomain"], s.DescribeUserPoolDomain))
	add(awsjson.Bind(ops["UpdateUserPoolDomain"], s.UpdateUserPoolDomain))
	add(awsjson.Bind(ops["DeleteUserPoolDomain"], s.DeleteUserPoolDomain))
	add(awsjson.Bind(ops["CreateResourceServer"], s.CreateResourceServer))
	add(awsjson.Bind(ops["DescribeResourceServer"], s.DescribeResourceServer))
	add(awsjson.Bind(ops["UpdateResourceServer"], s.UpdateResourceServer))
	add(awsjson.Bind(ops["DeleteResourceServer"], s.DeleteResourceServer))
	add(awsjson.Bind(ops["ListResourceServers"], s.ListResourceServers))
	add(awsjson.Bind(ops["CreateIdentityProvider"], s.CreateIdentityProvider))
	add(awsjson.Bind(ops["DescribeIdentityProvider"], s.DescribeIdentityProvider))
	add(awsjson.Bind(ops["UpdateIdentityProvider"], s.UpdateIdentityProvider))
	add(awsjson.Bind(ops["DeleteIdentityProvider"], s.DeleteIdentityProvider))
	add(awsjson.Bind(ops["ListIdentityProviders"], s.ListIdentityProviders))
	add(awsjson.Bind(ops["GetIdentityProviderByIdentifier"], s.GetIdentityProviderByIdentifier))
	add(awsjson.Bind(ops["AdminLinkProviderForUser"], s.AdminLinkProviderForUser))
	add(awsjson.Bind(ops["AdminDisableProviderForUser"], s.AdminDisableProviderForUser))
	add(awsjson.Bind(ops["GetSigningCertificate"], s.GetSigningCertificate)) // the pool's SAML signing certificate

	// Threat protection.
	add(awsjson.Bind(ops["SetRiskConfiguration"], s.SetRiskConfiguration))
	add(awsjson.Bind(ops["DescribeRiskConfiguration"], s.DescribeRiskConfiguration))
	add(awsjson.Bind(ops["AdminListUserAuthEvents"], s.AdminListUserAuthEvents))
	add(awsjson.Bind(ops["AdminUpdateAuthEventFeedback"], s.AdminUpdateAuthEventFeedback))
	add(awsjson.Bind(ops["UpdateAuthEventFeedback"], s.UpdateAuthEventFeedback)) // by the FeedbackToken of GET /_cognate/feedback-token

	// The signed-in user's own operations, authorised by its access token.
	add(awsjson.Bind(ops["GetUser"], s.GetUser))
	add(awsjson.Bind(ops["ChangePassword"], s.ChangePassword))
	add(awsjson.Bind(ops["UpdateUserAttributes"], s.UpdateUserAttributes))
	add(awsjson.Bind(ops["GetUserAttributeVerificationCode"], s.GetUserAttributeVerificationCode))
	add(awsjson.Bind(ops["VerifyUserAttribute"], s.VerifyUserAttribute))
	add(awsjson.Bind(ops["DeleteUserAttributes"], s.DeleteUserAttributes))
	add(awsjson.Bind(ops["DeleteUser"], s.DeleteUser))
	add(awsjson.Bind(ops["GlobalSignOut"], s.GlobalSignOut))

	// Branding, terms, log export and request-rate limits (issue 16).
	add(awsjson.Bind(ops["SetUICustomization"], s.SetUICustomization))
	add(awsjson.Bind(ops["GetUICustomization"], s.GetUICustomization))
	add(awsjson.Bind(ops["CreateManagedLoginBranding"], s.CreateManagedLoginBranding))
	add(awsjson.Bind(ops["DescribeManagedLoginBranding"], s.DescribeManagedLoginBranding))
	add(awsjson.Bind(ops["DescribeManagedLoginBrandingByClient"], s.DescribeManagedLoginBrandingByClient))
	add(awsjson.Bind(ops["UpdateManagedLoginBranding"], s.UpdateManagedLoginBranding))
	add(awsjson.Bind(ops["DeleteManagedLoginBranding"], s.DeleteManagedLoginBranding))
	add(awsjson.Bind(ops["CreateTerms"], s.CreateTerms))
	add(awsjson.Bind(ops["DescribeTerms"], s.DescribeTerms))
	add(awsjson.Bind(ops["ListTerms"], s.ListTerms))
	add(awsjson.Bind(ops["UpdateTerms"], s.UpdateTerms))
	add(awsjson.Bind(ops["DeleteTerms"], s.DeleteTerms))
	add(awsjson.Bind(ops["SetLogDeliveryConfiguration"], s.SetLogDeliveryConfiguration))
	add(awsjson.Bind(ops["GetLogDeliveryConfiguration"], s.GetLogDeliveryConfiguration))
	add(awsjson.Bind(ops["GetProvisionedLimit"], s.GetProvisionedLimit))
	add(awsjson.Bind(ops["UpdateProvisionedLimit"], s.UpdateProvisionedLimit))

	// Multi-Region replication: a replica is the same pool served to another Region
	// (internal/userpool/replica.go, replica_region.go).
	add(awsjson.Bind(ops["CreateUserPoolReplica"], s.CreateUserPoolReplica))
	add(awsjson.Bind(ops["ListUserPoolReplicas"], s.ListUserPoolReplicas))
	add(awsjson.Bind(ops["UpdateUserPoolReplica"], s.UpdateUserPoolReplica))
	add(awsjson.Bind(ops["DeleteUserPoolReplica"], s.DeleteUserPoolReplica))

	// Remembered devices (device.go, auth_device.go).
	add(awsjson.Bind(ops["ConfirmDevice"], s.ConfirmDevice))
	add(awsjson.Bind(ops["GetDevice"], s.GetDevice))
	add(awsjson.Bind(ops["ListDevices"], s.ListDevices))
	add(awsjson.Bind(ops["ForgetDevice"], s.ForgetDevice))
	add(awsjson.Bind(ops["UpdateDeviceStatus"], s.UpdateDeviceStatus))
	add(awsjson.Bind(ops["AdminGetDevice"], s.AdminGetDevice))
	add(awsjson.Bind(ops["AdminListDevices"], s.AdminListDevices))
	add(awsjson.Bind(ops["AdminForgetDevice"], s.AdminForgetDevice))
	add(awsjson.Bind(ops["AdminUpdateDeviceStatus"], s.AdminUpdateDeviceStatus))

	// Passkeys (passkey.go; their sign-in is USER_AUTH's WEB_AUTHN, userauth_webauthn.go).
	add(awsjson.Bind(ops["StartWebAuthnRegistration"], s.StartWebAuthnRegistration))
	add(awsjson.Bind(ops["CompleteWebAuthnRegistration"], s.CompleteWebAuthnRegistration))
	add(awsjson.Bind(ops["ListWebAuthnCredentials"], s.ListWebAuthnCredentials))
	add(awsjson.Bind(ops["DeleteWebAuthnCredential"], s.DeleteWebAuthnCredential))

	acceptCustomDomains(ops)
	for name, op := range ops {
		if _, ok := r[name]; !ok {
			r[name] = unsupported(op)
		}
	}
	return r
}

// unsupported answers an operation of the model that cognate does not carry out yet with an
// honest refusal, after the request has passed the model's validation.
func unsupported(op *awsjson.Operation) awsjson.Route {
	return awsjson.Refuse(op, &userpool.Error{Code: "UnsupportedOperationException", Message: "cognate does not support " + op.Name + " yet."})
}

// acceptCustomDomains lets the Domain member of the domain operations take a custom
// domain's dotted host name. The model gives it the pattern of a prefix domain, yet AWS
// documents custom domains such as auth.example.com in the same member; the operations
// judge the name themselves, with AWS's own sentence for a prefix that breaks the pattern.
func acceptCustomDomains(ops map[string]*awsjson.Operation) {
	for _, name := range []string{"CreateUserPoolDomain", "DescribeUserPoolDomain", "UpdateUserPoolDomain", "DeleteUserPoolDomain"} {
		op := ops[name]
		if op == nil || op.Input == nil {
			continue
		}
		for i, m := range op.Input.Members {
			if m.Name == "Domain" {
				relaxed := *m.Shape
				relaxed.Pattern, relaxed.PatternSrc = nil, ""
				hostMax := int64(253) // a host name's longest
				relaxed.Max = &hostMax
				op.Input.Members[i].Shape = &relaxed
			}
		}
	}
}
