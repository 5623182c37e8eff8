/**
 * Every failure the gateway itself answers is a `GatewayError` with an AWS gateway response type.
 * Policies and integrations throw it; `errors/gateway-response.ts` is the only module that turns
 * it into a wire response. `detail.reason` is for logs only and never reaches the client.
 */

/** AWS gateway response types, plus `MALFORMED_INTEGRATION_RESPONSE` (AWS answers 502 there). */
export const GATEWAY_RESPONSE_TYPES = [
  'ACCESS_DENIED',
  'API_CONFIGURATION_ERROR',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'AUTHORIZER_FAILURE',
  'BAD_REQUEST_PARAMETERS',
  'BAD_REQUEST_BODY',
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'EXPIRED_TOKEN',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'MISSING_AUTHENTICATION_TOKEN',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'RESOURCE_NOT_FOUND',
  'THROTTLED',
  'UNAUTHORIZED',
  'UNSUPPORTED_MEDIA_TYPE',
  'WAF_FILTERED',
  'MALFORMED_INTEGRATION_RESPONSE',
  'SERVICE_UNAVAILABLE',
] as const

export type GatewayErrorType = (typeof GATEWAY_RESPONSE_TYPES)[number]

export interface GatewayErrorDetail {
  /** Why, for the log line. Never sent to the client. */
  reason?: string
  /** Extra response headers the error must carry (e.g. `Retry-After`). */
  headers?: Record<string, string>
  /** Overrides the default status (e.g. 400 for a malformed path on an API that would 403). */
  status?: number
  /** Overrides the default message (e.g. AWS's "Invalid request body"). */
  message?: string
  cause?: unknown
}

export class GatewayError extends Error {
  readonly type: GatewayErrorType
  readonly detail: GatewayErrorDetail

  constructor(type: GatewayErrorType, detail: GatewayErrorDetail = {}) {
    super(detail.reason ?? type)
    this.name = 'GatewayError'
    this.type = type
    this.detail = detail
  }
}

export function isGatewayResponseType(value: string): value is GatewayErrorType {
  return (GATEWAY_RESPONSE_TYPES as readonly string[]).includes(value)
}
