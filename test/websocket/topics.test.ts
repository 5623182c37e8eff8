import { env } from 'cloudflare:workers'
import { evictDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { hubName, shardOf } from '../../src/websocket/connection-id'
import { ACK_ACTION } from '../../src/websocket/hub/outbox'
import { MAX_TOPICS_PER_CONNECTION } from '../../src/websocket/hub/topics'
import { seedApi } from '../support/seed'
import {
  closeAll,
  connect,
  manage,
  seedWebSocketApi,
  type Client,
  untilGone,
} from './management-support'

async function subscribe(host: string, c: Client, topics: string[]): Promise<Response> {
  return manage(host, `/dev/@connections/${c.connectionId}/topics`, {
    method: 'POST',
    body: JSON.stringify({ topics }),
  })
}

async function broadcast(host: string, topic: string, body: string) {
  const res = await manage(host, `/dev/@topics/${topic}`, { method: 'POST', body })
  expect(res.status).toBe(200)
  const result: { delivered: number; dropped: number } = await res.json()
  return result
}

async function connectMany(host: string, n: number): Promise<Client[]> {
  const clients: Client[] = []
  for (let i = 0; i < n; i++) clients.push(await connect(host))
  return clients
}

describe('topic subscriptions', () => {
  it('subscribes through the management API and answers the topics held', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const first = await subscribe(host, c, ['room-b', 'room-a'])
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ topics: ['room-a', 'room-b'] })
    const second = await subscribe(host, c, ['room-a', 'news:eu'])
    expect(await second.json()).toEqual({ topics: ['news:eu', 'room-a', 'room-b'] })
    const off = await manage(host, `/dev/@connections/${c.connectionId}/topics/room-a`, {
      method: 'DELETE',
    })
    expect(off.status).toBe(200)
    expect(await off.json()).toEqual({ topics: ['news:eu', 'room-b'] })
    closeAll([c])
  })

  it('refuses invalid topic names and bodies with 400 and subscribes nothing', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    for (const topics of [['ok', '../etc'], ['-lead'], ['a'.repeat(129)], ['sp ace'], ['']]) {
      const res = await subscribe(host, c, topics)
      expect(res.status, JSON.stringify(topics)).toBe(400)
    }
    for (const body of ['not json', '{"topics":"a"}', '{"topics":[]}', '{"topics":[1]}']) {
      const res = await manage(host, `/dev/@connections/${c.connectionId}/topics`, {
        method: 'POST',
        body,
      })
      expect(res.status, body).toBe(400)
    }
    expect((await broadcast(host, 'ok', 'x')).delivered).toBe(0)
    expect((await manage(host, '/dev/@topics/-bad', { method: 'POST', body: 'x' })).status).toBe(
      400
    )
    closeAll([c])
  })

  it('caps the topics of one connection with 429 LimitExceededException', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    const many = Array.from({ length: MAX_TOPICS_PER_CONNECTION }, (_, i) => `t${String(i)}`)
    expect((await subscribe(host, c, many)).status).toBe(200)
    const over = await subscribe(host, c, ['one-more'])
    expect(over.status).toBe(429)
    expect(over.headers.get('x-amzn-ErrorType')).toBe('LimitExceededException')
    // Topics already held do not count twice.
    expect((await subscribe(host, c, ['t0'])).status).toBe(200)
    closeAll([c])
  })

  it('answers 410 when subscribing a connection that is gone', async () => {
    const { host } = await seedWebSocketApi()
    const res = await manage(host, '/dev/@connections/AAAAAAAAAAAAAAAA/topics', {
      method: 'POST',
      body: '{"topics":["a"]}',
    })
    expect(res.status).toBe(410)
  })
})

