/**
 * apigatewayv2 models: `/v2/apis/{apiId}/models[/{modelId}]` (CreateModel, GetModels, GetModel,
 * UpdateModel, DeleteModel). `schema` is JSON text on the wire, as AWS; it is stored parsed, and
 * vetted with the rest of the API by the write-time checks.
 */
import { Hono } from 'hono'
import { newResourceId } from '../../config/ids'
import type { ApiConfig, ModelConfig } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { isRecord } from '../input'
import { badRequest, conflict, notFound } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { commitApi, loadV2Api } from './store'

function findModel(api: ApiConfig, modelId: string): ModelConfig {
  const found = api.models?.find((m) => m.id === modelId)
  return found ?? notFound(`Invalid Model identifier specified ${modelId}`)
}

/** JSON text → a schema object; anything else is the caller's mistake (400). */
export function parseSchemaText(text: string, field = 'schema'): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return badRequest(`'${field}' must be a JSON Schema as JSON text: it is not valid JSON`)
  }
  return isRecord(parsed) ? parsed : badRequest(`'${field}' must be a JSON object`)
}

function applyModelFields(f: Fields, base: ModelConfig): ModelConfig {
  const schema = f.str('schema')
  const model: ModelConfig = {
    ...base,
    ...compact({
      name: f.str('name'),
      contentType: f.str('contentType'),
      description: f.str('description'),
      schema: schema === undefined ? undefined : parseSchemaText(schema),
    }),
  }
  f.done()
  return model
}

/** The route (or route response) still naming `model`, if any. */
function modelUser(api: ApiConfig, model: ModelConfig): string | undefined {
  for (const route of api.routes) {
    const named = [
      ...Object.values(route.requestModels ?? {}),
      ...(route.routeResponses ?? []).flatMap((r) => Object.values(r.responseModels ?? {})),
    ]
    if (named.includes(model.name)) return route.routeKey
  }
  return undefined
}

/** `ModelConfig` → apigatewayv2 `Model` (schema as JSON text). */
export function modelToWire(m: ModelConfig): Record<string, unknown> {
  return compact({
    modelId: m.id,
    name: m.name,
    contentType: m.contentType,
    description: m.description,
    schema: JSON.stringify(m.schema),
  })
}

/** Models of the v2 API surface; mounted under `/apis`. */
export const modelRoutes = new Hono<GatewayEnv>()

modelRoutes.post('/:apiId/models', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const f = await readBody(c)
  const name = f.requiredStr('name')
  const schema = parseSchemaText(f.requiredStr('schema'))
  if (api.models?.some((m) => m.name === name) === true) {
    conflict(`Model with name ${name} already exists for this API`)
  }
  const model = applyModelFields(f, {
    id: newResourceId(),
    name,
    schema,
    contentType: 'application/json',
  })
  const models = [...(api.models ?? []), model]
  const resource = `/v2/apis/${api.id}/models/${model.id}`
  await commitApi(c, { ...api, models }, 'CreateModel', resource)
  return c.json(modelToWire(model), 201)
})

modelRoutes.get('/:apiId/models', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const page = paginate(api.models ?? [], (m) => m.id, c.req.query())
  return c.json({ items: page.items.map(modelToWire), ...compact({ nextToken: page.nextToken }) })
})

modelRoutes.get('/:apiId/models/:modelId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  return c.json(modelToWire(findModel(api, c.req.param('modelId'))))
})

modelRoutes.patch('/:apiId/models/:modelId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const existing = findModel(api, c.req.param('modelId'))
  const model = applyModelFields(await readBody(c), existing)
  if (model.name !== existing.name) {
    if (api.models?.some((m) => m.id !== model.id && m.name === model.name) === true) {
      conflict(`Model with name ${model.name} already exists for this API`)
    }
    const user = modelUser(api, existing)
    if (user !== undefined) conflict(`Model ${existing.name} is used by route ${user}`)
  }
  const models = (api.models ?? []).map((m) => (m.id === model.id ? model : m))
  const resource = `/v2/apis/${api.id}/models/${model.id}`
  await commitApi(c, { ...api, models }, 'UpdateModel', resource)
  return c.json(modelToWire(model))
})

modelRoutes.delete('/:apiId/models/:modelId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const model = findModel(api, c.req.param('modelId'))
  const user = modelUser(api, model)
  if (user !== undefined) conflict(`Model ${model.name} is used by route ${user}; detach it first`)
  const models = (api.models ?? []).filter((m) => m.id !== model.id)
  const resource = `/v2/apis/${api.id}/models/${model.id}`
  await commitApi(c, { ...api, models }, 'DeleteModel', resource)
  return c.body(null, 204)
})
