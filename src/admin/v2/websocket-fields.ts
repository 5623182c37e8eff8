/**
 * The WebSocket-only fields of apigatewayv2 APIs, routes and integrations, read from admin bodies
 * and written back under AWS's names. HTTP APIs refuse them with 400, as AWS does ("supported
 * only for WebSocket APIs"). Portico's own WebSocket settings travel as `webSocket` on the API.
 */
import type {
  ApiConfig,
  IntegrationConfig,
  RouteConfig,
  WebSocketSettingsConfig,
} from '../../config/types'
import { badRequest } from '../errors'
import { compact, type Fields } from './parse'

const ROUTE_FIELDS = [
  'routeResponseSelectionExpression',
  'modelSelectionExpression',
  'requestModels',
]
/** AWS integration fields Portico keeps (in `passthrough`) and reports, but does not act on. */
const KEPT_INTEGRATION_FIELDS = [
  'passthroughBehavior',
  'integrationResponseSelectionExpression',
  'contentHandlingStrategy',
] as const
const INTEGRATION_FIELDS = [
  'requestTemplates',
  'templateSelectionExpression',
  ...KEPT_INTEGRATION_FIELDS,
]

/** 400 when `f` carries one of `names` and `api` is not a WebSocket API. */
export function refuseUnlessWebSocket(api: ApiConfig, f: Fields, names: readonly string[]): void {
  if (api.protocolType === 'WEBSOCKET') return
  const found = names.find((n) => f.has(n))
  if (found !== undefined) badRequest(`'${found}' is only supported for WebSocket APIs`)
}

/** `webSocket` (Portico): connection limits and the `Origin` allow-list, merged over the API's. */
export function readWebSocketSettings(
  api: ApiConfig,
  f: Fields
): WebSocketSettingsConfig | undefined {
  refuseUnlessWebSocket(api, f, ['webSocket'])
  const w = f.obj('webSocket')
  if (w === undefined) return api.webSocket
  const settings: WebSocketSettingsConfig = {
    ...api.webSocket,
    ...compact({
      allowOrigins: w.strList('allowOrigins'),
      maxMessageBytes: w.num('maxMessageBytes'),
      idleTimeoutSeconds: w.num('idleTimeoutSeconds'),
      maxConnectionSeconds: w.num('maxConnectionSeconds'),
      newConnectionsPerSecond: w.num('newConnectionsPerSecond'),
      maxQueuedMessages: w.num('maxQueuedMessages'),
    }),
  }
  w.done()
  return settings
}

/** The WebSocket fields of a route present in `f` (CreateRoute / UpdateRoute). */
export function readWebSocketRouteFields(
  api: ApiConfig,
  f: Fields
): Pick<
  RouteConfig,
  'routeResponseSelectionExpression' | 'modelSelectionExpression' | 'requestModels'
> {
  refuseUnlessWebSocket(api, f, ROUTE_FIELDS)
  const selection = f.str('routeResponseSelectionExpression')
  // AWS: `$default` is the only route response selection expression WebSocket APIs support.
  if (selection !== undefined && selection !== '$default') {
    badRequest(`'routeResponseSelectionExpression' must be $default`)
  }
  return compact({
    routeResponseSelectionExpression: selection,
    modelSelectionExpression: f.str('modelSelectionExpression'),
    requestModels: f.strMap('requestModels'),
  })
}

/** The WebSocket fields of an integration present in `f`, merged over `base`'s. */
export function readWebSocketIntegrationFields(
  api: ApiConfig,
  f: Fields,
  base: IntegrationConfig
): Pick<IntegrationConfig, 'requestTemplates' | 'templateSelectionExpression' | 'passthrough'> {
  refuseUnlessWebSocket(api, f, INTEGRATION_FIELDS)
  const kept = compact({
    passthroughBehavior: f.oneOf('passthroughBehavior', [
      'WHEN_NO_MATCH',
      'NEVER',
      'WHEN_NO_TEMPLATES',
    ] as const),
    integrationResponseSelectionExpression: f.str('integrationResponseSelectionExpression'),
    contentHandlingStrategy: f.oneOf('contentHandlingStrategy', [
      'CONVERT_TO_BINARY',
      'CONVERT_TO_TEXT',
    ] as const),
  })
  const passthrough = { ...base.passthrough, ...kept }
  return compact({
    requestTemplates: f.strMap('requestTemplates'),
    templateSelectionExpression: f.str('templateSelectionExpression'),
    passthrough: Object.keys(passthrough).length > 0 ? passthrough : undefined,
  })
}

/** A route's WebSocket fields on the wire (absent when unset). */
export function webSocketRouteToWire(route: RouteConfig): Record<string, unknown> {
  return compact({
    modelSelectionExpression: route.modelSelectionExpression,
    requestModels: route.requestModels,
    routeResponseSelectionExpression: route.routeResponseSelectionExpression,
  })
}

/** An integration's WebSocket fields on the wire (none for other APIs). */
export function webSocketIntegrationToWire(
  api: ApiConfig,
  integration: IntegrationConfig
): Record<string, unknown> {
  if (api.protocolType !== 'WEBSOCKET') return {}
  const kept = integration.passthrough ?? {}
  return compact({
    requestTemplates: integration.requestTemplates,
    templateSelectionExpression: integration.templateSelectionExpression,
    ...Object.fromEntries(
      KEPT_INTEGRATION_FIELDS.filter((k) => typeof kept[k] === 'string').map((k) => [k, kept[k]])
    ),
  })
}
