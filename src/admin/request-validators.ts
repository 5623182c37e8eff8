/**
 * apigateway v1 request validators: `/restapis/{id}/requestvalidators[/{requestValidatorId}]`
 * (CreateRequestValidator, GetRequestValidators, GetRequestValidator, UpdateRequestValidator,
 * DeleteRequestValidator). Methods refer to them by id (`requestValidatorId`).
 */
import { Hono } from 'hono'
import { newResourceId } from '../config/ids'
import type { ApiConfig, RequestValidatorConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { badRequest, conflict, notFound } from './errors'
import { jsonBody, optBool, optString, page, pagingQuery, type JsonObject } from './input'
import { invalidPatch, parsePatchOperations, pathSegments, requireValue } from './patch'
import { requireRestApi } from './rest-api-shape'
import { saveRestApi } from './rest-api-save'

function findValidator(api: ApiConfig, id: string): RequestValidatorConfig {
  return (
    api.requestValidators?.find((v) => v.id === id) ??
    notFound(`Invalid Request Validator identifier specified ${id}`)
  )
}

/** AWS `RequestValidator` (both flags always present, false by default). */
export function requestValidatorOut(v: RequestValidatorConfig): Record<string, unknown> {
  return {
    id: v.id,
    name: v.name,
    validateRequestBody: v.validateRequestBody ?? false,
    validateRequestParameters: v.validateRequestParameters ?? false,
  }
}

function create(body: JsonObject): RequestValidatorConfig {
  const name = optString(body, 'name')
  if (name === undefined || name === '') return badRequest("'name' is required")
  const validator: RequestValidatorConfig = { id: newResourceId(), name }
  const validateBody = optBool(body, 'validateRequestBody')
  const validateParameters = optBool(body, 'validateRequestParameters')
  if (validateBody !== undefined) validator.validateRequestBody = validateBody
  if (validateParameters !== undefined) validator.validateRequestParameters = validateParameters
  return validator
}

function readFlag(value: string, field: string): boolean {
  if (value !== 'true' && value !== 'false') return badRequest(`'${field}' must be true or false`)
  return value === 'true'
}

function applyPatch(existing: RequestValidatorConfig, body: JsonObject): RequestValidatorConfig {
  const v: RequestValidatorConfig = { ...existing }
  for (const op of parsePatchOperations(body)) {
    const [field, ...more] = pathSegments(op.path)
    if (more.length > 0 || op.op !== 'replace') invalidPatch(op)
    const value = requireValue(op)
    if (field === 'name') v.name = value
    else if (field === 'validateRequestBody' || field === 'validateRequestParameters')
      v[field] = readFlag(value, field)
    else invalidPatch(op)
  }
  return v
}

export const requestValidatorRoutes = new Hono<GatewayEnv>()

requestValidatorRoutes.post('/restapis/:restApiId/requestvalidators', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const validator = create(await jsonBody(c))
  const requestValidators = [...(api.requestValidators ?? []), validator]
  const resource = `/restapis/${api.id}/requestvalidators/${validator.id}`
  await saveRestApi(c, { ...api, requestValidators }, 'CreateRequestValidator', resource)
  return c.json(requestValidatorOut(validator), 201)
})

requestValidatorRoutes.get('/restapis/:restApiId/requestvalidators', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const result = page(api.requestValidators ?? [], (v) => v.id, pagingQuery(c))
  return c.json({ ...result, item: result.item.map(requestValidatorOut) })
})

requestValidatorRoutes.get('/restapis/:restApiId/requestvalidators/:validatorId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  return c.json(requestValidatorOut(findValidator(api, c.req.param('validatorId'))))
})

requestValidatorRoutes.patch('/restapis/:restApiId/requestvalidators/:validatorId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const next = applyPatch(findValidator(api, c.req.param('validatorId')), await jsonBody(c))
  const requestValidators = (api.requestValidators ?? []).map((v) => (v.id === next.id ? next : v))
  const resource = `/restapis/${api.id}/requestvalidators/${next.id}`
  await saveRestApi(c, { ...api, requestValidators }, 'UpdateRequestValidator', resource)
  return c.json(requestValidatorOut(next))
})

requestValidatorRoutes.delete('/restapis/:restApiId/requestvalidators/:validatorId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const validator = findValidator(api, c.req.param('validatorId'))
  const user = api.routes.find((r) => r.requestValidatorId === validator.id)
  if (user !== undefined) {
    conflict(`Cannot delete request validator '${validator.name}': it is used by ${user.routeKey}`)
  }
  const requestValidators = (api.requestValidators ?? []).filter((v) => v.id !== validator.id)
  const resource = `/restapis/${api.id}/requestvalidators/${validator.id}`
  await saveRestApi(c, { ...api, requestValidators }, 'DeleteRequestValidator', resource)
  return c.body(null, 202)
})
