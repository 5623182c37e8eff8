/**
 * Fail-closed guard (DESIGN §5): a route that asks for an authorizer or an API key this build
 * cannot check is never served unauthenticated. JWT/request authorizers, IAM and API keys answer
 * here until their policies are registered; then those policies take over the route.
 */
import { GatewayError } from '../../errors/gateway-error'
import type { Policy, PolicyHandler } from '../../pipeline/types'

const CHECKED_ELSEWHERE = new Set<string>()

/** Lets a real authorization policy claim an authorization type (e.g. 'JWT'). */
export function claimAuthorizationType(type: string): void {
  CHECKED_ELSEWHERE.add(type)
}

export const unsupportedAuthPolicy: Policy = {
  name: 'authorization',
  build({ route }): PolicyHandler | undefined {
    const type = route.authorizationType ?? 'NONE'
    if (type !== 'NONE' && !CHECKED_ELSEWHERE.has(type)) {
      const reason = `route ${route.routeKey} requires ${type} authorization, which is not available`
      return () => Promise.reject(new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', { reason }))
    }
    if (route.apiKeyRequired === true && !CHECKED_ELSEWHERE.has('API_KEY')) {
      // AWS wire contract for a missing/invalid key: 403 {"message":"Forbidden"}.
      const reason = `route ${route.routeKey} requires an API key; no key can be valid yet`
      return () => Promise.reject(new GatewayError('INVALID_API_KEY', { reason }))
    }
    return undefined
  },
}
