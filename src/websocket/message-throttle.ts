/**
 * Per-message throttling and quotas: every message of a connection admitted with an API key
 * counts against its (usage plan, key) RateLimiter object — the plan's throttle and quota, as
 * a request would. A connection without a key counts against the stage's route settings for the
 * selected route key (`routeSettings['sendMessage']` over `defaultRouteSettings`), if any.
 * A failing limiter refuses the message (fail closed) unless the plan opted in to fail-open.
 */
import type { GatewayBindings } from '../env'
import { DEFAULT_LIMITER, type Limiter } from '../policies/throttle/limiter'
import { routeThrottle } from '../policies/throttle/limits'
import type { ResolvedStage } from '../pipeline/types'
import { routeObjectName } from '../rate-limit/limiter-client'
import type { ConnectionState, MessageBucket } from './connection-state'

export type MessageAdmission = 'allowed' | 'throttled' | 'failed'

function stageBucket(
  state: ConnectionState,
  stage: ResolvedStage,
  routeKey: string
): MessageBucket | undefined {
  const { defaultRouteSettings, routeSettings } = stage
  if (defaultRouteSettings === undefined && routeSettings === undefined) return undefined
  const names = { routeKey, resourcePath: routeKey, routeMethod: 'ANY' }
  const throttle = routeThrottle(names, 'ANY', defaultRouteSettings, routeSettings)
  if (throttle === undefined) return undefined
  return {
    objectName: routeObjectName(state.apiId, state.stage, routeKey),
    request: { throttle },
    failOpen: false,
  }
}

/** Counts one message; `failed` means the limiter could not answer and the bucket fails closed. */
export async function admitMessage(
  env: GatewayBindings,
  state: ConnectionState,
  stage: ResolvedStage,
  routeKey: string,
  limiter: Limiter = DEFAULT_LIMITER
): Promise<MessageAdmission> {
  const bucket = state.bucket ?? stageBucket(state, stage, routeKey)
  if (bucket === undefined) return 'allowed'
  try {
    const result = await limiter.consume(env, bucket.objectName, bucket.request)
    return result.allowed ? 'allowed' : 'throttled'
  } catch (cause) {
    console.log(
      JSON.stringify({
        level: 'error',
        event: bucket.failOpen ? 'ws_throttle_fail_open' : 'ws_throttle_failed',
        object: bucket.objectName,
        cause: cause instanceof Error ? cause.message : String(cause),
      })
    )
    return bucket.failOpen ? 'allowed' : 'failed'
  }
}
