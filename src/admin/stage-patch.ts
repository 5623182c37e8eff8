/**
 * UpdateStage patch operations (AWS "Stage patch operations" and "Promote a canary release"):
 * deployment (rollback = repoint), description, variables, access log settings, canary settings,
 * the stage cache (`/cacheClusterEnabled`, `/cacheClusterSize`) and method settings
 * `/{resourcePath}/{method}/{group}/{field}` (`/*\/*` = stage defaults).
 * Unsupported paths are a 400. Referenced deployments are checked by the caller.
 */
import type { CanarySettingsConfig, RouteSettingsConfig, StageConfig } from '../config/types'
import { badRequest } from './errors'
import type { JsonObject } from './input'
import { checkCacheClusterSize, UNAUTHORIZED_CACHE_CONTROL_STRATEGIES } from './stage-shape'
import {
  invalidPatch,
  parsePatchOperations,
  pathSegments,
  requireValue,
  type PatchOperation,
} from './patch'

type Canary = Partial<CanarySettingsConfig>

function number(op: PatchOperation, min: number, max: number, integer: boolean): number {
  const raw = requireValue(op)
  const n = Number(raw)
  if (
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    n < min ||
    n > max ||
    (integer && !Number.isInteger(n))
  ) {
    return badRequest(
      `Invalid value '${raw}' for '${op.path}': expected a number from ${String(min)} to ${String(max)}`
    )
  }
  return n
}

function bool(op: PatchOperation): boolean {
  const raw = requireValue(op)
  if (raw !== 'true' && raw !== 'false') return badRequest(`'${op.path}' must be true or false`)
  return raw === 'true'
}

function setMapEntry(
  map: Record<string, string> | undefined,
  name: string,
  op: PatchOperation
): Record<string, string> | undefined {
  if (op.op !== 'remove' && op.op !== 'add' && op.op !== 'replace') invalidPatch(op)
  const next = Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => k !== name))
  if (op.op !== 'remove') next[name] = requireValue(op)
  return Object.keys(next).length > 0 ? next : undefined
}

/** `/{path}/{method}/{group}/{field}` → one field of a route's (or the default) settings. */
function applySetting(
  settings: RouteSettingsConfig,
  group: string,
  field: string,
  op: PatchOperation
): void {
  if (op.op !== 'replace') invalidPatch(op)
  const key = `${group}/${field}`
  if (key === 'throttling/rateLimit') settings.throttlingRateLimit = number(op, 0, 1e9, false)
  else if (key === 'throttling/burstLimit') settings.throttlingBurstLimit = number(op, 0, 1e9, true)
  else if (key === 'caching/enabled') settings.cachingEnabled = bool(op)
  // AWS: cache TTL is 0–3600 seconds.
  else if (key === 'caching/ttlInSeconds') settings.cacheTtlInSeconds = number(op, 0, 3600, true)
  else if (key === 'caching/requireAuthorizationForCacheControl') {
    settings.requireAuthorizationForCacheControl = bool(op)
  } else if (key === 'caching/unauthorizedCacheControlHeaderStrategy') {
    const raw = requireValue(op)
    const strategy = UNAUTHORIZED_CACHE_CONTROL_STRATEGIES.find((s) => s === raw)
    if (strategy === undefined) {
      badRequest(
        `Invalid value '${raw}' for '${op.path}': expected one of ${UNAUTHORIZED_CACHE_CONTROL_STRATEGIES.join(', ')}`
      )
    }
    settings.unauthorizedCacheControlHeaderStrategy = strategy
  }
  // Portico: cache non-2xx responses too (never by default).
  else if (key === 'caching/cacheNonSuccessResponses') settings.cacheNonSuccessResponses = bool(op)
  else if (key === 'metrics/enabled') settings.detailedMetricsEnabled = bool(op)
  else if (key === 'logging/loglevel') {
    const level = requireValue(op)
    if (level !== 'OFF' && level !== 'ERROR' && level !== 'INFO') {
      badRequest("'logging/loglevel' must be OFF, ERROR or INFO")
    }
    settings.loggingLevel = level
  } else invalidPatch(op)
}

function applyMethodSetting(stage: StageConfig, segs: string[], op: PatchOperation): void {
  const [resourcePath = '', method = '', group, field] = segs
  const isDefault = resourcePath === '*' && method === '*'
  if (!isDefault && (!resourcePath.startsWith('/') || !/^(?:[A-Z]+)$/.test(method))) {
    return invalidPatch(op)
  }
  const routeKey = `${method} ${resourcePath}`
  if (group === undefined || field === undefined) {
    // `remove /~1pets/GET`: drop that method's settings.
    if (op.op !== 'remove' || segs.length !== 2) return invalidPatch(op)
    if (isDefault) delete stage.defaultRouteSettings
    else if (stage.routeSettings !== undefined) {
      stage.routeSettings = Object.fromEntries(
        Object.entries(stage.routeSettings).filter(([k]) => k !== routeKey)
      )
    }
    return
  }
  if (segs.length !== 4) return invalidPatch(op)
  if (isDefault) {
    stage.defaultRouteSettings = { ...stage.defaultRouteSettings }
    applySetting(stage.defaultRouteSettings, group, field, op)
    return
  }
  const all = { ...stage.routeSettings }
  const one = { ...all[routeKey] }
  applySetting(one, group, field, op)
  all[routeKey] = one
  stage.routeSettings = all
}

