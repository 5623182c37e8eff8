/**
 * The `$connect` route's last step, after the Origin check (`originPolicy`) and the route's
 * policies (resource policy, authorizers, API key, throttle) have admitted the handshake:
 * new-connection rate, the
 * `$connect` integration (non-2xx refuses with that status), then the upgrade is handed to a hub
 * object which accepts the socket. Every refusal happens before the 101.
 */
import { GatewayError } from '../errors/gateway-error'
import { defaultGatewayResponse } from '../errors/gateway-response'
import type { IntegrationHandler, PolicyHandler, RequestContext } from '../pipeline/types'
import { METRICS } from '../observability/metrics'
import { DEFAULT_LIMITER } from '../policies/throttle/limiter'
import { planFailsOpen, planRequest, planThrottle } from '../policies/throttle/limits'
import { planKeyObjectName } from '../rate-limit/limiter-client'
import { hubName, newConnectionId } from './connection-id'
import {
  fitsAttachment,
  truncateUserAgent,
  type ConnectionState,
  type MessageBucket,
} from './connection-state'
import type { WebSocketCall } from './event'
import type { WebSocketInvoker } from './integration'
import { webSocketLimits } from './settings'
import { parseOrigin } from '../policies/cors/origin'

/** Header carrying the admitted connection's state from the worker to its hub object. */
export const CONNECTION_STATE_HEADER = 'x-portico-ws-connection'

/** AWS: routes of WebSocket APIs are matched by key; `$connect` gets the handshake. */
export const CONNECT_ROUTE_KEY = '$connect'

function forbidden(reason: string): GatewayError {
  return new GatewayError('DEFAULT_4XX', { status: 403, message: 'Forbidden', reason })
}

/**
 * Cross-site WebSocket hijacking: a browser always sends `Origin` on a WebSocket handshake, so
 * with an allow-list every present Origin must match exactly. A handshake without Origin cannot
 * come from a browser page and is admitted (non-browser clients; they prove themselves with
 * keys or tokens).
 */
export function checkOrigin(allowOrigins: readonly string[] | undefined, origin: string | null) {
  if (allowOrigins === undefined || origin === null) return
  // Both sides canonical (CORS's parser: lower-case host, default port dropped, punycode), so
  // `https://App.example.com:443` in config matches what a browser sends; `null` never matches.
  const parsed = parseOrigin(origin)
  if (!parsed.ok || !allowedOriginSet(allowOrigins).has(parsed.origin)) {
    throw forbidden('origin not allowed')
  }
}

const ORIGIN_SETS = new WeakMap<readonly string[], ReadonlySet<string>>()

/** The canonical allow-list, computed once per config array (configs are immutable once built). */
function allowedOriginSet(allowOrigins: readonly string[]): ReadonlySet<string> {
  let set = ORIGIN_SETS.get(allowOrigins)
  if (set === undefined) {
    set = new Set(
      allowOrigins.flatMap((text) => {
        const parsed = parseOrigin(text)
        return parsed.ok ? [parsed.origin] : []
      })
    )
    ORIGIN_SETS.set(allowOrigins, set)
  }
  return set
}

/** The subprotocol to answer: the integration's choice if offered, else the first offered. */
export function selectSubprotocol(offered: string | null, chosen: string | null) {
  if (offered === null) return undefined
  const list = offered
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
  if (chosen !== null && list.includes(chosen.trim())) return chosen.trim()
  return list[0]
}

async function checkConnectionRate(ctx: RequestContext, perSecond: number) {
  const who =
    ctx.identity.apiKeyId === undefined ? `ip:${ctx.clientIp}` : `key:${ctx.identity.apiKeyId}`
  const name = `wsconnect:${ctx.api.id}:${ctx.stage.name}:${who}`
  let result
  try {
    result = await DEFAULT_LIMITER.consume(ctx.env, name, {
      throttle: { burstLimit: perSecond, rateLimit: perSecond },
    })
  } catch (cause) {
    throw new GatewayError('SERVICE_UNAVAILABLE', {
      reason: 'connection rate limiter failed; failing closed',
      cause,
    })
  }
  if (!result.allowed) {
    throw new GatewayError('THROTTLED', { reason: `new connections per second over ${who}` })
  }
}

function messageBucket(ctx: RequestContext): MessageBucket | undefined {
  const plan = ctx.identity.usagePlan
  const keyId = ctx.identity.apiKeyId
  if (plan === undefined || keyId === undefined) return undefined
  const limits = planThrottle(plan, ctx.api.id, ctx.stage.name, [])
  return {
    objectName: planKeyObjectName(plan.id, keyId),
    request: planRequest(plan, keyId, limits),
    failOpen: planFailsOpen(plan),
  }
}

function connectionState(ctx: RequestContext, connectionId: string): ConnectionState {
  const limits = webSocketLimits(ctx.api)
  const now = Date.now()
  const bucket = messageBucket(ctx)
  const { identity } = ctx
  return {
    connectionId,
    apiId: ctx.api.id,
    stage: ctx.stage.name,
    domainName: ctx.domainName,
    connectedAt: now,
    lastActiveAt: now,
    sourceIp: ctx.clientIp,
    userAgent: truncateUserAgent(ctx.request.headers.get('user-agent') ?? ''),
    ...(identity.apiKeyId === undefined ? {} : { apiKeyId: identity.apiKeyId }),
    ...(identity.usagePlan === undefined ? {} : { usagePlanId: identity.usagePlan.id }),
    ...(identity.principalId === undefined ? {} : { principalId: identity.principalId }),
    ...(identity.authorizerContext === undefined && identity.claims === undefined
      ? {}
      : {
          authorizer: {
            ...identity.authorizerContext,
            ...(identity.claims ? { claims: identity.claims } : {}),
          },
        }),
    ...(ctx.stage.isCanaryRequest ? { canary: true } : {}),
    ...(bucket === undefined ? {} : { bucket }),
    idleTimeoutMs: limits.idleTimeoutMs,
    expiresAt: now + limits.maxConnectionMs,
  }
}

