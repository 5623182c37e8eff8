/**
 * The demo chat behind the WebSocket API `portico-demo-chat`, written as an AWS WebSocket Lambda
 * handler. Rooms are Portico topics: `join` and `leave` answer with Portico's
 * `X-Portico-Subscribe` / `X-Portico-Unsubscribe` header, which the gateway applies to the
 * calling connection; `send` broadcasts to the room through the stage's management API
 * (`POST /{stage}/@topics/{room}`), SigV4-signed as a Lambda would sign its
 * ApiGatewayManagementApi calls. Frames: `{"action":"join","room":"lobby"}`,
 * `{"action":"send","room":"lobby","text":"hi","name":"ada"}`, `{"action":"leave","room":"lobby"}`.
 */
import { AwsClient } from 'aws4fetch'
import type { ProxyResult } from './lambda-types'

/** The fields of AWS's WebSocket event the chat reads. */
export interface WebSocketEvent {
  requestContext: {
    routeKey: string
    eventType: string
    connectionId: string
    apiId: string
    stage: string
    domainName: string
  }
  body?: string
}

/** What the chat needs from its Worker: a way back to the gateway and the signing key pair. */
export interface ChatEnv {
  GATEWAY?: Fetcher
  ADMIN_ACCESS_KEY_ID?: string
  ADMIN_SECRET_ACCESS_KEY?: string
  /** The gateway's EXECUTE_API_DOMAIN (default `execute-api.localhost`, as in wrangler.toml). */
  EXECUTE_API_DOMAIN?: string
}

/** Room names double as topic names, so they keep to a URL-safe subset of the topic syntax. */
const ROOM = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/
const MAX_TEXT = 1000
const MAX_NAME = 32

export function isWebSocketEvent(value: unknown): value is WebSocketEvent {
  if (typeof value !== 'object' || value === null || !('requestContext' in value)) return false
  const rc: unknown = value.requestContext
  return (
    typeof rc === 'object' &&
    rc !== null &&
    'connectionId' in rc &&
    typeof rc.connectionId === 'string' &&
    'eventType' in rc &&
    typeof rc.eventType === 'string'
  )
}

function reply(value: unknown, headers: Record<string, string> = {}): ProxyResult {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(value),
    isBase64Encoded: false,
  }
}

function parseFrame(body: string | undefined): unknown {
  try {
    return JSON.parse(body ?? '')
  } catch {
    return undefined
  }
}

/** An own property of a parsed JSON value, or undefined. */
function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  const own: unknown = Object.getOwnPropertyDescriptor(value, key)?.value
  return own
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined
}

/** `POST /{stage}/@topics/{room}` on the gateway, signed with the stage's management key pair. */
async function broadcast(
  env: ChatEnv,
  event: WebSocketEvent,
  room: string,
  message: unknown
): Promise<{ delivered: number; dropped: number }> {
  const { GATEWAY, ADMIN_ACCESS_KEY_ID, ADMIN_SECRET_ACCESS_KEY } = env
  if (GATEWAY === undefined || !ADMIN_ACCESS_KEY_ID || !ADMIN_SECRET_ACCESS_KEY) {
    throw new Error('the demo backend has no GATEWAY binding or management key pair')
  }
  const { apiId, stage } = event.requestContext
  // The service binding delivers the URL as is: its host picks the API, as on the public host.
  // Not `domainName`: on a custom domain the stage is a base path mapping, not the first segment.
  const domain = env.EXECUTE_API_DOMAIN ?? 'execute-api.localhost'
  const url = `http://${apiId}.${domain}/${stage}/@topics/${room}`
  const signer = new AwsClient({
    accessKeyId: ADMIN_ACCESS_KEY_ID,
    secretAccessKey: ADMIN_SECRET_ACCESS_KEY,
    service: 'execute-api',
    region: 'us-east-1',
  })
  const signed = await signer.sign(url, { method: 'POST', body: JSON.stringify(message) })
  const response = await GATEWAY.fetch(signed)
  const answer: unknown = await response.json()
  if (!response.ok) throw new Error(`broadcast answered ${String(response.status)}`)
  const delivered = field(answer, 'delivered')
  const dropped = field(answer, 'dropped')
  return {
    delivered: typeof delivered === 'number' ? delivered : 0,
    dropped: typeof dropped === 'number' ? dropped : 0,
  }
}

/** The chat's Lambda handler: one answer per route (`join`, `leave`, `send`). */
export async function chatHandler(event: WebSocketEvent, env: ChatEnv): Promise<ProxyResult> {
  const { routeKey, connectionId } = event.requestContext
  const frame = parseFrame(event.body)
  const roomField = field(frame, 'room')
  const room = typeof roomField === 'string' ? roomField : ''
  if (!ROOM.test(room)) {
    return reply({ error: 'room must be 1-32 characters of A-Z a-z 0-9 _ -, e.g. "lobby"' })
  }
  switch (routeKey) {
    case 'join':
      return reply({ joined: room, you: connectionId }, { 'x-portico-subscribe': room })
    case 'leave':
      return reply({ left: room }, { 'x-portico-unsubscribe': room })
    case 'send': {
      const said = text(field(frame, 'text'), MAX_TEXT)
      if (said === undefined) return reply({ error: 'send needs "text"' })
      const from = text(field(frame, 'name'), MAX_NAME) ?? connectionId.slice(0, 6)
      try {
        const result = await broadcast(env, event, room, { room, from, text: said, at: Date.now() })
        return reply({ sent: room, ...result })
      } catch (error) {
        // The sender learns why; the reason names no secret (a status or a missing binding).
        return reply({ error: `broadcast failed: ${error instanceof Error ? error.message : ''}` })
      }
    }
    default:
      return reply({ error: `the chat has no route ${routeKey}` })
  }
}
