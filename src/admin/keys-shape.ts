/**
 * Wire shapes of API keys, usage plans and usage plan keys (AWS apigateway v1 `ApiKey`,
 * `UsagePlan`, `UsagePlanKey`). A key's value is never part of these: only `CreateApiKey`
 * returns it, once (admin/api-keys.ts).
 */
import type { ApiKeyRecord, UsagePlanRecord } from '../storage/usage-plan-types'
import { epochSeconds } from './rest-api-shape'

/** AWS `ApiKey` without `value`; `valuePrefix` is a Portico extra (SDKs ignore unknown fields). */
export function apiKeyOut(key: ApiKeyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: key.id,
    name: key.name,
    enabled: key.enabled,
    createdDate: epochSeconds(key.createdDate),
    lastUpdatedDate: epochSeconds(key.lastUpdatedDate),
    stageKeys: [],
    valuePrefix: key.valuePrefix,
  }
  if (key.description !== undefined) out.description = key.description
  if (key.customerId !== undefined) out.customerId = key.customerId
  if (key.tags !== undefined) out.tags = key.tags
  return out
}

/** AWS `UsagePlanKey`. `value` is omitted: only the hash is kept. */
export function usagePlanKeyOut(key: ApiKeyRecord): Record<string, unknown> {
  return { id: key.id, type: 'API_KEY', name: key.name }
}

/** AWS `UsagePlan`. */
export function usagePlanOut(plan: UsagePlanRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: plan.id,
    name: plan.name,
    apiStages: plan.apiStages,
  }
  if (plan.description !== undefined) out.description = plan.description
  if (plan.throttle !== undefined) out.throttle = plan.throttle
  if (plan.quota !== undefined) out.quota = plan.quota
  if (plan.tags !== undefined) out.tags = plan.tags
  return out
}
