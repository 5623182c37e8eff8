/**
 * Request authorizers (AWS Lambda authorizers) on `authorizationType: CUSTOM` routes. Per
 * request: resolve the identity sources (any missing: 401 without calling), check a TOKEN against
 * `identityValidationExpression` (401 without calling), take the cached decision or call the
 * authorizer, then evaluate the decision against this request's ARN: explicit Deny or no matching
 * Allow is 403, "Unauthorized" is 401, an authorizer that fails is 500 — never a pass. An allowed
 * caller's `principalId`, `context` and `usageIdentifierKey` go to `ctx.identity` (mapping,
 * Lambda events, API key source AUTHORIZER). A route whose authorizer is unknown or unusable is
 * built as a 500 AUTHORIZER_CONFIGURATION_ERROR (fail closed).
 */
import { GatewayError } from '../../../errors/gateway-error'
import type { Policy, PolicyHandler, RequestContext } from '../../../pipeline/types'
import { resolveIdentitySource } from '../identity-source'
import { claimAuthorizationType } from '../unsupported-auth'
import { executeApiArn } from './arn'
import { compileRequestAuthorizer, type CompiledRequestAuthorizer } from './compile'
import { evaluate, parseAuthorizerOutput, type AuthorizerDecision } from './decision'
import { buildAuthorizerEvent } from './event'
import { invokeAuthorizer } from './invoke'
import {
  AuthorizerResultCache,
  ISOLATE_RESULT_CACHE,
  resultCacheKey,
  type CacheScope,
} from './result-cache'
import { MAX_TOKEN_LENGTH } from './token-pattern'

// This policy runs CUSTOM authorizers: the fail-closed guard stops answering for them.
claimAuthorizationType('CUSTOM')

/** The isolate's cache and clock; tests pass their own. */
export interface RequestAuthorizerState {
  readonly cache: AuthorizerResultCache
  readonly now: () => number
  /** Calls in progress by cache key: concurrent misses for one identity share one call. */
  readonly inFlight: Map<string, Promise<AuthorizerDecision>>
}

const ISOLATE_STATE: RequestAuthorizerState = {
  cache: ISOLATE_RESULT_CACHE,
  now: () => Date.now(),
  inFlight: new Map(),
}

// AWS REST wording for the two denials; HTTP APIs answer {"message":"Forbidden"}.
const EXPLICIT_DENY = 'User is not authorized to access this resource with an explicit deny'
const NO_ALLOW = 'User is not authorized to access this resource'

function unauthorized(reason: string): GatewayError {
  return new GatewayError('UNAUTHORIZED', { reason })
}

function denied(ctx: RequestContext, message: string, reason: string): GatewayError {
  return new GatewayError('ACCESS_DENIED', {
    reason,
    ...(ctx.protocol === 'HTTP' ? {} : { message }),
  })
}

