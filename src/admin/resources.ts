/**
 * AWS REST API resources (GetResources / GetResource), derived from the API's routes: one
 * resource per path prefix, its methods from the routes on that path. Portico stores routes, not
 * resources, so resource ids are derived from (apiId, path): stable across reads and deploys,
 * the same shape as AWS's (10 chars `[a-z0-9]`).
 */
import { Hono } from 'hono'
import type { ApiConfig, RouteConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { notFound } from './errors'
import { page, pagingQuery } from './input'
import { requireRestApi } from './rest-api-shape'

export interface AwsResource {
  id: string
  parentId?: string
  pathPart?: string
  path: string
  resourceMethods?: Record<string, Record<string, unknown>>
}

/** Deterministic resource id: base-36 of SHA-256(apiId + path), 10 characters. */
export async function resourceId(apiId: string, path: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${apiId}\n${path}`)
  )
  let out = ''
  for (const byte of new Uint8Array(digest).slice(0, 10)) out += (byte % 36).toString(36)
  return out
}

/** `GET /pets/{id}` → ['GET', '/pets/{id}']; null for keys without a path (`$default`). */
export function splitRouteKey(routeKey: string): [string, string] | null {
  const m = /^([A-Z]+) (\/\S*)$/.exec(routeKey)
  return m === null ? null : [m[1] ?? '', m[2] ?? '/']
}

function parentPath(path: string): string | null {
  if (path === '/') return null
  const cut = path.lastIndexOf('/')
  return cut <= 0 ? '/' : path.slice(0, cut)
}

/** AWS `Method` for a route (the fields Portico keeps). */
export function methodOut(method: string, route: RouteConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    httpMethod: method,
    authorizationType: route.authorizationType ?? 'NONE',
    apiKeyRequired: route.apiKeyRequired ?? false,
  }
  if (route.authorizerId !== undefined) out.authorizerId = route.authorizerId
  if (route.authorizationScopes !== undefined) out.authorizationScopes = route.authorizationScopes
  if (route.operationName !== undefined) out.operationName = route.operationName
  if (route.requestParameters !== undefined) out.requestParameters = route.requestParameters
  if (route.requestValidatorId !== undefined) out.requestValidatorId = route.requestValidatorId
  if (route.requestModels !== undefined) out.requestModels = route.requestModels
  return out
}

/** Every resource of the API, sorted by path; methods in full when `embedMethods`. */
export async function deriveResources(
  api: ApiConfig,
  embedMethods: boolean
): Promise<AwsResource[]> {
  const methods = new Map<string, Record<string, Record<string, unknown>>>([['/', {}]])
  for (const route of api.routes) {
    const split = splitRouteKey(route.routeKey)
    if (split === null) continue
    const [method, path] = split
    const entry = methods.get(path) ?? {}
    entry[method] = embedMethods ? methodOut(method, route) : {}
    methods.set(path, entry)
    for (let p = parentPath(path); p !== null; p = parentPath(p)) {
      if (!methods.has(p)) methods.set(p, {})
    }
  }
  const resources: AwsResource[] = []
  for (const [path, resourceMethods] of [...methods].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const resource: AwsResource = { id: await resourceId(api.id, path), path }
    const parent = parentPath(path)
    if (parent !== null) {
      resource.parentId = await resourceId(api.id, parent)
      resource.pathPart = path.slice(path.lastIndexOf('/') + 1)
    }
    if (Object.keys(resourceMethods).length > 0) resource.resourceMethods = resourceMethods
    resources.push(resource)
  }
  return resources
}

/** GetResources / GetResource. */
export const resourceRoutes = new Hono<GatewayEnv>()

resourceRoutes.get('/restapis/:restApiId/resources', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const embed = c.req.queries('embed') ?? []
  const resources = await deriveResources(
    api,
    embed.some((e) => e.split(',').includes('methods'))
  )
  return c.json(page(resources, (r) => r.path, pagingQuery(c)))
})

resourceRoutes.get('/restapis/:restApiId/resources/:resourceId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const wanted = c.req.param('resourceId')
  const embed = c.req.queries('embed') ?? []
  const resources = await deriveResources(
    api,
    embed.some((e) => e.split(',').includes('methods'))
  )
  const found = resources.find((r) => r.id === wanted)
  if (found === undefined) return notFound('Invalid Resource identifier specified')
  return c.json(found)
})
