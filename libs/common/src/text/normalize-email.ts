/**
 * THE email normalisation: every comparison of emails (the login lockout counter, account lookup,
 * the unique index, the idempotency scope of anonymous intake, rate limits) goes through this one
 * function, and the database stores its result (`app_user.email_normalized`), so no two places
 * can disagree about which addresses are "the same".
 *
 * Unicode NFKC (compatibility forms: fullwidth `ｖ` is `v`), then JavaScript's full lower-casing
 * (locale-independent; `İ` becomes `i̇`, not `i`), then NFKC again because lower-casing can
 * leave a denormalised sequence. Surrounding whitespace is trimmed. PostgreSQL's `lower()` is
 * never used for this: it depends on the database's collation.
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}
