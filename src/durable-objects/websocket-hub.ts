/**
 * WebSocketHub: holds the connections of one (API, stage, shard) with the WebSocket Hibernation
 * API. Everything about a connection lives in its socket's attachment (connection-state.ts) or
 * in SQLite (topic subscriptions), so the object may be evicted between messages and wake up
 * with nothing in memory but caches. Per message: size limit (1009), route selection, throttle,
 * the route's integration, the route response through the outbox. `$disconnect` runs exactly
 * once per connection however it ends (client close, error, idle/lifetime alarm, deletion).
 * Reachable only from this worker (the worker admits connections and forwards the upgrade).
 */
import { DurableObject } from 'cloudflare:workers'
import type { GatewayBindings } from '../env'
import { configLoader } from '../config/loader'
import { toBase64 } from '../integrations/body'
import { METRICS, type MetricName } from '../observability/metrics'
import type { CompiledVariant } from '../pipeline/build'
import { CONNECTION_STATE_HEADER } from '../websocket/connect-handler'
import {
  deadlineOf,
  readState,
  writeState,
  type ConnectionState,
} from '../websocket/connection-state'
import type { WebSocketCall } from '../websocket/event'
import {
  errorFrame,
  newMessageId,
  SUBSCRIBE_HEADER,
  topicList,
  UNSUBSCRIBE_HEADER,
  type ErrorFrameMessage,
} from '../websocket/frames'
import {
  Outbox,
  SLOW_CONSUMER_CLOSE_CODE,
  SLOW_CONSUMER_CLOSE_REASON,
  type Frame,
} from '../websocket/hub/outbox'
import {
  subscribeOutcome,
  TopicIndex,
  type PublishResult,
  type SubscribeOutcome,
} from '../websocket/hub/topics'
import type { ConnectionInfo, ManagementHub, PostOutcome } from '../websocket/management/hub-client'
import { admitMessage } from '../websocket/message-throttle'
import { selectRouteKey } from '../websocket/route-selection'
import { webSocketLimits } from '../websocket/settings'

/** RFC 6455 close codes the gateway uses. */
export const CLOSE_GOING_AWAY = 1001
export const CLOSE_MESSAGE_TOO_BIG = 1009
const CLOSE_NORMAL = 1000

/** Connections closed by one alarm run; the rest are left to an immediate next run. */
const MAX_CLOSES_PER_ALARM = 200
/** Connection ids remembered as disconnected (beyond the attachment flag), bounded. */
const MAX_REMEMBERED = 10_000
const RESERVED_ROUTE_KEYS = new Set(['$connect', '$disconnect'])

const encoder = new TextEncoder()

/** 1005/1006/1015 describe a close but must never be sent in a close frame (RFC 6455 §7.4.1). */
function sendableCloseCode(code: number): number {
  const sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
  return sendable || (code >= 3000 && code <= 4999) ? code : CLOSE_NORMAL
}

export class WebSocketHub extends DurableObject<GatewayBindings> implements ManagementHub {
  readonly #topics: TopicIndex
  readonly #disconnected = new Set<string>()
  #outbox: Outbox | undefined

  constructor(ctx: DurableObjectState, env: GatewayBindings) {
    super(ctx, env)
    this.#topics = new TopicIndex(ctx.storage.sql)
  }

