/** Parse + validate one KV document's text at load time, never throwing. */
import type { Result } from '../result'
import { err } from '../result'
import type { ApiConfig, DeploymentConfig, DomainNameConfig, StageConfig } from './types'
import {
  validateApiConfig,
  validateDeploymentConfig,
  validateDomainNameConfig,
  validateStageConfig,
} from './validate'

interface DocumentKinds {
  api: ApiConfig
  stage: StageConfig
  deployment: DeploymentConfig
  domain: DomainNameConfig
}

/** KV values are capped at 25 MiB by the platform; config documents far below that. */
const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024

const VALIDATORS: {
  [K in keyof DocumentKinds]: (
    doc: unknown
  ) => Result<DocumentKinds[K], { path: string; message: string }[]>
} = {
  api: validateApiConfig,
  stage: validateStageConfig,
  deployment: validateDeploymentConfig,
  domain: validateDomainNameConfig,
}

export function parseDocument<K extends keyof DocumentKinds>(
  kind: K,
  text: string
): Result<DocumentKinds[K], string> {
  if (text.length > MAX_DOCUMENT_BYTES) return err(`${kind} document is larger than 4 MiB`)
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
