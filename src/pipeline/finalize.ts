/** Last step of every routed request: identity headers, HEAD bodies, the access log line. */
import type { GatewayError } from '../errors/gateway-error'
import { accessLogVariables, formatAccessLog } from '../observability/access-log'
import type { RequestContext } from './types'

/** Errors are logged with their reason (never sent to the client). */
export function logFailure(requestId: string, error: GatewayError): void {
  const level = error.type === 'DEFAULT_5XX' || error.type.endsWith('_ERROR') ? 'error' : 'info'
  const cause = error.detail.cause
  console.log(
    JSON.stringify({
      level,
      event: 'gateway_error',
      requestId,
      type: error.type,
      reason: error.detail.reason ?? error.type,
      ...(cause instanceof Error ? { cause: cause.message } : {}),
    })
  )
}

/** Headers of a fetched Response are immutable; ones built by the gateway are not. */
function mutable(response: Response, isHead: boolean): Response {
  if (isHead && response.body !== null) return new Response(null, response)
  try {
    response.headers.set('x-portico-probe', '')
    response.headers.delete('x-portico-probe')
    return response
  } catch {
    return new Response(response.body, response)
  }
}

export function finalizeResponse(ctx: RequestContext, upstream: Response): Response {
  // Re-wrapping only when needed keeps the streamed body on the platform's fast path.
  const response = mutable(upstream, ctx.request.method === 'HEAD')
  if (ctx.protocol === 'HTTP') response.headers.set('apigw-requestid', ctx.requestId)
  else response.headers.set('x-amzn-RequestId', ctx.requestId)
  ctx.responseHeaders.forEach((value, name) => {
    response.headers.set(name, value)
  })
  const format = ctx.stage.accessLogSettings?.format
  if (format !== undefined) {
    const line = formatAccessLog(
      format,
      accessLogVariables({
        requestId: ctx.requestId,
        apiId: ctx.api.id,
        stage: ctx.stage.name,
        domainName: ctx.domainName,
        httpMethod: ctx.request.method,
        path: ctx.fullPath,
        resourcePath: ctx.resourcePath,
        routeKey: ctx.routeKey,
        protocol: 'HTTP/1.1',
        status: response.status,
        sourceIp: ctx.clientIp,
        userAgent: ctx.request.headers.get('user-agent') ?? '',
        requestTimeEpoch: ctx.startTime,
        responseLatencyMs: Date.now() - ctx.startTime,
        integrationStatus: ctx.log.integrationStatus,
        integrationLatencyMs: ctx.log.integrationLatencyMs,
        errorType: ctx.log.errorType,
      })
    )
    console.log(line)
  }
  return response
}