  /** The handshake, forwarded by the worker after `$connect` admitted it. */
  override async fetch(request: Request): Promise<Response> {
    const raw = request.headers.get(CONNECTION_STATE_HEADER)
    if (raw === null || request.headers.get('upgrade') !== 'websocket') {
      return new Response('Not Found', { status: 404 })
    }
    const state = JSON.parse(decodeURIComponent(raw)) as ConnectionState
    const pair = new WebSocketPair()
    const [client, server] = [pair[0], pair[1]]
    // The connection id is the socket's tag: `getWebSockets(id)` finds it after hibernation.
    this.ctx.acceptWebSocket(server, [state.connectionId])
    writeState(server, state)
    await this.#scheduleAlarm(deadlineOf(state))
    return new Response(null, { status: 101, webSocket: client })
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const state = readState(ws)
    if (state === undefined || state.disconnected === true) return
    const variant = await this.#variant(state)
    if (variant?.webSocket === undefined) {
      this.#sendError(ws, state, 'Internal server error', crypto.randomUUID())
      return
    }
    const limits = webSocketLimits(variant.deployment.api)
    const outbox = this.#outboxFor(limits.maxQueuedMessages)
    if (outbox.receive(state.connectionId, message)) return
    const bytes =
      typeof message === 'string' ? encoder.encode(message).byteLength : message.byteLength
    if (bytes > limits.maxMessageBytes) {
      this.#count(state, 'ClientError')
      await this.#close(ws, state, CLOSE_MESSAGE_TOO_BIG, 'Message too big')
      return
    }
    // Re-read after the await above: a close may have marked the state meanwhile, and writing
    // the earlier copy back would erase its `disconnected` flag.
    const current = readState(ws)
    if (current === undefined || current.disconnected === true) return
    current.lastActiveAt = Date.now()
    writeState(ws, current)
    this.#count(current, 'MessageCount')
    await this.#route(ws, current, variant, message)
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const state = readState(ws)
    // From compatibility date 2026-04-07 (web_socket_auto_reply_to_close) the runtime has
    // already answered the client's close frame before this runs, so `$disconnect` below never
    // delays the handshake and this call is a no-op; it answers (RFC 6455 §5.5.1) on older dates.
    try {
      ws.close(sendableCloseCode(code), reason)
    } catch {
      // The runtime already answered it.
    }
    if (state !== undefined) await this.#disconnect(ws, state, code, reason)
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    const state = readState(ws)
    if (state !== undefined) await this.#disconnect(ws, state, 1006, 'Connection error')
  }

