/**
 * Admin plane authentication (DESIGN §3): `Authorization: Bearer <ADMIN_TOKEN>` or AWS SigV4
 * with the admin access key pair. Without any credential configured the admin plane answers 503
 * and does nothing else. The body is read here, once, under the size cap, for every request.
 */
import type { MiddlewareHandler } from 'hono'
import type { GatewayBindings, GatewayEnv } from '../env'
import { adminBody, adminRequest, checkDeclaredLength } from './context'
import { AdminError } from './errors'
import { verifySigV4 } from './sigv4'

/** The principal recorded in the audit log for bearer-token requests. */
export const BEARER_PRINCIPAL = 'bearer'

interface AdminCredentials {
  token: string | undefined
  keys: { accessKeyId: string; secretAccessKey: string } | undefined
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Which admin credentials are configured (a half-configured key pair counts as none). */
export function adminCredentials(env: GatewayBindings): AdminCredentials {
  const accessKeyId = nonEmpty(env.ADMIN_ACCESS_KEY_ID)
  const secretAccessKey = nonEmpty(env.ADMIN_SECRET_ACCESS_KEY)
  return {
    token: nonEmpty(env.ADMIN_TOKEN),
    keys:
      accessKeyId !== undefined && secretAccessKey !== undefined
        ? { accessKeyId, secretAccessKey }
        : undefined,
  }
}

const encoder = new TextEncoder()

/** Constant time over equal-length SHA-256 digests: neither length nor prefix leaks. */
async function tokensEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ])
  return crypto.subtle.timingSafeEqual(a, b)
}

function missingToken(): AdminError {
  return new AdminError('MissingAuthenticationTokenException', 'Missing Authentication Token')
}

async function authenticate(
  authorization: string,
  creds: AdminCredentials,
  request: () => Promise<Parameters<typeof verifySigV4>[0]>
): Promise<string> {
  const bearer = /^Bearer +(.*)$/i.exec(authorization)
  if (bearer !== null) {
    const given = (bearer[1] ?? '').trim()
    if (creds.token === undefined || given === '') throw missingToken()
    if (!(await tokensEqual(given, creds.token))) {
      throw new AdminError('UnauthorizedException', 'Unauthorized')
    }
    return BEARER_PRINCIPAL
  }
  if (authorization.startsWith('AWS4-HMAC-SHA256')) {
    if (creds.keys === undefined) {
      throw new AdminError(
        'UnrecognizedClientException',
        'The security token included in the request is invalid.'
      )
    }
    return verifySigV4(await request(), creds.keys, Date.now())
  }
  throw missingToken()
}

/** Middleware: 503 when unconfigured, 413 past the body cap, 401/403 AWS-style on bad auth. */
export const adminAuth: MiddlewareHandler<GatewayEnv> = async (c, next) => {
  const creds = adminCredentials(c.env)
  if (creds.token === undefined && creds.keys === undefined) {
    return c.json({ message: 'Admin API is not configured' }, 503, {
      'x-amzn-ErrorType': 'ServiceUnavailableException',
    })
  }
  checkDeclaredLength(c)
  const info = adminRequest(c)
  info.principal = await authenticate(c.req.header('authorization') ?? '', creds, async () => ({
    method: c.req.method,
    url: new URL(c.req.url),
    headers: c.req.raw.headers,
    body: await adminBody(c),
  }))
  // Read (and cap) the body for every authenticated request, so handlers never see more.
  await adminBody(c)
  await next()
}
