/**
 * The demo's business logic, written exactly as for AWS Lambda behind API Gateway:
 * `handler(event, context)` takes a Lambda proxy event and returns a proxy result. Nothing here
 * knows about Workers; `index.ts` is the only adapter.
 */
import { isV2, type LambdaContext, type ProxyEvent, type ProxyResult } from './lambda-types'

interface RequestView {
  method: string
  path: string
  routeKey: string
  stage: string
  requestId: string
  query: Record<string, string>
  body: string | null
  payloadFormatVersion: '1.0' | '2.0'
}

/** Reads what the handler needs from either payload format. */
function view(event: ProxyEvent): RequestView {
  if (isV2(event)) {
    return {
      method: event.requestContext.http.method,
      path: event.rawPath,
      routeKey: event.routeKey,
      stage: event.requestContext.stage,
      requestId: event.requestContext.requestId,
      query: event.queryStringParameters ?? {},
      body: decodeBody(event.body ?? null, event.isBase64Encoded),
      payloadFormatVersion: '2.0',
    }
  }
  return {
    method: event.httpMethod,
    path: event.path,
    // AWS: payload 1.0 carries no routeKey; the resource template plays that part.
    routeKey: `${event.httpMethod} ${event.resource}`,
    stage: event.requestContext.stage,
    requestId: event.requestContext.requestId,
    query: event.queryStringParameters ?? {},
    body: decodeBody(event.body, event.isBase64Encoded),
    payloadFormatVersion: '1.0',
  }
}

function decodeBody(body: string | null, isBase64Encoded: boolean): string | null {
  if (body === null || !isBase64Encoded) return body
  return new TextDecoder().decode(Uint8Array.from(atob(body), (c) => c.charCodeAt(0)))
}

function json(statusCode: number, value: unknown): ProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'x-demo-backend': 'lambda-style' },
    body: JSON.stringify(value),
    isBase64Encoded: false,
  }
}

/** The Lambda handler: `GET …/hello?name=Ada` greets; `POST …/echo` echoes; else 404. */
export function handler(event: ProxyEvent, context: LambdaContext): Promise<ProxyResult> {
  const req = view(event)
  const meta = {
    routeKey: req.routeKey,
    stage: req.stage,
    requestId: req.requestId,
    payloadFormatVersion: req.payloadFormatVersion,
    functionName: context.functionName,
  }
  if (req.method === 'GET' && req.path.endsWith('/hello')) {
    const name = req.query.name ?? 'world'
    return Promise.resolve(json(200, { message: `Hello, ${name}!`, ...meta }))
  }
  if (req.method === 'POST' && req.path.endsWith('/echo')) {
    return Promise.resolve(json(200, { echo: req.body, ...meta }))
  }
  return Promise.resolve(json(404, { message: `No demo handler for ${req.method} ${req.path}` }))
}