function failClosed(reason: string): PolicyHandler {
  return () => Promise.reject(new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', { reason }))
}

/** The identity-source values, or 401 when one is missing or a TOKEN is refused. */
function identityOf(ctx: RequestContext, authorizer: CompiledRequestAuthorizer): string[] {
  const values: string[] = []
  for (const source of authorizer.sources) {
    const value = resolveIdentitySource(ctx, source)
    if (value === undefined) throw unauthorized(`identity source ${source.name} is missing`)
    values.push(value)
  }
  const token = values[0]
  if (authorizer.type === 'TOKEN' && token !== undefined) {
    if (token.length > MAX_TOKEN_LENGTH) throw unauthorized('token over the length cap')
    if (authorizer.tokenPattern !== undefined && !authorizer.tokenPattern.test(token)) {
      throw unauthorized('token does not match identityValidationExpression')
    }
  }
  return values
}

async function callAuthorizer(
  ctx: RequestContext,
  authorizer: CompiledRequestAuthorizer,
  identity: readonly string[],
  arn: string
): Promise<{ decision: AuthorizerDecision; bytes: number }> {
  const event = buildAuthorizerEvent(ctx, authorizer, identity, arn)
  const answer = await invokeAuthorizer(ctx, authorizer.target, event, authorizer.timeoutMs)
  if (answer.kind === 'unauthorized') throw unauthorized('authorizer answered 401')
  if (answer.kind === 'forbidden') throw denied(ctx, NO_ALLOW, 'authorizer answered 403')
  const parsed = parseAuthorizerOutput(answer.value, authorizer.simpleResponses)
  if (!parsed.ok) {
    throw new GatewayError('AUTHORIZER_FAILURE', { reason: `authorizer answer: ${parsed.error}` })
  }
  if (parsed.value.kind === 'unauthorized') throw unauthorized('authorizer answered Unauthorized')
  return { decision: parsed.value, bytes: answer.bytes }
}

async function decide(
  ctx: RequestContext,
  authorizer: CompiledRequestAuthorizer,
  state: RequestAuthorizerState,
  identity: readonly string[],
  arn: string
): Promise<AuthorizerDecision> {
  if (authorizer.ttlSeconds === 0) {
    return (await callAuthorizer(ctx, authorizer, identity, arn)).decision
  }
  const scope: CacheScope = {
    apiId: ctx.api.id,
    stage: ctx.stage.name,
    deploymentId: ctx.stage.deploymentId,
    generation: ctx.stage.authorizerCacheGeneration ?? 0,
    authorizerId: authorizer.id,
  }
  const key = await resultCacheKey(scope, identity)
  const cached = state.cache.get(key, state.now())
  if (cached !== undefined) return cached
  const pending = state.inFlight.get(key)
  if (pending !== undefined) return pending
  const call = callAuthorizer(ctx, authorizer, identity, arn).then(({ decision, bytes }) => {
    const ttlMs = authorizer.ttlSeconds * 1000
    state.cache.set(key, decision, { scope, ttlMs, bytes, now: state.now() })
    return decision
  })
  state.inFlight.set(key, call)
  try {
    return await call
  } finally {
    state.inFlight.delete(key)
  }
}

function admit(ctx: RequestContext, decision: AuthorizerDecision, arn: string): void {
  if (decision.kind === 'unauthorized') throw unauthorized('authorizer answered Unauthorized')
  const verdict = evaluate(decision, arn)
  if (verdict === 'deny') throw denied(ctx, EXPLICIT_DENY, 'authorizer policy denies this ARN')
  if (verdict === 'no-allow') throw denied(ctx, NO_ALLOW, 'authorizer policy allows no such ARN')
  ctx.identity.authorizerContext = { ...decision.context }
  if (decision.kind === 'policy') {
    if (decision.principalId !== undefined) ctx.identity.principalId = decision.principalId
    // AWS: the key counts only with apiKeySource AUTHORIZER; otherwise it is not kept at all.
    if (decision.usageIdentifierKey !== undefined && ctx.api.apiKeySource === 'AUTHORIZER') {
      ctx.identity.apiKey = decision.usageIdentifierKey
    }
  }
}

/** Builds the request-authorizer step; `state` is the isolate's unless a test passes its own. */
export function createRequestAuthorizerPolicy(
  state: RequestAuthorizerState = ISOLATE_STATE
): Policy {
  return {
    name: 'authorization',
    build({ api, route }): PolicyHandler | undefined {
      if (route.authorizationType !== 'CUSTOM') return undefined
      const config = api.authorizers?.find((a) => a.id === route.authorizerId)
      if (config === undefined) {
        return failClosed(`route ${route.routeKey} refers to an unknown authorizer`)
      }
      const compiled = compileRequestAuthorizer(config, api)
      if (!compiled.ok) {
        const problems = compiled.error.map((p) => `${p.field} ${p.message}`).join('; ')
        return failClosed(`route ${route.routeKey}: authorizer ${config.id}: ${problems}`)
      }
      const authorizer = compiled.value
      return async (ctx, next) => {
        const identity = identityOf(ctx, authorizer)
        const arn = executeApiArn(ctx)
        admit(ctx, await decide(ctx, authorizer, state, identity, arn), arn)
        return next()
      }
    },
  }
}

/** The registered request-authorizer policy (isolate-wide result cache). */
export const requestAuthorizerPolicy: Policy = createRequestAuthorizerPolicy()
