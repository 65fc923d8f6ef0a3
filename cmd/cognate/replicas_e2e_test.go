package main

import (
	"context"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// replicaKey is a pool's KeyConfiguration that replication needs: a multi-Region customer
// managed key (its id begins mrk-).
var replicaKey = &types.KeyConfigurationType{KeyType: types.EncryptionKeyTypeCustomerManagedKey,
	KmsKeyArn: aws.String("arn:aws:kms:us-east-1:000000000000:key/mrk-1234abcd12ab34cd56ef1234567890ab")}

// inRegion sends one call signed for another Region, as a client configured for it does.
func inRegion(region string) func(*cip.Options) {
	return func(o *cip.Options) { o.Region = region }
}

// regionalClient is an SDK client of the Region's regional endpoint by name,
// http://cognito-idp.<region>.amazonaws.com, whose connections reach the test server: the
// Host header, not a signature, tells the server the Region, as it must for unsigned
// operations such as InitiateAuth.
func regionalClient(s *testServer, region string) *cip.Client {
	addr := strings.TrimPrefix(s.URL, "http://")
	var d net.Dialer
	return cip.New(s.Client.Options(), func(o *cip.Options) {
		o.Region = region
		o.BaseEndpoint = aws.String("http://cognito-idp." + region + ".amazonaws.com")
		o.HTTPClient = ownBodies{awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			}
		})}
	})
}

