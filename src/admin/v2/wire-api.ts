/**
 * Stored API shapes → apigatewayv2 wire shapes (camelCase JSON, ISO-8601 dates), as the SDK's
 * deserializers read them (`Api`, `Route`, `Integration`).
 */
import type { ApiConfig, IntegrationConfig, RouteConfig } from '../../config/types'
import { compact } from './parse'
import type { V2Context } from './store'
import { webSocketIntegrationToWire, webSocketRouteToWire } from './websocket-fields'

/** AWS's default API key selection expression; `AUTHORIZER` maps to the authorizer's key. */
export const API_KEY_HEADER_EXPRESSION = '$request.header.x-api-key'
export const API_KEY_AUTHORIZER_EXPRESSION = '$context.authorizer.usageIdentifierKey'

/**
 * The API's execute-api endpoint. Host: `{apiId}.{EXECUTE_API_DOMAIN}`. Scheme and port are those
 * the admin request arrived on, because both planes share one listener: under `wrangler dev` that
 * is `http://{apiId}.execute-api.localhost:8787`, in production `https://{apiId}.{domain}`.
 * WebSocket APIs get `ws://` / `wss://`.
 */
export function apiEndpoint(c: V2Context, api: ApiConfig): string {
  const url = new URL(c.req.url)
  const secure = url.protocol === 'https:'
  const scheme =
    api.protocolType === 'WEBSOCKET' ? (secure ? 'wss' : 'ws') : secure ? 'https' : 'http'
  const port = url.port === '' ? '' : `:${url.port}`
  return `${scheme}://${api.id}.${c.env.EXECUTE_API_DOMAIN}${port}`
}

/** `ApiConfig` → apigatewayv2 `Api`. */
export function apiToWire(c: V2Context, api: ApiConfig): Record<string, unknown> {
  return compact({
    apiEndpoint: apiEndpoint(c, api),
    apiId: api.id,
    apiKeySelectionExpression:
      api.apiKeySource === 'AUTHORIZER' ? API_KEY_AUTHORIZER_EXPRESSION : API_KEY_HEADER_EXPRESSION,
    createdDate: api.createdDate,
    description: api.description,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    name: api.name,
    protocolType: api.protocolType,
    routeSelectionExpression: api.routeSelectionExpression,
    tags: api.tags ?? {},
    version: api.version,
    warnings: api.importWarnings,
    allowLoopbackUpstreams: api.allowLoopbackUpstreams,
    webSocket: api.webSocket,
    corsConfiguration: api.corsConfiguration,
  })
}

/** `integrations/{id}` is how apigatewayv2 names a route's target. */
export const TARGET_PREFIX = 'integrations/'

/** `RouteConfig` → apigatewayv2 `Route` (AWS defaults filled in). */
export function routeToWire(route: RouteConfig): Record<string, unknown> {
  const requestParameters =
    route.requestParameters === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(route.requestParameters).map(([k, required]) => [k, { required }])
        )
  return compact({
    apiKeyRequired: route.apiKeyRequired ?? false,
    authorizationScopes: route.authorizationScopes,
    authorizationType: route.authorizationType ?? 'NONE',
    authorizerId: route.authorizerId,
    operationName: route.operationName,
    requestParameters,
    routeId: route.id,
    routeKey: route.routeKey,
    target:
      route.integrationId === undefined ? undefined : `${TARGET_PREFIX}${route.integrationId}`,
    ...webSocketRouteToWire(route),
  })
}

/** `IntegrationConfig` → apigatewayv2 `Integration` (WORKER and `mockResponse` are Portico's). */
export function integrationToWire(
  api: ApiConfig,
  integration: IntegrationConfig
): Record<string, unknown> {
  const isProxy = integration.type === 'HTTP_PROXY' || integration.type === 'WORKER'
  return compact({
    connectionType: 'INTERNET',
    description: integration.description,
    integrationId: integration.id,
    integrationMethod: integration.integrationMethod,
    integrationType: integration.type,
    integrationUri: integration.integrationUri,
    // AWS reports the format for HTTP APIs' proxy integrations; WORKER defaults as config says.
    payloadFormatVersion:
      integration.payloadFormatVersion ??
      (integration.type === 'WORKER'
        ? api.protocolType === 'HTTP'
          ? '2.0'
          : '1.0'
        : isProxy && api.protocolType === 'HTTP'
          ? '1.0'
          : undefined),
    requestParameters: integration.requestParameters,
    responseParameters: integration.responseParameters,
    timeoutInMillis: integration.timeoutInMillis ?? 29000,
    mockResponse: integration.mockResponse,
    ...webSocketIntegrationToWire(api, integration),
  })
}
