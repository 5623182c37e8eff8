/**
 * The JWT authorizer (AWS HTTP API JWT authorizers, also on REST routes): routes with
 * `authorizationType: 'JWT'`. Per request: token from the identity source → signature against the
 * provider's JWKS with pinned algorithms → iss/aud/exp/nbf/iat → route scopes. Outcomes (AWS):
 * no or bad token 401 UNAUTHORIZED, missing scope 403 ACCESS_DENIED, keys unobtainable 500
 * AUTHORIZER_CONFIGURATION_ERROR; in every failure case the upstream is not called. The verified
 * claims become `ctx.identity.claims` (`$context.authorizer.claims.*`, Lambda events) and `sub`
 * the principal id. Token values are never logged.
 */
import { GatewayError } from '../../../errors/gateway-error'
import type { Policy, PolicyHandler, RequestContext } from '../../../pipeline/types'
import { resolveIdentitySource } from '../identity-source'
import { claimAuthorizationType } from '../unsupported-auth'
import { extractToken, tokenFromSubprotocols } from './bearer-token'
import { checkClaims, parseClaims, type Claims } from './claims'
import { KeyCache, KeysUnavailable } from './key-cache'
import type { KeySet } from './key-set'
import { compileJwtSettings, type JwtSettings } from './jwt-settings'
import { keySourceResolver } from './key-source'
import { hasRequiredScope } from './scopes'
import { pinnedAlgorithms, verifySignature } from './verify-signature'

// This policy checks JWT routes: the fail-closed guard stops answering for them.
claimAuthorizationType('JWT')

/** The isolate's key cache and clock; tests pass their own. */
export interface JwtAuthorizerState {
  readonly keys: KeyCache
  /** epoch ms */
  readonly now: () => number
}

const now = (): number => Date.now()
const ISOLATE_STATE: JwtAuthorizerState = {
  now,
  keys: new KeyCache({ now, fetcher: (url, init) => fetch(url, init) }),
}

function unauthorized(reason: string): GatewayError {
  return new GatewayError('UNAUTHORIZED', { reason: `JWT authorizer: ${reason}` })
}

async function keysFor(
  state: JwtAuthorizerState,
  source: Parameters<KeyCache['keys']>[0]
): Promise<KeySet> {
  try {
    return await state.keys.keys(source)
  } catch (cause) {
    if (!(cause instanceof KeysUnavailable)) throw cause
    throw new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', {
      reason: `JWT authorizer: no usable keys (${cause.message})`,
      cause,
    })
  }
}

/** The per-request work for one route's compiled settings. */
export function buildJwtHandler(settings: JwtSettings, state: JwtAuthorizerState): PolicyHandler {
  const sourceFor = keySourceResolver(settings)
  const algorithms = pinnedAlgorithms(settings.algorithms)

  async function authenticate(ctx: RequestContext, token: string): Promise<Claims> {
    const source = sourceFor(ctx.stage.variables)
    if (!source.ok) {
      throw new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', {
        reason: `JWT authorizer ${settings.authorizerId}: ${source.error}`,
      })
    }
    const keys = await keysFor(state, source.value)
    let verified = await verifySignature(token, keys, algorithms)
    if (!verified.ok && verified.error.kind === 'no-matching-key') {
      const newer = await state.keys.keysForUnknownKid(source.value, keys)
      if (newer !== undefined) verified = await verifySignature(token, newer, algorithms)
    }
    if (!verified.ok) throw unauthorized(verified.error.reason)
    const claims = parseClaims(verified.value)
    if (!claims.ok) throw unauthorized(claims.error)
    const checked = checkClaims(claims.value, settings.claims, Math.floor(state.now() / 1000))
    if (!checked.ok) throw unauthorized(checked.error)
    return checked.value
  }

  return async (ctx, next) => {
    const source = settings.identitySource
    const value = resolveIdentitySource(ctx, source)
    const token = extractToken(
      source.kind === 'header' && source.name === 'sec-websocket-protocol'
        ? tokenFromSubprotocols(value)
        : value
    )
    if (!token.ok) throw unauthorized(token.error)
    const claims = await authenticate(ctx, token.value)
    if (!hasRequiredScope(claims, settings.scopes)) {
      throw new GatewayError('ACCESS_DENIED', {
        reason: 'JWT authorizer: the token has none of the route scopes',
      })
    }
    const sub = claims.sub
    ctx.identity = {
      ...ctx.identity,
      claims,
      ...(typeof sub === 'string' ? { principalId: sub } : {}),
    }
    return next()
  }
}

/** The policy; `state` is the isolate's unless a test passes its own. */
export function createJwtAuthorizerPolicy(state: JwtAuthorizerState = ISOLATE_STATE): Policy {
  return {
    name: 'authorization',
    build({ api, route }): PolicyHandler | undefined {
      if (route.authorizationType !== 'JWT') return undefined
      const settings = compileJwtSettings(api, route)
      if (!settings.ok) {
        const reason = `route ${route.routeKey}: ${settings.error}`
        return () => Promise.reject(new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', { reason }))
      }
      return buildJwtHandler(settings.value, state)
    },
  }
}

export const jwtAuthorizerPolicy = createJwtAuthorizerPolicy()
