/**
 * apigateway v1 authorizers and request validators, and the RestApi `policy` field, through the
 * admin API, with the stored config they produce.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ApiConfig } from '../../src/config/types'
import { admin, awsError, importApi } from './helpers'

const INVOKE_ARN =
  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-check/invocations'

async function stored(apiId: string): Promise<ApiConfig> {
  const api: ApiConfig | null = await env.ROUTES.get(`api/${apiId}`, 'json')
  if (api === null) throw new Error('no stored api')
  return api
}

describe('v1 authorizers', () => {
  it('creates a TOKEN authorizer on a Lambda ARN as a Worker binding, and reads it back', async () => {
    const apiId = await importApi()
    const res = await admin('POST', `/restapis/${apiId}/authorizers`, {
      name: 'tokens',
      type: 'TOKEN',
      authorizerUri: INVOKE_ARN,
      identitySource: 'method.request.header.X-Token',
      identityValidationExpression: '^Bearer ',
      authorizerResultTtlInSeconds: 120,
    })
    expect(res.status).toBe(201)
    const created: Record<string, unknown> = await res.json()
    const id = created.id as string
    expect(created).toEqual({
      id,
      name: 'tokens',
      type: 'TOKEN',
      authorizerUri: 'worker://TOKEN_CHECK',
      identitySource: 'method.request.header.X-Token',
      identityValidationExpression: '^Bearer ',
      authorizerResultTtlInSeconds: 120,
    })
    expect((await stored(apiId)).authorizers).toEqual([
      {
        id,
        name: 'tokens',
        authorizerType: 'TOKEN',
        authorizerUri: 'worker://TOKEN_CHECK',
        authorizerPayloadFormatVersion: '1.0',
        identitySource: ['$request.header.X-Token'],
        identityValidationExpression: '^Bearer ',
        authorizerResultTtlInSeconds: 120,
      },
    ])
    const list: { item: unknown[] } = await (
      await admin('GET', `/restapis/${apiId}/authorizers`)
    ).json()
    expect(list.item).toEqual([created])
    expect(await (await admin('GET', `/restapis/${apiId}/authorizers/${id}`)).json()).toEqual(
      created
    )
  })

  it('updates with patch operations and deletes (202)', async () => {
    const apiId = await importApi()
    const created: { id: string } = await (
      await admin('POST', `/restapis/${apiId}/authorizers`, {
        name: 'req',
        type: 'REQUEST',
        authorizerUri: 'worker://AUTHZ',
        identitySource: 'method.request.header.A, method.request.querystring.b',
      })
    ).json()
    const patched = await admin('PATCH', `/restapis/${apiId}/authorizers/${created.id}`, {
      patchOperations: [
        { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' },
        { op: 'replace', path: '/identitySource', value: 'method.request.header.C' },
      ],
    })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({
      authorizerResultTtlInSeconds: 0,
      identitySource: 'method.request.header.C',
    })
    expect((await admin('DELETE', `/restapis/${apiId}/authorizers/${created.id}`)).status).toBe(202)
    expect((await admin('GET', `/restapis/${apiId}/authorizers/${created.id}`)).status).toBe(404)
  })

  it.each([
    [{ name: 'c', type: 'COGNITO_USER_POOLS', providerARNs: ['arn:x'] }, /not supported/],
    [{ name: 'c', type: 'JWT', authorizerUri: 'worker://A' }, /TOKEN or REQUEST/],
    [{ name: 'c', type: 'TOKEN' }, /'authorizerUri' is required/],
    [{ name: 'c', type: 'TOKEN', authorizerUri: 'http://a.example' }, /authorizerUri/],
    [
      { name: 'c', type: 'TOKEN', authorizerUri: 'worker://A', authorizerResultTtlInSeconds: 7200 },
      /\/authorizers\/0\/authorizerResultTtlInSeconds/,
    ],
  ])('refuses %j with a 400', async (body, pattern) => {
    const apiId = await importApi()
    const e = await awsError(await admin('POST', `/restapis/${apiId}/authorizers`, body))
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toMatch(pattern)
  })

  it('refuses to delete an authorizer a method uses (409)', async () => {
    const apiId = await importApi({
      openapi: '3.0.1',
      info: { title: 'secured' },
      components: {
        securitySchemes: {
          auth: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'worker://AUTHZ' },
          },
        },
      },
      paths: {
        '/me': {
          get: {
            security: [{ auth: [] }],
            'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://up.example/' },
          },
        },
      },
    })
    const e = await awsError(await admin('DELETE', `/restapis/${apiId}/authorizers/auth`))
    expect(e).toMatchObject({ status: 409, type: 'ConflictException' })
    expect(e.message).toContain('GET /me')
  })
})

describe('v1 PutRestApi merge with authorizers', () => {
  it('replaces a same-named authorizer in place and points the imported methods at its id', async () => {
    const apiId = await importApi()
    const existing: { id: string } = await (
      await admin('POST', `/restapis/${apiId}/authorizers`, {
        name: 'auth',
        type: 'TOKEN',
        authorizerUri: 'worker://OLD',
      })
    ).json()
    const res = await admin('PUT', `/restapis/${apiId}?mode=merge`, {
      openapi: '3.0.1',
      info: { title: 'merged' },
      components: {
        securitySchemes: {
          auth: {
            type: 'apiKey',
            name: 'Authorization',
            in: 'header',
            'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'worker://NEW' },
          },
        },
      },
      paths: {
        '/me': {
          get: {
            security: [{ auth: [] }],
            'x-amazon-apigateway-integration': { type: 'http_proxy', uri: 'https://up.example/' },
          },
        },
      },
    })
    expect(res.status).toBe(200)
    const api = await stored(apiId)
    expect(api.authorizers).toEqual([
      expect.objectContaining({ id: existing.id, name: 'auth', authorizerUri: 'worker://NEW' }),
    ])
    expect(api.routes.find((r) => r.routeKey === 'GET /me')?.authorizerId).toBe(existing.id)
  })
})

describe('v1 request validators', () => {
  it('creates, lists, patches and deletes a validator', async () => {
    const apiId = await importApi()
    const res = await admin('POST', `/restapis/${apiId}/requestvalidators`, {
      name: 'body-only',
      validateRequestBody: true,
    })
    expect(res.status).toBe(201)
    const created: { id: string } = await res.json()
    expect(created).toEqual({
      id: created.id,
      name: 'body-only',
      validateRequestBody: true,
      validateRequestParameters: false,
    })
    const list: { item: unknown[] } = await (
      await admin('GET', `/restapis/${apiId}/requestvalidators`)
    ).json()
    expect(list.item).toEqual([created])
    const patched = await admin('PATCH', `/restapis/${apiId}/requestvalidators/${created.id}`, {
      patchOperations: [{ op: 'replace', path: '/validateRequestParameters', value: 'true' }],
    })
    expect(await patched.json()).toMatchObject({ validateRequestParameters: true })
    expect(
      (await admin('DELETE', `/restapis/${apiId}/requestvalidators/${created.id}`)).status
    ).toBe(202)
    expect((await stored(apiId)).requestValidators).toEqual([])
  })
})

describe('v1 RestApi policy', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' },
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } },
      },
    ],
  })

  it('turns an IP policy into the resource policy and gives it back as IAM JSON', async () => {
    const res = await admin('POST', '/restapis', { name: 'p', policy })
    expect(res.status).toBe(201)
    const api: { id: string; policy: string } = await res.json()
    expect((await stored(api.id)).resourcePolicy).toEqual({ sourceIpDeny: ['192.0.2.0/24'] })
    expect(JSON.parse(api.policy)).toMatchObject({
      Statement: [
        { Effect: 'Allow' },
        { Effect: 'Deny', Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } } },
      ],
    })
    const patched = await admin('PATCH', `/restapis/${api.id}`, {
      patchOperations: [{ op: 'replace', path: '/policy', value: '' }],
    })
    expect(patched.status).toBe(200)
    expect((await stored(api.id)).resourcePolicy).toBeUndefined()
  })

  it('refuses a Deny it cannot enforce, naming the statement', async () => {
    const vpc = JSON.stringify({
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        },
      ],
    })
    const e = await awsError(await admin('POST', '/restapis', { name: 'p', policy: vpc }))
    expect(e).toMatchObject({ status: 400, type: 'BadRequestException' })
    expect(e.message).toContain('/Statement/0/Condition/StringNotEquals')
  })
})
