/**
 * The admin plane's failures and the one function that puts them on the wire in AWS's shape:
 * body `{"message": …}` and `x-amzn-ErrorType`, which the AWS SDKs read to pick the error class
 * (AWS SDK restJson1 protocol: the error code comes from `x-amzn-ErrorType`, text before `:`).
 * Anything that is not an `AdminError` is logged and answered 500 without detail.
 */
import type { ConfigIssue } from '../config/check'

/** Every error type the admin API answers with, and its HTTP status. */
export const ADMIN_ERROR_STATUS = {
  BadRequestException: 400,
  UnauthorizedException: 401,
  // AWS: authentication failures of SigV4/credentials are 403 with these types.
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  InvalidSignatureException: 403,
  UnrecognizedClientException: 403,
  AccessDeniedException: 403,
  NotFoundException: 404,
  ConflictException: 409,
  RequestTooLargeException: 413,
  TooManyRequestsException: 429,
  LimitExceededException: 429,
  InternalServerErrorException: 500,
  ServiceUnavailableException: 503,
} as const

export type AdminErrorType = keyof typeof ADMIN_ERROR_STATUS

/** A failure the admin API reports to the caller; `message` goes on the wire as is. */
export class AdminError extends Error {
  readonly type: AdminErrorType

  constructor(type: AdminErrorType, message: string) {
    super(message)
    this.name = 'AdminError'
    this.type = type
  }

  get status(): number {
    return ADMIN_ERROR_STATUS[this.type]
  }
}

export function badRequest(message: string): never {
  throw new AdminError('BadRequestException', message)
}

export function notFound(message: string): never {
  throw new AdminError('NotFoundException', message)
}

export function conflict(message: string): never {
  throw new AdminError('ConflictException', message)
}

/** Config check issues as one 400 whose message names every JSON path and its reason. */
export function invalidConfig(what: string, issues: readonly ConfigIssue[]): AdminError {
  const list = issues.map((i) => `${i.path === '' ? '/' : i.path}: ${i.message}`).join('; ')
  return new AdminError('BadRequestException', `Invalid ${what}: ${list}`)
}

/** The wire response for an admin failure. */
export function adminErrorResponse(error: AdminError, requestId?: string): Response {
  const headers = new Headers({
    'content-type': 'application/json',
    'x-amzn-ErrorType': error.type,
  })
  if (requestId !== undefined) headers.set('x-amzn-RequestId', requestId)
  return new Response(JSON.stringify({ message: error.message }), {
    status: error.status,
    headers,
  })
}

/**
 * Maps anything thrown by an admin handler to a response. Unknown errors are logged (name and
 * message only) and become a bare 500: stack traces and internals never reach the wire.
 */
export function toAdminResponse(error: unknown, requestId?: string): Response {
  if (error instanceof AdminError) return adminErrorResponse(error, requestId)
  const name = error instanceof Error ? error.name : typeof error
  const message = error instanceof Error ? error.message : ''
  console.error(
    JSON.stringify({ level: 'error', msg: 'admin handler failed', name, message, requestId })
  )
  return adminErrorResponse(
    new AdminError('InternalServerErrorException', 'Internal server error'),
    requestId
  )
}
