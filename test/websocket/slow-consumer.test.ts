/**
 * Slow consumers through the hub: a connection that stops acknowledging while broadcasts or
 * posts pile up is closed with 1013 once its backlog passes the API's `maxQueuedMessages`, through
 * the hub's own close path — `$disconnect` once, subscriptions gone, 410 afterwards — while the
 * other subscribers of the topic keep receiving every message in order.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { WebSocketHub } from '../../src/durable-objects/websocket-hub'
import { hubName, shardOf } from '../../src/websocket/connection-id'
import { ACK_ACTION } from '../../src/websocket/hub/outbox'
import { seedApi, upstream } from '../support/seed'
import { closeAll, connect, manage, type Client } from './management-support'

const MAX_QUEUED = 5

interface RecordedEvent {
  requestContext: { eventType?: string; connectionId?: string; disconnectStatusCode?: number }
  headers?: Record<string, string>
}

async function recorded(tag: string): Promise<RecordedEvent[]> {
  const res = await fetch(upstream(`/recorded/${tag}`))
  return res.json()
}

interface Unread {
  ws: WebSocket
  connectionId: string
  /** Starts reading: every frame the hub sent so far, then the close code. */
  readAll(): Promise<{ frames: string[]; code: number }>
}

/**
 * A client that reads nothing — not even the close frame — until `readAll`: its socket is not
 * accepted, so it can neither acknowledge nor answer a close. Its id comes from the recorded
 * CONNECT event (which carries the handshake headers).
 */
async function connectWithoutReading(host: string, tag: string): Promise<Unread> {
  const marker = crypto.randomUUID()
  const res = await exports.default.fetch(`http://${host}/dev`, {
    headers: { host, upgrade: 'websocket', 'x-client-marker': marker },
  })
  const ws = res.webSocket
  if (res.status !== 101 || ws === null) throw new Error(`no upgrade: ${String(res.status)}`)
  const connect = (await recorded(tag)).find((e) => e.headers?.['x-client-marker'] === marker)
  const connectionId = connect?.requestContext.connectionId
  if (connectionId === undefined) throw new Error('the CONNECT event was not recorded')
  return {
    ws,
    connectionId,
    readAll: () => {
      const frames: string[] = []
      const done = new Promise<{ frames: string[]; code: number }>((resolve) => {
        ws.addEventListener('message', (e) => {
          frames.push(typeof e.data === 'string' ? e.data : '<binary>')
        })
        ws.addEventListener('close', (e) => {
          resolve({ frames, code: e.code })
        })
      })
      ws.accept()
      return done
    },
  }
}

/** A WEBSOCKET API with a small backlog cap whose `$disconnect` is recorded under `tag`. */
function seedSlowConsumerApi(tag: string) {
  return seedApi({
    protocolType: 'WEBSOCKET',
    routes: [
      { id: 'rconn', routeKey: '$connect', integrationId: 'irec' },
      { id: 'rdisc', routeKey: '$disconnect', integrationId: 'irec' },
    ],
    integrations: [{ id: 'irec', type: 'HTTP', integrationUri: upstream(`/record/${tag}`) }],
    apiExtras: {
      routeSelectionExpression: '$request.body.action',
      webSocket: { maxQueuedMessages: MAX_QUEUED },
    },
  })
}

function ack(count: number): string {
  return JSON.stringify({ action: ACK_ACTION, count })
}

/** Opts in to acknowledgements and acknowledges every frame as it is read. */
function acknowledgeEverything(c: Client): void {
  c.ws.send(ack(0))
  c.ws.addEventListener('message', () => {
    c.ws.send(ack(1))
  })
}

async function disconnectsOf(tag: string, connectionId: string): Promise<RecordedEvent[]> {
  return (await recorded(tag)).filter(
    (e) =>
      e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === connectionId
  )
}

/** The `$disconnect` events of a connection once one arrived, and a while longer for a second. */
async function settledDisconnects(tag: string, connectionId: string): Promise<RecordedEvent[]> {
  for (let i = 0; i < 200; i++) {
    if ((await disconnectsOf(tag, connectionId)).length > 0) break
    await new Promise((r) => setTimeout(r, 10))
  }
  await new Promise((r) => setTimeout(r, 200))
  return disconnectsOf(tag, connectionId)
}

function hubOf(apiId: string, connectionId: string): DurableObjectStub<WebSocketHub> {
  const shard = shardOf(connectionId)
  if (shard === undefined) throw new Error(`bad connection id ${connectionId}`)
  return env.WEBSOCKET_HUB.get(env.WEBSOCKET_HUB.idFromName(hubName(apiId, 'dev', shard)))
}

/**
 * Delivers `message` to the hub as if the client had sent it: a client that is not reading
 * cannot send (workerd requires `accept()` first), yet it may have acknowledged before it stalled.
 */
async function arriveFrom(apiId: string, connectionId: string, message: string): Promise<void> {
  await runInDurableObject(hubOf(apiId, connectionId), async (hub: WebSocketHub, state) => {
    const [socket] = state.getWebSockets(connectionId)
    if (socket === undefined) throw new Error(`no socket for ${connectionId}`)
    await hub.webSocketMessage(socket, message)
  })
}

