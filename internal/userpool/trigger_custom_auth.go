package userpool

import (
	"context"
	"errors"
	"time"
)

// CUSTOM_AUTH: the pool's DefineAuthChallenge, CreateAuthChallenge and
// VerifyAuthChallengeResponse functions decide the sign-in (DG user-pool-lambda-challenge).
// The challenge history and the private challenge parameters travel in the sealed Session,
// so that no server-side state is kept between the steps; the Session is single use.

// challengeResult is one answered challenge, as DefineAuthChallenge's request.session lists it.
type challengeResult struct {
	ChallengeName     string  `json:"challengeName"`
	ChallengeResult   bool    `json:"challengeResult"`
	ChallengeMetadata *string `json:"challengeMetadata"`
}

// maxCustomRounds bounds a custom sign-in's challenges, so that a DefineAuthChallenge that
// never decides cannot keep a sign-in going forever [I: AWS's own bound is not documented].
const maxCustomRounds = 10

const customChallenge = "CUSTOM_CHALLENGE"

var errNoCustomAuth = invalidParameter("Custom auth lambda trigger is not configured for the user pool.")

// startCustomAuth begins CUSTOM_AUTH for a user: PreAuthentication, then DefineAuthChallenge
// with an empty history. CUSTOM_AUTH starting with SRP_A (password verification first) is
// not built and says so.
func (s *Service) startCustomAuth(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	username := req.params["USERNAME"]
	if arn, _ := function(p, trigDefineAuth); arn == "" {
		return nil, errNoCustomAuth
	}
	if req.params["SRP_A"] != "" {
		return nil, newError("UnsupportedOperationException", "cognate does not support CUSTOM_AUTH with SRP_A yet.")
	}
	u, err := s.signInUser(ctx, p, c, username)
	if err != nil {
		return nil, err
	}
	if err := s.passwordAttempt(ctx, u, now); err != nil {
		return nil, err
	}
	if err := s.preAuthentication(ctx, p, c, u, req.metadata); err != nil {
		return nil, err
	}
	return s.defineChallenge(ctx, p, c, u, []challengeResult{}, req.metadata, now)
}

// defineAnswer is what DefineAuthChallenge answers.
type defineAnswer struct {
	ChallengeName      *string `json:"challengeName"`
	IssueTokens        bool    `json:"issueTokens"`
	FailAuthentication bool    `json:"failAuthentication"`
}

// createAnswer is what CreateAuthChallenge answers.
type createAnswer struct {
	PublicChallengeParameters  map[string]string `json:"publicChallengeParameters"`
	PrivateChallengeParameters map[string]string `json:"privateChallengeParameters"`
	ChallengeMetadata          *string           `json:"challengeMetadata"`
}

// defineChallenge asks DefineAuthChallenge what follows the history: tokens (through
// afterAuthenticated, so that the user's state, PostAuthentication and PreTokenGeneration apply as
// to any sign-in), a failure, or a CUSTOM_CHALLENGE that CreateAuthChallenge makes.
func (s *Service) defineChallenge(ctx context.Context, p *Pool, c *Client, u *User, history []challengeResult, metadata map[string]string, now time.Time) (*authOutcome, error) {
	var def defineAnswer
	ran, err := s.runTrigger(ctx, p, triggerCall{trigger: trigDefineAuth, source: "DefineAuthChallenge_Authentication", clientID: c.ID,
		userName: u.Username, request: withMetadata(map[string]any{"userAttributes": eventAttributes(u), "session": history, "userNotFound": false}, metadata),
		response: map[string]any{"challengeName": nil, "issueTokens": false, "failAuthentication": false}}, &def)
	switch {
	case err != nil:
		return nil, err
	case !ran:
		return nil, errNoCustomAuth
	case def.FailAuthentication:
		return nil, errIncorrect
	case def.IssueTokens:
		return s.afterAuthenticated(ctx, p, c, u, metadata, now)
	case def.ChallengeName == nil:
		return nil, errUnrecognizable
	case *def.ChallengeName != customChallenge:
		return nil, newError("UnsupportedOperationException", "cognate does not support the %s challenge of DefineAuthChallenge yet.", *def.ChallengeName)
	case len(history) >= maxCustomRounds:
		return nil, errIncorrect
	}
	var cr createAnswer
	if _, err := s.runTrigger(ctx, p, triggerCall{trigger: trigCreateAuth, source: "CreateAuthChallenge_Authentication", clientID: c.ID,
		userName: u.Username, request: withMetadata(map[string]any{"userAttributes": eventAttributes(u), "challengeName": customChallenge,
			"session": history, "userNotFound": false}, metadata),
		response: map[string]any{"publicChallengeParameters": nil, "privateChallengeParameters": nil, "challengeMetadata": nil}}, &cr); err != nil {
		return nil, err
	}
	sess, err := s.sealCustom(p, c, u, history, cr.PrivateChallengeParameters, cr.ChallengeMetadata, now)
	if err != nil {
		return nil, err
	}
	params := map[string]string{}
	for k, v := range cr.PublicChallengeParameters {
		params[k] = v
	}
	params["USERNAME"] = u.Username
	return &authOutcome{ChallengeName: ptr(customChallenge), Session: ptr(sess), ChallengeParameters: params}, nil
}

// respondCustom answers CUSTOM_CHALLENGE: VerifyAuthChallengeResponse judges the ANSWER
// against the private parameters the Session carries, the result joins the history, and
// DefineAuthChallenge decides again. The Session is spent by the answer.
func (s *Service) respondCustom(ctx context.Context, p *Pool, c *Client, req *authRequest, now time.Time) (*authOutcome, error) {
	ss, err := s.openSession(req.session, c, customChallenge, now)
	if err != nil {
		return nil, err
	}
	answer, ok := req.params["ANSWER"]
	if !ok {
		return nil, invalidParameter("Missing required parameter ANSWER")
	}
	u, err := s.store.GetUserBySub(ctx, p.ID, ss.User)
	if errors.Is(err, ErrNotFound) {
		return nil, userNotFound()
	} else if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, errDisabled
	}
	if err := s.useOnce(ctx, p.ID, []byte(req.session), 15*time.Minute, now); err != nil {
		return nil, err
	}
	var ver struct {
		AnswerCorrect bool `json:"answerCorrect"`
	}
	if _, err := s.runTrigger(ctx, p, triggerCall{trigger: trigVerifyAuth, source: "VerifyAuthChallengeResponse_Authentication",
		clientID: c.ID, userName: u.Username, request: withMetadata(map[string]any{"userAttributes": eventAttributes(u),
			"privateChallengeParameters": nonNilMap(ss.Private), "challengeAnswer": answer, "userNotFound": false}, req.metadata),
		response: map[string]any{"answerCorrect": false}}, &ver); err != nil {
		return nil, err
	}
	history := append(ss.Custom, challengeResult{ChallengeName: customChallenge, ChallengeResult: ver.AnswerCorrect, ChallengeMetadata: ss.Meta})
	return s.defineChallenge(ctx, p, c, u, history, req.metadata, now)
}

// sealCustom seals a CUSTOM_CHALLENGE Session with the history so far and the challenge's
// private parameters and metadata.
func (s *Service) sealCustom(p *Pool, c *Client, u *User, history []challengeResult, private map[string]string, meta *string, now time.Time) (string, error) {
	return s.seal(p, c, sealedSession{User: u.Sub, Challenge: customChallenge, Custom: history, Private: private, Meta: meta}, now)
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