  /** Idle and lifetime deadlines: one alarm at the earliest deadline of any connection here. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    let next: number | undefined
    const closing: Promise<void>[] = []
    for (const ws of this.ctx.getWebSockets()) {
      const state = readState(ws)
      if (state === undefined || state.disconnected === true) continue
      const deadline = deadlineOf(state)
      if (deadline > now) next = Math.min(next ?? deadline, deadline)
      else if (closing.length < MAX_CLOSES_PER_ALARM) {
        closing.push(this.#close(ws, state, CLOSE_GOING_AWAY, 'Going away'))
      } else next = now
    }
    await Promise.allSettled(closing)
    if (next !== undefined) await this.ctx.storage.setAlarm(next)
  }

  // --- Management API (src/websocket/management/, H7) -------------------------------------

  async postToConnection(connectionId: string, data: string | ArrayBuffer): Promise<PostOutcome> {
    const found = this.#find(connectionId)
    if (found === undefined) return 'gone'
    const outbox = await this.#configuredOutbox(found.state)
    const delivery = outbox.send(connectionId, found.ws, data)
    return delivery === 'sent' ? 'ok' : delivery
  }

  getConnection(connectionId: string): Promise<ConnectionInfo | null> {
    const found = this.#find(connectionId)
    if (found === undefined) return Promise.resolve(null)
    const { state } = found
    return Promise.resolve({
      connectedAt: new Date(state.connectedAt).toISOString(),
      lastActiveAt: new Date(state.lastActiveAt).toISOString(),
      identity: { sourceIp: state.sourceIp, userAgent: state.userAgent },
    })
  }

  async deleteConnection(connectionId: string): Promise<boolean> {
    const found = this.#find(connectionId)
    if (found === undefined) return false
    await this.#close(found.ws, found.state, CLOSE_NORMAL, 'Connection deleted')
    return true
  }

  subscribe(connectionId: string, topics: string[]): Promise<SubscribeOutcome> {
    const connected = this.#find(connectionId) !== undefined
    return Promise.resolve(subscribeOutcome(this.#topics, connected, connectionId, topics))
  }

  unsubscribe(connectionId: string, topics: string[]): Promise<string[] | null> {
    if (this.#find(connectionId) === undefined) return Promise.resolve(null)
    return Promise.resolve(this.#topics.unsubscribe(connectionId, topics))
  }

  async publish(topic: string, data: string | ArrayBuffer): Promise<PublishResult> {
    // Every socket of this hub belongs to one API stage: any one of them names its limits.
    const anyState = this.ctx
      .getWebSockets()
      .map(readState)
      .find((s) => s !== undefined)
    const outbox =
      anyState === undefined ? this.#outboxFor() : await this.#configuredOutbox(anyState)
    return this.#topics.publish(topic, data, outbox, (id) => this.#find(id)?.ws)
  }

  // --- internals ---------------------------------------------------------------------------

  async #route(
    ws: WebSocket,
    state: ConnectionState,
    variant: CompiledVariant,
    message: string | ArrayBuffer
  ): Promise<void> {
    const compiled = variant.webSocket
    if (compiled === undefined) return
    const requestId = crypto.randomUUID()
    const text = typeof message === 'string' ? message : undefined
    const selected =
      compiled.selector === undefined || text === undefined
        ? undefined
        : selectRouteKey(compiled.selector, text)
    // `$connect`/`$disconnect` are lifecycle routes: a message cannot select them.
    const key = selected === undefined || RESERVED_ROUTE_KEYS.has(selected) ? '$default' : selected
    const route = variant.table.selectWebSocketRoute(key)
    if (route === undefined || RESERVED_ROUTE_KEYS.has(route.routeKey)) {
      this.#count(state, 'ClientError')
      this.#sendError(ws, state, 'Forbidden', requestId)
      return
    }
    const admission = await admitMessage(this.env, state, variant.stage, route.routeKey)
    if (admission !== 'allowed') {
      this.#count(state, admission === 'throttled' ? 'ClientError' : 'ExecutionError')
      const frame = admission === 'throttled' ? 'Too many requests' : 'Internal server error'
      this.#sendError(ws, state, frame, requestId)
      return
    }
    const invoker = compiled.invokers.get(route.id)
    if (invoker === undefined) {
      this.#count(state, 'ExecutionError')
      this.#sendError(ws, state, 'Internal server error', requestId)
      return
    }
    const call: WebSocketCall = {
      ...this.#callBase(state, route.routeKey, requestId),
      eventType: 'MESSAGE',
      messageId: newMessageId(),
      body: text ?? toBase64(new Uint8Array(message as ArrayBuffer)),
      isBase64Encoded: text === undefined,
    }
    let answer
    try {
      answer = await invoker(call)
    } catch (error) {
      this.#count(state, 'IntegrationError')
      this.#log('ws_integration_failed', state, error)
      this.#sendError(ws, state, 'Internal server error', requestId)
      return
    }
    if (answer.status >= 400) this.#count(state, 'IntegrationError')
    this.#applySubscriptions(state.connectionId, answer.headers)
    if (route.routeResponseSelectionExpression === '$default' && answer.body !== undefined) {
      this.#outboxFor().send(state.connectionId, ws, answer.body)
    }
  }

  #applySubscriptions(connectionId: string, headers: Headers): void {
    const add = topicList(headers.get(SUBSCRIBE_HEADER))
    const remove = topicList(headers.get(UNSUBSCRIBE_HEADER))
    if (add.length > 0) {
      const outcome = this.#topics.subscribe(connectionId, add)
      if (!outcome.ok) this.#log('ws_subscribe_refused', undefined, outcome.error.kind)
    }
    if (remove.length > 0) this.#topics.unsubscribe(connectionId, remove)
  }

  #callBase(state: ConnectionState, routeKey: string, requestId: string) {
    return {
      env: this.env,
      apiId: state.apiId,
      stage: state.stage,
      domainName: state.domainName,
      routeKey,
      connectionId: state.connectionId,
      connectedAt: state.connectedAt,
      requestId,
      requestTime: Date.now(),
      sourceIp: state.sourceIp,
      userAgent: state.userAgent,
      ...(state.principalId === undefined ? {} : { principalId: state.principalId }),
      ...(state.apiKeyId === undefined ? {} : { apiKeyId: state.apiKeyId }),
      ...(state.authorizer === undefined ? {} : { authorizer: state.authorizer }),
    }
  }

  /** Server-side close: `$disconnect` first (marks the state), then the close frame. */
  async #close(ws: WebSocket, state: ConnectionState, code: number, reason: string) {
    const disconnecting = this.#disconnect(ws, state, code, reason)
    try {
      ws.close(code, reason)
    } catch {
      // Already closed by the peer: the disconnect above still runs once.
    }
    await disconnecting
  }

  /** Runs `$disconnect` for a connection, at most once. Its answer is ignored (AWS). */
  async #disconnect(ws: WebSocket, state: ConnectionState, code: number, reason: string) {
    const id = state.connectionId
    if (state.disconnected === true || this.#disconnected.has(id)) return
    this.#remember(id)
    state.disconnected = true
    try {
      writeState(ws, state)
    } catch {
      // A socket that is already gone keeps no attachment; the in-memory mark covers it.
    }
    this.#outbox?.forget(id)
    this.#topics.removeConnection(id)
    const variant = await this.#variant(state)
    const route = variant?.deployment.api.routes.find((r) => r.routeKey === '$disconnect')
    const invoker = route === undefined ? undefined : variant?.webSocket?.invokers.get(route.id)
    if (invoker === undefined) return
    try {
      await invoker({
        ...this.#callBase(state, '$disconnect', crypto.randomUUID()),
        eventType: 'DISCONNECT',
        disconnectStatusCode: code,
        disconnectReason: reason,
      })
    } catch (error) {
      this.#count(state, 'IntegrationError')
      this.#log('ws_disconnect_failed', state, error)
    }
  }

  #remember(connectionId: string): void {
    if (this.#disconnected.size >= MAX_REMEMBERED) {
      const oldest = this.#disconnected.values().next().value
      if (oldest !== undefined) this.#disconnected.delete(oldest)
    }
    this.#disconnected.add(connectionId)
  }

  #find(connectionId: string): { ws: WebSocket; state: ConnectionState } | undefined {
    for (const ws of this.ctx.getWebSockets(connectionId)) {
      const state = readState(ws)
      if (
        state !== undefined &&
        state.disconnected !== true &&
        !this.#disconnected.has(connectionId)
      ) {
        return { ws, state }
      }
    }
    return undefined
  }

  async #variant(state: ConnectionState): Promise<CompiledVariant | undefined> {
    const loader = configLoader(this.env.ROUTES, this.env.CONFIG_CACHE_SECONDS)
    const lookup = await loader.stage(state.apiId, state.stage, (p) => {
      this.ctx.waitUntil(p)
    })
    if (lookup.kind !== 'ready') return undefined
    const { compiled } = lookup
    return state.canary === true && compiled.canary !== undefined
      ? compiled.canary.variant
      : compiled.primary
  }

  #outboxFor(maxQueuedMessages?: number): Outbox {
    // A client that reads nothing never answers a close frame, so no close event would come:
    // the hub's own close path runs `$disconnect` and drops its subscriptions at once.
    this.#outbox ??= new Outbox({
      closeSlowConsumer: (_id, ws) => {
        const state = readState(ws)
        if (state === undefined) {
          ws.close(SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_CLOSE_REASON)
          return
        }
        this.#count(state, 'ClientError')
        this.ctx.waitUntil(
          this.#close(ws, state, SLOW_CONSUMER_CLOSE_CODE, SLOW_CONSUMER_CLOSE_REASON)
        )
      },
    })
    if (maxQueuedMessages !== undefined) this.#outbox.setMaxQueuedMessages(maxQueuedMessages)
    return this.#outbox
  }

  /** The outbox with the API's current `maxQueuedMessages` (management calls carry no config). */
  async #configuredOutbox(state: ConnectionState): Promise<Outbox> {
    const variant = await this.#variant(state)
    return this.#outboxFor(
      variant === undefined ? undefined : webSocketLimits(variant.deployment.api).maxQueuedMessages
    )
  }

  #sendError(ws: WebSocket, state: ConnectionState, message: ErrorFrameMessage, id: string) {
    const frame: Frame = errorFrame(message, state.connectionId, id)
    this.#outboxFor().send(state.connectionId, ws, frame)
  }

  async #scheduleAlarm(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }

  #count(state: ConnectionState, metric: MetricName): void {
    const scope = {
      env: this.env,
      executionCtx: {
        waitUntil: (p: Promise<unknown>) => {
          this.ctx.waitUntil(p)
        },
      },
    }
    METRICS.count(scope, state.apiId, state.stage, metric)
  }

  #log(event: string, state: ConnectionState | undefined, cause: unknown): void {
    console.log(
      JSON.stringify({
        level: 'error',
        event,
        ...(state === undefined ? {} : { apiId: state.apiId, connectionId: state.connectionId }),
        cause: cause instanceof Error ? cause.message : String(cause),
      })
    )
  }
}
