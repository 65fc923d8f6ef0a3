package userpool

import (
	"context"
	"errors"
	"strings"
)

// Request-rate quotas (spec §7.1): AWS counts the requests of each API category per
// account and region, summed over all pools, and answers TooManyRequestsException past
// the category's rate. cognate, when told to (Options.RequestQuotas), counts them in the
// store in one-second windows, so that every process on one database shares one budget.
// GetProvisionedLimit and UpdateProvisionedLimit read and raise a category's rate.

// quotaCategory is an API category: its default rate (FreeLimitValue) and whether it may
// be raised. [D] spec §7.1, from the developer guide's quotas page.
type quotaCategory struct {
	free       int
	adjustable bool
}

var quotaCategories = map[string]quotaCategory{
	"UserAuthentication":     {120, true},
	"UserCreation":           {50, true},
	"UserFederation":         {25, true},
	"UserAccountRecovery":    {30, false},
	"UserRead":               {120, true},
	"UserUpdate":             {25, false},
	"UserToken":              {120, true},
	"UserResourceRead":       {50, true},
	"UserResourceUpdate":     {25, false},
	"UserList":               {30, false},
	"UserPoolRead":           {15, false},
	"UserPoolUpdate":         {15, false},
	"UserPoolResourceRead":   {20, false},
	"UserPoolResourceUpdate": {15, false},
	"UserPoolClientRead":     {15, false},
	"UserPoolClientUpdate":   {15, false},
	// ClientAuthentication (client_credentials at /oauth2/token, 150) is described by
	// GetProvisionedLimit but not counted: AWS's answer to a throttled token request is not
	// documented.
	"ClientAuthentication": {150, false},
}

// operationCategories puts each operation in its category. [D] for UserCreation (the
// guide names its four operations) and UserAuthentication; [I] for the others, whose
// operation-by-category table the spec could not retrieve: from the categories'
// descriptions ("operations that retrieve a user", "that update user resource
// information, such as group", ...). Operations absent here are not counted.
var operationCategories = func() map[string]string {
	m := map[string]string{}
	for cat, ops := range map[string]string{
		"UserAuthentication":  "InitiateAuth AdminInitiateAuth GetTokensFromRefreshToken",
		"UserCreation":        "SignUp ConfirmSignUp AdminCreateUser AdminConfirmSignUp",
		"UserAccountRecovery": "ForgotPassword ConfirmForgotPassword ChangePassword AdminResetUserPassword AdminSetUserPassword",
		"UserRead":            "AdminGetUser GetUser AdminListUserAuthEvents GetUserAuthFactors",
		"UserUpdate": "AdminDeleteUser AdminDeleteUserAttributes AdminDisableProviderForUser AdminDisableUser AdminEnableUser " +
			"AdminLinkProviderForUser AdminSetUserMFAPreference AdminSetUserSettings AdminUpdateAuthEventFeedback " +
			"AdminUpdateUserAttributes DeleteUser DeleteUserAttributes GetUserAttributeVerificationCode ResendConfirmationCode " +
			"SetUserMFAPreference SetUserSettings UpdateAuthEventFeedback UpdateUserAttributes VerifyUserAttribute",
		"UserToken":          "RevokeToken GlobalSignOut AdminUserGlobalSignOut",
		"UserResourceRead":   "AdminGetDevice AdminListDevices AdminListGroupsForUser GetDevice ListDevices ListWebAuthnCredentials",
		"UserResourceUpdate": "AdminAddUserToGroup AdminRemoveUserFromGroup AdminForgetDevice AdminUpdateDeviceStatus AssociateSoftwareToken VerifySoftwareToken ConfirmDevice ForgetDevice UpdateDeviceStatus StartWebAuthnRegistration CompleteWebAuthnRegistration DeleteWebAuthnCredential",
		"UserList":           "ListUsers ListUsersInGroup",
		"UserPoolRead":       "DescribeUserPool ListUserPools GetUserPoolMfaConfig",
		"UserPoolUpdate":     "CreateUserPool UpdateUserPool DeleteUserPool AddCustomAttributes SetUserPoolMfaConfig",
		"UserPoolResourceRead": "DescribeIdentityProvider DescribeResourceServer DescribeRiskConfiguration DescribeUserImportJob " +
			"DescribeUserPoolDomain GetCSVHeader GetGroup GetIdentityProviderByIdentifier GetLogDeliveryConfiguration " +
			"GetSigningCertificate GetUICustomization ListGroups ListIdentityProviders ListResourceServers ListTagsForResource " +
			"ListUserImportJobs DescribeManagedLoginBranding DescribeManagedLoginBrandingByClient DescribeTerms ListTerms",
		"UserPoolResourceUpdate": "CreateGroup UpdateGroup DeleteGroup CreateIdentityProvider UpdateIdentityProvider DeleteIdentityProvider " +
			"CreateResourceServer UpdateResourceServer DeleteResourceServer CreateUserImportJob StartUserImportJob StopUserImportJob " +
			"CreateUserPoolDomain UpdateUserPoolDomain DeleteUserPoolDomain SetRiskConfiguration SetUICustomization " +
			"SetLogDeliveryConfiguration TagResource UntagResource CreateManagedLoginBranding UpdateManagedLoginBranding " +
			"DeleteManagedLoginBranding CreateTerms UpdateTerms DeleteTerms",
		"UserPoolClientRead":   "DescribeUserPoolClient ListUserPoolClients ListUserPoolClientSecrets",
		"UserPoolClientUpdate": "CreateUserPoolClient UpdateUserPoolClient DeleteUserPoolClient AddUserPoolClientSecret DeleteUserPoolClientSecret",
	} {
		for _, op := range strings.Fields(ops) {
			m[op] = cat
		}
	}
	return m
}()

