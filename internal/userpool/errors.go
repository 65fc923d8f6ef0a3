package userpool

import "fmt"

// Error is what an operation answers when it refuses a request: Code is the Cognito
// exception name and Message AWS's text for the case (spec Appendix C), so that the wire
// layer can send both unchanged. Any other error an operation returns is internal.
type Error struct {
	Code    string
	Message string
}

// Error returns the code and the message together, for logs and tests.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode returns the Cognito exception name.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the message AWS sends with the exception.
func (e *Error) ErrorMessage() string { return e.Message }

// HTTPStatus returns the status the exception goes out with: 403 for ForbiddenException,
// 400 for every other client error (ARCHITECTURE.md "Wire").
func (e *Error) HTTPStatus() int {
	if e.Code == "ForbiddenException" {
		return 403
	}
	return 400
}

func newError(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func invalidParameter(format string, args ...any) *Error {
	return newError("InvalidParameterException", format, args...)
}

func notAuthorized(format string, args ...any) *Error {
	return newError("NotAuthorizedException", format, args...)
}

func poolNotFound(id string) *Error {
	return newError("ResourceNotFoundException", "User pool %s does not exist.", id)
}

func clientNotFound(id string) *Error {
	return newError("ResourceNotFoundException", "User pool client %s does not exist.", id)
}

func userNotFound() *Error {
	return newError("UserNotFoundException", "User does not exist.")
}

func groupNotFound() *Error {
	return newError("ResourceNotFoundException", "Group not found.")
}
