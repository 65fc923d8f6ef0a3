package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// riskPool makes a pool with the given threat protection mode and a verified user "jane",
// and answers the pool id.
func riskPool(t *testing.T, s *testServer, mode types.AdvancedSecurityModeType) string {
	t.Helper()
	pool := createPool(t, s.Client, &cip.CreateUserPoolInput{
		PoolName:        aws.String("risk"),
		AliasAttributes: []types.AliasAttributeType{types.AliasAttributeTypeEmail},
		UserPoolAddOns:  &types.UserPoolAddOnsType{AdvancedSecurityMode: mode},
	})
	createUser(t, s.Client, pool, "jane", "email", "jane@example.com", "email_verified", "true")
	must(s.Client.AdminSetUserPassword(bg, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(pool),
		Username: aws.String("jane"), Password: aws.String("Passw0rd!"), Permanent: true}))(t)
	return pool
}

func riskClient(t *testing.T, s *testServer, pool string, in *cip.CreateUserPoolClientInput) *types.UserPoolClientType {
	t.Helper()
	in.UserPoolId, in.ClientName = aws.String(pool), aws.String("web")
	return must(s.Client.CreateUserPoolClient(bg, in))(t).UserPoolClient
}

func TestRiskConfiguration(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := riskPool(t, s, types.AdvancedSecurityModeTypeAudit)
	client := riskClient(t, s, pool, &cip.CreateUserPoolClientInput{})

	// Nothing set: an empty configuration naming the pool.
	got := must(s.Client.DescribeRiskConfiguration(bg, &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(pool)}))(t)
	if aws.ToString(got.RiskConfiguration.UserPoolId) != pool || got.RiskConfiguration.RiskExceptionConfiguration != nil {
		t.Errorf("empty configuration = %+v", got.RiskConfiguration)
	}

	set := must(s.Client.SetRiskConfiguration(bg, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{BlockedIPRangeList: []string{"203.0.113.0/24"}}}))(t)
	if set.RiskConfiguration.LastModifiedDate == nil {
		t.Error("SetRiskConfiguration answered no LastModifiedDate")
	}
	// A client without its own configuration falls back to the pool's.
	got = must(s.Client.DescribeRiskConfiguration(bg, &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: client.ClientId}))(t)
	if l := got.RiskConfiguration.RiskExceptionConfiguration; l == nil || len(l.BlockedIPRangeList) != 1 || l.BlockedIPRangeList[0] != "203.0.113.0/24" {
		t.Errorf("client falls back to the pool's: %+v", got.RiskConfiguration)
	}
	// Its own overrides it.
	must(s.Client.SetRiskConfiguration(bg, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: client.ClientId,
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{SkippedIPRangeList: []string{"198.51.100.0/24"}}}))(t)
	got = must(s.Client.DescribeRiskConfiguration(bg, &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: client.ClientId}))(t)
	if l := got.RiskConfiguration.RiskExceptionConfiguration; l == nil || len(l.BlockedIPRangeList) != 0 || len(l.SkippedIPRangeList) != 1 {
		t.Errorf("client's own configuration: %+v", got.RiskConfiguration)
	}

	_, err := s.Client.SetRiskConfiguration(bg, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
		RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{BlockedIPRangeList: []string{"not-a-cidr"}}})
	wantErr[*types.InvalidParameterException](t, err, "Invalid CIDR block: not-a-cidr")
	_, err = s.Client.DescribeRiskConfiguration(bg, &cip.DescribeRiskConfigurationInput{UserPoolId: aws.String(pool), ClientId: aws.String("nosuchclient")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool client nosuchclient does not exist.")
}

// TestBlockedIPRange proves that in ENFORCED mode a recovery request from a blocked range is
// refused, that AUDIT only records it, and that the address judged is UserContextData's
// only for a secret client that propagates it.
func TestBlockedIPRange(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	blocked := func(pool string, ranges ...string) {
		must(s.Client.SetRiskConfiguration(bg, &cip.SetRiskConfigurationInput{UserPoolId: aws.String(pool),
			RiskExceptionConfiguration: &types.RiskExceptionConfigurationType{BlockedIPRangeList: ranges}}))(t)
	}
	forgot := func(client *types.UserPoolClientType, ip string) error {
		in := &cip.ForgotPasswordInput{ClientId: client.ClientId, Username: aws.String("jane")}
		if ip != "" {
			in.UserContextData = &types.UserContextDataType{IpAddress: aws.String(ip)}
		}
		if secret := aws.ToString(client.ClientSecret); secret != "" {
			m := hmac.New(sha256.New, []byte(secret))
			m.Write([]byte("jane" + aws.ToString(client.ClientId)))
			in.SecretHash = aws.String(base64.StdEncoding.EncodeToString(m.Sum(nil)))
		}
		_, err := s.Client.ForgotPassword(bg, in)
		return err
	}

	t.Run("enforced blocks the connection's address", func(t *testing.T) {
		pool := riskPool(t, s, types.AdvancedSecurityModeTypeEnforced)
		client := riskClient(t, s, pool, &cip.CreateUserPoolClientInput{})
		blocked(pool, "127.0.0.0/8")
		wantErr[*types.NotAuthorizedException](t, forgot(client, ""), "Request not allowed due to security reasons.")
		_, err := s.Client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: client.ClientId,
			Username: aws.String("jane"), ConfirmationCode: aws.String("123456"), Password: aws.String("N3w-Passw0rd!")})
		wantErr[*types.NotAuthorizedException](t, err, "Request not allowed due to security reasons.")
		// A client without a secret cannot move the judged address with UserContextData.
		wantErr[*types.NotAuthorizedException](t, forgot(client, "198.51.100.7"), "Request not allowed due to security reasons.")
	})

	t.Run("audit lets it through and records it", func(t *testing.T) {
		pool := riskPool(t, s, types.AdvancedSecurityModeTypeAudit)
		client := riskClient(t, s, pool, &cip.CreateUserPoolClientInput{})
		blocked(pool, "127.0.0.0/8")
		if err := forgot(client, ""); err != nil {
			t.Fatal(err)
		}
		ev := must(s.Client.AdminListUserAuthEvents(bg, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool), Username: aws.String("jane")}))(t)
		if len(ev.AuthEvents) != 1 {
			t.Fatalf("%d events, want 1", len(ev.AuthEvents))
		}
		e := ev.AuthEvents[0]
		if e.EventType != types.EventTypeForgotPassword || e.EventResponse != types.EventResponseTypePass ||
			e.EventRisk == nil || e.EventRisk.RiskDecision != types.RiskDecisionTypeBlock ||
			aws.ToString(e.EventContextData.IpAddress) != "127.0.0.1" {
			t.Errorf("event = %+v / risk %+v / context %+v", e, e.EventRisk, e.EventContextData)
		}
	})

	t.Run("a secret client that propagates context data is judged by it", func(t *testing.T) {
		pool := riskPool(t, s, types.AdvancedSecurityModeTypeEnforced)
		client := riskClient(t, s, pool, &cip.CreateUserPoolClientInput{GenerateSecret: true,
			EnablePropagateAdditionalUserContextData: aws.Bool(true)})
		blocked(pool, "203.0.113.0/24")
		if err := forgot(client, ""); err != nil {
			t.Fatalf("from 127.0.0.1: %v", err)
		}
		wantErr[*types.NotAuthorizedException](t, forgot(client, "203.0.113.9"), "Request not allowed due to security reasons.")
		if err := forgot(client, "198.51.100.7"); err != nil {
			t.Fatalf("from an address outside the range: %v", err)
		}
	})
}

