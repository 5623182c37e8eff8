/**
 * SigV4 for the `@connections` API: signed with the admin access key pair (ADMIN_ACCESS_KEY_ID /
 * ADMIN_SECRET_ACCESS_KEY) for the signing name `execute-api` — what
 * `@aws-sdk/client-apigatewaymanagementapi` signs with — in any region. Fails closed: without a
 * configured key pair every call is refused. Every failure is the same 403 ForbiddenException
 * "Forbidden" on the wire; which check failed goes to the log only.
 */
import { adminCredentials } from '../../admin/auth'
import { AdminError } from '../../admin/errors'
import { verifySigV4 } from '../../admin/sigv4'
import type { GatewayBindings } from '../../env'
import { ManagementError } from '../../errors/management-error'

/** AWS: the management API is part of `execute-api` (IAM action `execute-api:ManageConnections`). */
export const MANAGEMENT_SIGNING_SERVICE = 'execute-api'

/** Verifies the caller; returns the access key id or throws a 403 `ManagementError`. */
export async function authenticateManagement(
  request: Request,
  url: URL,
  body: Uint8Array,
  env: GatewayBindings,
  now: number
): Promise<string> {
  const keys = adminCredentials(env).keys
  if (keys === undefined) {
    throw new ManagementError('ForbiddenException', { reason: 'no SigV4 key pair configured' })
  }
  const authorization = request.headers.get('authorization') ?? ''
  if (!authorization.startsWith('AWS4-HMAC-SHA256')) {
    throw new ManagementError('ForbiddenException', { reason: 'not SigV4-signed' })
  }
  try {
    return await verifySigV4(
      { method: request.method, url, headers: request.headers, body },
      keys,
      now,
      MANAGEMENT_SIGNING_SERVICE
    )
  } catch (e) {
    if (e instanceof AdminError) {
      throw new ManagementError('ForbiddenException', { reason: `${e.type}: ${e.message}` })
    }
    throw e
  }
}
