/**
 * From the identity source's value to a compact JWS, refusing early and cheaply what can never
 * verify: oversized values (before any parsing), JWE (five segments: never decrypted), JSON
 * serialisations and anything that is not three base64url segments.
 */
import { err, ok, type Result } from '../../../result'

/** Longest identity value considered (bytes ≈ characters: header values are Latin-1). */
export const MAX_TOKEN_LENGTH = 8 * 1024

const BEARER_PREFIX = /^bearer[ \t]+/i
const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/

/** The compact JWS in `value` (an optional `Bearer ` prefix stripped), or why there is none. */
export function extractToken(value: string | undefined): Result<string, string> {
  if (value === undefined) return err('no token in the identity source')
  if (value.length > MAX_TOKEN_LENGTH) {
    return err(`token longer than ${String(MAX_TOKEN_LENGTH)} characters`)
  }
  const token = value.replace(BEARER_PREFIX, '').trim()
  const segments = token.split('.')
  if (segments.length === 5) return err('JWE tokens are not accepted')
  if (segments.length !== 3) return err('not a compact JWS (three segments)')
  if (!segments.every((segment) => BASE64URL_SEGMENT.test(segment))) {
    return err('a token segment is not base64url')
  }
  return ok(token)
}

/**
 * Browsers cannot set headers on a WebSocket handshake, only subprotocols:
 * `new WebSocket(url, ['bearer', token])` sends `Sec-WebSocket-Protocol: bearer, <token>`. The
 * token is the one offered subprotocol shaped like a compact JWS (three dot-separated segments).
 */
export function tokenFromSubprotocols(value: string | undefined): string | undefined {
  if (value === undefined || value.length > MAX_TOKEN_LENGTH) return value
  const offered = value.split(',').map((p) => p.trim())
  return offered.find((p) => p.split('.').length === 3) ?? value
}
