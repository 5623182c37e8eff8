/**
 * `$connect` with a JWT authorizer end to end: WebSocket APIs configured through the apigatewayv2
 * admin resources, keys served by an identity provider on 127.0.0.1
 * (test/support/jwks-server.ts), the `ws` client from npm against `wrangler dev`. A token is
 * carried the two ways a browser can: in `Sec-WebSocket-Protocol` (`new WebSocket(url,
 * ['bearer', token])`) and in the query string. Every refusal is an HTTP answer before the 101.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { admin, apiHost, gateway, type SimpleResponse } from './harness'
import { startTestIdp, TEST_ISSUER, type TestIdp } from './support/test-idp'

const AUDIENCE = 'portico-ws-e2e'

let idp: TestIdp
let protocolApiId: string
let queryApiId: string

function ok(res: SimpleResponse, what: string): unknown {
  if (res.status < 200 || res.status > 299) {
    throw new Error(`${what} → ${String(res.status)} ${res.text}`)
  }
  return res.json()
}

function field(value: unknown, name: string): string {
  const found: unknown = Reflect.get(Object(value), name)
  if (typeof found !== 'string') throw new Error(`no ${name} in ${JSON.stringify(value)}`)
  return found
}

/** A MOCK integration answering `body` for every call. */
async function mockIntegration(apiId: string, body: string): Promise<string> {
  const integrationId = field(
    ok(
      await admin('POST', `/v2/apis/${apiId}/integrations`, {
        integrationType: 'MOCK',
        requestTemplates: { $default: '{"statusCode": 200}' },
      }),
      'integration'
    ),
    'integrationId'
  )
  ok(
    await admin('POST', `/v2/apis/${apiId}/integrations/${integrationId}/integrationresponses`, {
      integrationResponseKey: '$default',
      responseTemplates: { $default: body },
    }),
    'integration response'
  )
  return integrationId
}

/** A WEBSOCKET API whose `$connect` needs a JWT read from `identitySource`, deployed to `dev`. */
async function jwtWebSocketApi(name: string, identitySource: string): Promise<string> {
  const apiId = field(
    ok(
      await admin('POST', '/v2/apis', {
        name,
        protocolType: 'WEBSOCKET',
        routeSelectionExpression: '$request.body.action',
        allowLoopbackUpstreams: true,
      }),
      'create api'
    ),
    'apiId'
  )
  const authorizerId = field(
    ok(
      await admin('POST', `/v2/apis/${apiId}/authorizers`, {
        name,
        authorizerType: 'JWT',
        identitySource: [identitySource],
        jwtConfiguration: {
          issuer: TEST_ISSUER,
          audience: [AUDIENCE],
          jwksUri: idp.jwksUri,
        },
      }),
      'authorizer'
    ),
    'authorizerId'
  )
  const connect = await mockIntegration(apiId, '{}')
  ok(
    await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: '$connect',
      target: `integrations/${connect}`,
      authorizationType: 'JWT',
      authorizerId,
    }),
    'route $connect'
  )
  const echo = await mockIntegration(apiId, '{"id":"$context.connectionId"}')
  ok(
    await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey: '$default',
      target: `integrations/${echo}`,
      routeResponseSelectionExpression: '$default',
    }),
    'route $default'
  )
  ok(await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'dev' }), 'stage')
  ok(await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'dev' }), 'deployment')
  return apiId
}

beforeAll(async () => {
  idp = await startTestIdp(AUDIENCE)
  protocolApiId = await jwtWebSocketApi(
    'e2e-ws-jwt-protocol',
    '$request.header.Sec-WebSocket-Protocol'
  )
  queryApiId = await jwtWebSocketApi('e2e-ws-jwt-query', '$request.querystring.token')
})

afterAll(async () => {
  await admin('DELETE', `/v2/apis/${protocolApiId}`)
  await admin('DELETE', `/v2/apis/${queryApiId}`)
  await idp.close()
})

function url(query = ''): string {
  return `ws://127.0.0.1:${String(gateway().port)}/dev${query}`
}

type Handshake =
  { kind: 'refused'; status: number } | { kind: 'open'; ws: WebSocket; protocol: string }

/** Connects like a browser would (`new WebSocket(url, protocols)`); reports the 101 or refusal. */
function handshake(apiId: string, protocols: string[], query = ''): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url(query), protocols, { headers: { host: apiHost(apiId) } })
    ws.once('unexpected-response', (_req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 })
      res.resume()
      ws.terminate()
    })
    ws.once('open', () => {
      resolve({ kind: 'open', ws, protocol: ws.protocol })
    })
    ws.once('error', reject)
  })
}

async function refusedWith(apiId: string, protocols: string[], query = ''): Promise<number> {
  const result = await handshake(apiId, protocols, query)
  if (result.kind === 'open') {
    result.ws.terminate()
    throw new Error('handshake was accepted')
  }
  return result.status
}

async function opened(apiId: string, protocols: string[], query = ''): Promise<Handshake> {
  const result = await handshake(apiId, protocols, query)
  if (result.kind === 'refused') throw new Error(`handshake refused with ${String(result.status)}`)
  return result
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => {
      resolve(data.toString('utf8'))
    })
  })
}

async function closeCleanly(ws: WebSocket): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => {
      resolve()
    })
  })
  ws.close(1000)
  await closed
}

describe('$connect with a JWT in Sec-WebSocket-Protocol', () => {
  it('refuses a handshake without a token with 401 before the 101', async () => {
    expect(await refusedWith(protocolApiId, [])).toBe(401)
    expect(await refusedWith(protocolApiId, ['bearer'])).toBe(401)
  })

  it('refuses an invalid, a foreign-signed and an expired token with 401', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600
    expect(await refusedWith(protocolApiId, ['bearer', 'not.a.jwt'])).toBe(401)
    expect(await refusedWith(protocolApiId, ['bearer', await idp.signForeign()])).toBe(401)
    const expired = await idp.sign({ iat: past - 60, exp: past })
    expect(await refusedWith(protocolApiId, ['bearer', expired])).toBe(401)
  })

  it('accepts a valid token as a browser sends it and echoes the subprotocol bearer', async () => {
    const result = await opened(protocolApiId, ['bearer', await idp.sign()])
    if (result.kind !== 'open') throw new Error('unreachable')
    expect(result.protocol).toBe('bearer')
    result.ws.send('hello')
    expect(JSON.parse(await nextMessage(result.ws))).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) as unknown,
    })
    await closeCleanly(result.ws)
  })
})

describe('$connect with a JWT in the query string', () => {
  it('refuses a missing, an invalid and an expired token with 401', async () => {
    const past = Math.floor(Date.now() / 1000) - 3600
    const expired = await idp.sign({ iat: past - 60, exp: past })
    expect(await refusedWith(queryApiId, [])).toBe(401)
    expect(await refusedWith(queryApiId, [], '?token=not.a.jwt')).toBe(401)
    expect(await refusedWith(queryApiId, [], `?token=${expired}`)).toBe(401)
  })

  it('accepts a valid token from the query string with a 101', async () => {
    const result = await opened(queryApiId, [], `?token=${await idp.sign()}`)
    if (result.kind !== 'open') throw new Error('unreachable')
    expect(result.protocol).toBe('')
    result.ws.send('hello')
    expect(await nextMessage(result.ws)).toContain('"id"')
    await closeCleanly(result.ws)
  })
})
