/**
 * A request authorizer end to end: an OpenAPI document with `x-amazon-apigateway-authorizer`
 * imported through the admin API into `wrangler dev`, the authorizer a plain HTTP endpoint on
 * 127.0.0.1 started by this test (loopback allowed by `x-portico-allow-loopback-upstreams`).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, deployRestApi, httpProxy, openApi, upstreamUrl } from './harness'

let server: Server
let apiId: string
const calls = new Map<string, number>()
const events: Record<string, unknown>[] = []

/** `allow-*` tokens get an Allow for the API, `unauthorized` a 401, others a Deny. */
function answer(event: Record<string, unknown>): { status: number; body: unknown } {
  const token = typeof event.authorizationToken === 'string' ? event.authorizationToken : ''
  calls.set(token, (calls.get(token) ?? 0) + 1)
  events.push(event)
  if (token === 'unauthorized') return { status: 401, body: { message: 'Unauthorized' } }
  const arn = typeof event.methodArn === 'string' ? event.methodArn : ''
  const effect = token.startsWith('allow-') ? 'Allow' : 'Deny'
  return {
    status: 200,
    body: {
      principalId: `user-${token}`,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: effect, Resource: `${arn.split('/')[0]}/*` },
        ],
      },
      context: { tenant: 'acme' },
    },
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const { status, body } = answer(
        JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
      )
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  apiId = await deployRestApi({
    ...openApi('e2e-request-authorizer', {
      '/pets': {
        get: {
          security: [{ tokenAuth: [] }],
          ...httpProxy(`${upstreamUrl()}/echo/pets`, {
            requestParameters: {
              'integration.request.header.x-tenant': 'context.authorizer.tenant',
            },
          }),
        },
      },
    }),
    components: {
      securitySchemes: {
        tokenAuth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'token',
            authorizerUri: `http://127.0.0.1:${String(port)}/authorize`,
            authorizerResultTtlInSeconds: 300,
          },
        },
      },
    },
  })
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve()
    })
  })
})

describe('request authorizer against wrangler dev', () => {
  it('admits an allowed token, forwards context, and calls the authorizer once per token', async () => {
    const token = `allow-${crypto.randomUUID()}`
    for (let i = 0; i < 3; i++) {
      const res = await callApi(apiId, '/dev/pets', { headers: { authorization: token } })
      expect(res.status).toBe(200)
      const echoed = res.json() as { headers: Record<string, string> }
      expect(echoed.headers['x-tenant']).toBe('acme')
    }
    expect(calls.get(token)).toBe(1)
    expect(events.at(-1)).toMatchObject({
      type: 'TOKEN',
      authorizationToken: token,
      methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/pets`,
    })
  })

  it('answers a denied token with 403 and a 401 from the authorizer with 401', async () => {
    const denied = await callApi(apiId, '/dev/pets', { headers: { authorization: 'deny-me' } })
    expect(denied.status).toBe(403)
    const unauthorized = await callApi(apiId, '/dev/pets', {
      headers: { authorization: 'unauthorized' },
    })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.json()).toEqual({ message: 'Unauthorized' })
  })

  it('answers a request without the token with 401 and no authorizer call', async () => {
    const before = events.length
    const res = await callApi(apiId, '/dev/pets')
    expect(res.status).toBe(401)
    expect(events.length).toBe(before)
  })
})
