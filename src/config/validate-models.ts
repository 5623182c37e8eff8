/**
 * Write-time checks of models and request validators (AWS Model / RequestValidator): unique
 * names, schemas that compile as safe draft-4 models (policies/validate/compile-model.ts: no
 * remote `$ref`, vetted regexes, bounded size and work), and routes that refer to existing
 * validators and models. On the edge's load path (`routeLevel: false`) only the API-wide name
 * checks run: a model that does not compile breaks the routes using it (built as 500
 * API_CONFIGURATION_ERROR by the validate policy), not the whole API.
 */
import { compileModel } from '../policies/validate/compile-model'
import type { ApiConfig } from './types'
import type { SemanticOptions } from './validate-api'
import { pointer, type ConfigIssue } from './validate-issues'

function uniqueBy<T>(
  items: readonly T[],
  key: (item: T) => string,
  at: (index: number) => string,
  what: string
): ConfigIssue[] {
  const seen = new Set<string>()
  const issues: ConfigIssue[] = []
  items.forEach((item, index) => {
    const value = key(item)
    if (seen.has(value))
      issues.push({ path: at(index), message: `duplicate ${what} ${JSON.stringify(value)}` })
    seen.add(value)
  })
  return issues
}

/** Issues of `api.models`, `api.requestValidators` and the routes' references to them. */
export function modelIssues(api: ApiConfig, base: string, options: SemanticOptions): ConfigIssue[] {
  const models = api.models ?? []
  const validators = api.requestValidators ?? []
  const issues: ConfigIssue[] = [
    ...uniqueBy(
      models,
      (m) => m.id,
      (i) => `${base}${pointer('models', i, 'id')}`,
      'model id'
    ),
    ...uniqueBy(
      models,
      (m) => m.name,
      (i) => `${base}${pointer('models', i, 'name')}`,
      'model name'
    ),
    ...uniqueBy(
      validators,
      (v) => v.id,
      (i) => `${base}${pointer('requestValidators', i, 'id')}`,
      'request validator id'
    ),
    ...uniqueBy(
      validators,
      (v) => v.name,
      (i) => `${base}${pointer('requestValidators', i, 'name')}`,
      'request validator name'
    ),
  ]
  if (!options.routeLevel) return issues
  const byName = new Map(models.map((m) => [m.name, m]))
  models.forEach((model, i) => {
    const compiled = compileModel(model.name, byName)
    if (!compiled.ok) {
      issues.push({ path: `${base}${pointer('models', i, 'schema')}`, message: compiled.error })
    }
  })
  const validatorIds = new Set(validators.map((v) => v.id))
  api.routes.forEach((route, i) => {
    const id = route.requestValidatorId
    if (id !== undefined && !validatorIds.has(id)) {
      issues.push({
        path: `${base}${pointer('routes', i, 'requestValidatorId')}`,
        message: `refers to unknown request validator ${JSON.stringify(id)}`,
      })
    }
    for (const [mediaType, name] of Object.entries(route.requestModels ?? {})) {
      if (!byName.has(name)) {
        issues.push({
          path: `${base}${pointer('routes', i, 'requestModels', mediaType)}`,
          message: `refers to unknown model ${JSON.stringify(name)}`,
        })
      }
    }
  })
  return issues
}
