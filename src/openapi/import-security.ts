/**
 * OpenAPI `security` → route authorization. API keys (`api_key`, or an apiKey scheme on header
 * `x-api-key`) set `apiKeyRequired` (AWS "x-amazon-apigateway-api-key-source"). A scheme that
 * became an authorizer (import-authorizers.ts) sets the route's `authorizerId`. Schemes Portico
 * cannot run (Cognito user pools, `x-amazon-apigateway-authtype: awsSigv4`) keep their
 * authorizationType without an authorizer: the route fails closed instead of being served
 * unauthenticated.
 */
import type { RouteConfig } from '../config/types'
import type { Diagnostics } from './diagnostics'
import type { JsonObject } from './json'
import { child, isRecord, isStringArray } from './json'

type Authorization = Pick<
  RouteConfig,
  'apiKeyRequired' | 'authorizationType' | 'authorizationScopes' | 'authorizerId'
>
type Kind = 'API_KEY' | NonNullable<RouteConfig['authorizationType']> | undefined

/** What a security scheme means for Portico; undefined when it is neither a key nor an authorizer. */
export function schemeKind(name: string, scheme: unknown): Kind {
  if (!isRecord(scheme)) return name === 'api_key' ? 'API_KEY' : undefined
  const authorizer = scheme['x-amazon-apigateway-authorizer']
  if (isRecord(authorizer) && typeof authorizer.type === 'string') {
    const type = authorizer.type.toLowerCase()
    if (type === 'jwt') return 'JWT'
    if (type === 'cognito_user_pools') return 'COGNITO_USER_POOLS'
    return 'CUSTOM'
  }
  const authtype = scheme['x-amazon-apigateway-authtype']
  if (typeof authtype === 'string') {
    if (authtype.toLowerCase() === 'awssigv4') return 'AWS_IAM'
    if (authtype.toLowerCase() === 'cognito_user_pools') return 'COGNITO_USER_POOLS'
  }
  const header = typeof scheme.name === 'string' ? scheme.name.toLowerCase() : ''
  if (scheme.type === 'apiKey' && scheme.in === 'header' && header === 'x-api-key') return 'API_KEY'
  return undefined
}

/** Authorization of one operation; `security` is the operation's or the document's. */
export function importSecurity(
  security: unknown,
  path: string,
  schemes: JsonObject,
  authorizerIds: ReadonlyMap<string, string>,
  d: Diagnostics
): Authorization {
  const out: Authorization = {}
  if (security === undefined) return out
  if (!Array.isArray(security)) {
    d.error(path, 'security must be an array of security requirement objects')
    return out
  }
  security.forEach((requirement: unknown, i) => {
    if (!isRecord(requirement)) {
      d.error(child(path, i), 'A security requirement must be an object')
      return
    }
    for (const [name, scopes] of Object.entries(requirement)) {
      const at = child(path, i, name)
      if (!isStringArray(scopes)) {
        d.error(at, 'Security requirement scopes must be an array of strings')
        continue
      }
      const kind = schemeKind(name, schemes[name])
      if (kind === 'API_KEY') out.apiKeyRequired = true
      else if (kind === undefined) {
        d.warn(
          at,
          schemes[name] === undefined
            ? `Security scheme ${name} is not defined; it is not enforced`
            : `Security scheme ${name} is not an API key or API Gateway authorizer; it is not enforced`
        )
      } else {
        out.authorizationType = kind
        if (scopes.length > 0) out.authorizationScopes = scopes
        const authorizerId = authorizerIds.get(name)
        if (authorizerId !== undefined) {
          out.authorizerId = authorizerId
          continue
        }
        // AWS names the authorizer by its security scheme; keep that name as the reference.
        if (kind !== 'AWS_IAM' && /^[A-Za-z0-9_-]{1,64}$/.test(name)) out.authorizerId = name
        d.warn(
          at,
          `Authorization ${kind} (scheme ${name}) is not supported yet: the route keeps ` +
            'its authorizationType without an authorizer and is refused until one is configured'
        )
      }
    }
  })
  return out
}
