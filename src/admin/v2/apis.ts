/**
 * apigatewayv2 APIs: `POST|GET /v2/apis`, `GET|PATCH|DELETE /v2/apis/{apiId}`. CreateApi's
 * "quick create" (`target`) makes the `$default` (or `routeKey`) route, its HTTP_PROXY (or
 * WORKER, for a Lambda ARN) integration and an auto-deploying `$default` stage, as AWS does.
 */
import { Hono } from 'hono'
import { newApiId, newResourceId } from '../../config/ids'
import type { ApiConfig, IntegrationConfig, StageConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { lambdaTarget } from '../../openapi/lambda-arn'
import { configStore, KV_KEYS } from '../../storage/config-store'
import { v2Queries } from '../../storage/config-queries-v2'
import { badRequest, conflict } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { routeKeyProblem } from './route-keys'
import { noteLocalConfigChange } from '../../config/local-changes'
import {
  AUTO_DEPLOY_DESCRIPTION,
  committed,
  commitApi,
  listDomains,
  loadApi,
  loadV2Api,
  nowIso,
  deployToStage,
  type V2Context,
} from './store'
import { API_KEY_AUTHORIZER_EXPRESSION, API_KEY_HEADER_EXPRESSION, apiToWire } from './wire-api'
import { readWebSocketSettings } from './websocket-fields'
import { readCorsConfiguration } from './cors'

const HTTP_ROUTE_SELECTION = '$request.method $request.path'

/** Reads the API-level fields present in `f` over `base`. */
function applyApiFields(f: Fields, base: ApiConfig): ApiConfig {
  const keyExpression = f.oneOf('apiKeySelectionExpression', [
    API_KEY_HEADER_EXPRESSION,
    API_KEY_AUTHORIZER_EXPRESSION,
  ] as const)
  const api: ApiConfig = {
    ...base,
    ...compact({
      name: f.str('name'),
      description: f.str('description'),
      version: f.str('version'),
      routeSelectionExpression: f.str('routeSelectionExpression'),
      disableExecuteApiEndpoint: f.bool('disableExecuteApiEndpoint'),
      // Portico: lets integrations target loopback upstreams (local development only).
      allowLoopbackUpstreams: f.bool('allowLoopbackUpstreams'),
      apiKeySource:
        keyExpression === undefined
          ? undefined
          : keyExpression === API_KEY_HEADER_EXPRESSION
            ? ('HEADER' as const)
            : ('AUTHORIZER' as const),
      webSocket: readWebSocketSettings(base, f),
      corsConfiguration: readCorsConfiguration(f, base),
    }),
  }
  // AWS fields with no effect here: schema validation of WebSocket bodies, IPv6 endpoints.
  f.ignore('disableSchemaValidation', 'ipAddressType')
  if (api.protocolType === 'HTTP' && api.routeSelectionExpression !== HTTP_ROUTE_SELECTION) {
    badRequest(`'routeSelectionExpression' must be ${HTTP_ROUTE_SELECTION} for an HTTP API`)
  }
  return api
}

/** The quick-create integration for `target` (an http(s) URL or a Lambda function ARN). */
function quickIntegration(target: string): IntegrationConfig {
  const lambda = lambdaTarget(target)
  if (lambda !== undefined) {
    return { id: newResourceId(), type: 'WORKER', integrationUri: lambda.integrationUri }
  }
  if (!/^https?:\/\//i.test(target)) {
    return badRequest(`'target' must be an http(s) URL or a Lambda function ARN`)
  }
  return {
    id: newResourceId(),
    type: 'HTTP_PROXY',
    integrationUri: target,
    integrationMethod: 'ANY',
    payloadFormatVersion: '1.0',
  }
}

function quickCreate(api: ApiConfig, target: string, routeKey: string | undefined): ApiConfig {
  if (api.protocolType !== 'HTTP') badRequest(`'target' is only supported for HTTP APIs`)
  const key = routeKey ?? '$default'
  const problem = routeKeyProblem('HTTP', key)
  if (problem !== undefined) badRequest(`Invalid 'routeKey' '${key}': ${problem}`)
  const integration = quickIntegration(target)
  const route = { id: newResourceId(), routeKey: key, integrationId: integration.id }
  return { ...api, routes: [route], integrations: [integration] }
}

/** Quick create's `$default` stage, auto-deploying and deployed at once (as AWS). */
async function createDefaultStage(c: V2Context, api: ApiConfig): Promise<void> {
  const now = nowIso()
  const stage: StageConfig = {
    schemaVersion: 1,
    apiId: api.id,
    stageName: '$default',
    autoDeploy: true,
    createdDate: now,
    lastUpdatedDate: now,
  }
  await deployToStage(c, api, stage, AUTO_DEPLOY_DESCRIPTION)
  noteLocalConfigChange()
}

/** APIs of the v2 surface; mounted under `/apis`. */
export const apiRoutes = new Hono<GatewayEnv>()

apiRoutes.post('/', async (c) => {
  const f = await readBody(c)
  const name = f.requiredStr('name')
  const protocolType = f.oneOf('protocolType', ['HTTP', 'WEBSOCKET'] as const)
  if (protocolType === undefined) return badRequest("'protocolType' is required")
  const target = f.str('target')
  const routeKey = f.str('routeKey')
  const base: ApiConfig = {
    schemaVersion: 1,
    id: newApiId(),
    name,
    protocolType,
    createdDate: nowIso(),
    routes: [],
    integrations: [],
    ...(protocolType === 'HTTP' ? { routeSelectionExpression: HTTP_ROUTE_SELECTION } : {}),
  }
  let api = applyApiFields(f, base)
  if (api.routeSelectionExpression === undefined) {
    badRequest("'routeSelectionExpression' is required for a WEBSOCKET API")
  }
  const tags = f.strMap('tags')
  if (tags !== undefined) api.tags = tags
  f.done()
  if (target !== undefined) api = quickCreate(api, target, routeKey)
  else if (routeKey !== undefined) badRequest("'routeKey' is only allowed together with 'target'")
  const saved = await commitApi(c, api, 'CreateApi', `/v2/apis/${api.id}`)
  if (target !== undefined) await createDefaultStage(c, saved)
  return c.json(apiToWire(c, saved), 201)
})

apiRoutes.get('/', async (c) => {
  const ids = await v2Queries.apiIds(c.env.ROUTES)
  const apis = await Promise.all(ids.map((id) => loadApi(c, id)))
  const v2 = apis.filter((a) => a.protocolType !== 'REST')
  const page = paginate(v2, (a) => a.id, c.req.query())
  const items = page.items.map((a) => apiToWire(c, a))
  return c.json({ items, ...compact({ nextToken: page.nextToken }) })
})

apiRoutes.get('/:apiId', async (c) => {
  return c.json(apiToWire(c, await loadV2Api(c, c.req.param('apiId'))))
})

apiRoutes.patch('/:apiId', async (c) => {
  const existing = await loadV2Api(c, c.req.param('apiId'))
  const f = await readBody(c)
  const api = applyApiFields(f, existing)
  f.done()
  const saved = await commitApi(c, api, 'UpdateApi', `/v2/apis/${api.id}`)
  return c.json(apiToWire(c, saved))
})

apiRoutes.delete('/:apiId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  // A mapping would keep routing a custom domain to an API that no longer exists.
  for (const domain of await listDomains(c)) {
    const mapping = domain.mappings.find((m) => m.apiId === api.id)
    if (mapping !== undefined) {
      conflict(
        `API ${api.id} is mapped by domain name ${domain.domainName}; delete the mapping first`
      )
    }
  }
  const kv = c.env.ROUTES
  for (const name of await v2Queries.stageNames(kv, api.id)) {
    await configStore.deleteKey(kv, KV_KEYS.stage(api.id, name))
  }
  for (const id of await v2Queries.deploymentIds(kv, api.id)) {
    await configStore.deleteKey(kv, KV_KEYS.deployment(api.id, id))
  }
  await configStore.deleteKey(kv, KV_KEYS.api(api.id))
  await committed(c, 'DeleteApi', `/v2/apis/${api.id}`)
  return c.body(null, 204)
})
