/**
 * A JWT authorizer end to end: an HTTP API configured through the apigatewayv2 admin resources,
 * its keys served by an identity provider on 127.0.0.1 (test/support/jwks-server.ts), tokens
 * minted with jose, requests from Node to `wrangler dev`.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJwksServer, type JwksServer } from '../support/jwks-server'
import { admin, callApi, uniqueTag, upstreamHits, upstreamUrl } from './harness'

const ISSUER = 'https://idp.example.com/'
const AUDIENCE = 'portico-e2e'
const KID = 'e2e-key-1'

let idp: JwksServer
let privateKey: CryptoKey
let otherKey: CryptoKey
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

function token(key: CryptoKey, claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'e2e-user',
    iat: now,
    exp: now + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .sign(key)
}

beforeAll(async () => {
  idp = await startJwksServer()
  const pair = await generateKeyPair('RS256')
  privateKey = pair.privateKey
  otherKey = (await generateKeyPair('RS256')).privateKey
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }
  idp.script('/jwks', { body: JSON.stringify({ keys: [jwk] }) })

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
        issuer: ISSUER,
        audience: [AUDIENCE],
        jwksUri: `http://127.0.0.1:${String(idp.port)}/jwks`,
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
      headers: { authorization: `Bearer ${await token(privateKey)}`, 'x-test-tag': tag },
    })
    expect(res.status).toBe(200)
    expect(await upstreamHits(tag)).toBe(1)
    expect(idp.hits('/jwks')).toBeGreaterThanOrEqual(1)
  })

  it('answers 401 {"message":"Unauthorized"} to a bad or missing token, never calling the upstream', async () => {
    const tag = uniqueTag('jwt-bad')
    const forged = await token(otherKey)
    const expired = await token(privateKey, { exp: Math.floor(Date.now() / 1000) - 60 })
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
