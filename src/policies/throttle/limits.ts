/**
 * Which bucket a request counts against, and with which limits (pure). A request with a usage
 * plan counts against its (plan, key) object: the plan's throttle, or the per-method override
 * `apiStages[].throttle['/path/METHOD']` in its own bucket of that object as AWS, plus the plan's
 * quota shared by all of the object's buckets. Otherwise the stage's
 * route settings apply (HTTP API `routeSettings[routeKey]`, REST `methodSettings` as
 * `'/path/METHOD'`, over `defaultRouteSettings`), one object per (API, stage, route).
 */
import type { RouteSettingsConfig } from '../../config/types'
import type { ConsumeRequest, ThrottleSettings } from '../../rate-limit/types'
import type { UsagePlanRecord } from '../../storage/usage-plan-types'
import { routeSpecificSettings, type RouteNames, type SettingsMap } from '../route-settings'

/** Plan tag that lets requests through when the limiter store fails (logged). DESIGN §5. */
export const FAIL_OPEN_TAG = 'portico:failOpen'

/** `'/path/METHOD'` keys for a request, most specific first (the request method, then ANY). */
export function methodKeys(resourcePath: string, method: string, routeMethod: string): string[] {
  const keys = [`${resourcePath}/${method}`]
  if (routeMethod !== method) keys.push(`${resourcePath}/${routeMethod}`)
  return keys
}

/**
 * The plan's throttle for this route: a per-method override wins over the plan-wide one. An
 * override also names its own bucket (the `'/path/METHOD'` key that matched), as AWS keeps one
 * bucket per method: it never drains the plan-wide bucket the other methods share.
 */
export function planThrottle(
  plan: Readonly<UsagePlanRecord>,
  apiId: string,
  stage: string,
  keys: readonly string[]
): { throttle?: ThrottleSettings; bucket?: string } {
  const apiStage = plan.apiStages.find((s) => s.apiId === apiId && s.stage === stage)
  const overrides = apiStage?.throttle
  if (overrides !== undefined) {
    for (const key of keys) {
      // Own keys only: a method key must never resolve to something on the prototype.
      const override = Object.hasOwn(overrides, key) ? overrides[key] : undefined
      if (override !== undefined) return { throttle: override, bucket: key }
    }
  }
  return plan.throttle === undefined ? {} : { throttle: plan.throttle }
}

/** What one plan-keyed request asks of its object. */
export function planRequest(
  plan: Readonly<UsagePlanRecord>,
  keyId: string,
  limits: { throttle?: ThrottleSettings; bucket?: string }
): ConsumeRequest {
  const { throttle, bucket } = limits
  return {
    ...(throttle === undefined ? {} : { throttle }),
    ...(throttle === undefined || bucket === undefined ? {} : { bucket }),
    ...(plan.quota === undefined ? {} : { quota: plan.quota }),
    usage: { planId: plan.id, keyId },
  }
}

/** Whether the plan opted in to fail-open throttling (tag `portico:failOpen=true`). */
export function planFailsOpen(plan: Readonly<UsagePlanRecord>): boolean {
  return plan.tags?.[FAIL_OPEN_TAG] === 'true'
}

/**
 * Stage/route default throttling for a request method, or `undefined` when none is set. The
 * route's own settings (../route-settings.ts) override the stage default field by field; a lone
 * burst refills at the burst per second, a lone rate gets a burst of the rate rounded up (never an
 * unusable bucket of 0 by omission).
 */
export function routeThrottle(
  names: RouteNames,
  method: string,
  defaults: RouteSettingsConfig | undefined,
  perRoute: SettingsMap | undefined
): ThrottleSettings | undefined {
  const specific = routeSpecificSettings(perRoute, names, method)
  const burst = specific?.throttlingBurstLimit ?? defaults?.throttlingBurstLimit
  const rate = specific?.throttlingRateLimit ?? defaults?.throttlingRateLimit
  if (burst === undefined && rate === undefined) return undefined
  return {
    burstLimit: burst ?? Math.ceil(rate ?? 0),
    rateLimit: rate ?? burst ?? 0,
  }
}