describe('topic broadcast', () => {
  it('reaches every subscriber across shards exactly once and in order, and nobody else', async () => {
    const { host } = await seedWebSocketApi()
    const subscribers = await connectMany(host, 12)
    const outsider = await connect(host)
    for (const c of subscribers) expect((await subscribe(host, c, ['room'])).status).toBe(200)
    expect(new Set(subscribers.map((c) => shardOf(c.connectionId))).size).toBeGreaterThan(1)
    const messages = Array.from({ length: 20 }, (_, i) => `msg-${String(i)}`)
    for (const m of messages) {
      expect(await broadcast(host, 'room', m)).toEqual({ delivered: 12, dropped: 0 })
    }
    for (const c of subscribers) {
      await c.waitFor(messages.length)
      expect(c.received).toEqual(messages)
    }
    // Frames still in flight would have arrived by now: the outsider got none.
    await subscribers[0]?.waitFor(messages.length)
    expect(outsider.received).toEqual([])
    closeAll([...subscribers, outsider])
  })

  it('stops delivering after unsubscribe and after disconnect', async () => {
    const { host } = await seedWebSocketApi()
    const [a, b, c] = await connectMany(host, 3)
    if (a === undefined || b === undefined || c === undefined) throw new Error('no clients')
    for (const x of [a, b, c]) await subscribe(host, x, ['t'])
    await manage(host, `/dev/@connections/${b.connectionId}/topics/t`, { method: 'DELETE' })
    c.ws.close(1000, 'bye')
    await untilGone(host, c.connectionId)
    expect(await broadcast(host, 't', 'one')).toEqual({ delivered: 1, dropped: 0 })
    await a.waitFor(1)
    expect(b.received).toEqual([])
    closeAll([a, b])
  })

  it('keeps subscriptions when hub objects are evicted (hibernation) and woken by the broadcast', async () => {
    const { host, apiId } = await seedWebSocketApi()
    const clients = await connectMany(host, 4)
    for (const c of clients) await subscribe(host, c, ['live'])
    const shards = new Set(clients.map((c) => shardOf(c.connectionId) ?? -1))
    for (const shard of shards) {
      const stub = env.WEBSOCKET_HUB.get(env.WEBSOCKET_HUB.idFromName(hubName(apiId, 'dev', shard)))
      await evictDurableObject(stub, { webSockets: 'hibernate' })
    }
    expect(await broadcast(host, 'live', 'after-wake')).toEqual({ delivered: 4, dropped: 0 })
    for (const c of clients) {
      await c.waitFor(1)
      expect(c.received).toEqual(['after-wake'])
    }
    closeAll(clients)
  })

  it('keeps broadcasts of different stages apart', async () => {
    const { host } = await seedWebSocketApi()
    const c = await connect(host)
    await subscribe(host, c, ['room'])
    const other = await seedApi({
      protocolType: 'WEBSOCKET',
      routes: [],
      integrations: [],
      apiExtras: { routeSelectionExpression: '$request.body.action' },
    })
    expect(await broadcast(other.host, 'room', 'elsewhere')).toEqual({ delivered: 0, dropped: 0 })
    expect(await broadcast(host, 'room', 'here')).toEqual({ delivered: 1, dropped: 0 })
    await c.waitFor(1)
    expect(c.received).toEqual(['here'])
    closeAll([c])
  })
})

describe('slow consumers', () => {
  it('closes a subscriber that stopped acknowledging with 1013 while the others get every message in order', async () => {
    const { host } = await seedApi({
      protocolType: 'WEBSOCKET',
      routes: [],
      integrations: [],
      apiExtras: {
        routeSelectionExpression: '$request.body.action',
        webSocket: { maxQueuedMessages: 10 },
      },
    })
    const slow = await connect(host)
    const fast = await connectMany(host, 3)
    const ack = (n: number) => JSON.stringify({ action: ACK_ACTION, count: n })
    // Everyone opts in to acknowledgements; the slow client never acknowledges a frame.
    for (const c of [slow, ...fast]) c.ws.send(ack(0))
    for (const c of fast) {
      c.ws.addEventListener('message', () => {
        c.ws.send(ack(1))
      })
    }
    for (const c of [slow, ...fast]) await subscribe(host, c, ['feed'])
    const results = []
    const messages = Array.from({ length: 30 }, (_, i) => `m${String(i)}`)
    for (const [i, m] of messages.entries()) {
      results.push(await broadcast(host, 'feed', m))
      for (const c of fast) await c.waitFor(i + 1)
    }
    expect(results.slice(0, 10)).toEqual(Array(10).fill({ delivered: 4, dropped: 0 }))
    expect(results[10]).toEqual({ delivered: 3, dropped: 1 })
    // Closed and unsubscribed: later broadcasts no longer count it.
    expect(results.slice(11)).toEqual(Array(19).fill({ delivered: 3, dropped: 0 }))
    for (const c of fast) expect(c.received).toEqual(messages)
    const close = await slow.closed
    expect(close.code).toBe(1013)
    expect(slow.received).toEqual(messages.slice(0, 10))
    closeAll(fast)
  })
})
