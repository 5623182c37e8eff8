/** Shared options and helpers for the OpenAPI import/export tests. */
import type { ApiConfig } from '../../src/config/types'
import { importOpenApi } from '../../src/openapi/import'
import type { ImportOptions, ImportResult } from '../../src/openapi/types'

/** Deterministic ids: `id001`, `id002` … so expectations can name them. */
export function options(overrides: Partial<ImportOptions> = {}): ImportOptions {
  let n = 0
  return {
    protocolType: 'REST',
    apiId: 'abcde12345',
    createdDate: '2026-11-27T00:00:00.000Z',
    newId: () => `id${String(++n).padStart(3, '0')}`,
    ...overrides,
  }
}

/** Imports and fails the test with the errors when the import is refused. */
export function mustImport(input: string, overrides: Partial<ImportOptions> = {}): ImportResult {
  const result = importOpenApi(input, options(overrides))
  if (!result.ok) throw new Error(`import refused: ${JSON.stringify(result.error, null, 2)}`)
  return result.value
}

/** Route table as `routeKey → integration type + uri`, for compact expectations. */
export function routeTable(api: ApiConfig): Record<string, string> {
  return Object.fromEntries(
    api.routes.map((r) => {
      const i = api.integrations.find((x) => x.id === r.integrationId)
      return [r.routeKey, i === undefined ? '(none)' : `${i.type} ${i.integrationUri ?? ''}`.trim()]
    })
  )
}

/** Warning paths only (the part before the first `: `). */
export function warningPaths(warnings: string[]): string[] {
  return warnings.map((w) => w.slice(0, w.indexOf(': ')))
}

/** An ApiConfig with route/integration ids replaced by positions (round-trip comparisons). */
export function withoutIds(api: ApiConfig): unknown {
  const index = new Map(api.integrations.map((i, n) => [i.id, `integration-${String(n)}`]))
  const rest: Partial<ApiConfig> = { ...api }
  delete rest.importWarnings
  return {
    ...rest,
    routes: api.routes.map((r) => {
      const copy: Partial<typeof r> = { ...r }
      delete copy.id
      if (r.integrationId !== undefined) copy.integrationId = index.get(r.integrationId) ?? ''
      return copy
    }),
    integrations: api.integrations.map((i) => ({ ...i, id: index.get(i.id) })),
  }
}