// challengeOperations answer auth challenges: [D] they have "a separate quota that is three
// times the UserAuthentication category limit", and the excess counts toward the category.
var challengeOperations = map[string]bool{"RespondToAuthChallenge": true, "AdminRespondToAuthChallenge": true}

// challengeBucket is the store's counter of the challenge operations' separate quota.
const challengeBucket = "UserAuthentication.Challenges"

func tooManyRequests() *Error {
	// [O] spec §7.1 and Appendix: AWS answers "Rate exceeded" (or "Too many requests").
	return newError("TooManyRequestsException", "Rate exceeded")
}

// AdmitRequest counts a request of the named operation against its category's quota and
// refuses it with TooManyRequestsException when the category has none left this second.
// It admits everything when quotas are off.
func (s *Service) AdmitRequest(ctx context.Context, op string) error {
	if !s.requestQuotas {
		return nil
	}
	second := s.clock().Unix()
	if challengeOperations[op] {
		limit, err := s.provisionedLimit(ctx, "UserAuthentication")
		if err != nil {
			return err
		}
		if ok, err := s.store.TakeRequest(ctx, challengeBucket, second, 3*limit); err != nil || ok {
			return err
		}
		op = "InitiateAuth" // the excess counts toward UserAuthentication
	}
	cat, ok := operationCategories[op]
	if !ok {
		return nil
	}
	return s.takeRequest(ctx, cat, second)
}

func (s *Service) takeRequest(ctx context.Context, category string, second int64) error {
	ok, err := s.store.TakeRequest(ctx, category, second, quotaCategories[category].free)
	if err != nil {
		return err
	}
	if !ok {
		return tooManyRequests()
	}
	return nil
}

// provisionedLimit is the rate a category is held to: its provisioned limit, else its default.
func (s *Service) provisionedLimit(ctx context.Context, category string) (int, error) {
	v, err := s.store.GetProvisionedLimit(ctx, category)
	if errors.Is(err, ErrNotFound) {
		return quotaCategories[category].free, nil
	}
	return v, err
}

// limitCategory reads the category a LimitDefinition names. The model gives the class one
// value, API_CATEGORY, and the category is the Category attribute [D, the model's docs].
// [I] A missing attribute is an invalid parameter; an unknown category is not found.
func limitCategory(d *LimitDefinitionType) (string, quotaCategory, error) {
	name, ok := d.Attributes["Category"]
	if !ok {
		return "", quotaCategory{}, invalidParameter("LimitDefinition.Attributes must name the Category.")
	}
	c, ok := quotaCategories[name]
	if !ok {
		return "", quotaCategory{}, newError("ResourceNotFoundException", "There is no API category %s.", name)
	}
	return name, c, nil
}

// describeLimit is the API's view of a category's limit.
func describeLimit(name string, c quotaCategory, provisioned int) *LimitType {
	return &LimitType{
		LimitDefinition:       &LimitDefinitionType{LimitClass: ptr("API_CATEGORY"), Attributes: map[string]string{"Category": name}},
		ProvisionedLimitValue: ptr(int32(provisioned)), FreeLimitValue: ptr(int32(c.free)),
	}
}
