/**
 * apigatewayv2 routes: `/v2/apis/{apiId}/routes[/{routeId}]` (CreateRoute, GetRoutes, GetRoute,
 * UpdateRoute, DeleteRoute). `target` `integrations/{id}` ⇄ `RouteConfig.integrationId`.
 */
import { Hono } from 'hono'
import { newResourceId } from '../../config/ids'
import type { ApiConfig, RouteConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { badRequest, conflict, notFound } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { routeKeyProblem } from './route-keys'
import { commitApi, loadV2Api } from './store'
import { routeToWire, TARGET_PREFIX } from './wire-api'
import { readWebSocketRouteFields } from './websocket-fields'

const AUTHORIZATION_TYPES = ['NONE', 'JWT', 'CUSTOM', 'AWS_IAM'] as const

function findRoute(api: ApiConfig, routeId: string): RouteConfig {
  const route = api.routes.find((r) => r.id === routeId)
  return route ?? notFound(`Invalid Route identifier specified ${routeId}`)
}

/** `integrations/{id}` → the id, which must name an integration of this API. */
function parseTarget(api: ApiConfig, target: string): string {
  if (!target.startsWith(TARGET_PREFIX)) {
    return badRequest(`'target' must be of the form integrations/{integrationId}`)
  }
  const id = target.slice(TARGET_PREFIX.length)
  if (!api.integrations.some((i) => i.id === id)) {
    return badRequest(`'target': integration '${id}' does not exist in API ${api.id}`)
  }
  return id
}

/** Reads the route fields present in `f` over `base` (create: empty base; update: the route). */
function applyRouteFields(api: ApiConfig, f: Fields, base: RouteConfig): RouteConfig {
  const routeKey = f.str('routeKey')
  if (routeKey !== undefined) {
    const problem = routeKeyProblem(api.protocolType, routeKey)
    if (problem !== undefined) badRequest(`Invalid 'routeKey' '${routeKey}': ${problem}`)
  }
  const target = f.str('target')
  const params = f.objMap('requestParameters')
  const requestParameters =
    params === undefined
      ? undefined
      : Object.fromEntries(
          params.map(([name, p]) => {
            const required = p.bool('required') ?? false
            p.done()
            return [name, required]
          })
        )
  const route: RouteConfig = {
    ...base,
    ...compact({
      routeKey,
      apiKeyRequired: f.bool('apiKeyRequired'),
      authorizationType: f.oneOf('authorizationType', AUTHORIZATION_TYPES),
      authorizerId: f.str('authorizerId'),
      authorizationScopes: f.strList('authorizationScopes'),
      operationName: f.str('operationName'),
      requestParameters,
    }),
    ...readWebSocketRouteFields(api, f),
  }
  f.done()
  if (target === '') delete route.integrationId
  else if (target !== undefined) route.integrationId = parseTarget(api, target)
  // Without an authorizer type the route keeps no authorizer reference (AWS detaches it).
  const type = route.authorizationType
  if (route.authorizerId === '' || type === 'NONE' || type === 'AWS_IAM') delete route.authorizerId
  return route
}

function assertUniqueKey(api: ApiConfig, route: RouteConfig): void {
  if (api.routes.some((r) => r.id !== route.id && r.routeKey === route.routeKey)) {
    conflict(`Route with key ${route.routeKey} already exists for this API`)
  }
}

/** Routes of the v2 API surface; mounted under `/apis`. */
export const routeRoutes = new Hono<GatewayEnv>()

routeRoutes.post('/:apiId/routes', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const f = await readBody(c)
  const routeKey = f.requiredStr('routeKey')
  const route = applyRouteFields(api, f, { id: newResourceId(), routeKey })
  assertUniqueKey(api, route)
  const routes = [...api.routes, route]
  await commitApi(c, { ...api, routes }, 'CreateRoute', `/v2/apis/${api.id}/routes/${route.id}`)
  return c.json(routeToWire(route), 201)
})

routeRoutes.get('/:apiId/routes', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const page = paginate(api.routes, (r) => r.id, c.req.query())
  return c.json({ items: page.items.map(routeToWire), ...compact({ nextToken: page.nextToken }) })
})

routeRoutes.get('/:apiId/routes/:routeId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  return c.json(routeToWire(findRoute(api, c.req.param('routeId'))))
})

routeRoutes.patch('/:apiId/routes/:routeId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const existing = findRoute(api, c.req.param('routeId'))
  const route = applyRouteFields(api, await readBody(c), existing)
  assertUniqueKey(api, route)
  const routes = api.routes.map((r) => (r.id === route.id ? route : r))
  await commitApi(c, { ...api, routes }, 'UpdateRoute', `/v2/apis/${api.id}/routes/${route.id}`)
  return c.json(routeToWire(route))
})

routeRoutes.delete('/:apiId/routes/:routeId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const route = findRoute(api, c.req.param('routeId'))
  const routes = api.routes.filter((r) => r.id !== route.id)
  await commitApi(c, { ...api, routes }, 'DeleteRoute', `/v2/apis/${api.id}/routes/${route.id}`)
  return c.body(null, 204)
})
