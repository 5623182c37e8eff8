/**
 * apigatewayv2 authorizers: `/v2/apis/{apiId}/authorizers[/{authorizerId}]` (CreateAuthorizer,
 * GetAuthorizers, GetAuthorizer, UpdateAuthorizer, DeleteAuthorizer). JWT and REQUEST, as AWS;
 * `jwtConfiguration` also takes Portico's `jwksUri`, `algorithms` and `clockLeewaySeconds`.
 * A Lambda `authorizerUri` is stored as `worker://BINDING` (openapi/authorizer-uri.ts).
 */
import { Hono } from 'hono'
import { newResourceId } from '../../config/ids'
import type { ApiConfig, AuthorizerConfig, JwtConfiguration } from '../../config/types'
import type { GatewayEnv } from '../../env'
import { storedAuthorizerUri } from '../../openapi/authorizer-uri'
import { toStoredIdentitySource } from '../../openapi/identity-source'
import { badRequest, conflict, notFound } from '../errors'
import { paginate } from './paging'
import { compact, type Fields, readBody } from './parse'
import { commitApi, loadV2Api } from './store'

const TYPES = ['JWT', 'REQUEST'] as const

function findAuthorizer(api: ApiConfig, authorizerId: string): AuthorizerConfig {
  const found = api.authorizers?.find((a) => a.id === authorizerId)
  return found ?? notFound(`Invalid Authorizer identifier specified ${authorizerId}`)
}

function readJwt(f: Fields, base: JwtConfiguration | undefined): JwtConfiguration | undefined {
  const jwt = f.obj('jwtConfiguration')
  if (jwt === undefined) return base
  const merged = {
    ...base,
    ...compact({
      issuer: jwt.str('issuer'),
      audience: jwt.strList('audience'),
      jwksUri: jwt.str('jwksUri'),
      algorithms: jwt.strList('algorithms'),
      clockLeewaySeconds: jwt.num('clockLeewaySeconds'),
    }),
  }
  jwt.done()
  if (merged.issuer === undefined) return badRequest("'jwtConfiguration.issuer' is required")
  return { ...merged, issuer: merged.issuer, audience: merged.audience ?? [] }
}

/** Reads the authorizer fields present in `f` over `base`. */
function applyAuthorizerFields(f: Fields, base: AuthorizerConfig): AuthorizerConfig {
  const uri = f.str('authorizerUri')
  let authorizerUri: string | undefined
  if (uri !== undefined) {
    const stored = storedAuthorizerUri(uri)
    authorizerUri = stored.ok ? stored.value : badRequest(`'authorizerUri': ${stored.error}`)
  }
  const authorizer: AuthorizerConfig = {
    ...base,
    ...compact({
      name: f.str('name'),
      authorizerType: f.oneOf('authorizerType', TYPES),
      identitySource: f.strList('identitySource')?.map(toStoredIdentitySource),
      jwtConfiguration: readJwt(f, base.jwtConfiguration),
      authorizerUri,
      authorizerResultTtlInSeconds: f.num('authorizerResultTtlInSeconds'),
      authorizerPayloadFormatVersion: f.oneOf('authorizerPayloadFormatVersion', [
        '1.0',
        '2.0',
      ] as const),
      enableSimpleResponses: f.bool('enableSimpleResponses'),
      identityValidationExpression: f.str('identityValidationExpression'),
      // Portico: the call timeout (AWS fixes it).
      authorizerTimeoutInMillis: f.num('authorizerTimeoutInMillis'),
    }),
  }
  // An IAM role for invoking a Lambda function: Workers are called by binding, no role needed.
  f.ignore('authorizerCredentialsArn')
  f.done()
  if (authorizer.authorizerType === 'JWT' && authorizer.jwtConfiguration === undefined) {
    badRequest("'jwtConfiguration' is required for a JWT authorizer")
  }
  if (authorizer.authorizerType === 'REQUEST' && authorizer.authorizerUri === undefined) {
    badRequest("'authorizerUri' is required for a REQUEST authorizer")
  }
  return authorizer
}

/** `AuthorizerConfig` → apigatewayv2 `Authorizer`. */
export function authorizerToWire(a: AuthorizerConfig): Record<string, unknown> {
  return compact({
    authorizerId: a.id,
    authorizerType: a.authorizerType,
    authorizerUri: a.authorizerUri,
    authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
    authorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
    enableSimpleResponses: a.enableSimpleResponses,
    identitySource: a.identitySource,
    identityValidationExpression: a.identityValidationExpression,
    jwtConfiguration: a.jwtConfiguration,
    name: a.name,
    authorizerTimeoutInMillis: a.authorizerTimeoutInMillis,
  })
}

/** Authorizers of the v2 API surface; mounted under `/apis`. */
export const authorizerRoutes = new Hono<GatewayEnv>()

authorizerRoutes.post('/:apiId/authorizers', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const f = await readBody(c)
  const name = f.requiredStr('name')
  const authorizerType = f.oneOf('authorizerType', TYPES)
  if (authorizerType === undefined) return badRequest("'authorizerType' is required")
  const authorizer = applyAuthorizerFields(f, { id: newResourceId(), name, authorizerType })
  const authorizers = [...(api.authorizers ?? []), authorizer]
  const resource = `/v2/apis/${api.id}/authorizers/${authorizer.id}`
  const saved = await commitApi(c, { ...api, authorizers }, 'CreateAuthorizer', resource)
  return c.json(authorizerToWire(findAuthorizer(saved, authorizer.id)), 201)
})

authorizerRoutes.get('/:apiId/authorizers', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const page = paginate(api.authorizers ?? [], (a) => a.id, c.req.query())
  return c.json({
    items: page.items.map(authorizerToWire),
    ...compact({ nextToken: page.nextToken }),
  })
})

authorizerRoutes.get('/:apiId/authorizers/:authorizerId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  return c.json(authorizerToWire(findAuthorizer(api, c.req.param('authorizerId'))))
})

authorizerRoutes.patch('/:apiId/authorizers/:authorizerId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const existing = findAuthorizer(api, c.req.param('authorizerId'))
  const authorizer = applyAuthorizerFields(await readBody(c), existing)
  const authorizers = (api.authorizers ?? []).map((a) => (a.id === authorizer.id ? authorizer : a))
  const resource = `/v2/apis/${api.id}/authorizers/${authorizer.id}`
  const saved = await commitApi(c, { ...api, authorizers }, 'UpdateAuthorizer', resource)
  return c.json(authorizerToWire(findAuthorizer(saved, authorizer.id)))
})

authorizerRoutes.delete('/:apiId/authorizers/:authorizerId', async (c) => {
  const api = await loadV2Api(c, c.req.param('apiId'))
  const authorizer = findAuthorizer(api, c.req.param('authorizerId'))
  const user = api.routes.find((r) => r.authorizerId === authorizer.id)
  if (user !== undefined) {
    conflict(`Authorizer ${authorizer.id} is used by route ${user.routeKey}; detach it first`)
  }
  const authorizers = (api.authorizers ?? []).filter((a) => a.id !== authorizer.id)
  const resource = `/v2/apis/${api.id}/authorizers/${authorizer.id}`
  await commitApi(c, { ...api, authorizers }, 'DeleteAuthorizer', resource)
  return c.body(null, 204)
})
