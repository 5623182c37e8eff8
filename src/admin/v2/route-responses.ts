/**
 * apigatewayv2 route responses of WebSocket routes:
 * `/v2/apis/{apiId}/routes/{routeId}/routeresponses[/{routeResponseId}]` (CreateRouteResponse,
 * GetRouteResponses, GetRouteResponse, UpdateRouteResponse, DeleteRouteResponse). Stored in
 * `RouteConfig.routeResponses`; a route with `routeResponseSelectionExpression: $default` sends
 * its integration's answer back to the caller through them.
 */
import { Hono } from 'hono'
import { newResourceId } from '../../config/ids'
import type { ApiConfig, RouteConfig, RouteResponseConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { badRequest, conflict, notFound } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { commitApi, loadV2Api, type V2Context } from './store'

function findRoute(api: ApiConfig, routeId: string): RouteConfig {
  const route = api.routes.find((r) => r.id === routeId)
  return route ?? notFound(`Invalid Route identifier specified ${routeId}`)
}

function findRouteResponse(route: RouteConfig, id: string): RouteResponseConfig {
  const found = route.routeResponses?.find((r) => r.id === id)
  return found ?? notFound(`Invalid RouteResponse identifier specified ${id}`)
}

/** The API (WebSocket only: AWS answers 400 for HTTP APIs) and the route named by the path. */
async function loadRoute(c: V2Context): Promise<{ api: ApiConfig; route: RouteConfig }> {
  const api = await loadV2Api(c, c.req.param('apiId') ?? '')
  if (api.protocolType !== 'WEBSOCKET') {
    return badRequest('Route responses are only supported for WebSocket APIs')
  }
  return { api, route: findRoute(api, c.req.param('routeId') ?? '') }
}

/** Reads the route response fields present in `f` over `base`. */
function applyFields(f: Fields, base: RouteResponseConfig): RouteResponseConfig {
  const key = f.str('routeResponseKey')
  // AWS: `$default` is the only route response key WebSocket routes support.
  if (key !== undefined && key !== '$default') badRequest(`'routeResponseKey' must be $default`)
  const next: RouteResponseConfig = {
    ...base,
    ...compact({
      routeResponseKey: key,
      modelSelectionExpression: f.str('modelSelectionExpression'),
      responseModels: f.strMap('responseModels'),
    }),
  }
  f.done()
  return next
}

/** `RouteResponseConfig` → apigatewayv2 `RouteResponse`. */
export function routeResponseToWire(r: RouteResponseConfig): Record<string, unknown> {
  return compact({
    modelSelectionExpression: r.modelSelectionExpression,
    responseModels: r.responseModels,
    routeResponseId: r.id,
    routeResponseKey: r.routeResponseKey,
  })
}

/** Writes `responses` as the route's route responses (validated with the whole API). */
async function commitResponses(
  c: V2Context,
  api: ApiConfig,
  route: RouteConfig,
  responses: RouteResponseConfig[],
  action: string,
  id: string
): Promise<void> {
  const next: RouteConfig = { ...route, routeResponses: responses }
  if (responses.length === 0) delete next.routeResponses
  const routes = api.routes.map((r) => (r.id === route.id ? next : r))
  const resource = `/v2/apis/${api.id}/routes/${route.id}/routeresponses/${id}`
  await commitApi(c, { ...api, routes }, action, resource)
}

function assertUniqueKey(route: RouteConfig, response: RouteResponseConfig): void {
  const taken = route.routeResponses?.some(
    (r) => r.id !== response.id && r.routeResponseKey === response.routeResponseKey
  )
  if (taken === true) {
    conflict(`Route response with key ${response.routeResponseKey} already exists for this route`)
  }
}

/** Route responses of the v2 API surface; mounted under `/apis`. */
export const routeResponseRoutes = new Hono<GatewayEnv>()

const BASE = '/:apiId/routes/:routeId/routeresponses'

routeResponseRoutes.post(BASE, async (c) => {
  const { api, route } = await loadRoute(c)
  const f = await readBody(c)
  const key = f.requiredStr('routeResponseKey')
  const response = applyFields(f, { id: newResourceId(), routeResponseKey: key })
  assertUniqueKey(route, response)
  const responses = [...(route.routeResponses ?? []), response]
  await commitResponses(c, api, route, responses, 'CreateRouteResponse', response.id)
  return c.json(routeResponseToWire(response), 201)
})

routeResponseRoutes.get(BASE, async (c) => {
  const { route } = await loadRoute(c)
  const page = paginate(route.routeResponses ?? [], (r) => r.id, c.req.query())
  const items = page.items.map(routeResponseToWire)
  return c.json({ items, ...compact({ nextToken: page.nextToken }) })
})

routeResponseRoutes.get(`${BASE}/:routeResponseId`, async (c) => {
  const { route } = await loadRoute(c)
  return c.json(routeResponseToWire(findRouteResponse(route, c.req.param('routeResponseId'))))
})

routeResponseRoutes.patch(`${BASE}/:routeResponseId`, async (c) => {
  const { api, route } = await loadRoute(c)
  const existing = findRouteResponse(route, c.req.param('routeResponseId'))
  const response = applyFields(await readBody(c), existing)
  assertUniqueKey(route, response)
  const responses = (route.routeResponses ?? []).map((r) => (r.id === response.id ? response : r))
  await commitResponses(c, api, route, responses, 'UpdateRouteResponse', response.id)
  return c.json(routeResponseToWire(response))
})

routeResponseRoutes.delete(`${BASE}/:routeResponseId`, async (c) => {
  const { api, route } = await loadRoute(c)
  const existing = findRouteResponse(route, c.req.param('routeResponseId'))
  const responses = (route.routeResponses ?? []).filter((r) => r.id !== existing.id)
  await commitResponses(c, api, route, responses, 'DeleteRouteResponse', existing.id)
  return c.body(null, 204)
})
