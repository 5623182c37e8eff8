/**
 * A WEBSOCKET API compiled for one stage: the route selector, one integration invoker per route
 * (used by the hub objects for MESSAGE and DISCONNECT events) and the `$connect` handler stack
 * (the route's policies around connect-handler.ts) that the data plane runs for a handshake.
 * Built once per config version, like every other route table.
 */
import type { ConfigIssue } from '../config/check'
import type { ApiConfig, IntegrationConfig, RouteConfig } from '../config/types'
import { GatewayError } from '../errors/gateway-error'
import { compose } from '../pipeline/compose'
import type { IntegrationHandler, PolicyHandler, RouteBuildInput } from '../pipeline/types'
import {
  buildConnectHandler,
  CONNECT_ROUTE_KEY,
  connectMetricsPolicy,
  originPolicy,
} from './connect-handler'
import { buildWebSocketIntegration, type WebSocketInvoker } from './integration'
import { compileRouteSelection, type RouteSelector } from './route-selection'

/** The `$connect` route when the API defines none: AWS admits connections without one. */
export const IMPLICIT_CONNECT_ROUTE: RouteConfig = { id: '$connect', routeKey: '$connect' }

export interface CompiledWebSocket {
  readonly selector?: RouteSelector
  /** Route id → invoker; a route whose integration cannot serve has none (error frame). */
  readonly invokers: ReadonlyMap<string, WebSocketInvoker>
  readonly connectRoute: RouteConfig
}

export interface CompiledWebSocketRoutes {
  readonly compiled: CompiledWebSocket
  /** Route id → handler: only the handshake (`connectRoute`). */
  readonly handlers: ReadonlyMap<string, IntegrationHandler>
  readonly routeIssues: readonly ConfigIssue[]
}

export function compileWebSocketRoutes(
  api: ApiConfig,
  stageVariables: Readonly<Record<string, string>>,
  policyStack: (input: RouteBuildInput) => PolicyHandler[]
): CompiledWebSocketRoutes {
  const routeIssues: ConfigIssue[] = []
  const integrations = new Map<string, IntegrationConfig>(api.integrations.map((i) => [i.id, i]))
  const invokers = new Map<string, WebSocketInvoker>()
  api.routes.forEach((route, index) => {
    if (route.integrationId === undefined) return
    const integration = integrations.get(route.integrationId)
    if (integration === undefined) {
      routeIssues.push({
        path: `/routes/${String(index)}/integrationId`,
        message: `route ${route.routeKey} has no integration`,
      })
      return
    }
    const built = buildWebSocketIntegration(integration, api, stageVariables)
    if (built.ok) invokers.set(route.id, built.value)
    else {
      const at = api.integrations.indexOf(integration)
      routeIssues.push({ path: `/integrations/${String(at)}`, message: built.error })
    }
  })
  const selection =
    api.routeSelectionExpression === undefined
      ? undefined
      : compileRouteSelection(api.routeSelectionExpression)
  if (selection !== undefined && !selection.ok) {
    routeIssues.push({ path: '/routeSelectionExpression', message: selection.error })
  }
  const declared = api.routes.find((r) => r.routeKey === CONNECT_ROUTE_KEY)
  const connectRoute = declared ?? IMPLICIT_CONNECT_ROUTE
  const integration =
    declared?.integrationId === undefined ? undefined : integrations.get(declared.integrationId)
  const connectInvoker = invokers.get(connectRoute.id)
  const terminal: IntegrationHandler =
    integration !== undefined && connectInvoker === undefined
      ? () =>
          Promise.reject(
            new GatewayError('API_CONFIGURATION_ERROR', { reason: '$connect integration broken' })
          )
      : buildConnectHandler(connectInvoker)
  const stack = [
    connectMetricsPolicy,
    originPolicy,
    ...policyStack({ api, route: connectRoute, integration }),
  ]
  return {
    compiled: {
      ...(selection?.ok === true ? { selector: selection.value } : {}),
      invokers,
      connectRoute,
    },
    handlers: new Map([[connectRoute.id, compose(stack, terminal)]]),
    routeIssues,
  }
}
