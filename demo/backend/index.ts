/**
 * Workers adapter for an AWS-style Lambda handler. Portico's WORKER integration POSTs the Lambda
 * proxy event (payload 1.0 or 2.0) as JSON to this Worker through a service binding and reads the
 * proxy result from the JSON answer, so `handler.ts` runs unchanged from Lambda.
 */
import { chatHandler, isWebSocketEvent, type ChatEnv } from './chat'
import { handler } from './handler'
import type { LambdaContext, ProxyEvent } from './lambda-types'

/** How long the gateway waits for an integration by default (AWS: 29 s). */
const TIMEOUT_MS = 29_000

function isProxyEvent(value: unknown): value is ProxyEvent {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  const hasContext = typeof v.requestContext === 'object' && v.requestContext !== null
  return (
    hasContext && (v.version === '2.0' ? typeof v.rawPath === 'string' : typeof v.path === 'string')
  )
}

function lambdaContext(event: ProxyEvent): LambdaContext {
  const deadline = Date.now() + TIMEOUT_MS
  return {
    functionName: 'demo-backend',
    awsRequestId: event.requestContext.requestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  }
}

export default {
  async fetch(request: Request, env: ChatEnv): Promise<Response> {
    if (request.method !== 'POST') {
      return Response.json({ message: 'POST a Lambda proxy event' }, { status: 405 })
    }
    let event: unknown
    try {
      event = await request.json()
    } catch {
      return Response.json({ message: 'body is not JSON' }, { status: 400 })
    }
    // WebSocket routes of the demo chat (eventType CONNECT / MESSAGE / DISCONNECT).
    if (isWebSocketEvent(event)) return Response.json(await chatHandler(event, env))
    if (!isProxyEvent(event)) {
      return Response.json({ message: 'body is not a Lambda proxy event' }, { status: 400 })
    }
    return Response.json(await handler(event, lambdaContext(event)))
  },
} satisfies ExportedHandler<ChatEnv>