async function subscriptionRows(apiId: string, connectionId: string): Promise<number> {
  return runInDurableObject(
    hubOf(apiId, connectionId),
    (_hub: WebSocketHub, state) =>
      state.storage.sql
        .exec<{ n: number }>(
          'SELECT count(*) AS n FROM topic_subscriptions WHERE connection_id = ?',
          connectionId
        )
        .one().n
  )
}

async function subscribe(host: string, connectionId: string, topic: string): Promise<void> {
  const res = await manage(host, `/dev/@connections/${connectionId}/topics`, {
    method: 'POST',
    body: JSON.stringify({ topics: [topic] }),
  })
  expect(res.status).toBe(200)
  await res.body?.cancel()
}

async function getConnectionStatus(host: string, connectionId: string): Promise<number> {
  const res = await manage(host, `/dev/@connections/${connectionId}`, { method: 'GET' })
  await res.body?.cancel()
  return res.status
}

describe('slow consumers through the hub', () => {
  it('closes a subscriber that stopped reading with 1013 while the others get everything', async () => {
    const tag = crypto.randomUUID()
    const { apiId, host } = await seedSlowConsumerApi(tag)
    const slow = await connectWithoutReading(host, tag)
    const others = [await connect(host), await connect(host)]
    // The slow client acknowledged once (opting in), then stalled: its backlog is exact.
    await arriveFrom(apiId, slow.connectionId, ack(0))
    for (const c of others) acknowledgeEverything(c)
    for (const c of [slow, ...others]) await subscribe(host, c.connectionId, 'feed')

    const messages = Array.from({ length: 3 * MAX_QUEUED }, (_, i) => `m${String(i)}`)
    const results: unknown[] = []
    for (const [i, body] of messages.entries()) {
      const res = await manage(host, '/dev/@topics/feed', { method: 'POST', body })
      expect(res.status).toBe(200)
      results.push(await res.json())
      for (const c of others) await c.waitFor(i + 1)
    }

    expect(results.slice(0, MAX_QUEUED)).toEqual(
      Array(MAX_QUEUED).fill({ delivered: 3, dropped: 0 })
    )
    expect(results[MAX_QUEUED]).toEqual({ delivered: 2, dropped: 1 })
    expect(results.slice(MAX_QUEUED + 1)).toEqual(
      Array(messages.length - MAX_QUEUED - 1).fill({ delivered: 2, dropped: 0 })
    )
    for (const c of others) expect(c.received).toEqual(messages)

    // All of this before the slow client read anything (it cannot answer the close frame yet):
    // the hub's own close path ran `$disconnect` and dropped the subscriptions.
    const disconnects = await settledDisconnects(tag, slow.connectionId)
    expect(disconnects).toHaveLength(1)
    expect(disconnects[0]?.requestContext.disconnectStatusCode).toBe(1013)
    expect(await subscriptionRows(apiId, slow.connectionId)).toBe(0)
    expect(await getConnectionStatus(host, slow.connectionId)).toBe(410)
    for (const c of others) {
      expect(await getConnectionStatus(host, c.connectionId)).toBe(200)
      expect(await disconnectsOf(tag, c.connectionId)).toEqual([])
    }

    // Reading at last: what was sent before the close, then 1013 — and no second `$disconnect`.
    const { frames, code } = await slow.readAll()
    expect(code).toBe(1013)
    expect(frames).toEqual(messages.slice(0, MAX_QUEUED))
    expect(await settledDisconnects(tag, slow.connectionId)).toHaveLength(1)
    closeAll(others)
  })

  it('answers 410 to the post that overflows a connection that never acknowledges', async () => {
    const tag = crypto.randomUUID()
    const { apiId, host } = await seedSlowConsumerApi(tag)
    const slow = await connect(host)
    const other = await connect(host)
    slow.ws.send(ack(0))
    acknowledgeEverything(other)
    await subscribe(host, slow.connectionId, 'feed')
    await subscribe(host, other.connectionId, 'feed')

    const statuses: number[] = []
    for (let i = 0; i < 2 * MAX_QUEUED; i++) {
      const res = await manage(host, `/dev/@connections/${slow.connectionId}`, {
        method: 'POST',
        body: `p${String(i)}`,
      })
      statuses.push(res.status)
      await res.body?.cancel()
    }
    expect(statuses).toEqual([...Array(MAX_QUEUED).fill(200), ...Array(MAX_QUEUED).fill(410)])
    expect((await slow.closed).code).toBe(1013)

    const disconnects = await settledDisconnects(tag, slow.connectionId)
    expect(disconnects).toHaveLength(1)
    expect(disconnects[0]?.requestContext.disconnectStatusCode).toBe(1013)
    expect(await subscriptionRows(apiId, slow.connectionId)).toBe(0)
    expect(await getConnectionStatus(host, slow.connectionId)).toBe(410)

    // The topic still reaches the connection that kept up, and only it.
    const res = await manage(host, '/dev/@topics/feed', { method: 'POST', body: 'after' })
    expect(await res.json()).toEqual({ delivered: 1, dropped: 0 })
    await other.waitFor(1)
    expect(other.received).toEqual(['after'])
    closeAll([other])
  })
})
