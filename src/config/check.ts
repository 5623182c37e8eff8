/**
 * Write-time checks for config documents: schema + semantic validation and a compile dry run
 * (route table, integrations, SSRF after stage-variable substitution). The admin API calls these
 * before writing anything; the edge loader runs the same checks when it loads a document.
 * PROVISIONAL: the lead is wiring this to config/validate.ts and pipeline/build.ts.
 */
import type { ApiConfig, DomainNameConfig, StageConfig } from './types'
import type { Result } from '../result'
import { ok } from '../result'

/** A problem in a config document: JSON Pointer path + human-readable reason. */
export interface ConfigIssue {
  path: string
  message: string
}

export function checkApiConfig(doc: unknown): Result<ApiConfig, ConfigIssue[]> {
  return ok(doc as ApiConfig)
}

export function checkStageConfig(doc: unknown): Result<StageConfig, ConfigIssue[]> {
  return ok(doc as StageConfig)
}

export function checkDomainNameConfig(doc: unknown): Result<DomainNameConfig, ConfigIssue[]> {
  return ok(doc as DomainNameConfig)
}
