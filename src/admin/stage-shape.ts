/**
 * Stage config ⇄ AWS apigateway v1 `Stage` (methodSettings keyed `*\/*` and `~1path/METHOD`,
 * epoch-second dates), the stage-name rule and the checked stage write shared by CreateStage,
 * UpdateStage and CreateDeployment.
 */
import type { Context } from 'hono'
import { checkStageConfig, checkStageDeployable } from '../config/check'
import type { CanarySettingsConfig, RouteSettingsConfig, StageConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { configStore } from '../storage/config-store'
import { recordWrite } from './commit'
import { badRequest, invalidConfig } from './errors'
import { type JsonObject, optBool, optNumber, optStringMap } from './input'
import { epochSeconds } from './rest-api-shape'

/** AWS: letters, digits, hyphens and underscores, at most 128 characters. */
export const STAGE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

export function checkStageName(name: string): void {
  if (!STAGE_NAME_PATTERN.test(name)) {
    badRequest(
      'Stage name only allows a-zA-Z0-9_- and must be between 1 and 128 characters in length'
    )
  }
}

function methodSettingOut(s: RouteSettingsConfig): Record<string, unknown> {
  return {
    metricsEnabled: s.detailedMetricsEnabled ?? false,
    loggingLevel: s.loggingLevel ?? 'OFF',
    dataTraceEnabled: false,
    throttlingBurstLimit: s.throttlingBurstLimit ?? -1,
    throttlingRateLimit: s.throttlingRateLimit ?? -1,
    cachingEnabled: s.cachingEnabled ?? false,
    cacheTtlInSeconds: s.cacheTtlInSeconds ?? 300,
    cacheDataEncrypted: false,
    requireAuthorizationForCacheControl: true,
    unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
  }
}

/** `GET /pets/{id}` → `~1pets~1{id}/GET` (AWS methodSettings key); other keys pass through. */
export function methodSettingsKey(routeKey: string): string {
  const m = /^([A-Z]+) (\/\S*)$/.exec(routeKey)
  if (m === null) return routeKey
  return `${(m[2] ?? '').replaceAll('~', '~0').replaceAll('/', '~1')}/${m[1] ?? ''}`
}

/** AWS `Stage`. */
export function stageOut(stage: StageConfig): Record<string, unknown> {
  const methodSettings: Record<string, unknown> = {}
  if (stage.defaultRouteSettings !== undefined) {
    methodSettings['*/*'] = methodSettingOut(stage.defaultRouteSettings)
  }
  for (const [key, settings] of Object.entries(stage.routeSettings ?? {})) {
    methodSettings[methodSettingsKey(key)] = methodSettingOut(settings)
  }
  const out: Record<string, unknown> = {
    stageName: stage.stageName,
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings,
    tracingEnabled: false,
    createdDate: epochSeconds(stage.createdDate),
    lastUpdatedDate: epochSeconds(stage.lastUpdatedDate),
  }
  if (stage.deploymentId !== undefined) out.deploymentId = stage.deploymentId
  if (stage.description !== undefined) out.description = stage.description
  if (stage.variables !== undefined) out.variables = stage.variables
  if (stage.accessLogSettings !== undefined) out.accessLogSettings = stage.accessLogSettings
  if (stage.canarySettings !== undefined) {
    out.canarySettings = { useStageCache: false, ...stage.canarySettings }
  }
  if (stage.tags !== undefined) out.tags = stage.tags
  return out
}

/** AWS `CanarySettings` input, with the deployment it points at. */
export function canaryFromInput(input: JsonObject, deploymentId: string): CanarySettingsConfig {
  const percent = optNumber(input, 'percentTraffic') ?? 0
  if (percent < 0 || percent > 100) {
    badRequest("'canarySettings.percentTraffic' must be between 0 and 100")
  }
  optBool(input, 'useStageCache') // accepted; Portico's canary shares the stage cache settings
  const canary: CanarySettingsConfig = { percentTraffic: percent, deploymentId }
  const overrides = optStringMap(input, 'stageVariableOverrides')
  if (overrides !== undefined) canary.stageVariableOverrides = overrides
  return canary
}

/** Checks and writes a stage, then records the change. Returns the stored document. */
export async function saveStage(
  c: Context<GatewayEnv>,
  stage: StageConfig,
  action: string
): Promise<StageConfig> {
  const checked = checkStageConfig(stage)
  if (!checked.ok) throw invalidConfig('stage', checked.error)
  // Compiles what the stage will serve with its variables (e.g. a variable that turns an
  // upstream URL into a private address) before the stage points at it.
  const deployable = await checkStageDeployable(c.env.ROUTES, checked.value)
  if (!deployable.ok) throw invalidConfig('stage', deployable.error)
  await configStore.putStage(c.env.ROUTES, checked.value)
  await recordWrite(c, action, `/restapis/${stage.apiId}/stages/${stage.stageName}`)
  return checked.value
}
