import { describe, expect, it } from 'vitest'
import { admin, createHttpApi, createIntegration, expectError } from './helpers'

const JWT_AUTHORIZER = {
  name: 'cognito',
  authorizerType: 'JWT',
  identitySource: ['$request.header.Authorization'],
  jwtConfiguration: {
    issuer: 'https://issuer.example.com',
    audience: ['client-1'],
    jwksUri: 'https://issuer.example.com/jwks.json',
    algorithms: ['RS256'],
    clockLeewaySeconds: 30,
  },
}

describe('v2 authorizers', () => {
  it('creates, gets, lists, updates and deletes a JWT authorizer in the AWS shape', async () => {
    const apiId = await createHttpApi()
    const created = await admin('POST', `/v2/apis/${apiId}/authorizers`, JWT_AUTHORIZER)
    expect(created.status).toBe(201)
    const authorizerId: string = created.json.authorizerId
    expect(authorizerId).toMatch(/^[a-z0-9]{8}$/)
    expect(created.json).toEqual({ authorizerId, ...JWT_AUTHORIZER })
    const got = await admin('GET', `/v2/apis/${apiId}/authorizers/${authorizerId}`)
    expect(got.json).toEqual(created.json)
    expect((await admin('GET', `/v2/apis/${apiId}/authorizers`)).json.items).toEqual([created.json])

    const updated = await admin('PATCH', `/v2/apis/${apiId}/authorizers/${authorizerId}`, {
      jwtConfiguration: { issuer: 'https://other.example.com', audience: ['a', 'b'] },
    })
    expect(updated.status).toBe(200)
    expect(updated.json.jwtConfiguration).toEqual({
      ...JWT_AUTHORIZER.jwtConfiguration,
      issuer: 'https://other.example.com',
      audience: ['a', 'b'],
    })
    expect((await admin('DELETE', `/v2/apis/${apiId}/authorizers/${authorizerId}`)).status).toBe(
      204
    )
    expectError(
      await admin('GET', `/v2/apis/${apiId}/authorizers/${authorizerId}`),
      404,
      'NotFoundException'
    )
  })

  it('stores a REQUEST authorizer on a Lambda ARN as a Worker binding', async () => {
    const apiId = await createHttpApi()
    const created = await admin('POST', `/v2/apis/${apiId}/authorizers`, {
      name: 'lambda',
      authorizerType: 'REQUEST',
      authorizerUri:
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:my-authorizer/invocations',
      identitySource: ['$request.header.Auth', '$request.querystring.token'],
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      authorizerResultTtlInSeconds: 60,
      authorizerCredentialsArn: 'arn:aws:iam::123456789012:role/invoker',
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      authorizerType: 'REQUEST',
      authorizerUri: 'worker://MY_AUTHORIZER',
      identitySource: ['$request.header.Auth', '$request.querystring.token'],
      authorizerPayloadFormatVersion: '2.0',
      enableSimpleResponses: true,
      authorizerResultTtlInSeconds: 60,
    })
  })

  it.each([
    [{ name: 'x', authorizerType: 'TOKEN' }, /'authorizerType' must be one of JWT, REQUEST/],
    [{ name: 'x', authorizerType: 'JWT' }, /'jwtConfiguration' is required/],
    [{ name: 'x', authorizerType: 'REQUEST' }, /'authorizerUri' is required/],
    [
      { name: 'x', authorizerType: 'REQUEST', authorizerUri: 'ftp://host/x' },
      /'authorizerUri': authorizerUri must be a Lambda/,
    ],
    [{ ...JWT_AUTHORIZER, jwtConfiguration: { audience: ['a'] } }, /jwtConfiguration.issuer/],
    [{ ...JWT_AUTHORIZER, colour: 'blue' }, /Unsupported field 'colour'/],
  ])('refuses an invalid authorizer with a 400 (%#)', async (body, pattern) => {
    const apiId = await createHttpApi()
    expectError(
      await admin('POST', `/v2/apis/${apiId}/authorizers`, body),
      400,
      'BadRequestException',
      pattern
    )
  })

  it('refuses values the config checks refuse, naming the config path', async () => {
    const apiId = await createHttpApi()
    const reply = await admin('POST', `/v2/apis/${apiId}/authorizers`, {
      ...JWT_AUTHORIZER,
      jwtConfiguration: { ...JWT_AUTHORIZER.jwtConfiguration, clockLeewaySeconds: 3600 },
    })
    expectError(reply, 400, 'BadRequestException', /authorizers\/0\/jwtConfiguration/)
    expect((await admin('GET', `/v2/apis/${apiId}/authorizers`)).json.items).toEqual([])
  })

  it('refuses to delete an authorizer a route uses (409), then deletes it once detached', async () => {
    const apiId = await createHttpApi()
    const integrationId = await createIntegration(apiId)
    const authorizerId: string = (
      await admin('POST', `/v2/apis/${apiId}/authorizers`, JWT_AUTHORIZER)
    ).json.authorizerId
    const route = await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /pets',
      target: `integrations/${integrationId}`,
      authorizationType: 'JWT',
      authorizerId,
      authorizationScopes: ['pets:read'],
    })
    expect(route.status).toBe(201)
    expect(route.json).toMatchObject({ authorizationType: 'JWT', authorizerId })
    expectError(
      await admin('DELETE', `/v2/apis/${apiId}/authorizers/${authorizerId}`),
      409,
      'ConflictException',
      /used by route GET \/pets/
    )
    const routeId: string = route.json.routeId
    const detached = await admin('PATCH', `/v2/apis/${apiId}/routes/${routeId}`, {
      authorizationType: 'NONE',
    })
    expect(detached.json.authorizerId).toBeUndefined()
    expect((await admin('DELETE', `/v2/apis/${apiId}/authorizers/${authorizerId}`)).status).toBe(
      204
    )
  })

  it('ImportApi brings authorizers and CORS in; ExportApi gives them back', async () => {
    const definition = {
      openapi: '3.0.1',
      info: { title: 'imported' },
      'x-amazon-apigateway-cors': { allowOrigins: ['https://app.example.com'] },
      components: {
        securitySchemes: {
          jwt: {
            type: 'oauth2',
            flows: {},
            'x-amazon-apigateway-authorizer': {
              type: 'jwt',
              identitySource: '$request.header.Authorization',
              jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['api'] },
            },
          },
        },
      },
      paths: {
        '/me': {
          get: {
            security: [{ jwt: ['profile'] }],
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'GET',
              uri: 'https://example.com/me',
              payloadFormatVersion: '1.0',
            },
          },
        },
      },
    }
    const imported = await admin('PUT', '/v2/apis', { body: JSON.stringify(definition) })
    expect(imported.status).toBe(201)
    const apiId: string = imported.json.apiId
    expect(imported.json.corsConfiguration).toEqual({ allowOrigins: ['https://app.example.com'] })
    const authorizers = (await admin('GET', `/v2/apis/${apiId}/authorizers`)).json.items
    expect(authorizers).toEqual([
      {
        authorizerId: 'jwt',
        name: 'jwt',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['api'] },
      },
    ])
    const routes = (await admin('GET', `/v2/apis/${apiId}/routes`)).json.items
    expect(routes[0]).toMatchObject({
      authorizationType: 'JWT',
      authorizerId: 'jwt',
      authorizationScopes: ['profile'],
    })
    const exported = await admin('GET', `/v2/apis/${apiId}/exports/OAS30?outputType=JSON`)
    const doc = JSON.parse(exported.text)
    expect(doc['x-amazon-apigateway-cors']).toEqual({ allowOrigins: ['https://app.example.com'] })
    expect(doc.components.securitySchemes.jwt['x-amazon-apigateway-authorizer']).toMatchObject({
      type: 'jwt',
      jwtConfiguration: { issuer: 'https://issuer.example.com', audience: ['api'] },
    })
    expect(doc.paths['/me'].get.security).toEqual([{ jwt: ['profile'] }])
  })

  it('answers 404 for an authorizer of an unknown API', async () => {
    expectError(await admin('GET', '/v2/apis/zzzzzzzzzz/authorizers'), 404, 'NotFoundException')
  })
})
