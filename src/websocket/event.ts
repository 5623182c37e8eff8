/**
 * AWS's WebSocket event (what a Lambda proxy integration receives), sent as JSON to WORKER and
 * HTTP backends alike: `requestContext` with routeKey, eventType, connectionId, connectedAt,
 * messageId…; `headers`/`multiValueHeaders` and the query string on CONNECT; `body` on MESSAGE.
 */
import type { GatewayBindings } from '../env'
import { formatRequestTime } from '../integrations/context-variables'

export type WebSocketEventType = 'CONNECT' | 'MESSAGE' | 'DISCONNECT'

/** One integration call: who, which route, and what happened. */
export interface WebSocketCall {
  readonly env: GatewayBindings
  readonly apiId: string
  readonly stage: string
  readonly domainName: string
  readonly routeKey: string
  readonly eventType: WebSocketEventType
  readonly connectionId: string
  readonly connectedAt: number
  readonly requestId: string
  /** epoch ms */
  readonly requestTime: number
  readonly sourceIp: string
  readonly userAgent: string
  readonly principalId?: string
  readonly apiKeyId?: string
  readonly authorizer?: Readonly<Record<string, unknown>>
  /** CONNECT only. */
  readonly headers?: Headers
  readonly query?: URLSearchParams
  /** MESSAGE only. */
  readonly messageId?: string
  readonly body?: string
  readonly isBase64Encoded?: boolean
  /** DISCONNECT only. */
  readonly disconnectStatusCode?: number
  readonly disconnectReason?: string
}

export interface WebSocketEvent {
  requestContext: Record<string, unknown>
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  queryStringParameters?: Record<string, string>
  multiValueQueryStringParameters?: Record<string, string[]>
  body?: string
  isBase64Encoded: boolean
}

/** AWS `requestContext.authorizer`: the principal and the authorizer's context, flattened. */
export function authorizerOf(call: WebSocketCall): Record<string, unknown> | undefined {
  if (call.principalId === undefined && call.authorizer === undefined) return undefined
  return {
    ...(call.principalId === undefined ? {} : { principalId: call.principalId }),
    ...call.authorizer,
  }
}

function headerMaps(headers: Headers) {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  headers.forEach((value, name) => {
    single[name] = value
    multi[name] = value.split(',').map((v) => v.trim())
  })
  return { single, multi }
}

function queryMaps(query: URLSearchParams) {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [name, value] of query) {
    single[name] = value
    ;(multi[name] ??= []).push(value)
  }
  return { single, multi }
}

export function buildWebSocketEvent(call: WebSocketCall): WebSocketEvent {
  const authorizer = authorizerOf(call)
  const requestContext: Record<string, unknown> = {
    routeKey: call.routeKey,
    messageId: call.messageId ?? null,
    eventType: call.eventType,
    extendedRequestId: call.requestId,
    requestTime: formatRequestTime(call.requestTime),
    messageDirection: 'IN',
    ...(call.eventType === 'DISCONNECT'
      ? {
          disconnectStatusCode: call.disconnectStatusCode ?? null,
          disconnectReason: call.disconnectReason ?? '',
        }
      : {}),
    stage: call.stage,
    connectedAt: call.connectedAt,
    requestTimeEpoch: call.requestTime,
    identity: {
      sourceIp: call.sourceIp,
      userAgent: call.userAgent,
      ...(call.apiKeyId === undefined ? {} : { apiKeyId: call.apiKeyId }),
    },
    requestId: call.requestId,
    domainName: call.domainName,
    connectionId: call.connectionId,
    apiId: call.apiId,
    ...(authorizer === undefined ? {} : { authorizer }),
  }
  const event: WebSocketEvent = { requestContext, isBase64Encoded: call.isBase64Encoded ?? false }
  if (call.headers !== undefined) {
    const { single, multi } = headerMaps(call.headers)
    event.headers = single
    event.multiValueHeaders = multi
  }
  if (call.query !== undefined && call.query.size > 0) {
    const { single, multi } = queryMaps(call.query)
    event.queryStringParameters = single
    event.multiValueQueryStringParameters = multi
  }
  if (call.body !== undefined) event.body = call.body
  return event
}
