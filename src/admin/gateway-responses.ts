/**
 * apigateway v1 GatewayResponse resource: GetGatewayResponses, GetGatewayResponse,
 * PutGatewayResponse, DeleteGatewayResponse. An uncustomized type answers with AWS's default
 * (`defaultResponse: true`). Header values are static only: AWS's `'literal'` form.
 */
import { Hono, type Context } from 'hono'
import type { ApiConfig, GatewayResponseConfig } from '../config/types'
import { defaultGatewayResponse } from '../errors/gateway-response'
import {
  GATEWAY_RESPONSE_TYPES,
  isGatewayResponseType,
  type GatewayErrorType,
} from '../errors/gateway-error'
import type { GatewayEnv } from '../env'
import { configStore } from '../storage/config-store'
import { checkApiConfig } from '../config/check'
import { recordWrite } from './commit'
import { badRequest, invalidConfig, notFound } from './errors'
import { jsonBody, optString, optStringMap } from './input'
import { requireRestApi } from './rest-api-shape'

export const gatewayResponseRoutes = new Hono<GatewayEnv>()

const HEADER_PREFIX = 'gatewayresponse.header.'
// AWS's default body template for every gateway response type.
const DEFAULT_TEMPLATE = { 'application/json': '{"message":$context.error.messageString}' }

function responseOut(type: GatewayErrorType, custom: GatewayResponseConfig | undefined) {
  const base = defaultGatewayResponse(type, 'REST')
  const out: Record<string, unknown> = {
    responseType: type,
    defaultResponse: custom === undefined,
    responseParameters: Object.fromEntries(
      Object.entries(custom?.responseParameters ?? {}).map(([h, v]) => [
        `${HEADER_PREFIX}${h}`,
        `'${v}'`,
      ])
    ),
    responseTemplates: custom?.responseTemplates ?? DEFAULT_TEMPLATE,
  }
  // AWS: DEFAULT_4XX / DEFAULT_5XX have no status of their own unless customized.
  const status = custom?.statusCode ?? (type.startsWith('DEFAULT_') ? undefined : base.status)
  if (status !== undefined) out.statusCode = String(status)
  return out
}

function typeParam(raw: string): GatewayErrorType {
  if (!isGatewayResponseType(raw))
    return notFound(`Invalid gateway response type specified: ${raw}`)
  return raw
}

/** AWS `gatewayresponse.header.Name` → `'value'` mappings, as stored header → literal. */
function headersFromInput(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(HEADER_PREFIX) || key.length === HEADER_PREFIX.length) {
      return badRequest(
        `Invalid response parameter '${key}': expected gatewayresponse.header.<name>`
      )
    }
    const literal = /^'(.*)'$/s.exec(value)
    if (literal === null) {
      return badRequest(`Response parameter '${key}' must be a static value in single quotes`)
    }
    out[key.slice(HEADER_PREFIX.length)] = literal[1] ?? ''
  }
  return out
}

async function saveResponses(
  c: Context<GatewayEnv>,
  api: ApiConfig,
  action: string,
  type: GatewayErrorType
): Promise<void> {
  const checked = checkApiConfig(api)
  if (!checked.ok) throw invalidConfig('gateway response', checked.error)
  await configStore.putApi(c.env.ROUTES, checked.value)
  await recordWrite(c, action, `/restapis/${api.id}/gatewayresponses/${type}`)
}

gatewayResponseRoutes.get('/restapis/:restApiId/gatewayresponses', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const item = GATEWAY_RESPONSE_TYPES.map((t) => responseOut(t, api.gatewayResponses?.[t]))
  return c.json({ item })
})

gatewayResponseRoutes.get('/restapis/:restApiId/gatewayresponses/:responseType', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const type = typeParam(c.req.param('responseType'))
  return c.json(responseOut(type, api.gatewayResponses?.[type]))
})

gatewayResponseRoutes.put('/restapis/:restApiId/gatewayresponses/:responseType', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const type = typeParam(c.req.param('responseType'))
  const body = await jsonBody(c)
  const custom: GatewayResponseConfig = {}
  const status = optString(body, 'statusCode')
  if (status !== undefined) {
    if (!/^[1-5]\d{2}$/.test(status)) return badRequest("'statusCode' must be an HTTP status code")
    custom.statusCode = Number(status)
  }
  const params = optStringMap(body, 'responseParameters')
  if (params !== undefined) custom.responseParameters = headersFromInput(params)
  const templates = optStringMap(body, 'responseTemplates')
  if (templates !== undefined) custom.responseTemplates = templates
  const next: ApiConfig = { ...api, gatewayResponses: { ...api.gatewayResponses, [type]: custom } }
  await saveResponses(c, next, 'PutGatewayResponse', type)
  return c.json(responseOut(type, custom), 201)
})

gatewayResponseRoutes.delete('/restapis/:restApiId/gatewayresponses/:responseType', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const type = typeParam(c.req.param('responseType'))
  if (api.gatewayResponses?.[type] === undefined) {
    return notFound(`Gateway response ${type} is not customized`)
  }
  const rest = Object.fromEntries(
    Object.entries(api.gatewayResponses ?? {}).filter(([t]) => t !== type)
  )
  const next: ApiConfig = { ...api, gatewayResponses: rest }
  if (Object.keys(rest).length === 0) delete next.gatewayResponses
  await saveResponses(c, next, 'DeleteGatewayResponse', type)
  return c.body(null, 202)
})
