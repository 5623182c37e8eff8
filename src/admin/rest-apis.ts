/**
 * apigateway v1 RestApi resource: CreateRestApi, ImportRestApi, GetRestApis, GetRestApi,
 * PutRestApi, UpdateRestApi, DeleteRestApi — AWS paths, query options and JSON shapes.
 */
import { Hono, type Context } from 'hono'
import { checkApiConfig } from '../config/check'
import { newApiId } from '../config/ids'
import type { ApiConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { configStore, KV_KEYS, readRaw } from '../storage/config-store'
import { deleteApiTree, listApiIds, loadApi, StoredConfigError } from '../storage/config-queries'
import { recordWrite } from './commit'
import { badRequest, invalidConfig, notFound } from './errors'
import {
  jsonBody,
  optBool,
  optObject,
  optString,
  optStringList,
  optStringMap,
  page,
  pagingQuery,
} from './input'
import { importBody, mergeApis } from './rest-api-import'
import { applyRestApiPatch } from './rest-api-patch'
import { readPolicy } from './rest-api-policy'
import { nowIso, requireRestApi, restApiOut } from './rest-api-shape'
import { resourceId } from './resources'

export const restApiRoutes = new Hono<GatewayEnv>()

async function out(api: ApiConfig, warnings?: readonly string[]): Promise<Record<string, unknown>> {
  return restApiOut(api, await resourceId(api.id, '/'), warnings)
}

/** A fresh API id not in use (ids are random; a clash is astronomically rare but checked). */
async function freshApiId(kv: KVNamespace): Promise<string> {
  for (;;) {
    const id = newApiId()
    if ((await readRaw(kv, KV_KEYS.api(id))) === null) return id
  }
}

async function save(c: Context<GatewayEnv>, api: ApiConfig, action: string): Promise<ApiConfig> {
  const checked = checkApiConfig(api)
  if (!checked.ok) throw invalidConfig('API definition', checked.error)
  await configStore.putApi(c.env.ROUTES, checked.value)
  await recordWrite(c, action, `/restapis/${api.id}`)
  return checked.value
}

async function importRestApi(c: Context<GatewayEnv>): Promise<Response> {
  const id = await freshApiId(c.env.ROUTES)
  const { api, warnings } = await importBody(c, id, nowIso())
  const saved = await save(c, api, 'ImportRestApi')
  return c.json(await out(saved, warnings), 201)
}

async function createRestApi(c: Context<GatewayEnv>): Promise<Response> {
  const body = await jsonBody(c)
  const name = optString(body, 'name')
  if (name === undefined || name.trim() === '') return badRequest("'name' is required")
  // IP conditions become the resource policy; a policy Portico cannot enforce is a 400.
  const policyText = optString(body, 'policy')
  const policy = policyText === undefined ? undefined : readPolicy(policyText)
  optObject(body, 'endpointConfiguration') // accepted for SDK compatibility; Portico is global
  const api: ApiConfig = {
    schemaVersion: 1,
    id: await freshApiId(c.env.ROUTES),
    name,
    protocolType: 'REST',
    createdDate: nowIso(),
    routes: [],
    integrations: [],
  }
  const cloneFrom = optString(body, 'cloneFrom')
  if (cloneFrom !== undefined) {
    const source = await loadApi(c.env.ROUTES, cloneFrom)
    if (source === null || source.protocolType !== 'REST') {
      return notFound(`Invalid API identifier specified ${cloneFrom}`)
    }
    api.routes = source.routes
    api.integrations = source.integrations
    if (source.gatewayResponses !== undefined) api.gatewayResponses = source.gatewayResponses
    if (source.binaryMediaTypes !== undefined) api.binaryMediaTypes = source.binaryMediaTypes
  }
  const description = optString(body, 'description')
  const version = optString(body, 'version')
  const media = optStringList(body, 'binaryMediaTypes')
  const tags = optStringMap(body, 'tags')
  const disable = optBool(body, 'disableExecuteApiEndpoint')
  const keySource = optString(body, 'apiKeySource')
  if (keySource !== undefined && keySource !== 'HEADER' && keySource !== 'AUTHORIZER') {
    return badRequest("'apiKeySource' must be HEADER or AUTHORIZER")
  }
  if (description !== undefined) api.description = description
  if (version !== undefined) api.version = version
  if (media !== undefined) api.binaryMediaTypes = media
  if (tags !== undefined) api.tags = tags
  if (disable !== undefined) api.disableExecuteApiEndpoint = disable
  if (keySource !== undefined) api.apiKeySource = keySource
  if (policy !== undefined) api.resourcePolicy = policy
  const saved = await save(c, api, 'CreateRestApi')
  return c.json(await out(saved), 201)
}

restApiRoutes.post('/restapis', (c) => {
  const mode = c.req.query('mode')
  if (mode === 'import') return importRestApi(c)
  if (mode !== undefined) return badRequest("'mode' must be import")
  return createRestApi(c)
})

restApiRoutes.get('/restapis', async (c) => {
  const paging = pagingQuery(c)
  const apis: ApiConfig[] = []
  for (const id of await listApiIds(c.env.ROUTES)) {
    try {
      const api = await loadApi(c.env.ROUTES, id)
      if (api !== null && api.protocolType === 'REST') apis.push(api)
    } catch (error) {
      // One hand-broken document must not hide every other API from the list.
      if (!(error instanceof StoredConfigError)) throw error
      console.error(JSON.stringify({ level: 'warn', msg: 'skipping invalid api', key: error.key }))
    }
  }
  const result = page(apis, (a) => a.id, paging)
  const item = await Promise.all(result.item.map((a) => out(a)))
  return c.json(result.position === undefined ? { item } : { item, position: result.position })
})

restApiRoutes.get('/restapis/:restApiId', async (c) => {
  return c.json(await out(await requireRestApi(c, c.req.param('restApiId'))))
})

restApiRoutes.put('/restapis/:restApiId', async (c) => {
  const existing = await requireRestApi(c, c.req.param('restApiId'))
  const mode = c.req.query('mode') ?? 'merge' // AWS: the default update mode is merge
  if (mode !== 'merge' && mode !== 'overwrite') {
    return badRequest("'mode' must be merge or overwrite")
  }
  const { api: imported, warnings } = await importBody(c, existing.id, existing.createdDate)
  const next: ApiConfig =
    mode === 'merge'
      ? mergeApis(existing, imported)
      : { ...imported, createdDate: existing.createdDate }
  if (mode === 'overwrite' && imported.tags === undefined && existing.tags !== undefined) {
    next.tags = existing.tags
  }
  const saved = await save(c, next, 'PutRestApi')
  return c.json(await out(saved, warnings))
})

restApiRoutes.patch('/restapis/:restApiId', async (c) => {
  const existing = await requireRestApi(c, c.req.param('restApiId'))
  const next = applyRestApiPatch(existing, await jsonBody(c))
  const saved = await save(c, next, 'UpdateRestApi')
  return c.json(await out(saved))
})

restApiRoutes.delete('/restapis/:restApiId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  await deleteApiTree(c.env.ROUTES, api.id)
  await recordWrite(c, 'DeleteRestApi', `/restapis/${api.id}`)
  return c.body(null, 202)
})
