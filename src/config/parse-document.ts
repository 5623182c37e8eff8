/**
 * Parse + validate one KV document's text at load time, never throwing. Like
 * `parseConfigText`, but with the edge's deployment check (route-level problems allowed).
 */
import type { Result } from '../result'
import { err } from '../result'
import type { ApiConfig, DeploymentConfig, DomainNameConfig, StageConfig } from './types'
import { MAX_CONFIG_BYTES } from './limits'
import {
  validateApiConfig,
  validateDeploymentForEdge,
  validateDomainNameConfig,
  validateStageConfig,
} from './validate'

interface DocumentKinds {
  api: ApiConfig
  stage: StageConfig
  deployment: DeploymentConfig
  domain: DomainNameConfig
}

const VALIDATORS: {
  [K in keyof DocumentKinds]: (
    doc: unknown
  ) => Result<DocumentKinds[K], { path: string; message: string }[]>
} = {
  api: validateApiConfig,
  stage: validateStageConfig,
  // Route-level problems do not refuse the whole deployment at the edge (validate.ts).
  deployment: validateDeploymentForEdge,
  domain: validateDomainNameConfig,
}

export function parseDocument<K extends keyof DocumentKinds>(
  kind: K,
  text: string
): Result<DocumentKinds[K], string> {
  if (text.length > MAX_CONFIG_BYTES) return err(`${kind} document is larger than the 1 MiB cap`)
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    return err(
      `${kind} document is not valid JSON (${e instanceof Error ? e.message : 'parse error'})`
    )
  }
  const validated = VALIDATORS[kind](doc)
  if (validated.ok) return validated
  const issues = validated.error.slice(0, 5).map((i) => `${i.path || '/'}: ${i.message}`)
  return err(`${kind} document is invalid: ${issues.join('; ')}`)
}
