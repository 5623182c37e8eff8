/**
 * The data plane: context → resolve (host, canonical path, stage, route) → the route's composed
 * pipeline → finalize (request-id headers, HEAD, access log). Every failure becomes a typed
 * `GatewayError` rendered by errors/gateway-response.ts; anything else is a logged DEFAULT_5XX.
 */
import { configLoader } from '../config/loader'
import type { ProtocolType } from '../config/types'
import type { GatewayBindings } from '../env'
import { GatewayError } from '../errors/gateway-error'
import { renderGatewayResponse } from '../errors/gateway-response'
import { answerPreflight, corsHeadersWithoutRoute } from '../policies/cors/cors-policy'
import { canonicalizePath, rawPathOf } from '../routing/canonical-path'
import type { HostTarget } from '../routing/host'
import { resolveStage } from '../routing/resolve-stage'
import { handleManagement } from '../websocket/management/handler'
import { isManagementPath } from '../websocket/management/paths'
import { matchHandshake } from '../websocket/handshake'
import type { CompiledStage, CompiledVariant } from './build'
import { finalizeResponse, logFailure } from './finalize'
import { checkRequestSize, limitBody } from './request-limits'
import type { RequestContext } from './types'

type DataPlaneTarget = Extract<HostTarget, { kind: 'execute-api' | 'custom' }>

/** Loopback hosts may use plain HTTP (local development); everything else is HTTPS-only. */
function isLoopbackHost(host: string): boolean {
  return (
    host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]'
  )
}

function pickVariant(stage: CompiledStage): CompiledVariant {
  const canary = stage.canary
  // AWS canary: each request independently goes to the canary with percentTraffic probability.
  if (canary !== undefined && Math.random() * 100 < canary.percentTraffic) return canary.variant
  return stage.primary
}

interface Early {
  requestId: string
  startTime: number
  protocol: ProtocolType
}

function errorResponse(e: unknown, early: Early, extra?: Headers, variant?: CompiledVariant) {
  const error =
    e instanceof GatewayError
      ? e
      : new GatewayError('DEFAULT_5XX', { reason: 'unhandled', cause: e })
  logFailure(early.requestId, error)
  return renderGatewayResponse(
    error.type,
    { status: error.detail.status, message: error.detail.message, headers: error.detail.headers },
    {
      protocol: early.protocol,
      requestId: early.requestId,
      customized: variant?.deployment.api.gatewayResponses,
      ...(extra === undefined ? {} : { extraHeaders: extra }),
    }
  )
}

export async function handleDataPlane(
  request: Request,
  env: GatewayBindings,
  executionCtx: Pick<ExecutionContext, 'waitUntil'>,
  target: DataPlaneTarget,
  host: string
): Promise<Response> {
  const early: Early = { requestId: crypto.randomUUID(), startTime: Date.now(), protocol: 'REST' }
  const waitUntil = (p: Promise<unknown>) => {
    executionCtx.waitUntil(p)
  }
  let variant: CompiledVariant | undefined
  try {
    // Each property read of a Request crosses into the runtime: read the URL once.
    const rawUrl = request.url
    checkRequestSize(request, rawUrl)
    const url = new URL(rawUrl)
    if (url.protocol !== 'https:' && !isLoopbackHost(host)) {
      throw new GatewayError('DEFAULT_4XX', {
        status: 403,
        message: 'HTTPS is required',
        reason: 'plain http',
      })
    }
    const fullPath = rawPathOf(rawUrl)
    const canonical = canonicalizePath(fullPath)
    if (!canonical.ok) {
      throw new GatewayError('DEFAULT_4XX', { reason: `ambiguous path: ${canonical.error}` })
    }
    const loader = configLoader(env.ROUTES, env.CONFIG_CACHE_SECONDS)
    const resolved = await resolveStage(loader, target, canonical.value, waitUntil)
    if (resolved.kind === 'broken') {
      throw new GatewayError('API_CONFIGURATION_ERROR', { reason: resolved.reason })
    }
    if (resolved.kind === 'no-mapping') {
      throw new GatewayError('DEFAULT_4XX', {
        status: 403,
        message: 'Forbidden',
        reason: 'no mapping',
      })
    }
    if (resolved.kind === 'no-stage') {
      early.protocol = resolved.protocol ?? 'REST'
      throw unknownRoute(early.protocol, 'no such stage')
    }
    variant = pickVariant(resolved.lookup.compiled)
    const api = variant.deployment.api
    early.protocol = api.protocolType
    if (target.kind === 'execute-api' && api.disableExecuteApiEndpoint === true) {
      throw new GatewayError('DEFAULT_4XX', {
        status: 403,
        message: 'Forbidden',
        reason: 'execute-api endpoint disabled',
      })
    }
    // The @connections API (and Portico's @topics) of a WebSocket stage, before route matching.
    if (api.protocolType === 'WEBSOCKET' && isManagementPath(resolved.path)) {
      const { apiId, stageName } = resolved.lookup.compiled
      const call = { request, env, url, path: resolved.path, apiId, stage: stageName }
      return await handleManagement({ ...call, requestId: early.requestId })
    }
    const where = { path: resolved.path, fullPath, host, url }
    return await runRoute(request, env, executionCtx, variant, where, early)
  } catch (e) {
    return errorResponse(e, early, undefined, variant)
  }
}

function unknownRoute(protocol: ProtocolType, reason: string): GatewayError {
  // AWS: REST APIs answer 403 "Missing Authentication Token", HTTP APIs 404 "Not Found".
  return protocol === 'HTTP'
    ? new GatewayError('RESOURCE_NOT_FOUND', { reason })
    : new GatewayError('MISSING_AUTHENTICATION_TOKEN', { reason })
}

async function runRoute(
  request: Request,
  env: GatewayBindings,
  executionCtx: Pick<ExecutionContext, 'waitUntil'>,
  variant: CompiledVariant,
  where: { path: string; fullPath: string; host: string; url: URL },
  early: Early
): Promise<Response> {
  const { path, fullPath, host, url } = where
  const api = variant.deployment.api
  // AWS: with CORS configured, every preflight is answered here, before (and instead of) routing.
  const preflight = answerPreflight(api, request, early.requestId)
  if (preflight !== undefined) return preflight
  const match =
    api.protocolType === 'WEBSOCKET'
      ? matchHandshake(request, path, variant.webSocket)
      : variant.table.match(request.method, path)
  if (match === undefined) {
    const error = unknownRoute(api.protocolType, 'no route')
    return errorResponse(error, early, corsHeadersWithoutRoute(api, request), variant)
  }
  const handler = variant.handlers.get(match.route.id)
  if (handler === undefined) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { reason: 'route without handler' })
  }
  const ctx: RequestContext = {
    request: limitBody(request),
    env,
    executionCtx,
    requestId: early.requestId,
    startTime: early.startTime,
    clientIp: request.headers.get('cf-connecting-ip') ?? '127.0.0.1',
    protocol: api.protocolType,
    api,
    stage: variant.stage,
    route: match.route,
    routeKey: match.route.routeKey,
    resourcePath: match.resourcePath,
    path,
    fullPath,
    domainName: host,
    pathParameters: match.pathParameters,
    url,
    query: url.searchParams,
    identity: {},
    responseHeaders: new Headers(),
    log: {},
  }
  let response: Response
  try {
    response = await handler(ctx)
  } catch (e) {
    response = errorResponse(e, early, ctx.responseHeaders, variant)
    if (e instanceof GatewayError) {
      ctx.log.errorType = e.type
      ctx.log.errorReason = e.detail.reason ?? e.type
    }
  }
  return finalizeResponse(ctx, response)
}