// TestUserPoolReplicas gives a pool a secondary replica in eu-west-1 and drives the same
// pool through both Regions: the replica starts INACTIVE and refuses end users, serves
// them once ACTIVE, never takes user directory writes, and is deleted only when INACTIVE
// and from the primary Region.
func TestUserPoolReplicas(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{KeyConfiguration: replicaKey})
	arn := func(region string) *string {
		return aws.String("arn:aws:cognito-idp:" + region + ":000000000000:userpool/" + pool)
	}
	replicas := func(region string) []types.UserPoolReplicaType {
		t.Helper()
		return must(c.ListUserPoolReplicas(bg, &cip.ListUserPoolReplicasInput{UserPoolId: aws.String(pool)}, inRegion(region)))(t).UserPoolReplicas
	}
	primary := types.UserPoolReplicaType{RegionName: aws.String("us-east-1"), Status: types.ReplicaStatusTypeActive, Role: types.ReplicaRoleTypePrimary, UserPoolArn: arn("us-east-1")}
	secondary := types.UserPoolReplicaType{RegionName: aws.String("eu-west-1"), Status: types.ReplicaStatusTypeInactive, Role: types.ReplicaRoleTypeSecondary, UserPoolArn: arn("eu-west-1")}
	opts := cmp.Options{ignoreFields("noSmithyDocumentSerde")}
	want := func(what string, want, got any) {
		t.Helper()
		if diff := cmp.Diff(want, got, opts...); diff != "" {
			t.Errorf("%s (-want +got):\n%s", what, diff)
		}
	}
	want("replicas before any", []types.UserPoolReplicaType{primary}, replicas("us-east-1"))

	created := must(c.CreateUserPoolReplica(bg, &cip.CreateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1"),
		UserPoolTags: map[string]string{"region": "eu"}}))(t)
	want("CreateUserPoolReplica", &secondary, created.UserPoolReplica)
	want("replicas from the primary Region", []types.UserPoolReplicaType{secondary, primary}, replicas("us-east-1"))
	want("replicas from the replica's Region", []types.UserPoolReplicaType{secondary, primary}, replicas("eu-west-1"))

	// ListUserPools names the Regions of the pool's replicas.
	listed := must(c.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}))(t).UserPools
	if len(listed) != 1 || !slices.Equal(listed[0].ReplicaRegions, []string{"eu-west-1"}) {
		t.Errorf("ListUserPools = %+v, want the pool with ReplicaRegions [eu-west-1]", listed)
	}

	// The replica's tags are its own, read and changed through its ARN.
	tags := func(arn *string) map[string]string {
		t.Helper()
		return must(c.ListTagsForResource(bg, &cip.ListTagsForResourceInput{ResourceArn: arn}))(t).Tags
	}
	want("the replica's tags", map[string]string{"region": "eu"}, tags(arn("eu-west-1")))
	must(c.TagResource(bg, &cip.TagResourceInput{ResourceArn: arn("eu-west-1"), Tags: map[string]string{"team": "auth"}}))(t)
	must(c.UntagResource(bg, &cip.UntagResourceInput{ResourceArn: arn("eu-west-1"), TagKeys: []string{"region"}}))(t)
	want("the replica's tags after TagResource and UntagResource", map[string]string{"team": "auth"}, tags(arn("eu-west-1")))
	want("the primary's tags", map[string]string{}, tags(arn("us-east-1")))

	// One secondary replica at most; none in the primary's own Region.
	_, err := c.CreateUserPoolReplica(bg, &cip.CreateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("ap-south-1")})
	wantErr[*types.LimitExceededException](t, err, "User pool "+pool+" already has a secondary replica; it can have at most 1.")
	_, err = c.CreateUserPoolReplica(bg, &cip.CreateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("us-east-1")})
	wantErr[*types.InvalidParameterException](t, err, "User pool "+pool+" is in us-east-1 already; a replica must be in another Region.")

	// The same users in both Regions: one made in the primary is read in the replica's.
	app, _ := auClient(t, c, pool, &cip.CreateUserPoolClientInput{ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
		types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	auUser(t, c, pool, "ana", "Passw0rd!x", "email", "ana@example.com")
	got := must(c.AdminGetUser(bg, &cip.AdminGetUserInput{UserPoolId: aws.String(pool), Username: aws.String("ana")}, inRegion("eu-west-1")))(t)
	if sub := attrMap(got.UserAttributes)["sub"]; sub == "" || sub != attrMap(getUser(t, c, pool, "ana").UserAttributes)["sub"] {
		t.Errorf("the user read in eu-west-1 has sub %q, not the primary's", sub)
	}
	signIn := func(region string) (*cip.AdminInitiateAuthOutput, error) {
		return c.AdminInitiateAuth(bg, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(pool), ClientId: aws.String(app),
			AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Passw0rd!x"}}, inRegion(region))
	}
	euHost := regionalClient(s, "eu-west-1")
	userSignIn := func() (*cip.InitiateAuthOutput, error) {
		return euHost.InitiateAuth(bg, &cip.InitiateAuthInput{ClientId: aws.String(app), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Passw0rd!x"}})
	}

	// INACTIVE: no end users, signed or not; administrators may read.
	inactive := "The replica of user pool " + pool + " in eu-west-1 is INACTIVE and does not accept requests for end users."
	_, err = signIn("eu-west-1")
	wantErr[*types.OperationNotEnabledException](t, err, inactive)
	_, err = userSignIn()
	wantErr[*types.OperationNotEnabledException](t, err, inactive)
	must(signIn("us-east-1"))(t)
	// A Region the pool has no replica in is served as the primary, as before replicas.
	must(signIn("ap-south-1"))(t)

	// What a secondary Region never does, whatever its status.
	notHere := func(op string) string {
		return op + " is not supported in secondary replica regions: send it to the primary Region, us-east-1."
	}
	refusedEverywhere := func() {
		t.Helper()
		_, err := c.AdminCreateUser(bg, &cip.AdminCreateUserInput{UserPoolId: aws.String(pool), Username: aws.String("bo"), MessageAction: types.MessageActionTypeSuppress}, inRegion("eu-west-1"))
		wantErr[*types.OperationNotEnabledException](t, err, notHere("AdminCreateUser"))
		_, err = euHost.SignUp(bg, &cip.SignUpInput{ClientId: aws.String(app), Username: aws.String("cy"), Password: aws.String("Passw0rd!x")})
		wantErr[*types.OperationNotEnabledException](t, err, notHere("SignUp"))
		_, err = c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("ana"),
			UserAttributes: attributes("name", "Ana")}, inRegion("eu-west-1"))
		wantErr[*types.OperationNotEnabledException](t, err, notHere("AdminUpdateUserAttributes"))
		_, err = euHost.ForgotPassword(bg, &cip.ForgotPasswordInput{ClientId: aws.String(app), Username: aws.String("ana")})
		wantErr[*types.OperationNotEnabledException](t, err, notHere("ForgotPassword"))
		_, err = c.CreateGroup(bg, &cip.CreateGroupInput{UserPoolId: aws.String(pool), GroupName: aws.String("g")}, inRegion("eu-west-1"))
		wantErr[*types.OperationNotEnabledException](t, err, notHere("CreateGroup"))
		_, err = c.DeleteUserPoolReplica(bg, &cip.DeleteUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1")}, inRegion("eu-west-1"))
		wantErr[*types.OperationNotEnabledException](t, err, notHere("DeleteUserPoolReplica"))
	}
	refusedEverywhere()

	// Activated from the replica's own Region (the model allows either).
	secondary.Status = types.ReplicaStatusTypeActive
	updated := must(c.UpdateUserPoolReplica(bg, &cip.UpdateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1"),
		Status: types.UpdateReplicaStatusTypeActive}, inRegion("eu-west-1")))(t)
	want("UpdateUserPoolReplica to ACTIVE", &secondary, updated.UserPoolReplica)
	want("replicas once active", []types.UserPoolReplicaType{secondary, primary}, replicas("us-east-1"))

	// ACTIVE: the replica's Region signs the same user in, with the same password.
	out := must(signIn("eu-west-1"))(t)
	if out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("AdminInitiateAuth in eu-west-1 = %+v, want tokens", out)
	}
	userOut := must(userSignIn())(t)
	me := must(euHost.GetUser(bg, &cip.GetUserInput{AccessToken: userOut.AuthenticationResult.AccessToken}))(t)
	if aws.ToString(me.Username) != "ana" {
		t.Errorf("GetUser in eu-west-1 = %s, want ana", aws.ToString(me.Username))
	}
	_, err = euHost.ChangePassword(bg, &cip.ChangePasswordInput{AccessToken: userOut.AuthenticationResult.AccessToken,
		PreviousPassword: aws.String("Passw0rd!x"), ProposedPassword: aws.String("Passw0rd!y")})
	wantErr[*types.OperationNotEnabledException](t, err, notHere("ChangePassword"))
	refusedEverywhere()

	// An ACTIVE replica is not deleted; an INACTIVE one is, from the primary Region.
	_, err = c.DeleteUserPoolReplica(bg, &cip.DeleteUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1")})
	wantErr[*types.InvalidParameterException](t, err, "The replica in eu-west-1 is ACTIVE; only an INACTIVE replica can be deleted.")
	must(c.UpdateUserPoolReplica(bg, &cip.UpdateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1"),
		Status: types.UpdateReplicaStatusTypeInactive}))(t)
	deleted := must(c.DeleteUserPoolReplica(bg, &cip.DeleteUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1")}))(t)
	secondary.Status = types.ReplicaStatusTypeDeleting
	want("DeleteUserPoolReplica", &secondary, deleted.UserPoolReplica)
	want("replicas after the delete", []types.UserPoolReplicaType{primary}, replicas("us-east-1"))
	if listed := must(c.ListUserPools(bg, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)}))(t).UserPools; len(listed[0].ReplicaRegions) != 0 {
		t.Errorf("ListUserPools after the delete names ReplicaRegions %v, want none", listed[0].ReplicaRegions)
	}
	// eu-west-1 is now a Region like any other: served as the primary.
	must(c.AdminUpdateUserAttributes(bg, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(pool), Username: aws.String("ana"),
		UserAttributes: attributes("name", "Ana")}, inRegion("eu-west-1")))(t)
	must(userSignIn())(t)
	_, err = c.DeleteUserPoolReplica(bg, &cip.DeleteUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+pool+" has no replica in eu-west-1.")
	_, err = c.ListTagsForResource(bg, &cip.ListTagsForResourceInput{ResourceArn: arn("eu-west-1")})
	wantErr[*types.ResourceNotFoundException](t, err, "Resource "+*arn("eu-west-1")+" does not exist.")

	// Deleting the pool deletes its replicas: a replica of a deleted pool is not found.
	must(c.CreateUserPoolReplica(bg, &cip.CreateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("ap-south-1")}))(t)
	must(c.DeleteUserPool(bg, &cip.DeleteUserPoolInput{UserPoolId: aws.String(pool)}))(t)
	_, err = c.ListUserPoolReplicas(bg, &cip.ListUserPoolReplicasInput{UserPoolId: aws.String(pool)})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+pool+" does not exist.")
}

