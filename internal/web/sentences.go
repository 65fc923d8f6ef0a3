package web

import (
	"errors"
	"strings"

	"cognate/internal/userpool"
)

// sentence turns a refusal of the service into a sentence a person understands. The
// sentences say what happened and what to do; the AWS exception stays in the server's log
// and the API. Anything unforeseen falls back to AWS's own message.
func sentence(err error) string {
	var e *userpool.Error
	if !errors.As(err, &e) {
		return "Something went wrong on our side. Try again in a moment."
	}
	m := e.Message
	switch e.Code {
	case "CodeMismatchException":
		return "That code is not right. Check the code we sent you and type it again."
	case "ExpiredCodeException":
		return "That code has expired or has been used already. Ask for a new code and use the newest one."
	case "InvalidPasswordException":
		return passwordSentence(m)
	case "PasswordHistoryPolicyViolationException":
		return "You have used this password before. Choose a password you have not used."
	case "LimitExceededException", "TooManyFailedAttemptsException":
		return "There have been too many attempts. Wait a while (up to an hour) and try again."
	case "TooManyRequestsException":
		return "There are too many requests right now. Wait a moment and try again."
	case "UserNotFoundException":
		return "We can't find an account with that username."
	case "UserNotConfirmedException":
		return "Your account is not confirmed yet. Enter the code we sent you to confirm it."
	case "PasswordResetRequiredException":
		return "You need to choose a new password before you can sign in. Use \"Forgot your password?\" to get a code."
	case "UsernameExistsException":
		return "An account with this username already exists. Sign in instead, or choose another username."
	case "AliasExistsException":
		return "Another account already uses this email address or phone number."
	case "CodeDeliveryFailureException":
		return "We could not send the code. Try again in a little while."
	case "UserLambdaValidationException":
		return "Your request was refused: " + m
	case "NotAuthorizedException":
		switch {
		case m == "Incorrect username or password.":
			return "The username or password is not right."
		case m == "User is disabled.":
			return "This account is disabled. Contact the app's administrator."
		case m == "Password attempts exceeded":
			return "There have been too many wrong passwords. Wait a few minutes and try again."
		case strings.HasPrefix(m, "User password cannot be reset"):
			return "The password of this account cannot be reset yet: sign in with the temporary password you were sent."
		case m == "Contact administrator to reset password.":
			return "Only the app's administrator can reset the password of this account."
		case strings.HasPrefix(m, "Temporary password has expired"):
			return "Your temporary password has expired. Ask the app's administrator for a new one."
		case strings.HasPrefix(m, "User cannot be confirmed"):
			return "This account is confirmed already. You can sign in."
		case strings.HasPrefix(m, "Invalid session"):
			return "This sign-in took too long and has expired. Start again."
		case m == "SignUp is not permitted for this user pool":
			return "You can't sign yourself up for this app. Ask its administrator for an account."
		}
	case "InvalidParameterException":
		switch {
		case strings.HasPrefix(m, "Cannot reset password for the user as there is no registered/verified"):
			return "This account has no verified email address or phone number to send a code to. Contact the app's administrator."
		case strings.HasPrefix(m, "Missing required parameter USERNAME"), strings.HasPrefix(m, "1 validation error detected: Value at 'username'"):
			return "Enter your username."
		case strings.HasPrefix(m, "Missing required parameter PASSWORD"):
			return "Enter your password."
		case strings.HasPrefix(m, "redirect_mismatch"):
			return "This sign-in link is not set up for this app: the address to return to is not one the app has registered."
		}
	case "ResourceNotFoundException":
		return "This app is not set up for these pages: " + m
	}
	return m
}

// passwordSentence says what a refused password lacks.
func passwordSentence(m string) string {
	switch {
	case strings.HasSuffix(m, "Password not long enough"):
		return "Your password is too short. Make it longer, as the list below says."
	case strings.HasSuffix(m, "Password must have uppercase characters"):
		return "Your password needs at least one capital letter (A–Z)."
	case strings.HasSuffix(m, "Password must have lowercase characters"):
		return "Your password needs at least one small letter (a–z)."
	case strings.HasSuffix(m, "Password must have numeric characters"):
		return "Your password needs at least one number (0–9)."
	case strings.HasSuffix(m, "Password must have symbol characters"):
		return "Your password needs at least one symbol, such as ! or #."
	}
	return "Your password does not meet the requirements below."
}
