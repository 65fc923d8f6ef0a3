// An app's storage in memory, for amazon-cognito-identity-js, which keeps a user's tokens and
// a device's keys and secret in it (devices.test.mjs, devices-mfa.test.mjs).

/** memoryStorage returns a fresh Storage-like object kept in a Map. */
export function memoryStorage() {
  const items = new Map();
  return {
    setItem: (k, v) => items.set(k, String(v)),
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    removeItem: (k) => items.delete(k),
    clear: () => items.clear(),
  };
}
