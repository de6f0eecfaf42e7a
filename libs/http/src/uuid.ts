const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a string is a UUID (any version), as the database's `uuid` type reads it: a service
 * looking a row up by an id it was handed checks it first, so a malformed id is "not found" rather
 * than a database error. One definition for every context.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
