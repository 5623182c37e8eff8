/**
 * apigateway v1 models: `/restapis/{id}/models[/{modelName}]` (CreateModel, GetModels, GetModel,
 * UpdateModel, DeleteModel). Models are addressed by name, as AWS does; `schema` is JSON text on
 * the wire and stored parsed, vetted by the write-time checks.
 */
import { Hono } from 'hono'
import { newResourceId } from '../config/ids'
import type { ApiConfig, ModelConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { badRequest, conflict, notFound } from './errors'
import { isRecord, jsonBody, optString, page, pagingQuery, type JsonObject } from './input'
import { invalidPatch, parsePatchOperations, pathSegments, requireValue } from './patch'
import { requireRestApi } from './rest-api-shape'
import { saveRestApi } from './rest-api-save'

function findModel(api: ApiConfig, name: string): ModelConfig {
  return (
    api.models?.find((m) => m.name === name) ?? notFound(`Invalid model name specified: ${name}`)
  )
}

function parseSchema(text: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return badRequest("'schema' must be a JSON Schema as JSON text: it is not valid JSON")
  }
  return isRecord(parsed) ? parsed : badRequest("'schema' must be a JSON object")
}

/** AWS `Model` (schema as JSON text). */
export function modelOut(m: ModelConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: m.id,
    name: m.name,
    contentType: m.contentType,
    schema: JSON.stringify(m.schema),
  }
  if (m.description !== undefined) out.description = m.description
  return out
}

function create(api: ApiConfig, body: JsonObject): ModelConfig {
  const name = optString(body, 'name')
  if (name === undefined || name === '') return badRequest("'name' is required")
  const contentType = optString(body, 'contentType')
  if (contentType === undefined) return badRequest("'contentType' is required")
  if (api.models?.some((m) => m.name === name) === true) {
    conflict(`Model name already exists for this REST API: ${name}`)
  }
  const schema = optString(body, 'schema')
  const model: ModelConfig = {
    id: newResourceId(),
    name,
    contentType,
    // AWS: a model without a schema accepts anything.
    schema: schema === undefined ? {} : parseSchema(schema),
  }
  const description = optString(body, 'description')
  if (description !== undefined) model.description = description
  return model
}

function applyPatch(existing: ModelConfig, body: JsonObject): ModelConfig {
  const m: ModelConfig = structuredClone(existing)
  for (const op of parsePatchOperations(body)) {
    const [field, ...more] = pathSegments(op.path)
    if (more.length > 0 || op.op !== 'replace') invalidPatch(op)
    const value = requireValue(op)
    if (field === 'schema') m.schema = parseSchema(value)
    else if (field === 'description') {
      if (value === '') delete m.description
      else m.description = value
    } else invalidPatch(op)
  }
  return m
}

export const modelRoutes = new Hono<GatewayEnv>()

modelRoutes.post('/restapis/:restApiId/models', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const model = create(api, await jsonBody(c))
  const models = [...(api.models ?? []), model]
  const resource = `/restapis/${api.id}/models/${model.name}`
  await saveRestApi(c, { ...api, models }, 'CreateModel', resource)
  return c.json(modelOut(model), 201)
})

modelRoutes.get('/restapis/:restApiId/models', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const result = page(api.models ?? [], (m) => m.name, pagingQuery(c))
  return c.json({ ...result, item: result.item.map(modelOut) })
})

modelRoutes.get('/restapis/:restApiId/models/:modelName', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  return c.json(modelOut(findModel(api, c.req.param('modelName'))))
})

modelRoutes.patch('/restapis/:restApiId/models/:modelName', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const next = applyPatch(findModel(api, c.req.param('modelName')), await jsonBody(c))
  const models = (api.models ?? []).map((m) => (m.id === next.id ? next : m))
  const resource = `/restapis/${api.id}/models/${next.name}`
  await saveRestApi(c, { ...api, models }, 'UpdateModel', resource)
  return c.json(modelOut(next))
})

modelRoutes.delete('/restapis/:restApiId/models/:modelName', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const model = findModel(api, c.req.param('modelName'))
  const user = api.routes.find((r) => Object.values(r.requestModels ?? {}).includes(model.name))
  if (user !== undefined) {
    conflict(`Cannot delete model '${model.name}': it is used by ${user.routeKey}`)
  }
  const models = (api.models ?? []).filter((m) => m.id !== model.id)
  const resource = `/restapis/${api.id}/models/${model.name}`
  await saveRestApi(c, { ...api, models }, 'DeleteModel', resource)
  return c.body(null, 202)
})
