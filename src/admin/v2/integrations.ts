/**
 * apigatewayv2 integrations: `/v2/apis/{apiId}/integrations[/{integrationId}]`. Types HTTP_PROXY,
 * HTTP, MOCK and Portico's WORKER (a service binding, `worker://BINDING`); AWS_PROXY with a Lambda
 * ARN is accepted and stored as WORKER by the importer's naming rule (openapi/lambda-arn.ts).
 */
import { Hono } from 'hono'
import { newResourceId } from '../../config/ids'
import type { ApiConfig, IntegrationConfig, IntegrationType } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { lambdaTarget } from '../../openapi/lambda-arn'
import { badRequest, conflict, notFound } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { commitApi, loadV2Api } from './store'
import { integrationToWire } from './wire-api'
import { readWebSocketIntegrationFields } from './websocket-fields'

const WIRE_TYPES = ['HTTP_PROXY', 'HTTP', 'MOCK', 'WORKER', 'AWS_PROXY'] as const

function findIntegration(api: ApiConfig, integrationId: string): IntegrationConfig {
  const found = api.integrations.find((i) => i.id === integrationId)
  return found ?? notFound(`Invalid Integration identifier specified ${integrationId}`)
}

/** AWS_PROXY + Lambda ARN → WORKER + `worker://BINDING`; other types pass through. */
function resolveType(
  wireType: (typeof WIRE_TYPES)[number],
  uri: string | undefined
): { type: IntegrationType; integrationUri: string | undefined } {
  if (wireType !== 'AWS_PROXY') return { type: wireType, integrationUri: uri }
  const target = uri === undefined ? undefined : lambdaTarget(uri)
  if (target === undefined) {
    return badRequest(`'integrationUri' must be a Lambda function ARN for an AWS_PROXY integration`)
  }
  return { type: 'WORKER', integrationUri: target.integrationUri }
}

function readMock(f: Fields): IntegrationConfig['mockResponse'] {
  const m = f.obj('mockResponse')
  if (m === undefined) return undefined
  const statusCode = m.num('statusCode') ?? 200
  const mock = compact({ statusCode, headers: m.strMap('headers'), body: m.str('body') })
  m.done()
  return mock
}

/** Reads the integration fields present in `f` over `base`. */
function applyIntegrationFields(
  api: ApiConfig,
  f: Fields,
  base: IntegrationConfig
): IntegrationConfig {
  const wireType = f.oneOf('integrationType', WIRE_TYPES)
  const uri = f.str('integrationUri')
  // AWS: connectionType INTERNET is the only kind Portico has (no VPC links).
  f.oneOf('connectionType', ['INTERNET'] as const)
  const next: IntegrationConfig = {
    ...base,
    ...compact({
      integrationMethod: f.str('integrationMethod'),
      payloadFormatVersion: f.oneOf('payloadFormatVersion', ['1.0', '2.0'] as const),
      timeoutInMillis: f.num('timeoutInMillis'),
      requestParameters: f.strMap('requestParameters'),
      responseParameters: f.strMapMap('responseParameters'),
      description: f.str('description'),
      mockResponse: readMock(f),
    }),
    ...readWebSocketIntegrationFields(api, f, base),
  }
  f.done()
  if (wireType !== undefined || uri !== undefined) {
    const resolved = resolveType(wireType ?? base.type, uri ?? base.integrationUri)
    next.type = resolved.type
    if (resolved.integrationUri === undefined || resolved.integrationUri === '') {
      delete next.integrationUri
    } else next.integrationUri = resolved.integrationUri
  }
  if (next.type === 'MOCK') delete next.integrationUri
  else if (next.integrationUri === undefined) {
    badRequest(`'integrationUri' is required for a ${next.type} integration`)
  }
  return next
}

/** Integrations of the v2 API surface; mounted under `/apis`. */
export const integrationRoutes = new Hono<GatewayEnv>()

integrationRoutes.post('/:apiId/integrations', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const f = await readBody(c)
  if (!f.has('integrationType')) badRequest("'integrationType' is required")
  const integration = applyIntegrationFields(api, f, { id: newResourceId(), type: 'HTTP_PROXY' })
  const integrations = [...api.integrations, integration]
  const resource = `/v2/apis/${api.id}/integrations/${integration.id}`
  await commitApi(c, { ...api, integrations }, 'CreateIntegration', resource)
  return c.json(integrationToWire(api, integration), 201)
})

integrationRoutes.get('/:apiId/integrations', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const page = paginate(api.integrations, (i) => i.id, c.req.query())
  const items = page.items.map((i) => integrationToWire(api, i))
  return c.json({ items, ...compact({ nextToken: page.nextToken }) })
})

integrationRoutes.get('/:apiId/integrations/:integrationId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  return c.json(integrationToWire(api, findIntegration(api, c.req.param('integrationId'))))
})

integrationRoutes.patch('/:apiId/integrations/:integrationId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const existing = findIntegration(api, c.req.param('integrationId'))
  const integration = applyIntegrationFields(api, await readBody(c), existing)
  const integrations = api.integrations.map((i) => (i.id === integration.id ? integration : i))
  const resource = `/v2/apis/${api.id}/integrations/${integration.id}`
  await commitApi(c, { ...api, integrations }, 'UpdateIntegration', resource)
  return c.json(integrationToWire(api, integration))
})

integrationRoutes.delete('/:apiId/integrations/:integrationId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const integration = findIntegration(api, c.req.param('integrationId'))
  const user = api.routes.find((r) => r.integrationId === integration.id)
  if (user !== undefined) {
    // AWS: an integration that a route targets cannot be deleted (409 ConflictException).
    conflict(`Integration ${integration.id} is used by route ${user.id} (${user.routeKey})`)
  }
  const integrations = api.integrations.filter((i) => i.id !== integration.id)
  const resource = `/v2/apis/${api.id}/integrations/${integration.id}`
  await commitApi(c, { ...api, integrations }, 'DeleteIntegration', resource)
  return c.body(null, 204)
})
