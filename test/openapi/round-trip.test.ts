/**
 * import → export → import yields an equal ApiConfig (modulo generated ids), for every
 * importable corpus file and for hand-written documents that use every supported construct; and
 * a second export is identical to the first (export is a fixpoint).
 */
import { describe, expect, it } from 'vitest'
import { exportOpenApi } from '../../src/openapi/export'
import { CORPUS } from './corpus'
import { HTTP_EVERYTHING, REST_EVERYTHING } from './fixtures'
import { mustImport, withoutIds } from './helpers'

const CASES: [string, string, 'REST' | 'HTTP'][] = [
  ['awsdocs-rest-request-validators.json', CORPUS['awsdocs-rest-request-validators.json'], 'REST'],
  ['awsdocs-http-api-petstore-cors.json', CORPUS['awsdocs-http-api-petstore-cors.json'], 'HTTP'],
  [
    'awsdocs-rest-lambda-request-authorizer.json',
    CORPUS['awsdocs-rest-lambda-request-authorizer.json'],
    'REST',
  ],
  [
    'aws-serverless-express-simple-proxy-api.yaml',
    CORPUS['aws-serverless-express-simple-proxy-api.yaml'],
    'REST',
  ],
  ['hand-written REST (every construct)', JSON.stringify(REST_EVERYTHING), 'REST'],
  ['hand-written HTTP (every construct)', JSON.stringify(HTTP_EVERYTHING), 'HTTP'],
]

describe('round trip', () => {
  it.each(CASES)(
    '%s: import → export → import gives the same ApiConfig',
    (_name, text, protocolType) => {
      const first = mustImport(text, { protocolType })
      const exported = exportOpenApi(first.api, { extensions: true, extras: first.extras })
      const second = mustImport(JSON.stringify(exported), { protocolType })
      expect(withoutIds(second.api)).toEqual(withoutIds(first.api))
      const again = exportOpenApi(second.api, { extensions: true, extras: second.extras })
      expect(again).toEqual(exported)
    }
  )

  it.each(CASES)('%s: the same warnings come back (by message)', (_name, text, protocolType) => {
    const first = mustImport(text, { protocolType })
    const exported = exportOpenApi(first.api, { extensions: true, extras: first.extras })
    const second = mustImport(JSON.stringify(exported), { protocolType })
    const messages = (ws: string[]) => ws.map((w) => w.slice(w.indexOf(': ') + 2)).sort()
    expect(messages(second.warnings)).toEqual(messages(first.warnings))
  })
})

describe('hand-written REST document', () => {
  const { api, warnings, extras } = mustImport(JSON.stringify(REST_EVERYTHING))

  it('maps the document-level settings', () => {
    expect(api).toMatchObject({
      name: 'Everything',
      description: 'All supported constructs',
      version: '2026-11-27',
      apiKeySource: 'HEADER',
      binaryMediaTypes: ['image/png', '*/*'],
      allowLoopbackUpstreams: true,
      disableExecuteApiEndpoint: true,
      tags: { team: 'payments' },
      gatewayResponses: {
        THROTTLED: {
          statusCode: 429,
          responseParameters: { 'Retry-After': '1' },
          responseTemplates: { 'application/json': '{"message":$context.error.messageString}' },
        },
        DEFAULT_5XX: { responseTemplates: { 'application/json': '{"oops":true}' } },
      },
    })
    expect(extras).toMatchObject({
      info: { contact: { name: 'Ops' } },
      tags: [{ name: 'pets' }],
      'x-company-owner': 'team-a',
      'x-amazon-apigateway-endpoint-configuration': { types: ['REGIONAL'] },
    })
  })

  it('warns, by path, about every extension it keeps but does not enforce', () => {
    const paths = warnings.map((w) => w.slice(0, w.indexOf(': ')))
    for (const expected of [
      '/x-amazon-apigateway-gateway-responses/THROTTLED/responseParameters/gatewayresponse.header.X-Stage',
      '/x-amazon-apigateway-minimum-compression-size',
      '/x-amazon-apigateway-documentation',
      '/x-amazon-apigateway-something-new',
      '/x-amazon-apigateway-endpoint-configuration',
      '/paths/~1legacy/get/x-amazon-apigateway-auth',
      '/paths/~1cached/get/x-amazon-apigateway-integration/cacheNamespace',
      '/paths/~1cached/get/x-amazon-apigateway-integration/requestTemplates',
      '/paths/~1cached/get/x-amazon-apigateway-integration/passthroughBehavior',
      '/paths/~1cached/get/x-amazon-apigateway-integration/contentHandling',
      '/paths/~1orders/post/x-amazon-apigateway-integration/credentials',
      '/paths/~1orders/post/x-amazon-apigateway-integration/uri',
    ]) {
      expect(paths).toContain(expected)
    }
    expect(warnings.find((w) => w.includes('something-new'))).toContain('Unknown extension')
  })

  it('imports the authorizer, validator, model and IP policy instead of warning about them', () => {
    const paths = warnings.map((w) => w.slice(0, w.indexOf(': ')))
    for (const imported of [
      '/x-amazon-apigateway-request-validators',
      '/components/securitySchemes/tokenAuth/x-amazon-apigateway-authorizer',
      '/paths/~1pets/get/x-amazon-apigateway-request-validator',
    ]) {
      expect(paths).not.toContain(imported)
    }
    expect(api.authorizers).toEqual([
      {
        id: 'tokenAuth',
        name: 'tokenAuth',
        authorizerType: 'TOKEN',
        identitySource: ['$request.header.Authorization'],
        authorizerUri: 'worker://ORDER_HANDLER_LIVE',
      },
    ])
    expect(api.requestValidators).toEqual([{ id: 'all', name: 'all', validateRequestBody: true }])
    expect(api.models?.map((m) => m.name)).toEqual(['Pet'])
    expect(api.resourcePolicy).toEqual({
      sourceIpAllow: ['203.0.113.0/24', '2001:db8::/32'],
      sourceIpDeny: ['203.0.113.7'],
    })
    const byKey = Object.fromEntries(api.routes.map((r) => [r.routeKey, r]))
    expect(byKey['GET /pets']?.requestValidatorId).toBe('all')
    expect(byKey['POST /pets']?.requestModels).toEqual({ 'application/json': 'Pet' })
    expect(byKey['GET /secure']?.authorizerId).toBe('tokenAuth')
  })

  it('derives authorization from security and x-amazon-apigateway-auth', () => {
    const byKey = Object.fromEntries(api.routes.map((r) => [r.routeKey, r]))
    expect(byKey['POST /pets']?.apiKeyRequired).toBe(true)
    expect(byKey['GET /pets']?.apiKeyRequired).toBeUndefined()
    expect(byKey['GET /secure']).toMatchObject({
      apiKeyRequired: true,
      authorizationType: 'CUSTOM',
    })
    expect(byKey['GET /legacy']?.authorizationType).toBe('AWS_IAM')
  })
})