function applyCanary(
  canary: Canary | undefined,
  segs: string[],
  op: PatchOperation
): Canary | undefined {
  const [, field, name, ...more] = segs
  if (field === undefined) {
    if (op.op !== 'remove') invalidPatch(op)
    return undefined
  }
  const next: Canary = { ...canary }
  if (field === 'stageVariableOverrides' && name !== undefined && more.length === 0) {
    const overrides = setMapEntry(next.stageVariableOverrides, name, op)
    if (overrides === undefined) delete next.stageVariableOverrides
    else next.stageVariableOverrides = overrides
    return next
  }
  if (name !== undefined || op.op !== 'replace') return invalidPatch(op)
  if (field === 'percentTraffic') next.percentTraffic = number(op, 0, 100, false)
  else if (field === 'deploymentId') next.deploymentId = requireValue(op)
  else if (field === 'useStageCache') bool(op)
  else invalidPatch(op)
  return next
}

function applyCopy(stage: StageConfig, canary: Canary | undefined, op: PatchOperation): void {
  if (canary === undefined) return badRequest(`'${op.path}': the stage has no canary to copy from`)
  if (op.from === '/canarySettings/deploymentId' && op.path === '/deploymentId') {
    if (canary.deploymentId === undefined) return invalidPatch(op)
    stage.deploymentId = canary.deploymentId
  } else if (op.from === '/canarySettings/stageVariableOverrides' && op.path === '/variables') {
    const merged = { ...stage.variables, ...canary.stageVariableOverrides }
    if (Object.keys(merged).length > 0) stage.variables = merged
  } else invalidPatch(op)
}

/** Applies the body's patch operations to a copy of the stage. */
export function applyStagePatch(existing: StageConfig, body: JsonObject): StageConfig {
  const stage: StageConfig = structuredClone(existing)
  let canary: Canary | undefined = stage.canarySettings
  for (const op of parsePatchOperations(body)) {
    const segs = pathSegments(op.path)
    const [head, name] = segs
    if (op.op === 'copy') applyCopy(stage, canary, op)
    else if (head === 'deploymentId' && segs.length === 1 && op.op === 'replace') {
      stage.deploymentId = requireValue(op)
    } else if (head === 'cacheClusterEnabled' && segs.length === 1 && op.op === 'replace') {
      if (bool(op)) stage.cacheClusterEnabled = true
      else delete stage.cacheClusterEnabled
    } else if (head === 'cacheClusterSize' && segs.length === 1 && op.op === 'replace') {
      // Accepted for AWS tools; the Cache API has no cluster to size, so nothing is stored.
      checkCacheClusterSize(requireValue(op), op.path)
    } else if (head === 'description' && segs.length === 1 && op.op === 'replace') {
      const d = requireValue(op)
      if (d === '') delete stage.description
      else stage.description = d
    } else if (head === 'variables' && name !== undefined && segs.length === 2) {
      const vars = setMapEntry(stage.variables, name, op)
      if (vars === undefined) delete stage.variables
      else stage.variables = vars
    } else if (head === 'accessLogSettings' && segs.length === 1 && op.op === 'remove') {
      delete stage.accessLogSettings
    } else if (head === 'accessLogSettings' && segs.length === 2 && op.op === 'replace') {
      const v = requireValue(op)
      if (name === 'format') stage.accessLogSettings = { ...stage.accessLogSettings, format: v }
      else if (name === 'destinationArn') {
        stage.accessLogSettings = { format: '', ...stage.accessLogSettings, destinationArn: v }
      } else invalidPatch(op)
    } else if (head === 'canarySettings') canary = applyCanary(canary, segs, op)
    else if (segs.length === 2 || segs.length === 4) applyMethodSetting(stage, segs, op)
    else invalidPatch(op)
  }
  if (canary === undefined) delete stage.canarySettings
  else {
    if (canary.deploymentId === undefined) {
      return badRequest("'canarySettings.deploymentId' is required for a canary")
    }
    stage.canarySettings = {
      ...canary,
      percentTraffic: canary.percentTraffic ?? 0,
      deploymentId: canary.deploymentId,
    }
  }
  if (stage.accessLogSettings?.format === '') {
    return badRequest("'accessLogSettings.format' must be set")
  }
  return stage
}
