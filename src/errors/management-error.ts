/**
 * Failures of the WebSocket `@connections` management API (Portico extensions included). It is an
 * AWS service API (`apigatewaymanagementapi`, restJson1), not a gateway response: bodies are
 * `{"message": …}` with `x-amzn-ErrorType`, which the AWS SDK reads to pick the error class
 * (GoneException, ForbiddenException, PayloadTooLargeException, LimitExceededException), and they
 * are not customizable per API. This module is the only place that puts them on the wire.
 */

export const MANAGEMENT_ERRORS = {
  BadRequestException: { status: 400, message: 'Bad Request' },
  ForbiddenException: { status: 403, message: 'Forbidden' },
  NotFoundException: { status: 404, message: 'Not Found' },
  GoneException: { status: 410, message: 'Gone' },
  PayloadTooLargeException: { status: 413, message: 'Payload Too Large' },
  LimitExceededException: { status: 429, message: 'Limit Exceeded' },
  InternalServerErrorException: { status: 500, message: 'Internal server error' },
  ServiceUnavailableException: { status: 503, message: 'Service Unavailable' },
} as const

export type ManagementErrorType = keyof typeof MANAGEMENT_ERRORS

/** A management API failure; `message` (default: AWS's wording) goes on the wire as is. */
export class ManagementError extends Error {
  readonly type: ManagementErrorType
  /** Why, for the log line. Never sent to the client. */
  readonly reason: string | undefined

  constructor(type: ManagementErrorType, options: { message?: string; reason?: string } = {}) {
    super(options.message ?? MANAGEMENT_ERRORS[type].message)
    this.name = 'ManagementError'
    this.type = type
    this.reason = options.reason
  }
}

export function renderManagementError(error: ManagementError, requestId: string): Response {
  return new Response(JSON.stringify({ message: error.message }), {
    status: MANAGEMENT_ERRORS[error.type].status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-ErrorType': error.type,
      'x-amzn-RequestId': requestId,
    },
  })
}
