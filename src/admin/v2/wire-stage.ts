/**
 * Stored stage, deployment and domain shapes → apigatewayv2 wire shapes (`Stage`, `Deployment`,
 * `DomainName`, `ApiMapping`), and the wire `RouteSettings` parser shared by the stage routes.
 */
import type {
  ApiMappingConfig,
  DeploymentConfig,
  DomainNameConfig,
  RouteSettingsConfig,
  StageConfig,
} from '../../config/types'
import { compact, type Fields } from './parse'
import { AUTO_DEPLOY_DESCRIPTION } from './store'

function settingsToWire(s: RouteSettingsConfig | undefined): Record<string, unknown> | undefined {
  if (s === undefined) return undefined
  return compact({
    detailedMetricsEnabled: s.detailedMetricsEnabled,
    loggingLevel: s.loggingLevel,
    throttlingBurstLimit: s.throttlingBurstLimit,
    throttlingRateLimit: s.throttlingRateLimit,
  })
}

/** Wire `RouteSettings` → config. `dataTraceEnabled` is accepted and dropped (no data trace). */
export function parseRouteSettings(f: Fields): RouteSettingsConfig {
  const settings = compact({
    detailedMetricsEnabled: f.bool('detailedMetricsEnabled'),
    loggingLevel: f.oneOf('loggingLevel', ['OFF', 'ERROR', 'INFO'] as const),
    throttlingBurstLimit: f.num('throttlingBurstLimit'),
    throttlingRateLimit: f.num('throttlingRateLimit', false),
  })
  f.ignore('dataTraceEnabled')
  f.done()
  return settings
}

/** `StageConfig` → apigatewayv2 `Stage` (`variables` → `stageVariables`). */
export function stageToWire(stage: StageConfig): Record<string, unknown> {
  const routeSettings =
    stage.routeSettings === undefined
      ? undefined
      : Object.fromEntries(
          Object.entries(stage.routeSettings).map(([k, s]) => [k, settingsToWire(s)])
        )
  return compact({
    accessLogSettings: stage.accessLogSettings,
    autoDeploy: stage.autoDeploy ?? false,
    createdDate: stage.createdDate,
    defaultRouteSettings: settingsToWire(stage.defaultRouteSettings) ?? {},
    deploymentId: stage.deploymentId,
    description: stage.description,
    lastUpdatedDate: stage.lastUpdatedDate,
    routeSettings: routeSettings ?? {},
    stageName: stage.stageName,
    stageVariables: stage.variables ?? {},
    tags: stage.tags ?? {},
  })
}

/** `DeploymentConfig` → apigatewayv2 `Deployment` (always `DEPLOYED`: writes are synchronous). */
export function deploymentToWire(d: DeploymentConfig): Record<string, unknown> {
  return compact({
    // DeploymentConfig has no flag for it: AWS's own description marks auto deployments.
    autoDeployed: d.description === AUTO_DEPLOY_DESCRIPTION,
    createdDate: d.createdDate,
    deploymentId: d.id,
    deploymentStatus: 'DEPLOYED',
    description: d.description,
  })
}

/** `ApiMappingConfig` → apigatewayv2 `ApiMapping`. */
export function mappingToWire(m: ApiMappingConfig): Record<string, unknown> {
  return {
    apiId: m.apiId,
    apiMappingId: m.apiMappingId,
    apiMappingKey: m.apiMappingKey,
    stage: m.stage,
  }
}

/**
 * TLS for custom domains is Cloudflare's (the zone's certificate), so the endpoint configuration
 * is reported as one available regional endpoint with TLS 1.2.
 */
export function domainToWire(d: DomainNameConfig): Record<string, unknown> {
  return {
    apiMappingSelectionExpression: '$request.basepath',
    domainName: d.domainName,
    domainNameConfigurations: [
      { domainNameStatus: 'AVAILABLE', endpointType: 'REGIONAL', securityPolicy: 'TLS_1_2' },
    ],
    tags: d.tags ?? {},
  }
}
