/**
 * `x-amazon-apigateway-authorizer` security schemes → `ApiConfig.authorizers` and routes'
 * `authorizerId`, and back on export.
 */
import { describe, expect, it } from 'vitest'
import { exportOpenApi } from '../../src/openapi/export'
import { importOpenApi } from '../../src/openapi/import'
import { mustImport, options } from './helpers'

const INVOKE_ARN =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:check-token/invocations'
const proxy = { type: 'http_proxy', uri: 'https://up.example/' }

function document(
  schemes: Record<string, unknown>,
  security: unknown = [{ auth: [] }],
  extra: Record<string, unknown> = {}
): string {
  return JSON.stringify({
    openapi: '3.0.1',
    info: { title: 't' },
    components: { securitySchemes: schemes },
    paths: { '/me': { get: { security, 'x-amazon-apigateway-integration': proxy } } },
    ...extra,
  })
}

const tokenScheme = (authorizer: Record<string, unknown>) => ({
  type: 'apiKey',
  name: 'X-Token',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: INVOKE_ARN, ...authorizer },
})

describe('authorizer import', () => {
  it('reads a TOKEN authorizer: header from the scheme, Lambda ARN → Worker binding', () => {
    const { api, warnings } = mustImport(
      document({
        auth: tokenScheme({
          authorizerResultTtlInSeconds: 0,
          identityValidationExpression: '^Bearer .+$',
        }),
      })
    )
    expect(api.authorizers).toEqual([
      {
        id: 'auth',
        name: 'auth',
        authorizerType: 'TOKEN',
        identitySource: ['$request.header.X-Token'],
        authorizerUri: 'worker://CHECK_TOKEN',
        authorizerResultTtlInSeconds: 0,
        identityValidationExpression: '^Bearer .+$',
      },
    ])
    expect(api.routes[0]).toMatchObject({ authorizationType: 'CUSTOM', authorizerId: 'auth' })
    expect(warnings).toEqual([])
  })

  it('reads REQUEST identity sources in both the REST (comma list) and HTTP (array) forms', () => {
    const rest = mustImport(
      document({
        auth: {
          type: 'apiKey',
          name: 'Unused',
          in: 'header',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            authorizerUri: 'worker://AUTHZ',
            identitySource:
              'method.request.header.Auth, method.request.querystring.tok, context.requestId',
          },
        },
      })
    )
    expect(rest.api.authorizers?.[0]?.identitySource).toEqual([
      '$request.header.Auth',
      '$request.querystring.tok',
      '$context.requestId',
    ])
    const http = mustImport(
      document({
        auth: {
          type: 'apiKey',
          name: 'Auth',
          in: 'header',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            authorizerUri: 'https://authz.example.com/check',
            identitySource: ['$request.header.Auth', '$stageVariables.tenant'],
            authorizerPayloadFormatVersion: '2.0',
            enableSimpleResponses: true,
          },
        },
      }),
      { protocolType: 'HTTP' }
    )
    expect(http.api.authorizers?.[0]).toMatchObject({
      authorizerType: 'REQUEST',
      authorizerUri: 'https://authz.example.com/check',
      identitySource: ['$request.header.Auth', '$stageVariables.tenant'],
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
    })
  })

  it('reads a JWT authorizer with Portico’s jwksUri, algorithms and leeway, and the route scopes', () => {
    const { api } = mustImport(
      document(
        {
          'my jwt': {
            type: 'oauth2',
            flows: {},
            'x-amazon-apigateway-authorizer': {
              type: 'jwt',
              identitySource: '$request.header.Authorization',
              jwtConfiguration: {
                issuer: 'https://issuer.example.com',
                audience: ['api'],
                jwksUri: 'https://issuer.example.com/keys',
                algorithms: ['ES256'],
                clockLeewaySeconds: 5,
              },
            },
          },
        },
        [{ 'my jwt': ['pets:read'] }]
      ),
      { protocolType: 'HTTP' }
    )
    // The id is derived from the scheme name (stable across re-imports); the name is kept.
    expect(api.authorizers?.[0]).toEqual({
      id: 'my_jwt',
      name: 'my jwt',
      authorizerType: 'JWT',
      identitySource: ['$request.header.Authorization'],
      jwtConfiguration: {
        issuer: 'https://issuer.example.com',
        audience: ['api'],
        jwksUri: 'https://issuer.example.com/keys',
        algorithms: ['ES256'],
        clockLeewaySeconds: 5,
      },
    })
    expect(api.routes[0]).toMatchObject({
      authorizationType: 'JWT',
      authorizerId: 'my_jwt',
      authorizationScopes: ['pets:read'],
    })
  })

  it.each([
    [
      { type: 'request', authorizerUri: 'ftp://x' },
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/authorizerUri',
    ],
    [
      { type: 'request' },
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/authorizerUri',
    ],
    [
      { type: 'jwt', jwtConfiguration: { audience: ['a'] } },
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/jwtConfiguration',
    ],
    [{ type: 'saml' }, '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/type'],
    [
      { type: 'request', authorizerUri: 'worker://A', identitySource: 7 },
      '/components/securitySchemes/auth/x-amazon-apigateway-authorizer/identitySource',
    ],
  ])('refuses an authorizer it cannot run, naming the path (%#)', (authorizer, path) => {
    const result = importOpenApi(
      document({
        auth: {
          type: 'apiKey',
          name: 'A',
          in: 'header',
          'x-amazon-apigateway-authorizer': authorizer,
        },
      }),
      options()
    )
    expect(result.ok ? [] : result.error.map((e) => e.path)).toContain(path)
  })

  it('keeps Cognito user pool authorizers unsupported: the route fails closed with a warning', () => {
    const { api, warnings } = mustImport(
      document({
        auth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'cognito_user_pools',
          'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn'] },
        },
      })
    )
    expect(api.authorizers).toBeUndefined()
    expect(api.routes[0]?.authorizationType).toBe('COGNITO_USER_POOLS')
    expect(warnings.join('\n')).toMatch(/Cognito user pool authorizers are not supported/)
  })
})

