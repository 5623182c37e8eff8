/** Last step of every routed request: identity headers, HEAD bodies, the access log line. */
import type { GatewayError } from '../errors/gateway-error'
import { accessLogVariables, formatAccessLog } from '../observability/access-log'
import { mergeVary } from '../policies/cors/vary'
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

/**
 * Sets the request-id header, re-wrapping the response only when its headers are immutable (a
 * fetched Response); responses the gateway built are changed in place, which keeps a streamed
 * body on the platform's fast path.
 */
function withRequestId(response: Response, name: string, id: string): Response {
  try {
    response.headers.set(name, id)
    return response
  } catch {
    const copy = new Response(response.body, response)
    copy.headers.set(name, id)
    return copy
  }
}

export function finalizeResponse(ctx: RequestContext, upstream: Response): Response {
  const isHead = ctx.request.method === 'HEAD' && upstream.body !== null
  const idHeader = ctx.protocol === 'HTTP' ? 'apigw-requestid' : 'x-amzn-RequestId'
  const response = withRequestId(
    isHead ? new Response(null, upstream) : upstream,
    idHeader,
    ctx.requestId
  )
  ctx.responseHeaders.forEach((value, name) => {
    // `Vary` is a list: the gateway's fields (CORS `Origin`) join the integration's.
    if (name === 'vary') mergeVary(response.headers, value)
    else response.headers.set(name, value)
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
