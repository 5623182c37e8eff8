import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { upstream } from '../support/seed'
import { insertKey, insertPlan } from '../policies/support'
import { connect, handshake, mockIntegration, seedWebSocketApi } from './ws-client'

interface RecordedEvent {
  requestContext: Record<string, unknown> & { identity: Record<string, unknown> }
  headers?: Record<string, string>
  multiValueHeaders?: Record<string, string[]>
  queryStringParameters?: Record<string, string>
  body?: string
  isBase64Encoded: boolean
}

async function recorded(tag: string): Promise<RecordedEvent[]> {
  const res = await fetch(upstream(`/recorded/${tag}`))
  return res.json()
}

function recordingIntegration(id: string, tag: string, query = '') {
  return { id, type: 'HTTP_PROXY' as const, integrationUri: upstream(`/record/${tag}${query}`) }
}

describe('$connect admission', () => {
  it('refuses a browser Origin outside allowOrigins with 403 before the 101', async () => {
    const { host } = await seedWebSocketApi({
      apiExtras: { webSocket: { allowOrigins: ['https://chat.example.com'] } },
    })
    for (const origin of [
      'https://evil.example',
      'https://chat.example.com.evil.example',
      'null',
    ]) {
      const res = await handshake(host, '/dev', { origin })
      expect(res.status).toBe(403)
      expect(res.webSocket).toBeNull()
    }
    const allowed = await connect(host, '/dev', { origin: 'https://chat.example.com' })
    expect(allowed.response.status).toBe(101)
    allowed.ws.close(1000)
    // No Origin: not a browser, so no cross-site hijacking to prevent.
    const tool = await connect(host)
    expect(tool.response.status).toBe(101)
    tool.ws.close(1000)
  })

  it('requires a valid API key when $connect has apiKeyRequired', async () => {
    const seeded = await seedWebSocketApi({
      routes: [
        { id: 'rconnect', routeKey: '$connect', apiKeyRequired: true },
        { id: 'rdefault', routeKey: '$default', integrationId: 'idefault' },
      ],
      integrations: [mockIntegration('idefault')],
    })
    const planId = await insertPlan({ apiStages: [{ apiId: seeded.apiId, stage: 'dev' }] })
    const key = await insertKey([planId])
    expect((await handshake(seeded.host)).status).toBe(403)
    expect(
      (await handshake(seeded.host, '/dev', { 'x-api-key': 'ptk_wrong_0123456789abcdef' })).status
    ).toBe(403)
    const ok = await connect(seeded.host, '/dev', { 'x-api-key': key.value })
    expect(ok.response.status).toBe(101)
    ok.ws.close(1000)
  })

  it('refuses the handshake with the status of a $connect integration that answers non-2xx', async () => {
    const tag = crypto.randomUUID()
    const { host } = await seedWebSocketApi({
      routes: [{ id: 'rconnect', routeKey: '$connect', integrationId: 'iconnect' }],
      integrations: [recordingIntegration('iconnect', tag, '?status=401')],
    })
    const res = await handshake(host)
    expect(res.status).toBe(401)
    expect(res.webSocket).toBeNull()
    expect(await recorded(tag)).toHaveLength(1)
  })

  it('sends the $connect integration AWS CONNECT event with headers, query and identity', async () => {
    const tag = crypto.randomUUID()
    const { host, apiId } = await seedWebSocketApi({
      routes: [{ id: 'rconnect', routeKey: '$connect', integrationId: 'iconnect' }],
      integrations: [recordingIntegration('iconnect', tag)],
    })
    const socket = await connect(host, '/dev?room=blue&room=red&token=t1', {
      'user-agent': 'ws-test/1.0',
      'cf-connecting-ip': '203.0.113.9',
    })
    const [event] = await recorded(tag)
    expect(event?.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      messageDirection: 'IN',
      messageId: null,
      stage: 'dev',
      apiId,
      domainName: host,
      identity: { sourceIp: '203.0.113.9', userAgent: 'ws-test/1.0' },
    })
    expect(event?.requestContext.connectionId).toMatch(/^[A-Za-z0-9_-]{16}$/)
    expect(typeof event?.requestContext.connectedAt).toBe('number')
    expect(event?.headers?.['user-agent']).toBe('ws-test/1.0')
    expect(event?.queryStringParameters).toEqual({ room: 'red', token: 't1' })
    expect(event?.isBase64Encoded).toBe(false)
    socket.ws.close(1000)
  })

  it('admits by a REQUEST authorizer reading a query-string token and passes its context on', async () => {
    const { host } = await seedWebSocketApi({
      routes: [
        {
          id: 'rconnect',
          routeKey: '$connect',
          authorizationType: 'CUSTOM',
          authorizerId: 'auth1',
        },
        {
          id: 'rdefault',
          routeKey: '$default',
          integrationId: 'idefault',
          routeResponseSelectionExpression: '$default',
        },
      ],
      integrations: [
        mockIntegration(
          'idefault',
          '{"user":"$context.authorizer.user","p":"$context.authorizer.principalId","e":"$context.authorizer.event"}'
        ),
      ],
      apiExtras: {
        webSocket: { allowOrigins: ['https://chat.example.com'] },
        authorizers: [
          {
            id: 'auth1',
            name: 'ws-auth',
            authorizerType: 'REQUEST',
            authorizerUri: 'worker://DEMO_BACKEND',
            identitySource: ['$request.querystring.token'],
            authorizerResultTtlInSeconds: 0,
          },
        ],
      },
    })
    // A cross-site page is refused before the authorizer is ever asked.
    const crossSite = `allow.${crypto.randomUUID()}`
    const refused = await handshake(host, `/dev?token=${crossSite}`, {
      origin: 'https://evil.example',
    })
    expect(refused.status).toBe(403)
    const calls = await env.DEMO_BACKEND.fetch(`https://backend/authorizer-calls/${crossSite}`)
    expect(await calls.json()).toEqual({ calls: 0 })
    expect((await handshake(host, '/dev')).status).toBe(401)
    expect((await handshake(host, `/dev?token=deny.${crypto.randomUUID()}`)).status).toBe(403)
    // An authorizer context too large for the 2 KiB socket attachment fails closed.
    const huge = await handshake(host, `/dev?token=echo.${crypto.randomUUID()}`, {
      'x-pad': 'a'.repeat(2500),
    })
    expect(huge.status).toBe(500)
    expect(huge.webSocket).toBeNull()
    // Any Unicode in the authorizer's context reaches the hub intact.
    const unicode = await connect(
      host,
      `/dev?token=echo.${crypto.randomUUID()}&n=${encodeURIComponent('漢字')}`
    )
    unicode.send('x')
    expect(await unicode.next()).toContain('漢字')
    unicode.ws.close(1000)
    const socket = await connect(host, `/dev?token=allow.${crypto.randomUUID()}`)
    socket.send('hello')
    expect(JSON.parse(await socket.next())).toEqual({ user: 'alice', p: 'user-1', e: '' })
    socket.ws.close(1000)
  })

  it('answers the first offered subprotocol so browsers complete the handshake', async () => {
    const { host } = await seedWebSocketApi()
    const socket = await connect(host, '/dev', { 'sec-websocket-protocol': 'chat.v1, token-abc' })
    expect(socket.response.headers.get('sec-websocket-protocol')).toBe('chat.v1')
    socket.ws.close(1000)
  })

  it('limits new connections per second per client with 429 before the 101', async () => {
    const { host } = await seedWebSocketApi({
      apiExtras: { webSocket: { newConnectionsPerSecond: 1 } },
    })
    const ip = { 'cf-connecting-ip': '198.51.100.77' }
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) {
      const res = await handshake(host, '/dev', ip)
      statuses.push(res.status)
      res.webSocket?.accept()
      res.webSocket?.close(1000)
    }
    expect(statuses[0]).toBe(101)
    expect(statuses).toContain(429)
  })

  it('counts admitted connections as ConnectCount', async () => {
    const { host, apiId } = await seedWebSocketApi()
    const socket = await connect(host)
    socket.ws.close(1000)
    const { METRICS } = await import('../../src/observability/metrics')
    await METRICS.flush(env.DB)
    const row = await env.DB.prepare(
      "SELECT SUM(value) AS n FROM metrics WHERE api_id = ? AND metric = 'ConnectCount'"
    )
      .bind(apiId)
      .first<{ n: number }>()
    expect(row?.n).toBe(1)
  })
})
