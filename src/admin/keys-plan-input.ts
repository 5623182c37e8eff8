/**
 * Checks of usage plan input (CreateUsagePlan bodies and UpdateUsagePlan results): throttle,
 * quota and apiStages as AWS validates them, and every API stage must exist in the route config.
 */
import type { Context } from 'hono'
import { toQuota, toThrottle } from '../api-keys/stored-json'
import type { GatewayEnv } from '../env'
import type { QuotaSettings, ThrottleSettings } from '../rate-limit/types'
import { KV_KEYS, readRaw } from '../storage/config-store'
import type { UsagePlanApiStage } from '../storage/usage-plan-types'
import { badRequest } from './errors'
import { isRecord } from './input'

/** AWS caps a plan's API stages; this also bounds the JSON column and the clash query. */
const MAX_API_STAGES = 100
const MAX_METHOD_OVERRIDES = 200
/** A per-method throttle key: `/{resourcePath}/{METHOD}` (AWS `"/pets/GET"`, `"*"` any). */
const METHOD_KEY = /^\/[^\s]*\/(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|\*)$/

/** A `throttle` input (`{rateLimit, burstLimit}`), or a 400 naming `where`. */
export function throttleInput(value: unknown, where: string): ThrottleSettings {
  const parsed = toThrottle(value)
  return parsed.ok ? parsed.value : badRequest(`Invalid '${where}': ${parsed.error}`)
}

/** A `quota` input; `offset` defaults to 0 as in AWS. */
export function quotaInput(value: unknown): QuotaSettings {
  const withOffset = isRecord(value) && value.offset === undefined ? { ...value, offset: 0 } : value
  const parsed = toQuota(withOffset)
  return parsed.ok ? parsed.value : badRequest(`Invalid 'quota': ${parsed.error}`)
}

/** Per-method overrides of one API stage. */
export function methodThrottles(value: unknown, where: string): Record<string, ThrottleSettings> {
  if (!isRecord(value)) return badRequest(`'${where}' must be a map of method throttles`)
  const entries = Object.entries(value)
  if (entries.length > MAX_METHOD_OVERRIDES) {
    return badRequest(`'${where}' has more than ${String(MAX_METHOD_OVERRIDES)} entries`)
  }
  const out: Record<string, ThrottleSettings> = {}
  for (const [key, settings] of entries) {
    if (!METHOD_KEY.test(key)) {
      return badRequest(`'${where}' key '${key}' must look like /{resourcePath}/{httpMethod}`)
    }
    out[key] = throttleInput(settings, `${where}.${key}`)
  }
  return out
}

/** The `apiStages` list of a create body, shape-checked (existence: `checkStagesExist`). */
export function apiStagesInput(value: unknown): UsagePlanApiStage[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) return badRequest("'apiStages' must be a list")
  return value.map((entry: unknown, i) => {
    const where = `apiStages[${String(i)}]`
    if (!isRecord(entry)) return badRequest(`'${where}' must be an object`)
    const { apiId, stage, throttle } = entry
    if (typeof apiId !== 'string' || typeof stage !== 'string' || apiId === '' || stage === '') {
      return badRequest(`'${where}' needs 'apiId' and 'stage'`)
    }
    const out: UsagePlanApiStage = { apiId, stage }
    if (throttle !== undefined && throttle !== null) {
      out.throttle = methodThrottles(throttle, `${where}.throttle`)
    }
    return out
  })
}

/** 400 unless stages are distinct, few enough, and each names an existing API stage. */
export async function checkStagesExist(
  c: Context<GatewayEnv>,
  stages: readonly UsagePlanApiStage[]
): Promise<void> {
  if (stages.length > MAX_API_STAGES) {
    return badRequest(`A usage plan may cover at most ${String(MAX_API_STAGES)} API stages`)
  }
  const seen = new Set<string>()
  for (const { apiId, stage } of stages) {
    const name = `${apiId}:${stage}`
    if (seen.has(name)) return badRequest(`API stage ${name} is listed twice`)
    seen.add(name)
    // Shape-check before the KV read: the id goes into a KV key.
    if (!/^[a-z0-9]{1,64}$/.test(apiId) || !/^[\w-]{1,128}$/.test(stage)) {
      return badRequest(`Invalid API stage ${name}`)
    }
    if ((await readRaw(c.env.ROUTES, KV_KEYS.stage(apiId, stage))) === null) {
      return badRequest(`Invalid API stage: ${name} does not exist`)
    }
  }
}