// TestUserPoolReplicaRefusals sends the replica operations what they refuse: pools that
// cannot be replicated, replicas and pools that do not exist, and requests that break the
// model.
func TestUserPoolReplicaRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	c := s.Client
	pool := createPool(t, c, &cip.CreateUserPoolInput{KeyConfiguration: replicaKey})
	create := func(pool, region string) error {
		_, err := c.CreateUserPoolReplica(bg, &cip.CreateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String(region)})
		return err
	}

	lite := createPool(t, c, &cip.CreateUserPoolInput{UserPoolTier: types.UserPoolTierTypeLite, KeyConfiguration: replicaKey})
	wantErr[*types.FeatureUnavailableInTierException](t, create(lite, "eu-west-1"),
		"Multi-Region replication requires the user pool to be on the Essentials or Plus feature plan.")
	keyless := createPool(t, c, nil)
	const needKey = "Multi-Region replication requires the user pool's KeyConfiguration to be a multi-Region customer managed key (KeyType CUSTOMER_MANAGED_KEY, a KmsKeyArn of key/mrk-...)."
	wantErr[*types.InvalidParameterException](t, create(keyless, "eu-west-1"), needKey)
	singleRegionKey := createPool(t, c, &cip.CreateUserPoolInput{KeyConfiguration: &types.KeyConfigurationType{KeyType: types.EncryptionKeyTypeCustomerManagedKey,
		KmsKeyArn: aws.String("arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab")}})
	wantErr[*types.InvalidParameterException](t, create(singleRegionKey, "eu-west-1"), needKey)

	wantErr[*types.ResourceNotFoundException](t, create("us-east-1_nope", "eu-west-1"), "User pool us-east-1_nope does not exist.")
	wantErr[*types.InvalidParameterException](t, create(pool, "eu"),
		"1 validation error detected: Value 'eu' at 'regionName' failed to satisfy constraint: Member must have length greater than or equal to 5")
	wantErr[*types.InvalidParameterException](t, create(pool, "EU_WEST_1"), "Invalid RegionName: EU_WEST_1.")

	_, err := c.UpdateUserPoolReplica(bg, &cip.UpdateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1"), Status: types.UpdateReplicaStatusTypeActive})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool "+pool+" has no replica in eu-west-1.")
	_, err = c.UpdateUserPoolReplica(bg, &cip.UpdateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("eu-west-1"), Status: "PAUSED"})
	wantErr[*types.InvalidParameterException](t, err,
		"1 validation error detected: Value 'PAUSED' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [ACTIVE, INACTIVE]")
	_, err = c.UpdateUserPoolReplica(bg, &cip.UpdateUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("us-east-1"), Status: types.UpdateReplicaStatusTypeInactive})
	wantErr[*types.InvalidParameterException](t, err, "The replica in us-east-1 is the primary; it cannot be made INACTIVE.")
	_, err = c.DeleteUserPoolReplica(bg, &cip.DeleteUserPoolReplicaInput{UserPoolId: aws.String(pool), RegionName: aws.String("us-east-1")})
	wantErr[*types.InvalidParameterException](t, err, "The replica in us-east-1 is the primary; only a secondary replica can be deleted.")
	_, err = c.DeleteUserPoolReplica(bg, &cip.DeleteUserPoolReplicaInput{UserPoolId: aws.String("us-east-1_nope"), RegionName: aws.String("eu-west-1")})
	wantErr[*types.ResourceNotFoundException](t, err, "User pool us-east-1_nope does not exist.")
	_, err = c.ListUserPoolReplicas(bg, &cip.ListUserPoolReplicasInput{UserPoolId: aws.String(pool), NextToken: aws.String("not-a-token")})
	wantErr[*types.InvalidParameterException](t, err, "Invalid pagination token.")
	_, err = c.ListUserPoolReplicas(bg, &cip.ListUserPoolReplicasInput{UserPoolId: aws.String("no_pool!")})
	wantErr[*types.InvalidParameterException](t, err,
		`1 validation error detected: Value 'no_pool!' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`)
}
