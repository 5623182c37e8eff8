/**
 * apigateway v1 authorizers: `/restapis/{id}/authorizers[/{authorizerId}]` (CreateAuthorizer,
 * GetAuthorizers, GetAuthorizer, UpdateAuthorizer, DeleteAuthorizer). Types TOKEN and REQUEST;
 * a Lambda `authorizerUri` is stored as `worker://BINDING` by the importer's rule, and REST's
 * `method.request.header.X` identity sources in the stored `$request.header.X` form.
 * COGNITO_USER_POOLS is refused: Portico cannot verify Cognito tokens by pool ARN.
 */
import { Hono } from 'hono'
import { newResourceId } from '../config/ids'
import type { ApiConfig, AuthorizerConfig } from '../config/types'
import type { GatewayEnv } from '../env'
import { storedAuthorizerUri } from '../openapi/authorizer-uri'
import { splitRestIdentitySource, toRestIdentitySource } from '../openapi/identity-source'
import { badRequest, conflict, notFound } from './errors'
import { jsonBody, optNumber, optString, page, pagingQuery, type JsonObject } from './input'
import { invalidPatch, parsePatchOperations, pathSegments, requireValue } from './patch'
import { requireRestApi } from './rest-api-shape'
import { saveRestApi } from './rest-api-save'

const COGNITO = 'COGNITO_USER_POOLS'

function findAuthorizer(api: ApiConfig, id: string): AuthorizerConfig {
  return (
    api.authorizers?.find((a) => a.id === id) ??
    notFound(`Invalid Authorizer identifier specified ${id}`)
  )
}

function readType(value: string | undefined): 'TOKEN' | 'REQUEST' {
  if (value === 'TOKEN' || value === 'REQUEST') return value
  if (value === COGNITO) {
    return badRequest(
      "Authorizer type COGNITO_USER_POOLS is not supported: use a JWT authorizer (apigatewayv2) with the pool's issuer"
    )
  }
  return badRequest("'type' must be TOKEN or REQUEST")
}

function readUri(value: string): string {
  const stored = storedAuthorizerUri(value)
  return stored.ok ? stored.value : badRequest(`'authorizerUri': ${stored.error}`)
}

function readTtl(value: number | string): number {
  const ttl = typeof value === 'number' ? value : Number(value)
  if (!Number.isInteger(ttl)) return badRequest("'authorizerResultTtlInSeconds' must be an integer")
  return ttl
}

/** Fields the AWS SDK may send that have no meaning here (an IAM role, Cognito pools). */
function refuseUnusable(body: JsonObject): void {
  const pools = body.providerARNs
  if (Array.isArray(pools) && pools.length > 0) badRequest("'providerARNs' is not supported")
}

/** AWS `Authorizer` (identity sources in REST spelling, comma-separated). */
export function authorizerOut(a: AuthorizerConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { id: a.id, name: a.name, type: a.authorizerType }
  if (a.authorizerUri !== undefined) out.authorizerUri = a.authorizerUri
  if (a.identitySource !== undefined)
    out.identitySource = a.identitySource.map(toRestIdentitySource).join(', ')
  if (a.identityValidationExpression !== undefined)
    out.identityValidationExpression = a.identityValidationExpression
  if (a.authorizerResultTtlInSeconds !== undefined)
    out.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds
  return out
}

function create(body: JsonObject): AuthorizerConfig {
  refuseUnusable(body)
  const name = optString(body, 'name')
  if (name === undefined || name.trim() === '') return badRequest("'name' is required")
  const type = readType(optString(body, 'type'))
  const uri = optString(body, 'authorizerUri')
  if (uri === undefined) return badRequest("'authorizerUri' is required")
  const authorizer: AuthorizerConfig = {
    id: newResourceId(),
    name,
    authorizerType: type,
    authorizerUri: readUri(uri),
    // REST authorizers get the REST event (AWS REST APIs have no 2.0 format).
    authorizerPayloadFormatVersion: '1.0',
  }
  const source = optString(body, 'identitySource')
  if (source !== undefined) authorizer.identitySource = splitRestIdentitySource(source)
  else if (type === 'TOKEN') authorizer.identitySource = ['$request.header.Authorization']
  const expression = optString(body, 'identityValidationExpression')
  if (expression !== undefined) authorizer.identityValidationExpression = expression
  const ttl = optNumber(body, 'authorizerResultTtlInSeconds')
  if (ttl !== undefined) authorizer.authorizerResultTtlInSeconds = readTtl(ttl)
  return authorizer
}

function applyPatch(existing: AuthorizerConfig, body: JsonObject): AuthorizerConfig {
  const a: AuthorizerConfig = structuredClone(existing)
  for (const op of parsePatchOperations(body)) {
    const [field, ...more] = pathSegments(op.path)
    if (more.length > 0 || op.op !== 'replace') invalidPatch(op)
    const value = requireValue(op)
    switch (field) {
      case 'name':
        a.name = value
        break
      case 'type':
        a.authorizerType = readType(value)
        break
      case 'authorizerUri':
        a.authorizerUri = readUri(value)
        break
      case 'identitySource':
        a.identitySource = splitRestIdentitySource(value)
        break
      case 'identityValidationExpression':
        if (value === '') delete a.identityValidationExpression
        else a.identityValidationExpression = value
        break
      case 'authorizerResultTtlInSeconds':
        a.authorizerResultTtlInSeconds = readTtl(value)
        break
      default:
        invalidPatch(op)
    }
  }
  return a
}

export const authorizerRoutes = new Hono<GatewayEnv>()

authorizerRoutes.post('/restapis/:restApiId/authorizers', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const authorizer = create(await jsonBody(c))
  const authorizers = [...(api.authorizers ?? []), authorizer]
  const resource = `/restapis/${api.id}/authorizers/${authorizer.id}`
  await saveRestApi(c, { ...api, authorizers }, 'CreateAuthorizer', resource)
  return c.json(authorizerOut(authorizer), 201)
})

authorizerRoutes.get('/restapis/:restApiId/authorizers', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const result = page(api.authorizers ?? [], (a) => a.id, pagingQuery(c))
  return c.json({ ...result, item: result.item.map(authorizerOut) })
})

authorizerRoutes.get('/restapis/:restApiId/authorizers/:authorizerId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  return c.json(authorizerOut(findAuthorizer(api, c.req.param('authorizerId'))))
})

authorizerRoutes.patch('/restapis/:restApiId/authorizers/:authorizerId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const next = applyPatch(findAuthorizer(api, c.req.param('authorizerId')), await jsonBody(c))
  const authorizers = (api.authorizers ?? []).map((a) => (a.id === next.id ? next : a))
  const resource = `/restapis/${api.id}/authorizers/${next.id}`
  await saveRestApi(c, { ...api, authorizers }, 'UpdateAuthorizer', resource)
  return c.json(authorizerOut(next))
})

authorizerRoutes.delete('/restapis/:restApiId/authorizers/:authorizerId', async (c) => {
  const api = await requireRestApi(c, c.req.param('restApiId'))
  const authorizer = findAuthorizer(api, c.req.param('authorizerId'))
  const user = api.routes.find((r) => r.authorizerId === authorizer.id)
  if (user !== undefined) {
    conflict(`Cannot delete authorizer '${authorizer.name}': it is used by ${user.routeKey}`)
  }
  const authorizers = (api.authorizers ?? []).filter((a) => a.id !== authorizer.id)
  const resource = `/restapis/${api.id}/authorizers/${authorizer.id}`
  await saveRestApi(c, { ...api, authorizers }, 'DeleteAuthorizer', resource)
  return c.body(null, 202)
})
