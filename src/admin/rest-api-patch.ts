/**
 * UpdateRestApi patch operations (AWS "RestApi patch operations"): name, description, version,
 * apiKeySource, disableExecuteApiEndpoint, binaryMediaTypes, policy (IP conditions only). Anything else is a 400, never a
 * silent no-op.
 */
import type { ApiConfig } from '../config/types'
import { badRequest } from './errors'
import type { JsonObject } from './input'
import { invalidPatch, parsePatchOperations, pathSegments, requireValue } from './patch'
import { readPolicy } from './rest-api-policy'

/** Applies the body's patch operations to a copy of the API. */
export function applyRestApiPatch(existing: ApiConfig, body: JsonObject): ApiConfig {
  const api: ApiConfig = structuredClone(existing)
  for (const op of parsePatchOperations(body)) {
    const [field, sub, ...more] = pathSegments(op.path)
    if (more.length > 0) invalidPatch(op)
    if (field === 'binaryMediaTypes' && sub !== undefined) {
      // AWS: `/binaryMediaTypes/image~1png` with add or remove (`/` escaped as `~1`).
      const types = new Set(api.binaryMediaTypes ?? [])
      if (op.op === 'add') types.add(sub)
      else if (op.op === 'remove') types.delete(sub)
      else if (op.op === 'replace') {
        types.delete(sub)
        types.add(requireValue(op))
      } else invalidPatch(op)
      if (types.size > 0) api.binaryMediaTypes = [...types]
      else delete api.binaryMediaTypes
      continue
    }
    if (sub !== undefined || op.op !== 'replace') invalidPatch(op)
    const value = requireValue(op)
    switch (field) {
      case 'name':
        if (value.trim() === '') badRequest("'name' must not be empty")
        api.name = value
        break
      case 'description':
        if (value === '') delete api.description
        else api.description = value
        break
      case 'version':
        if (value === '') delete api.version
        else api.version = value
        break
      case 'apiKeySource':
        if (value !== 'HEADER' && value !== 'AUTHORIZER') {
          badRequest("'apiKeySource' must be HEADER or AUTHORIZER")
        }
        api.apiKeySource = value
        break
      case 'disableExecuteApiEndpoint':
        if (value !== 'true' && value !== 'false') {
          badRequest("'disableExecuteApiEndpoint' must be true or false")
        }
        api.disableExecuteApiEndpoint = value === 'true'
        break
      case 'policy': {
        const policy = readPolicy(value)
        if (policy === undefined) delete api.resourcePolicy
        else api.resourcePolicy = policy
        break
      }
      default:
        invalidPatch(op)
    }
  }
  return api
}
