/**
 * apigatewayv2 ImportApi (`PUT /v2/apis`), ReimportApi (`PUT /v2/apis/{apiId}`) and ExportApi
 * (`GET /v2/apis/{apiId}/exports/{specification}`). Imports are always HTTP APIs (as on AWS);
 * a reimport replaces the routes and integrations and keeps the id, creation date and stages.
 */
import { Hono } from 'hono'
import { stringify } from 'yaml'
import { checkApiConfig } from '../../config/check'
import { newApiId, newResourceId } from '../../config/ids'
import type { ApiConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { exportOpenApi } from '../../openapi/export'
import { importOpenApi } from '../../openapi/import'
import { badRequest } from '../errors'
import { importedOrThrow } from '../import-errors'
import { readBody } from './parse'
import { commitApi, findStage, loadV2Api, nowIso, type V2Context } from './store'
import { v2Queries } from '../../storage/config-queries-v2'
import { apiEndpoint, apiToWire } from './wire-api'

type Basepath = 'ignore' | 'prepend' | 'split'

function boolQuery(c: V2Context, name: string): boolean | undefined {
  const raw = c.req.query(name)
  if (raw === undefined) return undefined
  if (raw !== 'true' && raw !== 'false') return badRequest(`'${name}' must be true or false`)
  return raw === 'true'
}

/** Imports the body's OpenAPI document (`{"body": "…"}`) as an HTTP API with `apiId`. */
async function importDefinition(
  c: V2Context,
  apiId: string,
  createdDate: string
): Promise<ApiConfig> {
  const f = await readBody(c)
  const document = f.requiredStr('body')
  f.done()
  const failOnWarnings = boolQuery(c, 'failOnWarnings') ?? false
  const rawBasepath = c.req.query('basepath')
  const basepath = (['ignore', 'prepend', 'split'] as const).find((b) => b === rawBasepath)
  if (rawBasepath !== undefined && basepath === undefined) {
    badRequest("'basepath' must be one of ignore, prepend, split")
  }
  const result = importOpenApi(document, {
    protocolType: 'HTTP',
    failOnWarnings,
    ...(basepath === undefined ? {} : { basepath: basepath satisfies Basepath }),
    apiId,
    createdDate,
    newId: () => newResourceId(),
  })
  const { api, extras } = importedOrThrow(result, failOnWarnings)
  // Models, security schemes, CORS… are not enforced yet but kept, so export gives them back.
  return Object.keys(extras).length === 0 ? api : { ...api, openapiExtras: extras }
}

/** Import and export of the v2 API surface; mounted under `/apis`. */
export const importExportRoutes = new Hono<GatewayEnv>()

importExportRoutes.put('/', async (c) => {
  const api = await importDefinition(c, newApiId(), nowIso())
  const saved = await commitApi(c, api, 'ImportApi', `/v2/apis/${api.id}`)
  return c.json(apiToWire(c, saved), 201)
})

importExportRoutes.put('/:apiId', async (c) => {
  const existing = await loadV2Api(c, c.req.param('apiId'))
  if (existing.protocolType !== 'HTTP') badRequest('Only HTTP APIs can be reimported')
  const imported = await importDefinition(c, existing.id, existing.createdDate)
  const api: ApiConfig = { ...imported, ...(existing.tags ? { tags: existing.tags } : {}) }
  const saved = await commitApi(c, api, 'ReimportApi', `/v2/apis/${api.id}`)
  return c.json(apiToWire(c, saved), 201)
})

importExportRoutes.get('/:apiId/exports/:specification', async (c) => {
  const current = await loadV2Api(c, c.req.param('apiId'))
  // AWS: ExportApi supports HTTP APIs only; a WebSocket API has no OpenAPI form.
  if (current.protocolType !== 'HTTP') badRequest('Only HTTP APIs can be exported')
  if (c.req.param('specification') !== 'OAS30') badRequest("'specification' must be OAS30")
  const outputType = c.req.query('outputType')
  if (outputType !== 'JSON' && outputType !== 'YAML') {
    return badRequest("'outputType' must be JSON or YAML")
  }
  const extensions = boolQuery(c, 'includeExtensions') ?? true
  const stageName = c.req.query('stageName')
  let api = current
  let stage
  if (stageName !== undefined) {
    stage = await findStage(c, current.id, stageName)
    if (stage === undefined) return badRequest(`'stageName': stage ${stageName} does not exist`)
    // AWS: with a stage, the export is the API as deployed to that stage.
    if (stage.deploymentId !== undefined) {
      const deployment = await v2Queries.deployment(c.env.ROUTES, current.id, stage.deploymentId)
      api = deployedApi(deployment) ?? current
    }
  }
  const path = stage === undefined || stage.stageName === '$default' ? '' : `/${stage.stageName}`
  const doc = exportOpenApi(api, {
    extensions,
    ...(api.openapiExtras === undefined ? {} : { extras: api.openapiExtras }),
    ...(stage === undefined ? {} : { stage: { ...stage, invokeUrl: apiEndpoint(c, api) + path } }),
  })
  if (outputType === 'YAML') {
    return c.body(stringify(doc), 200, { 'content-type': 'application/yaml' })
  }
  return c.body(JSON.stringify(doc, null, 2), 200, { 'content-type': 'application/json' })
})

/** The API snapshot inside a stored deployment document, when it passes the config check. */
function deployedApi(doc: unknown): ApiConfig | undefined {
  if (typeof doc !== 'object' || doc === null || !('api' in doc)) return undefined
  const checked = checkApiConfig(doc.api)
  return checked.ok ? checked.value : undefined
}
