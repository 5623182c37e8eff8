import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { WebSocketHub } from '../../src/durable-objects/websocket-hub'
import { hubName, shardOf } from '../../src/websocket/connection-id'
import { readState, writeState } from '../../src/websocket/connection-state'
import { insertKey, insertPlan } from '../policies/support'
import { upstream } from '../support/seed'
import { connect, mockIntegration, seedWebSocketApi, type TestSocket } from './ws-client'

interface RecordedEvent {
  requestContext: Record<string, unknown>
  body?: string
  isBase64Encoded: boolean
}

async function recorded(tag: string): Promise<RecordedEvent[]> {
  const res = await fetch(upstream(`/recorded/${tag}`))
  return res.json()
}

function recorder(id: string, tag: string) {
  return { id, type: 'HTTP' as const, integrationUri: upstream(`/record/${tag}?body=ok`) }
}

/** The connection id, as the MOCK `$default` route reports it. */
async function connectionIdOf(socket: TestSocket): Promise<string> {
  socket.send('whoami')
  const answer = JSON.parse(await socket.next()) as { connection: string }
  return answer.connection
}

function hubOf(apiId: string, connectionId: string): DurableObjectStub<WebSocketHub> {
  const shard = shardOf(connectionId)
  if (shard === undefined) throw new Error(`bad connection id ${connectionId}`)
  return env.WEBSOCKET_HUB.get(env.WEBSOCKET_HUB.idFromName(hubName(apiId, 'dev', shard)))
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read()
    if (done(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return read()
}

describe('WebSocket hub', () => {
  it('closes with 1009 a message over maxMessageBytes and runs $disconnect once', async () => {
    const tag = crypto.randomUUID()
    const { host } = await seedWebSocketApi({
      apiExtras: { webSocket: { maxMessageBytes: 1024 } },
      routes: [
        {
          id: 'rdefault',
          routeKey: '$default',
          integrationId: 'idefault',
          routeResponseSelectionExpression: '$default',
        },
        { id: 'rdisc', routeKey: '$disconnect', integrationId: 'idisc' },
      ],
      integrations: [mockIntegration('idefault'), recorder('idisc', tag)],
    })
    const socket = await connect(host)
    socket.send('x'.repeat(1024))
    expect(JSON.parse(await socket.next())).toMatchObject({ route: '$default' })
    socket.send('x'.repeat(1025))
    expect((await socket.closed()).code).toBe(1009)
    const events = await eventually(
      () => recorded(tag),
      (e) => e.length > 0
    )
    expect(events).toHaveLength(1)
    expect(events[0]?.requestContext).toMatchObject({
      eventType: 'DISCONNECT',
      routeKey: '$disconnect',
      disconnectStatusCode: 1009,
    })
  })

  it('sends HTTP integrations the MESSAGE event and runs $disconnect exactly once on client close', async () => {
    const tag = crypto.randomUUID()
    const { host, apiId } = await seedWebSocketApi({
      routes: [
        {
          id: 'rsend',
          routeKey: 'sendMessage',
          integrationId: 'isend',
          routeResponseSelectionExpression: '$default',
        },
        { id: 'rdisc', routeKey: '$disconnect', integrationId: 'idisc' },
      ],
      integrations: [recorder('isend', tag), recorder('idisc', tag)],
    })
    const socket = await connect(host, '/dev', { 'user-agent': 'hub-test' })
    socket.send('{"action":"sendMessage","text":"hello"}')
    expect(await socket.next()).toBe('ok')
    const closed = socket.closed()
    socket.ws.close(1000, 'bye')
    // The hub answers the client's close frame with the same code.
    expect((await closed).code).toBe(1000)
    const events = await eventually(
      () => recorded(tag),
      (e) => e.length >= 2
    )
    // A little longer: a second DISCONNECT would have arrived by now if one were sent.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const all = await recorded(tag)
    expect(all.map((e) => e.requestContext.eventType)).toEqual(['MESSAGE', 'DISCONNECT'])
    const [message] = events
    expect(message?.body).toBe('{"action":"sendMessage","text":"hello"}')
    expect(message?.isBase64Encoded).toBe(false)
    expect(message?.requestContext).toMatchObject({
      routeKey: 'sendMessage',
      eventType: 'MESSAGE',
      apiId,
      stage: 'dev',
      identity: { userAgent: 'hub-test' },
    })
    expect(typeof message?.requestContext.messageId).toBe('string')
    expect(all[1]?.requestContext.connectionId).toBe(message?.requestContext.connectionId)
  })

  it('calls a WORKER integration with the Lambda-style event and sends its body back', async () => {
    const { host } = await seedWebSocketApi({
      routes: [
        {
          id: 'rdefault',
          routeKey: '$default',
          integrationId: 'ilambda',
          routeResponseSelectionExpression: '$default',
        },
      ],
      integrations: [{ id: 'ilambda', type: 'WORKER', integrationUri: 'worker://DEMO_BACKEND' }],
    })
    const socket = await connect(host)
    socket.send('{"action":"anything"}')
    const answer = JSON.parse(await socket.next()) as {
      received: { requestContext: Record<string, unknown>; body: string }
    }
    expect(answer.received.body).toBe('{"action":"anything"}')
    expect(answer.received.requestContext).toMatchObject({
      eventType: 'MESSAGE',
      routeKey: '$default',
    })
    socket.ws.close(1000)
  })

  it('keeps connection state in attachments: it survives eviction (hibernation)', async () => {
    const { host, apiId } = await seedWebSocketApi()
    const socket = await connect(host, '/dev', { 'user-agent': 'sleepy' })
    const connectionId = await connectionIdOf(socket)
    const stub = hubOf(apiId, connectionId)
    await evictDurableObject(stub)
    const states = await runInDurableObject(stub, (_hub: WebSocketHub, state) =>
      state.getWebSockets(connectionId).map((ws) => readState(ws))
    )
    expect(states).toHaveLength(1)
    expect(states[0]).toMatchObject({ connectionId, apiId, stage: 'dev', userAgent: 'sleepy' })
    socket.send('{"action":"sendMessage"}')
    expect(JSON.parse(await socket.next())).toEqual({
      route: 'sendMessage',
      connection: connectionId,
    })
    const info = await stub.getConnection(connectionId)
    expect(info?.identity.userAgent).toBe('sleepy')
    socket.ws.close(1000)
  })

  it('closes idle connections with 1001 from the alarm and runs $disconnect', async () => {
    const tag = crypto.randomUUID()
    const { host, apiId } = await seedWebSocketApi({
      routes: [
        {
          id: 'rdefault',
          routeKey: '$default',
          integrationId: 'idefault',
          routeResponseSelectionExpression: '$default',
        },
        { id: 'rdisc', routeKey: '$disconnect', integrationId: 'idisc' },
      ],
      integrations: [mockIntegration('idefault'), recorder('idisc', tag)],
    })
    const idle = await connect(host)
    const busy = await connect(host)
    const idleId = await connectionIdOf(idle)
    const stub = hubOf(apiId, idleId)
    // Age the idle connection's last activity past its timeout (10 min by default).
    await runInDurableObject(stub, (_hub: WebSocketHub, state) => {
      for (const ws of state.getWebSockets(idleId)) {
        const s = readState(ws)
        if (s !== undefined) writeState(ws, { ...s, lastActiveAt: Date.now() - 601_000 })
      }
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await idle.closed()).code).toBe(1001)
    busy.send('still here')
    expect(JSON.parse(await busy.next())).toMatchObject({ route: '$default' })
    const events = await eventually(
      () => recorded(tag),
      (e) => e.length > 0
    )
    expect(events).toHaveLength(1)
    expect(events[0]?.requestContext).toMatchObject({
      connectionId: idleId,
      disconnectStatusCode: 1001,
    })
    busy.ws.close(1000)
  })

  it('subscribes a connection to the topics an integration names in X-Portico-Subscribe', async () => {
    const tag = crypto.randomUUID()
    const { host, apiId } = await seedWebSocketApi({
      routes: [
        {
          id: 'rjoin',
          routeKey: 'join',
          integrationId: 'ijoin',
          routeResponseSelectionExpression: '$default',
        },
        {
          id: 'rdefault',
          routeKey: '$default',
          integrationId: 'idefault',
          routeResponseSelectionExpression: '$default',
        },
      ],
      integrations: [
        {
          id: 'ijoin',
          type: 'HTTP',
          integrationUri: upstream(`/record/${tag}?body=joined&subscribe=room1,%20room2`),
        },
        mockIntegration('idefault'),
      ],
    })
    const socket = await connect(host)
    const connectionId = await connectionIdOf(socket)
    socket.send('{"action":"join"}')
    expect(await socket.next()).toBe('joined')
    const stub = hubOf(apiId, connectionId)
    expect(await stub.publish('room2', 'to room2')).toEqual({ delivered: 1, dropped: 0 })
    expect(await socket.next()).toBe('to room2')
    expect(await stub.publish('room3', 'nobody')).toEqual({ delivered: 0, dropped: 0 })
    socket.ws.close(1000)
  })

  it('closes connections past their lifetime with 1001 even when active', async () => {
    const { host, apiId } = await seedWebSocketApi()
    const socket = await connect(host)
    const connectionId = await connectionIdOf(socket)
    const stub = hubOf(apiId, connectionId)
    await runInDurableObject(stub, (_hub: WebSocketHub, state) => {
      for (const ws of state.getWebSockets(connectionId)) {
        const s = readState(ws)
        if (s !== undefined) writeState(ws, { ...s, expiresAt: Date.now() - 1 })
      }
    })
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect((await socket.closed()).code).toBe(1001)
    expect(await stub.getConnection(connectionId)).toBeNull()
  })

  it('counts messages and client errors in the metrics batch', async () => {
    const { METRICS } = await import('../../src/observability/metrics')
    const { host, apiId } = await seedWebSocketApi({
      routes: [
        {
          id: 'rsend',
          routeKey: 'sendMessage',
          integrationId: 'isend',
          routeResponseSelectionExpression: '$default',
        },
      ],
    })
    const socket = await connect(host)
    socket.send('{"action":"sendMessage"}')
    await socket.next()
    socket.send('{"action":"nowhere"}')
    expect(JSON.parse(await socket.next())).toMatchObject({ message: 'Forbidden' })
    // Whatever a scheduled flush already wrote plus what is left: all of it ends up in D1.
    await METRICS.flush(env.DB)
    const counts = async (metric: string) => {
      const row = await env.DB.prepare(
        'SELECT SUM(value) AS n FROM metrics WHERE api_id = ? AND metric = ?'
      )
        .bind(apiId, metric)
        .first<{ n: number | null }>()
      return row?.n ?? 0
    }
    expect(await counts('MessageCount')).toBe(2)
    expect(await counts('ClientError')).toBe(1)
    expect(await counts('ConnectCount')).toBe(1)
    socket.ws.close(1000)
  })

  it('counts every message of a keyed connection against its usage plan', async () => {
    const seeded = await seedWebSocketApi({
      routes: [
        { id: 'rconnect', routeKey: '$connect', apiKeyRequired: true },
        {
          id: 'rdefault',
          routeKey: '$default',
          integrationId: 'idefault',
          routeResponseSelectionExpression: '$default',
        },
      ],
      integrations: [mockIntegration('idefault')],
    })
    // Burst 3, no refill: the handshake takes one, two messages pass, the third is throttled.
    const planId = await insertPlan({
      apiStages: [{ apiId: seeded.apiId, stage: 'dev' }],
      throttle: { burstLimit: 3, rateLimit: 0 },
    })
    const key = await insertKey([planId])
    const socket = await connect(seeded.host, '/dev', { 'x-api-key': key.value })
    const frames: unknown[] = []
    for (let i = 0; i < 3; i++) {
      socket.send(`message ${String(i)}`)
      frames.push(JSON.parse(await socket.next()))
    }
    expect(frames).toMatchObject([
      { route: '$default' },
      { route: '$default' },
      { message: 'Too many requests' },
    ])
    socket.ws.close(1000)
  })

  it('throttles messages beyond the stage route settings with a Too many requests frame', async () => {
    const { host } = await seedWebSocketApi({
      stageExtras: {
        routeSettings: { sendMessage: { throttlingBurstLimit: 2, throttlingRateLimit: 0 } },
      },
    })
    const socket = await connect(host)
    const frames: unknown[] = []
    for (let i = 0; i < 3; i++) {
      socket.send('{"action":"sendMessage"}')
      frames.push(JSON.parse(await socket.next()))
    }
    expect(frames.slice(0, 2)).toMatchObject([{ route: 'sendMessage' }, { route: 'sendMessage' }])
    expect(frames[2]).toMatchObject({ message: 'Too many requests' })
    // Throttled is not closed; other routes have their own bucket.
    socket.send('{"action":"other"}')
    expect(JSON.parse(await socket.next())).toMatchObject({ route: '$default' })
    socket.ws.close(1000)
  })
})
