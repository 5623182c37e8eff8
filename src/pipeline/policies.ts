/**
 * The policy registry. Each policy declares its name; the pipeline orders them by POLICY_ORDER
 * (DESIGN §4), never by registration or config order. Later capabilities (API keys, throttling,
 * authorizers, validation, CORS, caching) register here.
 */
import { unsupportedAuthPolicy } from '../policies/authorization/unsupported-auth'
import { POLICY_ORDER, type Policy } from './types'

const REGISTERED: readonly Policy[] = [unsupportedAuthPolicy]

/** Registered policies sorted by their fixed place in the pipeline. */
export const POLICIES: readonly Policy[] = [...REGISTERED].sort(
  (a, b) => POLICY_ORDER.indexOf(a.name) - POLICY_ORDER.indexOf(b.name)
)
