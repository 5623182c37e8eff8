/**
 * Builds the per-route handler stacks of one deployment as served by one stage (KrakenD-style:
 * built once per config version, reused by every request). A route whose integration cannot be
 * built still gets a handler: one that answers 500 API_CONFIGURATION_ERROR and logs why, so one
 * broken route never takes the others down.
 */
import type { ConfigIssue } from '../config/check'
import type { DeploymentConfig, StageConfig } from '../config/types'
import { GatewayError } from '../errors/gateway-error'
import { buildIntegration } from '../integrations'
import { err, ok, type Result } from '../result'
import { compileRouteTable, type RouteTable, type RouteTableIssue } from '../routing/route-table'
import { compose } from './compose'
import { POLICIES } from './policies'
import { compileWebSocketRoutes, type CompiledWebSocket } from '../websocket/compile'
import type { IntegrationHandler, PolicyHandler, ResolvedStage, RouteBuildInput } from './types'

/** One deployment compiled for one stage (the primary or the canary side). */
export interface CompiledVariant {
  readonly deployment: DeploymentConfig
  readonly table: RouteTable
  /** Route id → composed pipeline. */
  readonly handlers: ReadonlyMap<string, IntegrationHandler>
  readonly stage: ResolvedStage
  /** Route-level problems found while building (also served as 500s). */
  readonly routeIssues: readonly ConfigIssue[]
  /** WEBSOCKET APIs: route selection and per-route invokers for the hub objects. */
  readonly webSocket?: CompiledWebSocket
}

export interface CompiledStage {
  readonly apiId: string
  readonly stageName: string
  readonly primary: CompiledVariant
  readonly canary?: { readonly percentTraffic: number; readonly variant: CompiledVariant }
}

function brokenRoute(reason: string): IntegrationHandler {
  return () => Promise.reject(new GatewayError('API_CONFIGURATION_ERROR', { reason }))
}

/** Refused routes of a route table as config issues, pointing at each route's `routeKey`. */
export function routeTableIssues(issues: readonly RouteTableIssue[]): ConfigIssue[] {
  return issues.map((issue) => ({
    path: `/routes/${String(issue.index)}/routeKey`,
    message: `${issue.routeKey}: ${issue.message}`,
  }))
}

/** The route's policy handlers, in POLICY_ORDER (those that apply to it). */
function policyStack(input: RouteBuildInput): PolicyHandler[] {
  const stack: PolicyHandler[] = []
  for (const policy of POLICIES) {
    const handler = policy.build(input)
    if (handler !== undefined) stack.push(handler)
  }
  return stack
}

/** Compile `deployment` as served by `stage`, with `variables` already canary-adjusted. */
export function compileVariant(
  deployment: DeploymentConfig,
  stage: StageConfig,
  variables: Readonly<Record<string, string>>,
  isCanaryRequest: boolean
): Result<CompiledVariant, ConfigIssue[]> {
  const api = deployment.api
  const table = compileRouteTable(api.routes, api.protocolType)
  if (!table.ok) return err(routeTableIssues(table.error))
  const integrations = new Map(api.integrations.map((i) => [i.id, i]))
  const handlers = new Map<string, IntegrationHandler>()
  const routeIssues: ConfigIssue[] = []
  const webSocket =
    api.protocolType === 'WEBSOCKET'
      ? compileWebSocketRoutes(api, variables, policyStack)
      : undefined
  webSocket?.handlers.forEach((handler, id) => handlers.set(id, handler))
  routeIssues.push(...(webSocket?.routeIssues ?? []))
  api.routes.forEach((route, index) => {
    // WEBSOCKET routes run in the hub objects (compiled above); only `$connect` is a handler.
    if (webSocket !== undefined) return
    const integration =
      route.integrationId === undefined ? undefined : integrations.get(route.integrationId)
    if (integration === undefined) {
      const message = `route ${route.routeKey} has no integration`
      routeIssues.push({ path: `/routes/${String(index)}/integrationId`, message })
      handlers.set(route.id, brokenRoute(message))
      return
    }
    const built = buildIntegration(integration, { api, route, stageVariables: variables })
    if (!built.ok) {
      const at = api.integrations.indexOf(integration)
      routeIssues.push({ path: `/integrations/${String(at)}`, message: built.error })
      handlers.set(route.id, brokenRoute(`route ${route.routeKey}: ${built.error}`))
      return
    }
    handlers.set(route.id, compose(policyStack({ api, route, integration }), built.value))
  })
  const resolved: ResolvedStage = {
    name: stage.stageName,
    deploymentId: deployment.id,
    variables,
    isCanaryRequest,
    ...(stage.accessLogSettings ? { accessLogSettings: stage.accessLogSettings } : {}),
    ...(stage.defaultRouteSettings ? { defaultRouteSettings: stage.defaultRouteSettings } : {}),
    ...(stage.routeSettings ? { routeSettings: stage.routeSettings } : {}),
    ...(stage.cacheClusterEnabled === true ? { cacheClusterEnabled: true } : {}),
    ...(stage.cacheGeneration === undefined ? {} : { cacheGeneration: stage.cacheGeneration }),
    ...(stage.authorizerCacheGeneration === undefined
      ? {}
      : { authorizerCacheGeneration: stage.authorizerCacheGeneration }),
  }
  return ok({
    deployment,
    table: table.value,
    handlers,
    stage: resolved,
    routeIssues,
    ...(webSocket === undefined ? {} : { webSocket: webSocket.compiled }),
  })
}
