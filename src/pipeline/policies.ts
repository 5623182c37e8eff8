/**
 * The policy registry. Each policy declares its name; the pipeline orders them by POLICY_ORDER
 * (DESIGN §4), never by registration or config order. Later capabilities (API keys, throttling,
 * authorizers, validation, CORS, caching) register here.
 */
import { apiKeyPolicy } from '../policies/api-key/api-key-policy'
import { jwtAuthorizerPolicy } from '../policies/authorization/jwt/jwt-policy'
import { requestAuthorizerPolicy } from '../policies/authorization/request/request-authorizer-policy'
import { unsupportedAuthPolicy } from '../policies/authorization/unsupported-auth'
import { cachePolicy } from '../policies/cache/cache-policy'
import { corsPolicy } from '../policies/cors/cors-policy'
import { resourcePolicy } from '../policies/resource-policy/resource-policy'
import { throttlePolicy } from '../policies/throttle/throttle-policy'
import { validatePolicy } from '../policies/validate/validate-policy'
import { POLICY_ORDER, type Policy } from './types'

// Within one step registration order holds (stable sort): the API-key check runs after any
// authorizer, whose identity (`usageIdentifierKey`) it may use.
const REGISTERED: readonly Policy[] = [
  corsPolicy,
  resourcePolicy,
  unsupportedAuthPolicy,
  requestAuthorizerPolicy,
  jwtAuthorizerPolicy,
  apiKeyPolicy,
  throttlePolicy,
  validatePolicy,
  cachePolicy,
]

/** Registered policies sorted by their fixed place in the pipeline. */
export const POLICIES: readonly Policy[] = [...REGISTERED].sort(
  (a, b) => POLICY_ORDER.indexOf(a.name) - POLICY_ORDER.indexOf(b.name)
)
