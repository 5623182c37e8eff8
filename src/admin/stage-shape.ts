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
import { type JsonObject, jsonBody, optBool, optNumber, optString, optStringMap } from './input'
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

/** AWS `UnauthorizedCacheControlHeaderStrategy`. */
export const UNAUTHORIZED_CACHE_CONTROL_STRATEGIES = [
  'FAIL_WITH_403',
  'SUCCEED_WITH_RESPONSE_HEADER',
  'SUCCEED_WITHOUT_RESPONSE_HEADER',
] as const

/** AWS `CacheClusterSize` values (GB). */
export const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237']

/**
 * A cache cluster size AWS accepts, or a 400. Portico has no cluster (the Cache API is sized by
 * Cloudflare), so the size is checked for AWS tools' sake and never stored.
 */
export function checkCacheClusterSize(value: string, field: string): void {
  if (!CACHE_CLUSTER_SIZES.includes(value)) {
    badRequest(
      `Invalid value '${value}' for '${field}': expected one of ${CACHE_CLUSTER_SIZES.join(', ')}`
    )
  }
}

/**
 * The stage cache fields of a CreateStage or CreateDeployment body (`cacheClusterEnabled`,
 * `cacheClusterSize`) applied to `stage`; absent fields leave it as it is.
 */
export function applyStageCacheInput(stage: StageConfig, body: JsonObject): void {
  const enabled = optBool(body, 'cacheClusterEnabled')
  const size = optString(body, 'cacheClusterSize')
  if (size !== undefined) checkCacheClusterSize(size, 'cacheClusterSize')
  if (enabled === true) stage.cacheClusterEnabled = true
  else if (enabled === false) delete stage.cacheClusterEnabled
}

function methodSettingOut(s: RouteSettingsConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    metricsEnabled: s.detailedMetricsEnabled ?? false,
    loggingLevel: s.loggingLevel ?? 'OFF',
    dataTraceEnabled: false,
    throttlingBurstLimit: s.throttlingBurstLimit ?? -1,
    throttlingRateLimit: s.throttlingRateLimit ?? -1,
    cachingEnabled: s.cachingEnabled ?? false,
    cacheTtlInSeconds: s.cacheTtlInSeconds ?? 300,
    cacheDataEncrypted: false,
    requireAuthorizationForCacheControl: s.requireAuthorizationForCacheControl ?? true,
    unauthorizedCacheControlHeaderStrategy:
      s.unauthorizedCacheControlHeaderStrategy ?? 'SUCCEED_WITH_RESPONSE_HEADER',
  }
  // Portico's own setting (not in AWS's MethodSetting; SDKs skip unknown members).
  if (s.cacheNonSuccessResponses !== undefined) {
    out.cacheNonSuccessResponses = s.cacheNonSuccessResponses
  }
  return out
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
    cacheClusterEnabled: stage.cacheClusterEnabled === true,
    // No cluster to create or delete: the Cache API is there as soon as the stage enables it.
    cacheClusterStatus: stage.cacheClusterEnabled === true ? 'AVAILABLE' : 'NOT_AVAILABLE',
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
  if (action === 'CreateDeployment') {
    // AWS CreateDeployment takes `cacheClusterEnabled`/`cacheClusterSize` for its stage; the
    // body is read again here (admin bodies are buffered) so deployments.ts needs no change.
    stage = { ...stage }
    applyStageCacheInput(stage, await jsonBody(c))
  }
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
