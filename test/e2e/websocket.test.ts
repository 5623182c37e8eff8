/**
 * WebSocket APIs end to end: the `ws` client from npm against `wrangler dev`, configured through
 * the apigatewayv2 admin resources. Route selection, `$connect` refusals (Origin, API key) and the
 * message size limit.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { admin, apiHost, gateway, uniqueTag, upstreamUrl, type SimpleResponse } from './harness'

let apiId: string
let keyValue: string

function ok(res: SimpleResponse, what: string): unknown {
  if (res.status < 200 || res.status > 299)
    throw new Error(`${what} → ${String(res.status)} ${res.text}`)
  return res.json()
}

async function mockRoute(routeKey: string): Promise<void> {
  const integration = ok(
    await admin('POST', `/v2/apis/${apiId}/integrations`, {
      integrationType: 'MOCK',
      requestTemplates: { $default: '{"statusCode": 200}' },
    }),
    'integration'
  ) as { integrationId: string }
  ok(
    await admin(
      'POST',
      `/v2/apis/${apiId}/integrations/${integration.integrationId}/integrationresponses`,
      {
        integrationResponseKey: '$default',
        responseTemplates: {
          $default: '{"route":"$context.routeKey","id":"$context.connectionId"}',
        },
      }
    ),
    'integration response'
  )
  ok(
    await admin('POST', `/v2/apis/${apiId}/routes`, {
      routeKey,
      target: `integrations/${integration.integrationId}`,
      routeResponseSelectionExpression: '$default',
      ...(routeKey === '$connect' ? { apiKeyRequired: true } : {}),
    }),
    `route ${routeKey}`
  )
}

beforeAll(async () => {
  const api = ok(
    await admin('POST', '/v2/apis', {
      name: 'e2e-websocket',
      protocolType: 'WEBSOCKET',
      routeSelectionExpression: '$request.body.action',
      webSocket: { allowOrigins: ['https://chat.example.com'], maxMessageBytes: 4096 },
    }),
    'create api'
  ) as { apiId: string }
  apiId = api.apiId
  for (const key of ['$connect', '$default', 'sendMessage']) await mockRoute(key)
  ok(await admin('POST', `/v2/apis/${apiId}/stages`, { stageName: 'dev' }), 'stage')
  ok(await admin('POST', `/v2/apis/${apiId}/deployments`, { stageName: 'dev' }), 'deployment')
  const plan = ok(
    await admin('POST', '/usageplans', {
      name: `ws-${apiId}`,
      apiStages: [{ apiId, stage: 'dev' }],
    }),
    'plan'
  ) as { id: string }
  const key = ok(
    await admin('POST', '/apikeys', { name: `ws-${apiId}`, enabled: true }),
    'key'
  ) as { id: string; value: string }
  ok(
    await admin('POST', `/usageplans/${plan.id}/keys`, { keyId: key.id, keyType: 'API_KEY' }),
    'link'
  )
  keyValue = key.value
})

function url(): string {
  return `ws://127.0.0.1:${String(gateway().port)}/dev`
}

function open(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url(), { headers: { host: apiHost(apiId), ...headers } })
    ws.once('open', () => {
      resolve(ws)
    })
    ws.once('error', reject)
  })
}

/** The handshake's HTTP status when the gateway refuses it. */
function refusal(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url(), { headers: { host: apiHost(apiId), ...headers } })
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      res.resume()
      ws.terminate()
    })
    ws.once('open', () => {
      ws.close()
      reject(new Error('handshake was accepted'))
    })
    ws.once('error', () => undefined)
  })
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => {
      resolve(data.toString('utf8'))
    })
  })
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.once('close', (code: number) => {
      resolve(code)
    })
  })
}

describe('WebSocket APIs with the ws client', () => {
  it('selects routes by $request.body.action, $default otherwise', async () => {
    const ws = await open({ 'x-api-key': keyValue, origin: 'https://chat.example.com' })
    ws.send(JSON.stringify({ action: 'sendMessage' }))
    const first = JSON.parse(await nextMessage(ws)) as { route: string; id: string }
    expect(first.route).toBe('sendMessage')
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{16}$/)
    ws.send('plain text')
    expect(JSON.parse(await nextMessage(ws))).toEqual({ route: '$default', id: first.id })
    const closed = closeCode(ws)
    ws.close(1000)
    expect(await closed).toBe(1000)
  })

  it('refuses a foreign Origin, a missing key and an invalid key before the 101', async () => {
    expect(await refusal({ 'x-api-key': keyValue, origin: 'https://evil.example' })).toBe(403)
    expect(await refusal({ origin: 'https://chat.example.com' })).toBe(403)
    expect(await refusal({ 'x-api-key': 'ptk_invalid_000000000000000000000000' })).toBe(403)
  })

  it('closes with 1009 a message over the size limit', async () => {
    const ws = await open({ 'x-api-key': keyValue })
    const closed = closeCode(ws)
    ws.send('x'.repeat(4097))
    expect(await closed).toBe(1009)
  })
})

