/**
 * A JWT authorizer end to end: an HTTP API configured through the apigatewayv2 admin resources,
 * its keys served by an identity provider on 127.0.0.1 (test/support/jwks-server.ts), tokens
 * minted with jose, requests from Node to `wrangler dev`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin, callApi, uniqueTag, upstreamHits, upstreamUrl } from './harness'
import { startTestIdp, TEST_ISSUER, type TestIdp } from './support/test-idp'

const AUDIENCE = 'portico-e2e'

let idp: TestIdp
let apiId: string

/** The admin response's `field` (an id), failing loudly on an error status. */
function created(
  res: { status: number; text: string; json(): unknown },
  field: string,
  what: string
): string {
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${what} → ${String(res.status)} ${res.text}`)
  }
  const value: unknown = Reflect.get(Object(res.json()), field)
  if (typeof value !== 'string') throw new Error(`${what} returned no ${field}`)
  return value
}

function ok(res: { status: number; text: string }, what: string): void {
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${what} → ${String(res.status)} ${res.text}`)
  }
}

beforeAll(async () => {
  idp = await startTestIdp(AUDIENCE)

  apiId = created(
    await admin('POST', '/v2/apis', {
      name: 'e2e-jwt',
      protocolType: 'HTTP',
      allowLoopbackUpstreams: true,
    }),
    'apiId',
    'create api'
  )
  const integrationId = created(
    await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      integrationUri: `${upstreamUrl()}/echo/me`,
      payloadFormatVersion: '1.0',
    }),
    'integrationId',
    'integration'
  )
  const authorizerId = created(
    await admin('POST', `/v2/apis/${apiId}/authorizers`, {
      name: 'e2e-jwt',
      authorizerType: 'JWT',
      identitySource: ['$request.header.Authorization'],
      jwtConfiguration: {
        issuer: TEST_ISSUER,
        audience: [AUDIENCE],
        jwksUri: idp.jwksUri,
      },
    }),
    'authorizerId',
    'authorizer'
  )
  ok(
    await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: 'GET /me',
      target: `integrations/${integrationId}`,
      authorizationType: 'JWT',
      authorizerId,
    }),
    'route'
  )
  ok(await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'dev' }), 'stage')
  ok(await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'dev' }), 'deployment')
})

afterAll(async () => {
  await admin('DELETE', `/v2/apis/${apiId}`)
  await idp.close()
})

describe('JWT authorizer under wrangler dev', () => {
  it('lets a valid token through to the upstream, with keys fetched from the provider', async () => {
    const tag = uniqueTag('jwt-ok')
    const res = await callApi(apiId, '/dev/me', {
      headers: { authorization: `Bearer ${await idp.sign()}`, 'x-test-tag': tag },
    })
    expect(res.status).toBe(200)
    expect(await upstreamHits(tag)).toBe(1)
    expect(idp.jwksHits()).toBeGreaterThanOrEqual(1)
  })

  it('answers 401 {"message":"Unauthorized"} to a bad or missing token, never calling the upstream', async () => {
    const tag = uniqueTag('jwt-bad')
    const forged = await idp.signForeign()
    const expired = await idp.sign({ exp: Math.floor(Date.now() / 1000) - 60 })
    for (const authorization of [
      `Bearer ${forged}`,
      `Bearer ${expired}`,
      'Bearer x.y.z',
      undefined,
    ]) {
      const res = await callApi(apiId, '/dev/me', {
        headers: { 'x-test-tag': tag, ...(authorization === undefined ? {} : { authorization }) },
      })
      expect(res.status).toBe(401)
      expect(res.json()).toEqual({ message: 'Unauthorized' })
    }
    expect(await upstreamHits(tag)).toBe(0)
  })
})
