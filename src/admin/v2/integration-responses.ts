/**
 * apigatewayv2 integration responses of WebSocket integrations:
 * `/v2/apis/{apiId}/integrations/{integrationId}/integrationresponses[/{integrationResponseId}]`
 * (Create/Get/GetAll/Update/Delete). Stored in `IntegrationConfig.integrationResponses`. Keys are
 * `$default` or a status-code pattern between slashes (`/4\d\d/`), as AWS.
 */
import { Hono } from 'hono'
import { newResourceId } from '../../config/ids'
import type { ApiConfig, IntegrationConfig, IntegrationResponseConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { badRequest, conflict, notFound } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { commitApi, loadV2Api, type V2Context } from './store'

const KEY_PATTERN = /^\/(.{1,64})\/$/

/** Why `key` is not `$default` or a compilable `/regex/` of status codes, or undefined. */
function keyProblem(key: string): string | undefined {
  if (key === '$default') return undefined
  const body = KEY_PATTERN.exec(key)?.[1]
  if (body === undefined) return 'must be $default or a status code pattern like /2\\d\\d/'
  try {
    new RegExp(body)
    return undefined
  } catch {
    return 'is not a valid regular expression'
  }
}

function findIntegration(api: ApiConfig, id: string): IntegrationConfig {
  const found = api.integrations.find((i) => i.id === id)
  return found ?? notFound(`Invalid Integration identifier specified ${id}`)
}

function findResponse(integration: IntegrationConfig, id: string): IntegrationResponseConfig {
  const found = integration.integrationResponses?.find((r) => r.id === id)
  return found ?? notFound(`Invalid IntegrationResponse identifier specified ${id}`)
}

/** The API (WebSocket only: AWS answers 400 for HTTP APIs) and the integration in the path. */
async function loadIntegration(
  c: V2Context
): Promise<{ api: ApiConfig; integration: IntegrationConfig }> {
  const api = await loadV2Api(c, c.req.param('apiId') ?? '')
  if (api.protocolType !== 'WEBSOCKET') {
    return badRequest('Integration responses are only supported for WebSocket APIs')
  }
  return { api, integration: findIntegration(api, c.req.param('integrationId') ?? '') }
}

/** Reads the integration response fields present in `f` over `base`. */
function applyFields(f: Fields, base: IntegrationResponseConfig): IntegrationResponseConfig {
  const key = f.str('integrationResponseKey')
  const problem = key === undefined ? undefined : keyProblem(key)
  if (problem !== undefined) badRequest(`'integrationResponseKey' ${problem}`)
  const next: IntegrationResponseConfig = {
    ...base,
    ...compact({
      integrationResponseKey: key,
      responseTemplates: f.strMap('responseTemplates'),
      templateSelectionExpression: f.str('templateSelectionExpression'),
      contentHandlingStrategy: f.oneOf('contentHandlingStrategy', [
        'CONVERT_TO_BINARY',
        'CONVERT_TO_TEXT',
      ] as const),
    }),
  }
  f.done()
  return next
}

/** `IntegrationResponseConfig` → apigatewayv2 `IntegrationResponse`. */
export function integrationResponseToWire(r: IntegrationResponseConfig): Record<string, unknown> {
  return compact({
    contentHandlingStrategy: r.contentHandlingStrategy,
    integrationResponseId: r.id,
    integrationResponseKey: r.integrationResponseKey,
    responseTemplates: r.responseTemplates,
    templateSelectionExpression: r.templateSelectionExpression,
  })
}

async function commitResponses(
  c: V2Context,
  api: ApiConfig,
  integration: IntegrationConfig,
  responses: IntegrationResponseConfig[],
  action: string,
  id: string
): Promise<void> {
  const next: IntegrationConfig = { ...integration, integrationResponses: responses }
  if (responses.length === 0) delete next.integrationResponses
  const integrations = api.integrations.map((i) => (i.id === integration.id ? next : i))
  const resource = `/v2/apis/${api.id}/integrations/${integration.id}/integrationresponses/${id}`
  await commitApi(c, { ...api, integrations }, action, resource)
}

function assertUniqueKey(integration: IntegrationConfig, r: IntegrationResponseConfig): void {
  const taken = integration.integrationResponses?.some(
    (x) => x.id !== r.id && x.integrationResponseKey === r.integrationResponseKey
  )
  if (taken === true) {
    conflict(`Integration response with key ${r.integrationResponseKey} already exists`)
  }
}

/** Integration responses of the v2 API surface; mounted under `/apis`. */
export const integrationResponseRoutes = new Hono<GatewayEnv>()

const BASE = '/:apiId/integrations/:integrationId/integrationresponses'

integrationResponseRoutes.post(BASE, async (c) => {
  const { api, integration } = await loadIntegration(c)
  const f = await readBody(c)
  const key = f.requiredStr('integrationResponseKey')
  const response = applyFields(f, { id: newResourceId(), integrationResponseKey: key })
  assertUniqueKey(integration, response)
  const responses = [...(integration.integrationResponses ?? []), response]
  await commitResponses(c, api, integration, responses, 'CreateIntegrationResponse', response.id)
  return c.json(integrationResponseToWire(response), 201)
})

integrationResponseRoutes.get(BASE, async (c) => {
  const { integration } = await loadIntegration(c)
  const page = paginate(integration.integrationResponses ?? [], (r) => r.id, c.req.query())
  const items = page.items.map(integrationResponseToWire)
  return c.json({ items, ...compact({ nextToken: page.nextToken }) })
})

integrationResponseRoutes.get(`${BASE}/:integrationResponseId`, async (c) => {
  const { integration } = await loadIntegration(c)
  const response = findResponse(integration, c.req.param('integrationResponseId'))
  return c.json(integrationResponseToWire(response))
})

integrationResponseRoutes.patch(`${BASE}/:integrationResponseId`, async (c) => {
  const { api, integration } = await loadIntegration(c)
  const existing = findResponse(integration, c.req.param('integrationResponseId'))
  const response = applyFields(await readBody(c), existing)
  assertUniqueKey(integration, response)
  const responses = (integration.integrationResponses ?? []).map((r) =>
    r.id === response.id ? response : r
  )
  await commitResponses(c, api, integration, responses, 'UpdateIntegrationResponse', response.id)
  return c.json(integrationResponseToWire(response))
})

integrationResponseRoutes.delete(`${BASE}/:integrationResponseId`, async (c) => {
  const { api, integration } = await loadIntegration(c)
  const existing = findResponse(integration, c.req.param('integrationResponseId'))
  const responses = (integration.integrationResponses ?? []).filter((r) => r.id !== existing.id)
  await commitResponses(c, api, integration, responses, 'DeleteIntegrationResponse', existing.id)
  return c.body(null, 204)
})