describe('client-initiated close', () => {
  let closeApiId: string
  let tag: string

  interface RecordedEvent {
    requestContext: { eventType?: string; connectionId?: string; disconnectStatusCode?: number }
  }

  beforeAll(async () => {
    tag = uniqueTag('ws-close')
    closeApiId = field(
      ok(
        await admin('POST', '/v2/apis', {
          name: 'e2e-websocket-close',
          protocolType: 'WEBSOCKET',
          routeSelectionExpression: '$request.body.action',
          allowLoopbackUpstreams: true,
        }),
        'create api'
      ),
      'apiId'
    )
    // Every event is recorded by the upstream: the MESSAGE answer tells the client its id.
    const integrationId = field(
      ok(
        await admin('POST', `/v2/apis/${closeApiId}/integrations`, {
          integrationType: 'HTTP_PROXY',
          integrationMethod: 'POST',
          integrationUri: `${upstreamUrl()}/record/${tag}?body=recorded`,
        }),
        'integration'
      ),
      'integrationId'
    )
    for (const routeKey of ['$default', '$disconnect']) {
      ok(
        await admin('POST', `/v2/apis/${closeApiId}/routes`, {
          routeKey,
          target: `integrations/${integrationId}`,
          ...(routeKey === '$default' ? { routeResponseSelectionExpression: '$default' } : {}),
        }),
        `route ${routeKey}`
      )
    }
    ok(await admin('POST', `/v2/apis/${closeApiId}/stages`, { stageName: 'dev' }), 'stage')
    ok(await admin('POST', `/v2/apis/${closeApiId}/deployments`, { stageName: 'dev' }), 'deploy')
  })

  function field(value: unknown, name: string): string {
    const found: unknown = Reflect.get(Object(value), name)
    if (typeof found !== 'string') throw new Error(`no ${name} in ${JSON.stringify(value)}`)
    return found
  }

  async function recorded(): Promise<RecordedEvent[]> {
    const res = await fetch(`${upstreamUrl()}/recorded/${tag}`)
    const events: RecordedEvent[] = await res.json()
    return events
  }

  async function disconnectsOf(connectionId: string): Promise<RecordedEvent[]> {
    for (let i = 0; i < 100; i++) {
      const found = (await recorded()).filter(
        (e) =>
          e.requestContext.eventType === 'DISCONNECT' &&
          e.requestContext.connectionId === connectionId
      )
      if (found.length > 0) {
        // A little longer: a second DISCONNECT would have arrived by now if one were sent.
        await new Promise((r) => setTimeout(r, 300))
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    return (await recorded()).filter(
      (e) =>
        e.requestContext.eventType === 'DISCONNECT' &&
        e.requestContext.connectionId === connectionId
    )
  }

  /** Connects, sends one message and learns the connection id from the recorded event. */
  async function openRecorded(): Promise<{ ws: WebSocket; connectionId: string }> {
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url(), {
        headers: { host: apiHost(closeApiId) },
      })
      socket.once('open', () => {
        resolve(socket)
      })
      socket.once('error', reject)
    })
    const marker = uniqueTag('hello')
    ws.send(marker)
    expect(await nextMessage(ws)).toBe('recorded')
    const events = (await recorded()) as (RecordedEvent & { body?: string })[]
    const connectionId = events.find((e) => e.body === marker)?.requestContext.connectionId
    if (connectionId === undefined) throw new Error('the MESSAGE event was not recorded')
    return { ws, connectionId }
  }

  /** Milliseconds from `ws.close()` to the client's `close` event, and the code it got. */
  async function timedClose(ws: WebSocket): Promise<{ ms: number; code: number }> {
    const closed = closeCode(ws)
    const started = performance.now()
    ws.close(4000, 'bye')
    const code = await closed
    return { ms: performance.now() - started, code }
  }

  it('gets the close frame back promptly and runs $disconnect exactly once', async () => {
    const { ws, connectionId } = await openRecorded()
    const { ms, code } = await timedClose(ws)
    expect(code).toBe(4000)
    // Well under the ~5 s the close handshake was reported to take.
    expect(ms).toBeLessThan(2500)
    const disconnects = await disconnectsOf(connectionId)
    expect(disconnects).toHaveLength(1)
    expect(disconnects[0]?.requestContext.disconnectStatusCode).toBe(4000)
  })

  it('closes promptly after the hub object could hibernate', async () => {
    const { ws, connectionId } = await openRecorded()
    // workerd hibernates an object whose sockets were quiet for ~10 s.
    await new Promise((r) => setTimeout(r, 12_000))
    const { ms, code } = await timedClose(ws)
    expect(code).toBe(4000)
    expect(ms).toBeLessThan(2500)
    expect(await disconnectsOf(connectionId)).toHaveLength(1)
  }, 60_000)
})