// TestAuthEvents proves that recovery events are listed newest first, paged, and only
// where threat protection is on.
func TestAuthEvents(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	pool := riskPool(t, s, types.AdvancedSecurityModeTypeAudit)
	client := riskClient(t, s, pool, &cip.CreateUserPoolClientInput{})
	must(s.Client.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: client.ClientId, Username: aws.String("jane")}))(t)
	_, err := s.Client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: client.ClientId,
		Username: aws.String("jane"), ConfirmationCode: aws.String("000000"), Password: aws.String("N3w-Passw0rd!")})
	if !isCode(err, "CodeMismatchException") && !isCode(err, "ExpiredCodeException") {
		t.Fatalf("wrong code: %v", err)
	}
	code := sixDigit(t, s.messages(t, "Username=jane")[0].Body)
	must(s.Client.ConfirmForgotPassword(bg, &cip.ConfirmForgotPasswordInput{ClientId: client.ClientId,
		Username: aws.String("jane"), ConfirmationCode: aws.String(code), Password: aws.String("N3w-Passw0rd!")}))(t)

	var all []types.AuthEventType
	var token *string
	for {
		page := must(s.Client.AdminListUserAuthEvents(bg, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(pool),
			Username: aws.String("jane"), MaxResults: aws.Int32(2), NextToken: token}))(t)
		all = append(all, page.AuthEvents...)
		if token = page.NextToken; token == nil {
			break
		}
	}
	want := []struct {
		typ  types.EventType
		resp types.EventResponseType
	}{
		{types.EventTypePasswordChange, types.EventResponseTypePass},
		{types.EventTypePasswordChange, types.EventResponseTypeFail},
		{types.EventTypeForgotPassword, types.EventResponseTypePass},
	}
	if len(all) != len(want) {
		t.Fatalf("%d events, want %d", len(all), len(want))
	}
	for i, w := range want {
		if all[i].EventType != w.typ || all[i].EventResponse != w.resp {
			t.Errorf("event %d = %s/%s, want %s/%s", i, all[i].EventType, all[i].EventResponse, w.typ, w.resp)
		}
	}

	off := riskPool(t, s, types.AdvancedSecurityModeTypeOff)
	_, err = s.Client.AdminListUserAuthEvents(bg, &cip.AdminListUserAuthEventsInput{UserPoolId: aws.String(off), Username: aws.String("jane")})
	wantErr[*types.UserPoolAddOnNotEnabledException](t, err, "Advanced security features are not enabled for this user pool.")
}

// sixDigit finds the code in a message body.
func sixDigit(t *testing.T, body string) string {
	t.Helper()
	code := auSixDigits.FindString(body)
	if code == "" {
		t.Fatalf("no code in %q", body)
	}
	return code
}
