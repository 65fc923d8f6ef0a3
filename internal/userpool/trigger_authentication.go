package userpool

import "context"

// preAuthentication runs the pool's PreAuthentication function before a user's password is
// checked (PreAuthentication_Authentication), with the sign-in's ClientMetadata as its
// validationData (spec §6.7, DG pre-authentication). Its failure refuses the sign-in; its
// answer is ignored.
func (s *Service) preAuthentication(ctx context.Context, p *Pool, c *Client, u *User, metadata map[string]string) error {
	var vd any
	if metadata != nil {
		vd = metadata
	}
	_, err := s.runTrigger(ctx, p, triggerCall{trigger: trigPreAuthentication, source: "PreAuthentication_Authentication", clientID: c.ID,
		userName: u.Username, request: map[string]any{"userAttributes": eventAttributes(u), "userNotFound": false, "validationData": vd}}, nil)
	return err
}

// postAuthentication runs the pool's PostAuthentication function once a user is
// authenticated and before tokens are issued (PostAuthentication_Authentication, DG
// post-authentication). Its failure is the sign-in's answer; its answer is ignored.
func (s *Service) postAuthentication(ctx context.Context, p *Pool, c *Client, u *User, metadata map[string]string) error {
	_, err := s.runTrigger(ctx, p, triggerCall{trigger: trigPostAuthentication, source: "PostAuthentication_Authentication", clientID: c.ID,
		userName: u.Username, request: withMetadata(map[string]any{"userAttributes": eventAttributes(u), "newDeviceUsed": false}, metadata)}, nil)
	return err
}
