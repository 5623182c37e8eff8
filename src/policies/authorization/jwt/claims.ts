/**
 * The registered-claim checks of an HTTP API JWT authorizer (AWS: "iss", "aud" or "client_id",
 * "exp", "nbf", "iat"), on a payload whose signature is already verified. Times are compared in
 * whole seconds with the authorizer's leeway (0–60 s) on either side.
 */
import { err, ok, type Result } from '../../../result'

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

export interface ClaimRules {
  readonly issuer: string
  readonly audience: ReadonlySet<string>
  readonly leewaySeconds: number
}

export type Claims = Readonly<Record<string, unknown>>

function isClaims(value: unknown): value is Claims {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses the verified payload as a JWT claims set (a JSON object). */
export function parseClaims(payload: Uint8Array): Result<Claims, string> {
  let value: unknown
  try {
    value = JSON.parse(UTF8.decode(payload))
  } catch {
    return err('the payload is not JSON')
  }
  return isClaims(value) ? ok(value) : err('the payload is not a JSON object')
}

function audienceMatches(claims: Claims, audience: ReadonlySet<string>): boolean {
  const aud = claims.aud
  if (typeof aud === 'string') return audience.has(aud)
  if (Array.isArray(aud)) return aud.some((a) => typeof a === 'string' && audience.has(a))
  // AWS: without "aud", "client_id" must match (e.g. Cognito access tokens).
  if (aud === undefined && typeof claims.client_id === 'string') {
    return audience.has(claims.client_id)
  }
  return false
}

function numericDate(claims: Claims, name: string): number | undefined | null {
  const value = claims[name]
  if (value === undefined) return undefined
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** Checks iss, aud/client_id, exp (required), nbf and iat at `nowSeconds`. */
export function checkClaims(
  claims: Claims,
  rules: ClaimRules,
  nowSeconds: number
): Result<Claims, string> {
  if (claims.iss !== rules.issuer) return err('issuer mismatch')
  if (!audienceMatches(claims, rules.audience)) return err('audience mismatch')
  const exp = numericDate(claims, 'exp')
  const nbf = numericDate(claims, 'nbf')
  const iat = numericDate(claims, 'iat')
  if (exp === undefined || exp === null) return err('"exp" missing or not a number')
  if (nbf === null || iat === null) return err('"nbf" or "iat" is not a number')
  const leeway = rules.leewaySeconds
  // RFC 7519 §4.1.4: the token must not be accepted on or after "exp".
  if (nowSeconds >= exp + leeway) return err('token expired')
  if (nbf !== undefined && nowSeconds < nbf - leeway) return err('token not yet valid')
  if (iat !== undefined && iat > nowSeconds + leeway) return err('token issued in the future')
  return ok(claims)
}