/** The integration call of a handshake (CONNECT event). */
export function connectCall(ctx: RequestContext, state: ConnectionState): WebSocketCall {
  return {
    env: ctx.env,
    apiId: state.apiId,
    stage: state.stage,
    domainName: state.domainName,
    routeKey: CONNECT_ROUTE_KEY,
    eventType: 'CONNECT',
    connectionId: state.connectionId,
    connectedAt: state.connectedAt,
    requestId: ctx.requestId,
    requestTime: ctx.startTime,
    sourceIp: state.sourceIp,
    userAgent: state.userAgent,
    ...(state.principalId === undefined ? {} : { principalId: state.principalId }),
    ...(state.apiKeyId === undefined ? {} : { apiKeyId: state.apiKeyId }),
    ...(state.authorizer === undefined ? {} : { authorizer: state.authorizer }),
    headers: ctx.request.headers,
    query: ctx.query,
  }
}

function count(ctx: RequestContext, metric: Parameters<typeof METRICS.count>[3]) {
  METRICS.count(ctx, ctx.api.id, ctx.stage.name, metric)
}

async function callConnectIntegration(
  ctx: RequestContext,
  invoker: WebSocketInvoker,
  state: ConnectionState
): Promise<Headers> {
  let answer
  try {
    answer = await invoker(connectCall(ctx, state))
  } catch (error) {
    count(ctx, 'IntegrationError')
    throw error
  }
  ctx.log.integrationStatus = answer.status
  if (answer.status < 200 || answer.status > 299) {
    count(ctx, 'IntegrationError')
    // AWS: a `$connect` integration answering non-2xx refuses the handshake with that status.
    throw new GatewayError(answer.status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX', {
      status: answer.status,
      message: answer.status >= 500 ? 'Internal server error' : 'Forbidden',
      reason: `$connect integration answered ${String(answer.status)}`,
    })
  }
  return answer.headers
}

/** Builds the `$connect` terminal handler; `invoker` is absent when `$connect` has no integration. */
export function buildConnectHandler(invoker: WebSocketInvoker | undefined): IntegrationHandler {
  return async (ctx) => {
    const limits = webSocketLimits(ctx.api)
    await checkConnectionRate(ctx, limits.newConnectionsPerSecond)
    const { connectionId, shard } = newConnectionId()
    const state = connectionState(ctx, connectionId)
    if (!fitsAttachment(state)) {
      throw new GatewayError('API_CONFIGURATION_ERROR', {
        reason: 'connection state (authorizer context) over the 2 KiB attachment limit',
      })
    }
    const answerHeaders =
      invoker === undefined ? new Headers() : await callConnectIntegration(ctx, invoker, state)
    const hubs = ctx.env.WEBSOCKET_HUB
    const hub = hubs.get(hubs.idFromName(hubName(state.apiId, state.stage, shard)))
    const accepted = await hub.fetch('https://hub.portico.invalid/connect', {
      headers: {
        upgrade: 'websocket',
        // Percent-encoded: header values are bytes, an authorizer's context may be any Unicode.
        [CONNECTION_STATE_HEADER]: encodeURIComponent(JSON.stringify(state)),
      },
    })
    const socket = accepted.webSocket
    if (accepted.status !== 101 || socket === null) {
      throw new GatewayError('DEFAULT_5XX', { reason: `hub answered ${String(accepted.status)}` })
    }
    const headers = new Headers()
    const protocol = selectSubprotocol(
      ctx.request.headers.get('sec-websocket-protocol'),
      answerHeaders.get('sec-websocket-protocol')
    )
    if (protocol !== undefined) headers.set('sec-websocket-protocol', protocol)
    count(ctx, 'ConnectCount')
    return new Response(null, { status: 101, webSocket: socket, headers })
  }
}

/**
 * The Origin check runs first in the handshake stack: a cross-site page must not get as far as
 * an authorizer call (which may see the victim's cookies) or an API-key lookup.
 */
export const originPolicy: PolicyHandler = (ctx, next) => {
  checkOrigin(ctx.api.webSocket?.allowOrigins, ctx.request.headers.get('origin'))
  return next()
}

/**
 * Counts `$connect` refusals by the gateway (4xx as ClientError, 5xx as ExecutionError); a refusal
 * by the integration is counted as IntegrationError where it is decided.
 */
export const connectMetricsPolicy: PolicyHandler = async (ctx, next) => {
  try {
    return await next()
  } catch (error) {
    if (ctx.log.integrationStatus === undefined) {
      const status =
        error instanceof GatewayError
          ? (error.detail.status ?? defaultGatewayResponse(error.type, 'WEBSOCKET').status)
          : 500
      count(ctx, status < 500 ? 'ClientError' : 'ExecutionError')
    }
    throw error
  }
}
