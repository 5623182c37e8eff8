/**
 * OpenAPI bodies of ImportRestApi (`POST /restapis?mode=import`) and PutRestApi
 * (`PUT /restapis/{id}?mode=overwrite|merge`): query options, the import call, and merge mode.
 */
import type { Context } from 'hono'
import { checkApiConfig } from '../config/check'
import { newResourceId } from '../config/ids'
import type { ApiConfig, IntegrationConfig, RouteConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { importOpenApi } from '../openapi/import'
import { adminBody } from './context'
import { badRequest, invalidConfig } from './errors'
import { importedOrThrow } from './import-errors'
import { isRecord } from './input'
import { mergeAccess } from './rest-api-merge-access'

export interface ImportedApi {
  api: ApiConfig
  warnings: string[]
}

type Basepath = 'ignore' | 'prepend' | 'split'

/** AWS query options: `failonwarnings=true|false`, `basepath=ignore|prepend|split`. */
function importQuery(c: Context<GatewayEnv>): { failOnWarnings: boolean; basepath?: Basepath } {
  const fail = c.req.query('failonwarnings')
  if (fail !== undefined && fail !== 'true' && fail !== 'false') {
    return badRequest("'failonwarnings' must be true or false")
  }
  const raw = c.req.query('basepath')
  if (raw === undefined) return { failOnWarnings: fail === 'true' }
  const basepath = (['ignore', 'prepend', 'split'] as const).find((b) => b === raw)
  if (basepath === undefined) return badRequest("'basepath' must be one of ignore, prepend, split")
  return { failOnWarnings: fail === 'true', basepath }
}

/**
 * Imports the request body as a REST API with the given id, then runs the write-time config
 * check. Import errors and config issues are one 400 naming each path.
 */
export async function importBody(
  c: Context<GatewayEnv>,
  apiId: string,
  createdDate: string
): Promise<ImportedApi> {
  const { failOnWarnings, basepath } = importQuery(c)
  const body = await adminBody(c)
  if (body.byteLength === 0) return badRequest('The API definition body is empty')
  const result = importOpenApi(body, {
    protocolType: 'REST',
    failOnWarnings,
    ...(basepath === undefined ? {} : { basepath }),
    apiId,
    createdDate,
    newId: () => newResourceId(),
  })
  // Models, security schemes, validators… are kept so that GetExport gives them back.
  const { api, extras, warnings } = importedOrThrow(result, failOnWarnings)
  const candidate: ApiConfig =
    Object.keys(extras).length > 0 ? { ...api, openapiExtras: extras } : api
  const checked = checkApiConfig(candidate)
  if (!checked.ok) throw invalidConfig('API definition', checked.error)
  return { api: checked.value, warnings }
}

/** Document-level extras: imported keys win; `components` maps are merged one level down. */
function mergeExtras(
  existing: Record<string, unknown> | undefined,
  imported: Record<string, unknown> | undefined
): Record<string, unknown> | undefined {
  if (existing === undefined || imported === undefined) return imported ?? existing
  const merged: Record<string, unknown> = { ...existing, ...imported }
  const a = existing.components
  const b = imported.components
  if (isRecord(a) && isRecord(b)) {
    const components: Record<string, unknown> = { ...a, ...b }
    for (const [key, value] of Object.entries(b)) {
      const old = a[key]
      if (isRecord(old) && isRecord(value)) components[key] = { ...old, ...value }
    }
    merged.components = components
  }
  return merged
}

/**
 * AWS merge mode: the imported definition's methods are added to the API or replace a method of
 * the same path and verb; everything else is kept. Top-level name and description stay.
 */
export function mergeApis(existing: ApiConfig, imported: ApiConfig): ApiConfig {
  const importedKeys = new Set(imported.routes.map((r) => r.routeKey))
  const kept = existing.routes.filter((r) => !importedKeys.has(r.routeKey))
  const usedIds = new Set([...kept, ...imported.routes].map((r) => r.id))
  // Imported ids are fresh; a clash with a kept id is possible only in theory, but ids must stay unique.
  const renamed = new Map<string, string>()
  const routes: RouteConfig[] = [...kept]
  for (const route of imported.routes) {
    if (kept.some((k) => k.id === route.id)) {
      let id = newResourceId()
      while (usedIds.has(id)) id = newResourceId()
      usedIds.add(id)
      routes.push({ ...route, id })
    } else {
      routes.push(route)
    }
  }
  const keptIntegrationIds = new Set(kept.map((r) => r.integrationId))
  const integrations: IntegrationConfig[] = existing.integrations.filter((i) =>
    keptIntegrationIds.has(i.id)
  )
  const taken = new Set(integrations.map((i) => i.id))
  for (const integration of imported.integrations) {
    if (taken.has(integration.id)) {
      let id = newResourceId()
      while (taken.has(id)) id = newResourceId()
      renamed.set(integration.id, id)
      integrations.push({ ...integration, id })
      taken.add(id)
    } else {
      integrations.push(integration)
      taken.add(integration.id)
    }
  }
  const merged: ApiConfig = {
    ...imported,
    ...existing,
    routes: routes.map((r) => {
      const to = r.integrationId === undefined ? undefined : renamed.get(r.integrationId)
      return to === undefined || !importedKeys.has(r.routeKey) ? r : { ...r, integrationId: to }
    }),
    integrations,
  }
  const responses = { ...existing.gatewayResponses, ...imported.gatewayResponses }
  if (Object.keys(responses).length > 0) merged.gatewayResponses = responses
  const media = [
    ...new Set([...(existing.binaryMediaTypes ?? []), ...(imported.binaryMediaTypes ?? [])]),
  ]
  if (media.length > 0) merged.binaryMediaTypes = media
  if (imported.importWarnings !== undefined) merged.importWarnings = imported.importWarnings
  else delete merged.importWarnings
  const extras = mergeExtras(existing.openapiExtras, imported.openapiExtras)
  if (extras !== undefined) merged.openapiExtras = extras
  mergeAccess(merged, existing, imported, importedKeys)
  return merged
}
