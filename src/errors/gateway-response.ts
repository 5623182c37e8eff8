/**
 * The one place that turns a `GatewayError` into a wire response: AWS default statuses and
 * `{"message": …}` bodies, `x-amzn-ErrorType`, customization per API (AWS gateway responses:
 * status, headers, body template). Never puts `detail.reason`, stack traces or upstream hosts on
 * the wire.
 */
import type { GatewayResponseConfig, ProtocolType } from '../config/types'
import type { GatewayErrorType } from './gateway-error'

interface ResponseDefault {
  status: number
  message: string
  errorType: string
}

const FORBIDDEN = 'ForbiddenException'
const BAD_REQUEST = 'BadRequestException'
const INTERNAL = 'InternalServerErrorException'

/** AWS REST API defaults ("Gateway response types for API Gateway"). */
const DEFAULTS: Record<GatewayErrorType, ResponseDefault> = {
  ACCESS_DENIED: { status: 403, message: 'Forbidden', errorType: 'AccessDeniedException' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: INTERNAL },
  AUTHORIZER_CONFIGURATION_ERROR: {
    status: 500,
    message: 'Internal server error',
    errorType: 'AuthorizerConfigurationException',
  },
  AUTHORIZER_FAILURE: { status: 500, message: 'Internal server error', errorType: INTERNAL },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Bad Request', errorType: BAD_REQUEST },
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: BAD_REQUEST },
  DEFAULT_4XX: { status: 400, message: 'Bad Request', errorType: BAD_REQUEST },
  DEFAULT_5XX: { status: 500, message: 'Internal server error', errorType: INTERNAL },
  EXPIRED_TOKEN: {
    status: 403,
    message: 'The security token included in the request is expired',
    errorType: 'ExpiredTokenException',
  },
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', errorType: INTERNAL },
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: INTERNAL },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: FORBIDDEN },
  INVALID_SIGNATURE: { status: 403, message: 'Forbidden', errorType: 'InvalidSignatureException' },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    errorType: 'MissingAuthenticationTokenException',
  },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  REQUEST_TOO_LARGE: {
    status: 413,
    message: 'Request Too Long',
    errorType: 'RequestTooLargeException',
  },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'NotFoundException' },
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Unsupported Media Type',
    errorType: 'UnsupportedMediaTypeException',
  },
  WAF_FILTERED: { status: 403, message: 'Forbidden', errorType: FORBIDDEN },
  MALFORMED_INTEGRATION_RESPONSE: {
    status: 502,
    message: 'Internal server error',
    errorType: INTERNAL,
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'Service Unavailable',
    errorType: 'ServiceUnavailableException',
  },
}

/** HTTP APIs answer with their own wording (`Internal Server Error`, `Not Found`, …). */
const HTTP_API_MESSAGES: Partial<Record<GatewayErrorType, string>> = {
  API_CONFIGURATION_ERROR: 'Internal Server Error',
  AUTHORIZER_CONFIGURATION_ERROR: 'Internal Server Error',
  AUTHORIZER_FAILURE: 'Internal Server Error',
  DEFAULT_5XX: 'Internal Server Error',
  INTEGRATION_FAILURE: 'Internal Server Error',
  INTEGRATION_TIMEOUT: 'Service Unavailable',
  MALFORMED_INTEGRATION_RESPONSE: 'Internal Server Error',
  MISSING_AUTHENTICATION_TOKEN: 'Not Found',
}

export interface GatewayResponseOptions {
  protocol: ProtocolType
  requestId: string
  /** The API's customized gateway responses, if any. */
  customized?: Partial<Record<GatewayErrorType, GatewayResponseConfig>> | undefined
  /** Headers that every response of the request carries (CORS, rate-limit headers). */
  extraHeaders?: Headers
  /** `$context.*` values available to custom templates. */
  context?: Readonly<Record<string, string>>
}

export interface ErrorDescription {
  status?: number | undefined
  message?: string | undefined
  headers?: Record<string, string> | undefined
}

/** Status, message and AWS error type a gateway error would get, before customization. */
export function defaultGatewayResponse(
  type: GatewayErrorType,
  protocol: ProtocolType
): ResponseDefault {
  const base = DEFAULTS[type]
  const httpMessage = protocol === 'HTTP' ? HTTP_API_MESSAGES[type] : undefined
  return httpMessage === undefined ? base : { ...base, message: httpMessage }
}

function customizationFor(
  type: GatewayErrorType,
  status: number,
  customized: GatewayResponseOptions['customized']
): GatewayResponseConfig | undefined {
  if (customized === undefined) return undefined
  // AWS: a specific type's customization wins, else DEFAULT_4XX / DEFAULT_5XX by status class.
  return customized[type] ?? (status >= 500 ? customized.DEFAULT_5XX : customized.DEFAULT_4XX)
}

/** `$context.error.message` etc. in a custom body template; unknown variables become empty. */
function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\$context\.([A-Za-z0-9_.]+)/g, (_m, name: string) => vars[name] ?? '')
}

export function renderGatewayResponse(
  type: GatewayErrorType,
  described: ErrorDescription,
  options: GatewayResponseOptions
): Response {
  const base = defaultGatewayResponse(type, options.protocol)
  const defaultStatus = described.status ?? base.status
  const message = described.message ?? base.message
  const custom = customizationFor(type, defaultStatus, options.customized)
  const status = custom?.statusCode ?? defaultStatus

  const headers = new Headers(options.extraHeaders)
  headers.set('content-type', 'application/json')
  if (options.protocol === 'HTTP') headers.set('apigw-requestid', options.requestId)
  else {
    headers.set('x-amzn-RequestId', options.requestId)
    headers.set('x-amzn-ErrorType', base.errorType)
  }
  for (const [name, value] of Object.entries(described.headers ?? {})) headers.set(name, value)
  for (const [name, value] of Object.entries(custom?.responseParameters ?? {})) {
    headers.set(name, value)
  }

  let body = JSON.stringify({ message })
  const template = custom?.responseTemplates?.['application/json']
  if (template !== undefined) {
    body = renderTemplate(template, {
      ...options.context,
      requestId: options.requestId,
      'error.message': message,
      'error.messageString': JSON.stringify(message),
      'error.responseType': type,
    })
  }
  return new Response(body, { status, headers })
}
