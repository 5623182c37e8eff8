/**
 * Identifiers for APIs and their resources, in AWS's shape: 10 characters of `[a-z0-9]` for an
 * API id (it is the first label of `{apiId}.{EXECUTE_API_DOMAIN}`, so it must be a valid,
 * case-insensitive DNS label), shorter ids of the same alphabet for routes, integrations,
 * deployments and API mappings.
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
/** Largest multiple of the alphabet size that fits in a byte: bytes at or above it are redrawn. */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length)

const API_ID = /^[a-z0-9]{10}$/

/** `length` characters from ALPHABET, uniformly: rejection sampling, so no modulo bias. */
function randomString(length: number): string {
  let out = ''
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2))
    for (const byte of bytes) {
      if (byte >= UNBIASED_LIMIT) continue
      out += ALPHABET.charAt(byte % ALPHABET.length)
      if (out.length === length) break
    }
  }
  return out
}

/** A new API id: 10 characters `[a-z0-9]` (AWS restApiId / apiId shape). */
export function newApiId(): string {
  return randomString(10)
}

/**
 * A new id for a route, integration, deployment or API mapping: `length` (6–10, default 8)
 * characters `[a-z0-9]`. Throws a RangeError for another length (a programming error).
 */
export function newResourceId(length = 8): string {
  if (!Number.isInteger(length) || length < 6 || length > 10) {
    throw new RangeError('resource id length must be an integer from 6 to 10')
  }
  return randomString(length)
}

/** Whether `value` is a well-formed API id. */
export function isApiId(value: unknown): value is string {
  return typeof value === 'string' && API_ID.test(value)
}