describe('authorizer export', () => {
  it('writes each authorizer as its security scheme and the route requirement, AWS-shaped', () => {
    const { api, extras } = mustImport(
      document({ auth: tokenScheme({ authorizerResultTtlInSeconds: 60 }) })
    )
    const doc = exportOpenApi(api, { extensions: true, extras })
    expect(doc.components).toEqual({
      securitySchemes: {
        auth: {
          type: 'apiKey',
          name: 'X-Token',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri:
              'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:CHECK_TOKEN/invocations',
            authorizerResultTtlInSeconds: 60,
          },
        },
      },
    })
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>
    expect(paths['/me']?.get?.security).toEqual([{ auth: [] }])
  })

  it('follows an admin change of the route’s authorizer and scopes', () => {
    const { api, extras } = mustImport(
      document({
        auth: tokenScheme({}),
        other: {
          type: 'oauth2',
          flows: {},
          'x-amazon-apigateway-authorizer': {
            type: 'jwt',
            jwtConfiguration: { issuer: 'https://i.example', audience: ['a'] },
          },
        },
      })
    )
    const [route] = api.routes
    if (route === undefined) throw new Error('no route')
    route.authorizationType = 'JWT'
    route.authorizerId = 'other'
    route.authorizationScopes = ['read']
    const doc = exportOpenApi(api, { extensions: true, extras })
    const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>
    expect(paths['/me']?.get?.security).toEqual([{ other: ['read'] }])
    const again = mustImport(JSON.stringify(doc))
    expect(again.api.routes[0]).toMatchObject({
      authorizationType: 'JWT',
      authorizerId: 'other',
      authorizationScopes: ['read'],
    })
  })

  it('round-trips REST identity sources in the REST spelling', () => {
    const { api, extras } = mustImport(
      document({
        auth: {
          type: 'apiKey',
          name: 'Unused',
          in: 'header',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            authorizerUri: 'worker://AUTHZ',
            identitySource: 'method.request.header.Auth, method.request.querystring.tok',
          },
        },
      })
    )
    const doc = exportOpenApi(api, { extensions: true, extras })
    const schemes = (doc.components as Record<string, Record<string, Record<string, unknown>>>)
      .securitySchemes
    expect(schemes?.auth?.['x-amazon-apigateway-authorizer']).toMatchObject({
      identitySource: 'method.request.header.Auth, method.request.querystring.tok',
      authorizerUri: expect.stringMatching(/:function:AUTHZ\/invocations$/),
    })
    expect(mustImport(JSON.stringify(doc)).api.authorizers).toEqual(api.authorizers)
  })
})
