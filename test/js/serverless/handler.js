// Trigger functions as an app would write them, run by serverless-offline.

// migrate is a UserMigration function: a user of the legacy store "legacy-…" is migrated
// with a verified email; "blocked" is refused with an error, as a legacy store would.
export async function migrate(event) {
  if (event.userName === "blocked") {
    throw new Error("legacy account is blocked");
  }
  if (event.userName.startsWith("legacy-")) {
    event.response.userAttributes = {
      email: `${event.userName}@example.com`,
      email_verified: "true",
      given_name: event.request.clientMetadata?.given_name ?? "Legacy",
    };
    event.response.messageAction = "SUPPRESS";
  }
  return event;
}

// message is a CustomMessage function: it rewords the recovery email with the brand its
// ClientMetadata names, and echoes the event's source so the test sees what it was given.
export async function message(event) {
  if (event.triggerSource === "CustomMessage_ForgotPassword") {
    const brand = event.request.clientMetadata?.brand ?? "Example";
    event.response.emailSubject = `${brand}: reset your password`;
    event.response.emailMessage = `Hello ${event.userName}, your ${brand} code is ${event.request.codeParameter}. (${event.triggerSource})`;
  }
  return event;
}
