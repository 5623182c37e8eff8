/**
 * Write-time checks for config documents: schema + semantic validation (config/validate.ts) and
 * a compile dry run of what the edge will build (route table, integrations, SSRF after stage
 * variable substitution). The admin API calls these before writing anything, so a document it
 * accepts is one the edge can serve.
 */
import { buildIntegration } from '../integrations'
import { compileVariant, routeTableIssues } from '../pipeline/build'
import { err, ok, type Result } from '../result'
import { compileRouteTable } from '../routing/route-table'
import { KV_KEYS, readRaw } from '../storage/config-store'
import type { ApiConfig, DomainNameConfig, StageConfig } from './types'
import {
  describeIssues,
  parseConfigText,
  validateApiConfig,
  validateDomainNameConfig,
  validateStageConfig,
  type ConfigIssue,
} from './validate'

export type { ConfigIssue } from './validate'

/** Problems the edge would hit building this API (beyond what the schema says). */
export function compileIssues(api: ApiConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const table = compileRouteTable(api.routes, api.protocolType)
  if (!table.ok) issues.push(...routeTableIssues(table.error))
  api.integrations.forEach((integration, index) => {
    // URIs built from stage variables are checked per stage (checkStageDeployable).
    if (integration.integrationUri?.includes('${stageVariables.') === true) return
    // Built once per route that uses it (placeholders must name that route's parameters); an
    // integration no route uses yet is checked by the schema and SSRF rules only, as AWS allows
    // creating it before its route.
    for (const route of api.routes.filter((r) => r.integrationId === integration.id)) {
      const built = buildIntegration(integration, { api, route, stageVariables: {} })
      if (!built.ok) {
        issues.push({
          path: `/integrations/${String(index)}`,
          message: `${built.error} (as used by route ${route.routeKey})`,
        })
        return
      }
    }
  })
  return issues
}

export function checkApiConfig(doc: unknown): Result<ApiConfig, ConfigIssue[]> {
  const validated = validateApiConfig(doc)
  if (!validated.ok) return validated
  const issues = compileIssues(validated.value)
  return issues.length === 0 ? validated : err(issues)
}

export function checkStageConfig(doc: unknown): Result<StageConfig, ConfigIssue[]> {
  return validateStageConfig(doc)
}

export function checkDomainNameConfig(doc: unknown): Result<DomainNameConfig, ConfigIssue[]> {
  return validateDomainNameConfig(doc)
}

/**
 * Compile the deployment(s) a stage points at with the stage's variables, as the edge will:
 * catches stage variables that make a URI invalid or point it at a private host.
 */
export async function checkStageDeployable(
  kv: KVNamespace,
  stage: StageConfig
): Promise<Result<StageConfig, ConfigIssue[]>> {
  const targets: { deploymentId: string; vars: Record<string, string>; path: string }[] = []
  const vars = stage.variables ?? {}
  if (stage.deploymentId !== undefined) {
    targets.push({ deploymentId: stage.deploymentId, vars, path: '/deploymentId' })
  }
  const canary = stage.canarySettings
  if (canary !== undefined) {
    targets.push({
      deploymentId: canary.deploymentId,
      vars: { ...vars, ...canary.stageVariableOverrides },
      path: '/canarySettings/deploymentId',
    })
  }
  const issues: ConfigIssue[] = []
  for (const target of targets) {
    const text = await readRaw(kv, KV_KEYS.deployment(stage.apiId, target.deploymentId))
    if (text === null) {
      issues.push({ path: target.path, message: `deployment ${target.deploymentId} not found` })
      continue
    }
    const deployment = parseConfigText(text, 'deployment', { edge: true })
    if (!deployment.ok) {
      issues.push({ path: target.path, message: describeIssues('deployment', deployment.error) })
      continue
    }
    const compiled = compileVariant(deployment.value, stage, target.vars, false)
    const found = compiled.ok ? compiled.value.routeIssues : compiled.error
    for (const issue of found) {
      issues.push({ path: target.path, message: `${issue.path}: ${issue.message}` })
    }
  }
  return issues.length === 0 ? ok(stage) : err(issues)
}
