package server

import "net/http"

// feedbackToken answers GET /_cognate/feedback-token?UserPoolId=&Username=&EventId= with
// the FeedbackToken of a user's auth event: AWS sends it in the notification email of a
// risky sign-in, which cognate does not send, so that UpdateAuthEventFeedback can be
// called as the email's links would call it. Like the inbox, it is a developer endpoint.
func (d devEndpoints) feedbackToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	tok, err := d.service.FeedbackToken(r.Context(), q.Get("UserPoolId"), q.Get("Username"), q.Get("EventId"))
	d.answer(w, r, err, map[string]string{"FeedbackToken": tok})
}
