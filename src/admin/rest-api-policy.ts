/**
 * RestApi `policy` (IAM JSON text) ⇄ `ApiConfig.resourcePolicy`. Only IP conditions are
 * enforceable (openapi/iam-policy.ts); any other shape is a 400 naming the statement, so a Deny
 * is never silently dropped. On output the stored lists are written back as an IAM policy.
 */
import type { ApiConfig, ResourcePolicyConfig } from '../config/types'
import { exportIamPolicy, importIamPolicy } from '../openapi/iam-policy'
import { badRequest } from './errors'

/** Policy text → IP lists; undefined for an Allow-everyone policy (nothing to enforce). */
export function readPolicy(text: string): ResourcePolicyConfig | undefined {
  if (text.trim() === '') return undefined
  const result = importIamPolicy(text, '')
  if (!result.ok) {
    const reasons = result.error.map((e) => `${e.path === '' ? '/' : e.path}: ${e.message}`)
    return badRequest(`Invalid 'policy': ${reasons.join('; ')}`)
  }
  return result.value.policy
}

/** The `policy` field of AWS `RestApi`, when the API has one. */
export function policyOut(api: ApiConfig): string | undefined {
  return api.resourcePolicy === undefined
    ? undefined
    : JSON.stringify(exportIamPolicy(api.resourcePolicy))
}
